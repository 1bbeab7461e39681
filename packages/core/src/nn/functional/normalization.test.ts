import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, linspace, ones, randn, tensor, zeros, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { scope } from '../../memory/scope.js';
import { batchNorm, groupNorm, layerNorm } from './normalization.js';

/** F.batch_norm over (x, w, b, rm, rv) as the fixture calls it: [out, runningMean, runningVar]. */
function bn(training: true, opts: { momentum?: number; eps?: number; affine?: boolean; stats?: boolean } = {}) {
  return (x: Tensor, w: Tensor, b: Tensor, rm: Tensor, rv: Tensor): Tensor | Tensor[] => {
    const affine = opts.affine ?? true;
    const stats = opts.stats ?? true;
    const rm2 = rm.detach();
    const rv2 = rv.detach();
    const out = batchNorm(x, stats ? rm2 : null, stats ? rv2 : null, {
      weight: affine ? w : null,
      bias: affine ? b : null,
      training,
      ...(opts.momentum !== undefined ? { momentum: opts.momentum } : {}),
      ...(opts.eps !== undefined ? { eps: opts.eps } : {}),
    });
    return stats ? [out, rm2, rv2] : out;
  };
}

/** Evaluation mode over (x, w, b) with the fixture's fixed running statistics. */
function bnEval(affine: boolean) {
  return (x: Tensor, w: Tensor, b: Tensor): Tensor => {
    const c = x.shape[1]!;
    return batchNorm(x, linspace(-0.5, 0.5, c), linspace(0.5, 2, c), { weight: affine ? w : null, bias: affine ? b : null });
  };
}

runGolden('norm', {
  batch_norm_train_2d: bn(true),
  batch_norm_train_3d: bn(true),
  batch_norm_train_4d: bn(true),
  batch_norm_train_momentum: bn(true, { momentum: 0.3 }),
  batch_norm_train_eps: bn(true, { eps: 0.5 }),
  batch_norm_train_no_affine: bn(true, { affine: false }),
  batch_norm_train_no_stats: bn(true, { stats: false }),
  batch_norm_eval_2d: bnEval(true),
  batch_norm_eval_4d: bnEval(true),
  batch_norm_eval_no_affine: bnEval(false),
  layer_norm_last: (x, w, b) => layerNorm(x, [4], { weight: w, bias: b }),
  layer_norm_two_dims: (x, w, b) => layerNorm(x, [4, 5], { weight: w, bias: b }),
  layer_norm_no_affine: (x) => layerNorm(x, 5),
  layer_norm_weight_only: (x, w) => layerNorm(x, [3], { weight: w }),
  layer_norm_eps: (x, w, b) => layerNorm(x, [6], { weight: w, bias: b, eps: 0.1 }),
  layer_norm_whole: (x, w, b) => layerNorm(x, [2, 3], { weight: w, bias: b }),
  group_norm_4d: (x, w, b) => groupNorm(x, 3, { weight: w, bias: b }),
  group_norm_3d: (x, w, b) => groupNorm(x, 2, { weight: w, bias: b }),
  group_norm_2d: (x) => groupNorm(x, 2),
  group_norm_one_group: (x, w, b) => groupNorm(x, 1, { weight: w, bias: b }),
  group_norm_per_channel: (x, w, b) => groupNorm(x, 4, { weight: w, bias: b, eps: 1e-3 }),
});

describe('normalization functions', () => {
  it('record one node each', () => {
    const x = randn([4, 3], { requiresGrad: true });
    const w = ones([3], { requiresGrad: true });
    expect(batchNorm(x, null, null, { training: true, weight: w }).gradFn?.name).toBe('NativeBatchNormBackward0');
    expect(layerNorm(x, 3).gradFn?.name).toBe('NativeLayerNormBackward0');
    expect(groupNorm(x, 3).gradFn?.name).toBe('ViewBackward0');
  });

  it('update the running statistics only in training mode, in place', () => {
    const rm = zeros([2]);
    const rv = ones([2]);
    const x = tensor([[1, 10], [3, 20]]);
    batchNorm(x, rm, rv, { training: true, momentum: 0.5 });
    assertClose(rm, [1, 7.5]); // 0.5 * 0 + 0.5 * mean
    assertClose(rv, [0.5 + 0.5 * 2, 0.5 + 0.5 * 50]); // unbiased variances 2 and 50
    batchNorm(x, rm, rv);
    assertClose(rm, [1, 7.5]);
  });

  it('free what they make', () => {
    const x = randn([4, 3, 2]);
    const rm = zeros([3]);
    const rv = ones([3]);
    const w = ones([3], { requiresGrad: true });
    expectNoLeak(() => {
      scope(() => {
        batchNorm(x, rm, rv, { training: true, weight: w }).sum().backward();
        groupNorm(x, 3, { weight: w }).sum().backward();
        layerNorm(x, [3, 2]);
        batchNorm(x, rm, rv);
      });
      w.grad = null;
    });
  });

  it('refuse bad arguments with clear messages', () => {
    const x = randn([4, 3]);
    expect(() => batchNorm(x, null, null)).toThrow(ArgumentError);
    expect(() => batchNorm(x, null, null)).toThrow(/batchNorm\(\): runningMean and runningVar are required in evaluation mode/);
    expect(() => batchNorm(x, zeros([4]), ones([3]), { training: true })).toThrow(/batchNorm\(\): runningMean should contain 3 elements.*not 4/);
    expect(() => batchNorm(randn([1, 3]), null, null, { training: true })).toThrow(/expected more than 1 value per channel when training \(got input of shape \[1, 3\]\)/);
    expect(() => batchNorm(randn([3]), null, null, { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(tensor([[1, 2]], { dtype: 'int32' }), null, null, { training: true })).toThrow(DTypeError);
    expect(() => layerNorm(randn([2, 3]), [4])).toThrow(/layerNorm\(\): given normalizedShape \[4\], expected input of shape \[\*, 4\] \(got shape \[2, 3\]\)/);
    expect(() => layerNorm(randn([2, 3]), [3], { weight: ones([4]) })).toThrow(/weight must have the shape of normalizedShape \[3\] \(got shape \[4\]\)/);
    expect(() => groupNorm(randn([2, 6]), 4)).toThrow(/groupNorm\(\): the number of channels .* must be divisible by numGroups \(got 6 channels and numGroups 4\)/);
    expect(() => groupNorm(randn([2, 6]), 3, { bias: zeros([3]) })).toThrow(/bias should contain 6 elements/);
  });
});
