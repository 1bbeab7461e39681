import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, memory, randn, scope, tensor, zeros } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { bilinear, linear } from './linear.js';

runGolden('nn_basic_linear', {
  linear: (x, w, b) => linear(x, w, b),
  linear_nobias: (x, w) => linear(x, w),
  linear_3d: (x, w, b) => linear(x, w, b),
  linear_1d: (x, w, b) => linear(x, w, b),
  linear_one_row: (x, w, b) => linear(x, w, b),
  linear_two_rows: (x, w, b) => linear(x, w, b),
  linear_wide: (x, w, b) => linear(x, w, b),
  linear_empty_batch: (x, w, b) => linear(x, w, b),
  bilinear: (a, b, w, bias) => bilinear(a, b, w, bias),
  bilinear_nobias: (a, b, w) => bilinear(a, b, w),
  bilinear_3d: (a, b, w, bias) => bilinear(a, b, w, bias),
});

describe('linear', () => {
  it('matches x.matmul(w.t()).add(b) and records one node', () => {
    const x = randn([5, 7]);
    const w = randn([3, 7], { requiresGrad: true });
    const b = randn([3], { requiresGrad: true });
    const y = linear(x, w, b);
    assertClose(y, x.matmul(w.t()).add(b), { atol: 1e-5 });
    expect(y.gradFn?.name).toBe('AddmmBackward0');
    expect(linear(x, w).gradFn?.name).toBe('MmBackward0');
    // Only the weight and bias require grad: x is saved, the weight is not needed.
    y.sum().backward();
    assertClose(b.grad!, [5, 5, 5]);
    assertClose(w.grad!, x.sum(0).unsqueeze(0).expand(3, 7), { atol: 1e-5 });
  });

  it('names the mismatched sizes in its errors', () => {
    expect(() => linear(randn([2, 784]), randn([10, 512]))).toThrow(ShapeError);
    expect(() => linear(randn([2, 784]), randn([10, 512]))).toThrow(/linear\(\): input.shape\[-1\] \(784\) must equal weight.shape\[1\] \(512\)/);
    expect(() => linear(randn([2, 3]), randn([4, 3]), randn([5]))).toThrow(/linear\(\): bias must have shape \[4\] \(weight.shape\[0\]\) \(got shape \[5\]\)/);
    expect(() => linear(randn([2, 3]), randn([3]))).toThrow(/weight must be 2-D/);
    expect(() => linear(tensor([[1, 2]], { dtype: 'int32' }), randn([2, 2]))).toThrow(DTypeError);
    expect(() => bilinear(randn([2, 3]), randn([4, 2]), randn([5, 3, 2]))).toThrow(/input1 and input2 must have the same shape except the last dimension/);
    expect(() => bilinear(randn([2, 3]), randn([2, 4]), randn([5, 3, 2]))).toThrow(/input2.shape\[-1\] \(4\) must equal weight.shape\[2\] \(2\)/);
  });

  it('handles zero features', () => {
    assertClose(linear(randn([2, 0]), zeros([3, 0]), tensor([1, 2, 3])), [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(linear(randn([2, 4]), zeros([0, 4])).shape).toEqual([2, 0]);
  });

  it('leaves no tensors behind', () => {
    const w = randn([4, 6], { requiresGrad: true });
    const b = randn([4], { requiresGrad: true });
    expectNoLeak(() =>
      scope(() => {
        linear(randn([3, 2, 6]), w, b).sum().backward();
        bilinear(randn([3, 6]), randn([3, 4]), randn([2, 6, 4])).sum();
        w.grad = null;
        b.grad = null;
      }),
    );
    const x = randn([3, 2, 6]);
    const before = memory().numTensors;
    const y = linear(x, w.detach(), b.detach());
    expect(memory().numTensors).toBe(before + 3); // y and the two detached copies
  });
});
