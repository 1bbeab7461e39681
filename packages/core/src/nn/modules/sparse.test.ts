import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { Embedding } from './sparse.js';

const ids = (...v: number[]): Tensor => tensor(v, { dtype: 'int32' });

describe('Embedding', () => {
  it('initialises from N(0, 1) with the padding row zero', () => {
    const emb = new Embedding(500, 40, { paddingIdx: 3, generator: new Generator(0) });
    const v = Array.from(emb.weight.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(emb.weight.index(3).tolist()).toEqual(new Array(40).fill(0));
    expect(emb.weight.requiresGrad).toBe(true);
    expect(emb.weight.gradFn).toBeNull();
  });

  it('gives the padding row a zero gradient while training', () => {
    const emb = new Embedding(5, 2, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(4);
    emb(tensor([[4, 1], [1, 4]], { dtype: 'int32' })).sum().backward();
    assertClose(emb.weight.grad!, [[0, 0], [2, 2], [0, 0], [0, 0], [0, 0]]);
  });

  it('fromPretrained uses the given vectors, frozen by default', () => {
    const vectors = tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = Embedding.fromPretrained(vectors);
    expect(frozen.weight.requiresGrad).toBe(false);
    assertClose(frozen(ids(2, 0)), [[5, 6], [1, 2]]);
    const trainable = Embedding.fromPretrained(vectors, { freeze: false, paddingIdx: 0 });
    expect(trainable.weight.requiresGrad).toBe(true);
    expect(trainable.weight.index(0).tolist()).toEqual([1, 2]); // pretrained padding rows are kept, as in PyTorch
    expect(() => new Embedding(3, 3, { weight: vectors })).toThrow(ShapeError);
  });

  it('applies maxNorm to the looked-up rows', () => {
    const emb = Embedding.fromPretrained(tensor([[3, 4], [0.1, 0]]), { maxNorm: 1 });
    assertClose(emb(ids(0)), [[0.6, 0.8]], { atol: 1e-6 });
    assertClose(emb.weight.index(0), [0.6, 0.8], { atol: 1e-6 });
  });

  it('has PyTorch key names and validates its sizes', () => {
    expect(Object.keys(new Embedding(4, 2).stateDict())).toEqual(['weight']);
    expect(() => new Embedding(-1, 2)).toThrow(/Embedding\(\): numEmbeddings must be an integer >= 0/);
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(/paddingIdx must be an integer in \[-4, 3\]/);
    expect(() => new Embedding(4, 2, { sparse: true })).toThrow(/sparse gradients are not supported/);
  });
});
