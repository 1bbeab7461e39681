// Regression metrics, Loss and Average on small cases worked out by hand, and their input checks.
import { describe, expect, it } from 'vitest';
import { Tensor, memory, nn, tensor } from '@flint/core';
import {
  Average,
  GeometricAverage,
  Loss,
  MeanAbsoluteError,
  MeanPairwiseDistance,
  MeanSquaredError,
  NotComputableError,
  R2Score,
  RootMeanSquaredError,
  RunningAverage,
} from './index.js';

describe('MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError', () => {
  it('divide the sum over elements by the number of examples', () => {
    const mae = new MeanAbsoluteError();
    const mse = new MeanSquaredError();
    const rmse = new RootMeanSquaredError();
    // (N=2, D=2): errors [[1, -2], [0, 3]] then (N=1): [[1, 1]]
    const batches: [Tensor, Tensor][] = [
      [tensor([[1, 0], [2, 5]]), tensor([[0, 2], [2, 2]])],
      [tensor([[1, 1]]), tensor([[0, 0]])],
    ];
    for (const b of batches) for (const m of [mae, mse, rmse]) m.update(b);
    expect(mae.compute()).toBeCloseTo(8 / 3, 12);
    expect(mse.compute()).toBeCloseTo(16 / 3, 12);
    expect(rmse.compute()).toBeCloseTo(Math.sqrt(16 / 3), 12);
  });

  it('view y as yPred; refuse other sizes; NotComputableError when empty', () => {
    const mae = new MeanAbsoluteError();
    mae.update([tensor([[1], [2]]), tensor([0, 0])]);
    expect(mae.compute()).toBe(1.5);
    expect(() => mae.update([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(/MeanAbsoluteError\.update\(\): yPred and y must have the same number of elements/);
    expect(() => new MeanSquaredError().compute()).toThrow(NotComputableError);
    expect(() => new RootMeanSquaredError().compute()).toThrow(/RootMeanSquaredError must have at least one example/);
    expect(() => new MeanAbsoluteError().update([tensor([1])] as never)).toThrow(/output must be \[yPred, y\]/);
  });
});

describe('MeanPairwiseDistance', () => {
  it('the p-norm of the difference (plus eps) along the last dim, averaged over examples', () => {
    const mpd = new MeanPairwiseDistance({ eps: 0 });
    mpd.update([tensor([[0, 0], [1, 1]]), tensor([[3, 4], [1, 1]])]);
    expect(mpd.compute()).toBeCloseTo(2.5, 12);
    const l1 = new MeanPairwiseDistance({ p: 1, eps: 0 });
    l1.update([tensor([[0, 0], [1, 1]]), tensor([[3, 4], [1, 1]])]);
    expect(l1.compute()).toBeCloseTo(3.5, 12);
    const inf = new MeanPairwiseDistance({ p: Infinity, eps: 0 });
    inf.update([tensor([[0, 0]]), tensor([[3, -4]])]);
    expect(inf.compute()).toBe(4);
    expect(() => new MeanPairwiseDistance({ p: 0 })).toThrow(/p must be a positive number/);
    expect(() => mpd.update([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow(/must have the same shape/);
  });
});

describe('Loss', () => {
  it('weights each batch mean by its batch size and runs without autograd or leaks', () => {
    const w = tensor([[1, -1], [0.5, 2]], { requiresGrad: true });
    const loss = new Loss((yPred, y) => nn.functional.crossEntropy(yPred.matmul(w), y));
    const x1 = tensor([[1, 0], [0, 1], [1, 1]]);
    const y1 = tensor([0, 1, 1], { dtype: 'int32' });
    const x2 = tensor([[2, 1]]);
    const y2 = tensor([0], { dtype: 'int32' });
    const before = memory().numTensors;
    loss.update([x1, y1]);
    loss.update([x2, y2]);
    expect(memory().numTensors).toBe(before);
    const all = nn.functional.crossEntropy(tensor([[1, 0], [0, 1], [1, 1], [2, 1]]).matmul(w), tensor([0, 1, 1, 0], { dtype: 'int32' }), { reduction: 'sum' });
    expect(loss.compute()).toBeCloseTo(all.item() / 4, 5);
    expect(w.grad).toBeNull();
  });

  it('takes a batchSize function and plain-number losses; refuses a loss per example', () => {
    const loss = new Loss(() => 2, { batchSize: () => 10 });
    loss.update([tensor([1]), tensor([1])]);
    loss.update([tensor([1]), tensor([1])]);
    expect(loss.compute()).toBe(2);
    const perExample = new Loss((p, y) => p.sub(y));
    expect(() => perExample.update([tensor([1, 2]), tensor([0, 0])])).toThrow(
      /Loss\.update\(\): lossFn must return the batch's mean loss as a 0-d Tensor or a number; received Tensor\(shape=\[2\]/,
    );
    expect(() => new Loss('mse' as never)).toThrow(/Loss\(\): lossFn must be a function/);
    expect(() => new Loss(() => 1).compute()).toThrow(/Loss must have at least one example/);
  });
});

describe('Average and RunningAverage', () => {
  it('Average: numbers and 0-d tensors are one example each, (N, ...) tensors N examples', () => {
    const avg = new Average();
    avg.update(1);
    avg.update(tensor(3));
    expect(avg.compute()).toBe(2);
    const rows = new Average();
    rows.update(tensor([[1, 2], [3, 4]]));
    rows.update(tensor([[5, 6]]));
    const v = rows.compute() as Tensor;
    expect(v.tolist()).toEqual([3, 4]);
    v.dispose();
    expect(() => rows.update(tensor([[1, 2, 3]]))).toThrow(/every update must have the same shape per example; had \[2\], received \[3\]/);
    expect(() => new Average().update('x' as never)).toThrow(/Average\.update\(\): output must be a number or a Tensor; received the string 'x'/);
    expect(() => new Average().compute()).toThrow(NotComputableError);
  });

  it('RunningAverage of vectors, and without any value', () => {
    const ra = new RunningAverage({ outputTransform: (x: Tensor) => x, alpha: 0.5 });
    expect(() => ra.compute()).toThrow(/RunningAverage must have at least one value/);
    ra.update(tensor([2, 4]));
    ra.update(tensor([4, 0]));
    const v = ra.compute() as Tensor;
    expect(v.tolist()).toEqual([3, 2]);
    v.dispose();
    expect(() => ra.update(3)).toThrow(/every value must have the same shape; had shape \[2\], received a number/);
  });
});

describe('R2Score', () => {
  it('is 1 - SS_res / SS_tot over all batches (the scikit-learn example, split in two batches)', () => {
    const r2 = new R2Score();
    r2.update([tensor([2.5, 0]), tensor([3, -0.5])]);
    r2.update([tensor([[2], [8]]), tensor([[2], [7]])]);
    // SS_res = 0.25 + 0.25 + 0 + 1 = 1.5; mean y = 2.875, SS_tot = 29.1875
    expect(r2.compute()).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(() => r2.update([tensor([[1, 2]]), tensor([[1, 2]])])).toThrow(/R2Score\.update\(\): yPred and y must hold one value per example/);
    expect(() => new R2Score().compute()).toThrow(NotComputableError);
  });
});

describe('GeometricAverage', () => {
  it('is exp(mean(log x)) over numbers and over the examples of tensors', () => {
    const g = new GeometricAverage();
    for (const v of [1, 2, 4]) g.update(v);
    expect(g.compute()).toBeCloseTo(2, 12);
    const before = memory().numTensors;
    const t = new GeometricAverage();
    t.update(tensor([[1, 4], [4, 1]]));
    t.update(tensor([[2, 8]]));
    // Per column: (1 * 4 * 2)^(1/3) = 2 and (4 * 1 * 8)^(1/3) = 32^(1/3).
    const value = t.compute() as Tensor;
    expect(value.shape).toEqual([2]);
    const [a, b] = value.tolist() as number[];
    expect(a).toBeCloseTo(2, 5);
    expect(b).toBeCloseTo(Math.cbrt(32), 5);
    value.dispose();
    expect(memory().numTensors).toBe(before + 2); // the two input tensors above, nothing else
    expect(() => g.update(0)).toThrow(/GeometricAverage\.update\(\): values must be positive; received 0/);
    expect(() => g.update(tensor([1, -1]))).toThrow(/smallest value is -1/);
    expect(() => new GeometricAverage().compute()).toThrow(NotComputableError);
  });
});
