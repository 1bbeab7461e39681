import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, load, save, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingBag, type EmbeddingBagModuleOptions } from './embedding-bag.js';

const bag = (n: number, d: number, options: EmbeddingBagModuleOptions = {}): ModuleEntry => ({
  make: () => new EmbeddingBag(n, d, options),
  run: (m, { input, offsets, perSampleWeights }) => [(m as EmbeddingBag)(input!, offsets, perSampleWeights)],
});

runModuleGolden('embedding_bag', ['module'], {
  module_mean_offsets: bag(12, 5),
  module_sum_per_sample_weights: bag(10, 4, { mode: 'sum' }),
  module_max_2d_padding: bag(8, 3, { mode: 'max', paddingIdx: 2 }),
  module_include_last_offset_padding: bag(10, 4, { includeLastOffset: true, paddingIdx: 0 }),
});

const ids = (...v: number[]): Tensor => tensor(v, { dtype: 'int32' });

describe('EmbeddingBag', () => {
  it('initialises from N(0, 1) with the padding row zero', () => {
    const m = new EmbeddingBag(500, 40, { paddingIdx: -2, generator: new Generator(0) });
    expect(m.paddingIdx).toBe(498);
    const v = Array.from(m.weight.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(m.weight.index(498).tolist()).toEqual(new Array(40).fill(0));
    expect(m.weight.requiresGrad).toBe(true);
  });

  it('averages the rows of each bag by default and trains its weight', () => {
    const m = new EmbeddingBag(4, 2, { weight: tensor([[1, 2], [3, 4], [5, 6], [7, 8]]) });
    const out = m(ids(0, 1, 3, 2, 2), ids(0, 2, 2));
    assertClose(out, [[2, 3], [0, 0], [17 / 3, 20 / 3]], { atol: 1e-5 });
    out.sum().backward();
    assertClose(m.weight.grad!, [[0.5, 0.5], [0.5, 0.5], [2 / 3, 2 / 3], [1 / 3, 1 / 3]], { atol: 1e-6 });
  });

  it('fromPretrained uses the given vectors, frozen by default, and keeps a pretrained padding row', () => {
    const vectors = tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = EmbeddingBag.fromPretrained(vectors, { mode: 'sum' });
    expect(frozen.weight.requiresGrad).toBe(false);
    assertClose(frozen(ids(2, 0, 1), ids(0, 2)), [[6, 8], [3, 4]]);
    const trainable = EmbeddingBag.fromPretrained(vectors, { freeze: false, paddingIdx: 0, mode: 'max' });
    expect(trainable.weight.requiresGrad).toBe(true);
    expect(trainable.weight.index(0).tolist()).toEqual([1, 2]);
    assertClose(trainable(ids(0, 1, 0).reshape(1, 3)), [[3, 4]]); // the padding row is left out of the bag
    expect(() => EmbeddingBag.fromPretrained(tensor([1, 2]))).toThrow(/EmbeddingBag.fromPretrained\(\): embeddings must be a 2-D Tensor/);
  });

  it('has PyTorch key names, saves and loads its weight by name, and prints its options', async () => {
    const m = new EmbeddingBag(6, 3, { mode: 'sum', paddingIdx: 1 });
    expect(Object.keys(m.stateDict())).toEqual(['weight']);
    const dir = mkdtempSync(join(tmpdir(), 'flint-embedding-bag-'));
    try {
      await save(m.stateDict(), join(dir, 'bag.safetensors'));
      const other = new EmbeddingBag(6, 3, { mode: 'sum', paddingIdx: 1 });
      other.loadStateDict(await load<Record<string, Tensor>>(join(dir, 'bag.safetensors')));
      assertClose(other.weight, m.weight);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(new EmbeddingBag(3, 2).toString()).toBe('EmbeddingBag(3, 2, mode=mean)');
    expect(new EmbeddingBag(3, 2, { mode: 'max', maxNorm: 2, paddingIdx: 1, includeLastOffset: true }).toString()).toBe(
      'EmbeddingBag(3, 2, maxNorm=2.0, mode=max, includeLastOffset=true, paddingIdx=1)',
    );
  });

  it('validates its options and its weight', () => {
    expect(() => new EmbeddingBag(-1, 2)).toThrow(/EmbeddingBag\(\): numEmbeddings must be an integer >= 0 \(got -1\)/);
    expect(() => new EmbeddingBag(4, 2.5)).toThrow(/embeddingDim must be an integer >= 0/);
    expect(() => new EmbeddingBag(4, 2, { paddingIdx: 4 })).toThrow(/EmbeddingBag\(\): paddingIdx must be an integer in \[-4, 3\]/);
    expect(() => new EmbeddingBag(4, 2, { sparse: true })).toThrow(/sparse gradients are not supported/);
    expect(() => new EmbeddingBag(4, 2, { mode: 'min' as 'max' })).toThrow(/mode must be 'sum', 'mean' or 'max' \(got "min"\)/);
    expect(() => new EmbeddingBag(4, 2, { mode: 'max', scaleGradByFreq: true })).toThrow(/mode 'max' does not support scaleGradByFreq/);
    expect(() => new EmbeddingBag(4, 2, { maxNorm: -1 })).toThrow(/maxNorm must be a number >= 0/);
    expect(() => new EmbeddingBag(3, 3, { weight: tensor([[1, 2]]) })).toThrow(ShapeError);
    const m = new EmbeddingBag(4, 2);
    expect(() => m(ids(0, 1))).toThrow(/embeddingBag\(\): offsets is required when input is 1-D/);
    expect(() => m(ids(0, 1), ids(0), tensor([1, 1]))).toThrow(/perSampleWeights is only supported with mode 'sum' \(got mode 'mean'\)/);
  });
});
