import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, autograd, randn, scope, tensor, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak, gradcheck } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import { embeddingBag, type EmbeddingBagOptions } from './embedding-bag.js';
import { embedding } from './embedding.js';

/** F.embedding_bag as the fixture ran it, on the fixture's inputs. */
const bag = (options: EmbeddingBagOptions = {}): ModuleEntry => ({
  run: (_m, { input, weight, offsets, perSampleWeights }) => [embeddingBag(input!, weight!, { offsets, perSampleWeights, ...options })],
});

runModuleGolden('embedding_bag', ['functional'], {
  sum_2d: bag({ mode: 'sum' }),
  mean_2d: bag({ mode: 'mean' }),
  max_2d: bag({ mode: 'max' }),
  sum_offsets: bag({ mode: 'sum' }),
  mean_offsets: bag(), // 'mean' is the default
  max_offsets: bag({ mode: 'max' }),
  sum_include_last_offset: bag({ mode: 'sum', includeLastOffset: true }),
  mean_include_last_offset: bag({ mode: 'mean', includeLastOffset: true }),
  max_include_last_offset: bag({ mode: 'max', includeLastOffset: true }),
  sum_single_bag: bag({ mode: 'sum' }),
  mean_all_empty: bag({ mode: 'mean' }),
  sum_no_bags: bag({ mode: 'sum', includeLastOffset: true }),
  max_repeated_rows: bag({ mode: 'max' }),
  per_sample_weights: bag({ mode: 'sum' }),
  per_sample_weights_2d: bag({ mode: 'sum' }),
  per_sample_weights_padding: bag({ mode: 'sum', paddingIdx: 0 }),
  sum_padding: bag({ mode: 'sum', paddingIdx: 0 }),
  mean_padding: bag({ mode: 'mean', paddingIdx: 0 }),
  max_padding: bag({ mode: 'max', paddingIdx: 0 }),
  mean_padding_negative_2d: bag({ mode: 'mean', paddingIdx: -1 }),
  max_padding_2d: bag({ mode: 'max', paddingIdx: 4 }),
  mean_max_norm: bag({ mode: 'mean', maxNorm: 1 }),
  max_max_norm_p1: bag({ mode: 'max', maxNorm: 1.5, normType: 1 }),
  sum_scale_grad_by_freq: bag({ mode: 'sum', scaleGradByFreq: true }),
  mean_scale_grad_by_freq: bag({ mode: 'mean', scaleGradByFreq: true }),
  mean_scale_grad_by_freq_padding: bag({ mode: 'mean', scaleGradByFreq: true, paddingIdx: 4 }),
  sum_scale_grad_by_freq_torch: bag({ mode: 'sum', scaleGradByFreq: true }),
});

const ids = (...v: number[]): Tensor => tensor(v, { dtype: 'int32' });

describe('embeddingBag', () => {
  it('has the true derivative in every mode, to weight and to perSampleWeights (numerical gradcheck)', () => {
    const input = ids(1, 4, 4, 0, 2, 3, 3, 1);
    const offsets = ids(0, 3, 3, 6);
    const w = randn([5, 3], { requiresGrad: true });
    for (const mode of ['sum', 'mean', 'max'] as const) {
      expect(gradcheck((x) => embeddingBag(input, x, { offsets, mode }), [w], { atol: 1e-2, rtol: 1e-2 })).toBe(true);
    }
    const psw = randn([8], { requiresGrad: true });
    expect(gradcheck((x, p) => embeddingBag(input, x, { offsets, mode: 'sum', perSampleWeights: p, paddingIdx: 4 }), [w, psw])).toBe(true);
  });

  it('has gradients of second order, as a dense bag matrix times F.embedding has', () => {
    const w = randn([4, 2], { requiresGrad: true });
    const psw = randn([5], { requiresGrad: true });
    const input = ids(0, 2, 2, 3, 1);
    const inBag = tensor([[1, 1, 0, 0, 0], [0, 0, 1, 1, 1]]); // bags [0, 2) and [2, 5)
    const second = (out: Tensor): (Tensor | null)[] => {
      const [gw] = autograd.grad([out.pow(2).sum()], [w], { createGraph: true });
      return autograd.grad([gw!.pow(2).sum()], [w, psw]);
    };
    const mine = second(embeddingBag(input, w, { offsets: ids(0, 2), mode: 'sum', perSampleWeights: psw }));
    const dense = second(inBag.mul(psw).matmul(embedding(input, w)));
    assertClose(mine[0]!, dense[0]!, { atol: 1e-4 });
    assertClose(mine[1]!, dense[1]!, { atol: 1e-4 });
  });

  it('gives zeros for a max over bags with no index at all, and a zero gradient', () => {
    const w = randn([5, 3], { requiresGrad: true });
    const out = embeddingBag(tensor([], { dtype: 'int32' }), w, { offsets: ids(0, 0), mode: 'max' });
    assertClose(out, [[0, 0, 0], [0, 0, 0]]);
    out.sum().backward();
    assertClose(w.grad!, new Array(5).fill([0, 0, 0]));
  });

  it('leaves indices after the last offset out of every bag with includeLastOffset', () => {
    const w = tensor([[1, 10], [2, 20], [3, 30], [4, 40]], { requiresGrad: true });
    const out = embeddingBag(ids(0, 1, 2, 3, 3), w, { offsets: ids(0, 2, 3), mode: 'mean', includeLastOffset: true });
    assertClose(out, [[1.5, 15], [3, 30]]);
    out.sum().backward();
    assertClose(w.grad!, [[0.5, 0.5], [0.5, 0.5], [1, 1], [0, 0]]);
  });

  it('reads a 2-D input as one bag per row, even when the rows are empty', () => {
    const w = randn([4, 2]);
    assertClose(embeddingBag(ids(0, 1, 2, 3).reshape(2, 2), w, { mode: 'sum' }), w.reshape(2, 2, 2).sum(1));
    assertClose(embeddingBag(tensor([], { dtype: 'int32' }).reshape(3, 0), w), [[0, 0], [0, 0], [0, 0]]);
  });

  it('renormalises every looked-up row in place with maxNorm, the padding row included', () => {
    const w = tensor([[3, 4], [6, 8], [0.3, 0.4]]);
    const out = embeddingBag(ids(0, 1, 2), w, { offsets: ids(0), mode: 'sum', maxNorm: 1, paddingIdx: 1 });
    assertClose(out, [[0.9, 1.2]], { atol: 1e-6 });
    assertClose(w, [[0.6, 0.8], [0.6, 0.8], [0.3, 0.4]], { atol: 1e-6 }); // the padding row is renormalised too, as in PyTorch
  });

  it('checks its arguments', () => {
    const w = randn([10, 3]);
    const x = ids(1, 2, 3);
    const off = ids(0, 1);
    expect(() => embeddingBag(x, w)).toThrow(/embeddingBag\(\): offsets is required when input is 1-D/);
    expect(() => embeddingBag(x.reshape(1, 3), w, { offsets: off })).toThrow(/offsets must be absent when input is 2-D/);
    expect(() => embeddingBag(x.reshape(1, 1, 3), w)).toThrow(ShapeError);
    expect(() => embeddingBag(tensor([1, 2]), w, { offsets: off })).toThrow(DTypeError);
    expect(() => embeddingBag(x, w, { offsets: tensor([0, 1]) })).toThrow(/offsets must be an int32 tensor \(got dtype float32\)/);
    expect(() => embeddingBag(x, w, { offsets: ids(0, 1).reshape(1, 2) })).toThrow(/offsets must be 1-D \(got shape \[1, 2\]\)/);
    expect(() => embeddingBag(x, w, { offsets: ids(1, 2) })).toThrow(/offsets\[0\] must be 0, .* \(got 1\)/);
    expect(() => embeddingBag(x, w, { offsets: ids(0, 2, 1) })).toThrow(/offsets must not decrease \(got offsets\[1\] = 2 > offsets\[2\] = 1\)/);
    expect(() => embeddingBag(x, w, { offsets: ids(0, 4) })).toThrow(/offsets\[-1\] \(4\) can not be greater than the number of indices in input \(3\)/);
    expect(() => embeddingBag(x, w, { offsets: ids(), includeLastOffset: true })).toThrow(/with includeLastOffset, offsets needs at least 1 entry/);
    expect(() => embeddingBag(ids(1, 10), w, { offsets: off })).toThrow(/embeddingBag\(\): index 10 is out of bounds for dimension 0 with size 10/);
    expect(() => embeddingBag(x, w, { offsets: off, mode: 'median' as 'sum' })).toThrow(/mode must be 'sum', 'mean' or 'max' \(got "median"\)/);
    expect(() => embeddingBag(x, w, { offsets: off, sparse: true })).toThrow(ArgumentError);
    expect(() => embeddingBag(x, w, { offsets: off, mode: 'max', scaleGradByFreq: true })).toThrow(/mode 'max' does not support scaleGradByFreq/);
    expect(() => embeddingBag(x, w, { offsets: off, perSampleWeights: randn([3]) })).toThrow(/perSampleWeights is only supported with mode 'sum' \(got mode 'mean'\)/);
    expect(() => embeddingBag(x, w, { offsets: off, mode: 'sum', perSampleWeights: randn([2]) })).toThrow(/perSampleWeights must have the shape of input \[3\] \(got \[2\]\)/);
    expect(() => embeddingBag(x, w, { offsets: off, mode: 'sum', perSampleWeights: ids(1, 1, 1) })).toThrow(/perSampleWeights must be a float32 tensor/);
    expect(() => embeddingBag(x, w, { offsets: off, paddingIdx: 10 })).toThrow(/paddingIdx must be an integer in \[-10, 9\] for 10 embeddings \(got 10\)/);
    expect(() => embeddingBag(x, w, { offsets: off, maxNorm: -1 })).toThrow(/maxNorm must be a number >= 0 \(got -1\)/);
    expect(() => embeddingBag(x, randn([10]), { offsets: off })).toThrow(/weight must be 2-D/);
    expect(() => embeddingBag(x, ids(1, 2), { offsets: off })).toThrow(/weight must be a float32 tensor/);
  });

  it('leaves no tensors behind', () => {
    const w = randn([8, 3], { requiresGrad: true });
    const psw = randn([6], { requiresGrad: true });
    const input = ids(1, 2, 2, 7, 0, 3);
    const offsets = ids(0, 2, 2, 5);
    expectNoLeak(() =>
      scope(() => {
        embeddingBag(input, w, { offsets, mode: 'sum', perSampleWeights: psw, paddingIdx: 2 }).sum().backward();
        embeddingBag(input, w, { offsets, mode: 'mean', scaleGradByFreq: true, maxNorm: 2 }).sum().backward();
        embeddingBag(input, w, { offsets, mode: 'max', paddingIdx: 0 }).sum().backward();
        w.grad = null;
        psw.grad = null;
      }),
    );
  });
});
