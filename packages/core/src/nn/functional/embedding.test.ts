import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, autograd, randn, scope, tensor, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { embedding, oneHot } from './embedding.js';

runGolden('nn_basic_embedding', {
  embedding: (i, w) => embedding(i, w),
  embedding_repeated: (i, w) => embedding(i, w),
  // paddingIdx and scaleGradByFreq change the gradient on purpose (it is no longer the
  // derivative), so only PyTorch's values are checked, not finite differences.
  embedding_padding: { fn: (i, w) => embedding(i, w, { paddingIdx: 0 }), gradcheck: false },
  embedding_padding_negative: { fn: (i, w) => embedding(i, w, { paddingIdx: -1 }), gradcheck: false },
  embedding_scale_grad_by_freq: { fn: (i, w) => embedding(i, w, { scaleGradByFreq: true }), gradcheck: false },
  embedding_scale_and_padding: { fn: (i, w) => embedding(i, w, { paddingIdx: 1, scaleGradByFreq: true }), gradcheck: false },
  // maxNorm rescales the weight in place: a numerical gradcheck would see moving inputs.
  embedding_max_norm: { fn: (i, w) => embedding(i, w, { maxNorm: 1 }), gradcheck: false },
  embedding_max_norm_p1: { fn: (i, w) => embedding(i, w, { maxNorm: 1.5, normType: 1 }), gradcheck: false },
  embedding_0d_index: (i, w) => embedding(i, w),
  one_hot: (x) => oneHot(x),
  one_hot_classes: (x) => oneHot(x, 5),
});

const ids = (...v: number[]): Tensor => tensor(v, { dtype: 'int32' });

describe('embedding', () => {
  it('gives padding rows a zero gradient, also to second order', () => {
    const w = randn([4, 3], { requiresGrad: true });
    const out = embedding(ids(0, 2, 0, 3), w, { paddingIdx: 0 });
    assertClose(out.index(0), w.index(0).detach());
    const [g] = autograd.grad([out.pow(2).sum()], [w], { createGraph: true });
    assertClose(g!.index(0), [0, 0, 0]);
    assertClose(g!.index(1), [0, 0, 0]);
    assertClose(g!.index(2), w.index(2).mul(2).detach(), { atol: 1e-5 });
    const [g2] = autograd.grad([g!.sum()], [w]);
    assertClose(g2!, [[0, 0, 0], [0, 0, 0], [2, 2, 2], [2, 2, 2]]);
  });

  it('renormalises the looked-up rows in place with maxNorm', () => {
    const w = tensor([[3, 4], [0.3, 0.4], [6, 8]]);
    const out = embedding(ids(0, 1, 0), w, { maxNorm: 1 });
    assertClose(out, [[0.6, 0.8], [0.3, 0.4], [0.6, 0.8]], { atol: 1e-6 });
    assertClose(w, [[0.6, 0.8], [0.3, 0.4], [6, 8]], { atol: 1e-6 }); // row 2 was not looked up
  });

  it('checks indices, dtypes and options', () => {
    const w = randn([10, 3]);
    expect(() => embedding(ids(3, 10), w)).toThrow(ShapeError);
    expect(() => embedding(ids(3, 10), w)).toThrow(/embedding\(\): index 10 is out of bounds for dimension 0 with size 10/);
    expect(() => embedding(ids(-1), w)).toThrow(/index -1 is out of bounds/);
    expect(() => embedding(tensor([1, 2]), w)).toThrow(DTypeError);
    expect(() => embedding(tensor([1, 2]), w)).toThrow(/input must be an int32 tensor of indices \(got dtype float32\)/);
    expect(() => embedding(ids(1), randn([10]))).toThrow(/weight must be 2-D/);
    expect(() => embedding(ids(1), w, { paddingIdx: 10 })).toThrow(/paddingIdx must be an integer in \[-10, 9\] for 10 embeddings \(got 10\)/);
    expect(() => embedding(ids(1), w, { sparse: true })).toThrow(ArgumentError);
  });

  it('shapes the result like the indices plus the embedding dimension', () => {
    const w = randn([6, 4]);
    expect(embedding(tensor([[1, 2, 3], [4, 5, 0]], { dtype: 'int32' }), w).shape).toEqual([2, 3, 4]);
    expect(embedding(tensor([], { dtype: 'int32' }).reshape(0, 2), w).shape).toEqual([0, 2, 4]);
  });

  it('leaves no tensors behind', () => {
    const w = randn([8, 3], { requiresGrad: true });
    expectNoLeak(() =>
      scope(() => {
        embedding(ids(1, 2, 2, 7), w, { paddingIdx: 2, scaleGradByFreq: true }).sum().backward();
        w.grad = null;
      }),
    );
  });
});

describe('oneHot', () => {
  it('encodes int32 class indices as int32', () => {
    const y = oneHot(ids(0, 2));
    expect(y.dtype).toBe('int32');
    expect(y.tolist()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(oneHot(tensor([[1]], { dtype: 'int32' }), 3).shape).toEqual([1, 1, 3]);
  });

  it('refuses negative, too large and non-integer classes', () => {
    expect(() => oneHot(ids(0, -1))).toThrow(/class values must be non-negative \(got -1\)/);
    expect(() => oneHot(ids(0, 3), 3)).toThrow(/class values must be smaller than numClasses \(3\) \(got 3\)/);
    expect(() => oneHot(tensor([0.5]))).toThrow(/must be an int32 tensor of class indices/);
    expect(() => oneHot(tensor([], { dtype: 'int32' }))).toThrow(/can not infer the number of classes from an empty tensor/);
  });
});
