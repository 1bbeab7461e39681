import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, cat, ones, randn, scope, tensor, zeros, type NestedArray, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden, type GoldenEntry } from '../../../test/golden.js';
import { logSoftmax } from './activation.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  cosineEmbeddingLoss,
  crossEntropy,
  ctcLoss,
  gaussianNllLoss,
  huberLoss,
  klDiv,
  l1Loss,
  marginRankingLoss,
  mseLoss,
  multilabelMarginLoss,
  multilabelSoftMarginLoss,
  nllLoss,
  poissonNllLoss,
  smoothL1Loss,
  softMarginLoss,
  tripletMarginLoss,
  type Reduction,
} from './loss.js';

const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];
const table: Record<string, GoldenEntry['fn'] | GoldenEntry> = {};
for (const r of REDUCTIONS) {
  table[`l1_${r}`] = (x, t) => l1Loss(x!, t!, { reduction: r });
  table[`mse_${r}`] = (x, t) => mseLoss(x!, t!, { reduction: r });
  table[`cross_entropy_${r}`] = (x, t) => crossEntropy(x!, t!, { reduction: r });
  table[`nll_${r}`] = (x, t) => nllLoss(x!, t!, { reduction: r });
  table[`ctc_${r}`] = (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { reduction: r });
}
for (const r of ['mean', 'batchmean', 'sum', 'none'] as const) table[`kl_div_${r}`] = (x, t) => klDiv(x!, t!, { reduction: r });

runGolden('loss', {
  ...table,
  smooth_l1_mean: (x, t) => smoothL1Loss(x!, t!),
  smooth_l1_beta_none: (x, t) => smoothL1Loss(x!, t!, { reduction: 'none', beta: 0.5 }),
  smooth_l1_beta0_sum: (x, t) => smoothL1Loss(x!, t!, { reduction: 'sum', beta: 0 }),
  huber_mean: (x, t) => huberLoss(x!, t!),
  huber_delta_sum: (x, t) => huberLoss(x!, t!, { reduction: 'sum', delta: 2 }),
  huber_delta_none: (x, t) => huberLoss(x!, t!, { reduction: 'none', delta: 0.3 }),
  bce_mean: (x, t) => binaryCrossEntropy(x!, t!),
  bce_weight_none: (x, t, w) => binaryCrossEntropy(x!, t!, { weight: w!, reduction: 'none' }),
  bce_sum: (x, t) => binaryCrossEntropy(x!, t!, { reduction: 'sum' }),
  bce_logits_mean: (x, t) => binaryCrossEntropyWithLogits(x!, t!),
  bce_logits_zero_logits: (x, t) => binaryCrossEntropyWithLogits(x!, t!, { reduction: 'sum' }),
  bce_logits_pos_weight: (x, t, p) => binaryCrossEntropyWithLogits(x!, t!, { posWeight: p! }),
  bce_logits_weight_pos_weight_none: (x, t, w, p) => binaryCrossEntropyWithLogits(x!, t!, { weight: w!, posWeight: p!, reduction: 'none' }),
  bce_logits_large: (x, t) => binaryCrossEntropyWithLogits(x!, t!, { reduction: 'none' }),
  cross_entropy_weight: (x, t, w) => crossEntropy(x!, t!, { weight: w! }),
  cross_entropy_weight_sum: (x, t, w) => crossEntropy(x!, t!, { weight: w!, reduction: 'sum' }),
  cross_entropy_ignore_default: (x, t) => crossEntropy(x!, t!),
  cross_entropy_ignore_none: (x, t) => crossEntropy(x!, t!, { reduction: 'none' }),
  cross_entropy_ignore_index: (x, t, w) => crossEntropy(x!, t!, { weight: w!, ignoreIndex: 1 }),
  cross_entropy_smoothing: (x, t) => crossEntropy(x!, t!, { labelSmoothing: 0.2 }),
  cross_entropy_smoothing_weight_ignore: (x, t, w) => crossEntropy(x!, t!, { weight: w!, labelSmoothing: 0.1 }),
  cross_entropy_smoothing_none: (x, t, w) => crossEntropy(x!, t!, { weight: w!, labelSmoothing: 0.3, reduction: 'none' }),
  cross_entropy_smoothing_sum: (x, t) => crossEntropy(x!, t!, { labelSmoothing: 0.3, ignoreIndex: 3, reduction: 'sum' }),
  cross_entropy_kdim: (x, t) => crossEntropy(x!, t!),
  cross_entropy_kdim_weight_none: (x, t, w) => crossEntropy(x!, t!, { weight: w!, reduction: 'none' }),
  cross_entropy_unbatched: (x, t) => crossEntropy(x!, t!),
  cross_entropy_unbatched_none: (x, t) => crossEntropy(x!, t!, { reduction: 'none' }),
  cross_entropy_all_ignored: (x, t) => crossEntropy(x!, t!),
  cross_entropy_probs: (x, t) => crossEntropy(x!, t!),
  cross_entropy_probs_weight_smoothing: (x, t, w) => crossEntropy(x!, t!, { weight: w!, labelSmoothing: 0.2 }),
  cross_entropy_probs_none: (x, t) => crossEntropy(x!, t!, { reduction: 'none' }),
  cross_entropy_probs_sum: (x, t) => crossEntropy(x!, t!, { reduction: 'sum' }),
  nll_weight_ignore: (x, t, w) => nllLoss(x!, t!, { weight: w!, ignoreIndex: 3 }),
  nll_ignore_default: (x, t) => nllLoss(x!, t!),
  nll_kdim: (x, t) => nllLoss(x!, t!, { reduction: 'sum' }),
  nll_unbatched: (x, t) => nllLoss(x!, t!),
  kl_div_log_target: (x, t) => klDiv(x!, t!, { reduction: 'batchmean', logTarget: true }),
  kl_div_zero_target: (x, t) => klDiv(x!, t!, { reduction: 'sum' }),
  margin_ranking_mean: (a, b, y) => marginRankingLoss(a!, b!, y!),
  margin_ranking_margin_none: (a, b, y) => marginRankingLoss(a!, b!, y!, { margin: 0.5, reduction: 'none' }),
  multilabel_margin_mean: (x, t) => multilabelMarginLoss(x!, t!),
  multilabel_margin_none: (x, t) => multilabelMarginLoss(x!, t!, { reduction: 'none' }),
  multilabel_margin_1d: (x, t) => multilabelMarginLoss(x!, t!, { reduction: 'none' }),
  multilabel_margin_repeated: (x, t) => multilabelMarginLoss(x!, t!, { reduction: 'sum' }),
  soft_margin_mean: (x, y) => softMarginLoss(x!, y!),
  soft_margin_none: (x, y) => softMarginLoss(x!, y!, { reduction: 'none' }),
  multilabel_soft_margin_mean: (x, y) => multilabelSoftMarginLoss(x!, y!),
  multilabel_soft_margin_weight_none: (x, y, w) => multilabelSoftMarginLoss(x!, y!, { weight: w, reduction: 'none' }),
  cosine_embedding_mean: (a, b, y) => cosineEmbeddingLoss(a!, b!, y!),
  cosine_embedding_margin_none: (a, b, y) => cosineEmbeddingLoss(a!, b!, y!, { margin: -0.2, reduction: 'none' }),
  cosine_embedding_1d: (a, b, y) => cosineEmbeddingLoss(a!, b!, y!),
  triplet_margin_mean: (a, p, n) => tripletMarginLoss(a!, p!, n!),
  triplet_margin_p1_swap_none: (a, p, n) => tripletMarginLoss(a!, p!, n!, { margin: 4, p: 1, swap: true, reduction: 'none' }),
  triplet_margin_sum: (a, p, n) => tripletMarginLoss(a!, p!, n!, { margin: 0.5, eps: 1e-3, reduction: 'sum' }),
  poisson_nll_mean: (x, t) => poissonNllLoss(x!, t!),
  poisson_nll_no_log_none: (x, t) => poissonNllLoss(x!, t!, { logInput: false, reduction: 'none' }),
  poisson_nll_full_sum: (x, t) => poissonNllLoss(x!, t!, { full: true, reduction: 'sum' }),
  gaussian_nll_mean: (x, t, v) => gaussianNllLoss(x!, t!, v!),
  gaussian_nll_homoscedastic: (x, t, v) => gaussianNllLoss(x!, t!, v!, { reduction: 'none' }),
  gaussian_nll_var_last1_full: (x, t, v) => gaussianNllLoss(x!, t!, v!, { full: true, reduction: 'sum' }),
  // Where var is clamped, its gradient passes as if it were not (as in PyTorch), which finite
  // differences cannot see.
  gaussian_nll_clamped: { fn: (x, t, v) => gaussianNllLoss(x!, t!, v!, { eps: 0.1 }), gradcheck: false },
  ctc_concatenated: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { reduction: 'sum' }),
  ctc_blank_last: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { blank: 3 }),
  // PyTorch's gradient for log-probabilities is the logits' gradient (exact through logSoftmax).
  ctc_log_probs_input: { fn: (x, t, il, tl) => ctcLoss(x!, t!, il!, tl!, { reduction: 'none' }), gradcheck: false },
  ctc_zero_infinity: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { reduction: 'none', zeroInfinity: true }),
  ctc_infinite: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { reduction: 'none' }),
  ctc_unbatched: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!),
  ctc_empty_target: (x, t, il, tl) => ctcLoss(logSoftmax(x!, -1), t!, il!, tl!, { reduction: 'none' }),
});

const ints = (v: NestedArray): Tensor => tensor(v, { dtype: 'int32' });

describe('loss functions', () => {
  it('validate reduction, naming the loss', () => {
    const x = randn([2, 3]);
    expect(() => mseLoss(x, x, { reduction: 'avg' as never })).toThrow(ArgumentError);
    expect(() => mseLoss(x, x, { reduction: 'avg' as never })).toThrow(`mseLoss(): reduction must be 'mean', 'sum' or 'none' (got "avg")`);
    expect(() => klDiv(x, x, { reduction: 'batch' as never })).toThrow(`klDiv(): reduction must be 'mean', 'sum', 'none' or 'batchmean' (got "batch")`);
    expect(() => crossEntropy(x, ints([0, 1]), { reduction: 'elementwise_mean' as never })).toThrow(/crossEntropy\(\): reduction must be/);
    expect(() => ctcLoss(randn([3, 1, 2]), ints([[1]]), [3], [1], { reduction: 'x' as never })).toThrow(/ctcLoss\(\): reduction/);
  });

  it('name the target dtype and shape they expected and got', () => {
    const x = randn([4, 3]);
    expect(() => crossEntropy(x, tensor([0, 1, 2, 1]))).toThrow(DTypeError);
    expect(() => crossEntropy(x, tensor([0, 1, 2, 1]))).toThrow(
      'crossEntropy(): target must be int32 class indices of shape [4] or float32 probabilities of shape [4, 3] (got float32 [4]); convert class indices with .int()',
    );
    expect(() => crossEntropy(x, ints([0, 1]))).toThrow(ShapeError);
    expect(() => crossEntropy(x, ints([0, 1]))).toThrow(/of shape \[4\] or float32 probabilities of shape \[4, 3\] \(got int32 \[2\]\)/);
    expect(() => crossEntropy(x, zeros([4, 2]))).toThrow(/got float32 \[4, 2\]/);
    expect(() => crossEntropy(x, tensor([true, false, true, true]))).toThrow(DTypeError);
    expect(() => nllLoss(x, zeros([4, 3]))).toThrow('nllLoss(): target must be int32 class indices of shape [4] for input of shape [4, 3] (got float32 [4, 3])');
    expect(() => mseLoss(x, ints([[1, 2, 3]]))).toThrow('mseLoss(): target must be float32 (got int32 [1, 3]); call .float() first');
    expect(() => binaryCrossEntropy(x.sigmoid(), zeros([4]))).toThrow("binaryCrossEntropy(): target must have the input's shape [4, 3] (got shape [4])");
    expect(() => binaryCrossEntropyWithLogits(x, zeros([3, 4]))).toThrow(/binaryCrossEntropyWithLogits\(\): target must have the input's shape \[4, 3\]/);
    expect(() => multilabelMarginLoss(x, zeros([4, 3]))).toThrow(DTypeError);
    expect(() => ctcLoss(randn([3, 1, 2]), tensor([[1]]), [3], [1])).toThrow(/ctcLoss\(\): targets must be an int32 tensor \(got float32 \[1, 1\]\)/);
  });

  it('name a class index out of range unless it is ignoreIndex', () => {
    const x = randn([3, 4]);
    expect(() => crossEntropy(x, ints([0, 4, 1]))).toThrow('crossEntropy(): target holds class index 4, outside [0, 3] for 4 classes (only ignoreIndex -100 may lie outside)');
    expect(() => crossEntropy(x, ints([0, -1, 1]))).toThrow(/class index -1/);
    expect(() => nllLoss(x, ints([0, 7, 1]), { ignoreIndex: 7 })).not.toThrow();
    expect(() => nllLoss(x, ints([0, 9, 1]), { ignoreIndex: 7 })).toThrow(/nllLoss\(\): target holds class index 9/);
    expect(() => multilabelMarginLoss(x, ints([[0, 5, -1, 0], [-1, 0, 0, 0], [1, -1, 0, 0]]))).toThrow(/class index 5/);
    expect(() => ctcLoss(randn([3, 1, 2]), ints([[2]]), [3], [1])).toThrow(/targets hold class 2, outside \[0, 1\]/);
    expect(() => ctcLoss(randn([3, 1, 2]), ints([[1]]), [4], [1])).toThrow(/inputLengths holds 4, more than the input length T \(3\)/);
  });

  it('check their other arguments', () => {
    const x = randn([4, 3]);
    expect(() => binaryCrossEntropy(x, zeros([4, 3]))).toThrow(/every element of input must be a probability in \[0, 1\]/);
    expect(() => crossEntropy(x, ints([0, 1, 2, 1]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be between 0 and 1 \(got 1.5\)/);
    expect(() => crossEntropy(x, ints([0, 1, 2, 1]), { weight: ones([4]) })).toThrow(/weight must be a float32 tensor of shape \[3\], one weight per class/);
    expect(() => smoothL1Loss(x, x, { beta: -1 })).toThrow(/beta must be a finite number >= 0/);
    expect(() => huberLoss(x, x, { delta: 0 })).toThrow(/delta must be positive/);
    expect(() => gaussianNllLoss(x, x, ones([3]))).toThrow(/var must have the input's shape \[4, 3\]/);
    expect(() => gaussianNllLoss(x, x, tensor([1, -1, 1, 1]))).toThrow(/var has negative entries/);
    expect(() => marginRankingLoss(randn([3]), randn([3]), ones([3, 1]))).toThrow(/same number of dimensions/);
    expect(() => cosineEmbeddingLoss(randn([3]), randn([3]), ones([3]))).toThrow(/a 1-D target needs 2-D inputs/);
    expect(() => tripletMarginLoss(randn([2, 3]), randn([2, 3]), randn([3]))).toThrow(/got 2-D, 2-D and 1-D inputs/);
  });

  it('warn once when a regression target only broadcasts', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const before = warnings.length;
      mseLoss(randn([5, 1]), randn([5]));
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          expect(warnings.length - before).toBe(1);
          expect(warnings.at(-1)).toMatch(/mseLoss\(\): target shape \[5\] differs from input shape \[5, 1\]/);
          resolve();
        }),
      ).finally(() => process.off('warning', onWarning));
    } catch (e) {
      process.off('warning', onWarning);
      throw e;
    }
  });

  it('crossEntropy and nllLoss take the same values on small inputs (host passes) as on large ones (kernels)', () => {
    const x = randn([2000, 10]).mul(3); // 20,000 values: kernels
    const y = tensor(Array.from({ length: 2000 }, (_, i) => (i * 7) % 10)).int();
    const w = tensor([1, 2, 0.5, 1, 1, 3, 1, 0, 1, 1]);
    for (const options of [{}, { reduction: 'sum' as const }, { weight: w, ignoreIndex: 3 }, { labelSmoothing: 0.2 }]) {
      const all = crossEntropy(x, y, { ...options, reduction: 'none' });
      const parts = [0, 1000].map((at) => crossEntropy(x.narrow(0, at, 1000), y.narrow(0, at, 1000), { ...options, reduction: 'none' }));
      assertClose(all, cat(parts, 0), { atol: 1e-5, rtol: 1e-5 });
      const sums = [0, 1000].map((at) => crossEntropy(x.narrow(0, at, 1000), y.narrow(0, at, 1000), { ...options, reduction: 'sum' }).item());
      expect(crossEntropy(x, y, { ...options, reduction: 'sum' }).item()).toBeCloseTo(sums[0]! + sums[1]!, 1);
    }
  });

  it('crossEntropy is logSoftmax and one node, ignores -Infinity logits of other classes, and frees what it makes', () => {
    const x = randn([3, 4], { requiresGrad: true });
    const y = ints([1, 0, 3]);
    const loss = crossEntropy(x, y);
    expect(loss.gradFn?.name).toBe('NllLossBackward0');
    expect(loss.gradFn?.nextFunctions[0]).toHaveProperty('name', 'LogSoftmaxBackward0');
    const masked = tensor([[0, -Infinity, 1], [2, 0, -Infinity]]);
    assertClose(crossEntropy(masked, ints([0, 1])), nllLoss(logSoftmax(masked, 1), ints([0, 1])));
    expect(Number.isFinite(crossEntropy(masked, ints([0, 1])).item())).toBe(true);
    expectNoLeak(() =>
      scope(() => {
        crossEntropy(x, y, { labelSmoothing: 0.1 }).backward();
        x.grad = null;
      }),
    );
  });

  it('binaryCrossEntropy keeps finite gradients where sigmoid saturates', () => {
    const p = tensor([1, 0, 0.5], { requiresGrad: true });
    const loss = binaryCrossEntropy(p, tensor([1, 1, 0]), { reduction: 'sum' });
    assertClose(loss, 100 + Math.log(2), { rtol: 1e-5 });
    loss.backward();
    const g = p.grad!.tolist() as number[];
    expect(g.every((v) => Number.isFinite(v))).toBe(true);
    expect(g[0]).toBe(0);
  });
});
