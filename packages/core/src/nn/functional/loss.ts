/**
 * Loss functions of `nn.functional`, with PyTorch 1.13's values and gradients. This file holds
 * the regression and likelihood losses (l1, mse, smooth L1, Huber, binary cross entropy, KL
 * divergence, Poisson and Gaussian NLL) and re-exports the classification losses
 * (`loss-nll.ts`: crossEntropy, nllLoss), the margin and embedding losses (`loss-margin.ts`) and
 * CTC (`loss-ctc.ts`). Every loss takes `reduction: 'mean' | 'sum' | 'none'`.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, ShapeError } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { scope } from '../../memory/scope.js';
import { clamp, div, mul, sub, where } from '../../ops/arith.js';
import { broadcastShapes, sameShape } from '../../ops/util.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  checkBool,
  checkBroadcastTarget,
  checkFloat,
  checkNumber,
  checkReduction,
  checkSameShape,
  checkWeight,
  fmt,
  logSigmoid,
  reduce,
  type ReductionOptions,
} from './loss-util.js';

export type { Reduction, ReductionOptions } from './loss-util.js';
export { crossEntropy, nllLoss } from './loss-nll.js';
export type { CrossEntropyOptions, NllLossOptions } from './loss-nll.js';
export {
  marginRankingLoss,
  multilabelMarginLoss,
  softMarginLoss,
  multilabelSoftMarginLoss,
  cosineEmbeddingLoss,
  tripletMarginLoss,
} from './loss-margin.js';
export type { MarginOptions, MultilabelSoftMarginOptions, TripletMarginOptions } from './loss-margin.js';
export { ctcLoss } from './loss-ctc.js';
export type { CtcLossOptions, Lengths } from './loss-ctc.js';

/** Checks a float input/target pair that broadcasts (PyTorch warns when their shapes differ). */
function pair(fn: string, input: Tensor, target: Tensor): void {
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  checkBroadcastTarget(fn, input, target);
}

/**
 * Mean absolute error `|input - target|` (`F.l1_loss`).
 *
 * @example
 * ```ts
 * l1Loss(tensor([1, 2]), tensor([0, 4])).item(); // 1.5
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const r = checkReduction('l1Loss', options.reduction);
  pair('l1Loss', input, target);
  return scope(() => reduce(input.sub(target).abs(), r));
}

/**
 * Mean squared error `(input - target)^2` (`F.mse_loss`).
 *
 * @example
 * ```ts
 * mseLoss(tensor([1, 2]), tensor([0, 4])).item(); // 2.5
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const r = checkReduction('mseLoss', options.reduction);
  pair('mseLoss', input, target);
  return scope(() => {
    const d = input.sub(target);
    return reduce(d.mul(d), r);
  });
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * `0.5 d^2 / beta` where `|d| < beta`, else `|d| - 0.5 beta`, for `d = input - target`
 * (`F.smooth_l1_loss`).
 *
 * @example
 * ```ts
 * smoothL1Loss(tensor([0.5, 3]), tensor([0, 0])).item(); // 1.3125 (mean of 0.125 and 2.5)
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const fn = 'smoothL1Loss';
  const r = checkReduction(fn, options.reduction);
  const beta = checkNumber(fn, 'beta', options.beta ?? 1, 0);
  pair(fn, input, target);
  if (beta === 0) return scope(() => reduce(input.sub(target).abs(), r));
  return scope(() => {
    const d = input.sub(target);
    const z = d.abs();
    return reduce(where(z.lt(beta), d.mul(d).mul(0.5 / beta), z.sub(0.5 * beta)), r);
  });
}

/** Options of {@link huberLoss}. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be positive). */
  delta?: number;
}

/**
 * `0.5 d^2` where `|d| < delta`, else `delta (|d| - 0.5 delta)`, for `d = input - target`
 * (`F.huber_loss`).
 *
 * @example
 * ```ts
 * huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }).tolist(); // [0.125, 2.5]
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const fn = 'huberLoss';
  const r = checkReduction(fn, options.reduction);
  const delta = checkNumber(fn, 'delta', options.delta ?? 1);
  if (delta <= 0) throw new ArgumentError(`${fn}(): delta must be positive (got ${delta})`);
  pair(fn, input, target);
  return scope(() => {
    const d = input.sub(target);
    const z = d.abs();
    return reduce(where(z.lt(delta), d.mul(d).mul(0.5), z.sub(0.5 * delta).mul(delta)), r);
  });
}

/** Options of the binary cross entropies. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Weights that broadcast to the input's shape (default none). */
  weight?: Tensor | null;
}

/**
 * The elementwise `-(t log x + (1 - t) log(1 - x))` with each log clamped at -100, and PyTorch's
 * gradients: `(x - t) / max(x (1 - x), 1e-12)` for x (finite where x is exactly 0 or 1) and
 * `log(1 - x) - log(x)` for t.
 */
function bceElementwise(x: Tensor, t: Tensor): Tensor {
  const hx = x._handle;
  const ht = t._handle;
  return apply({
    name: 'binary_cross_entropy',
    nodeName: 'BinaryCrossEntropyBackward0',
    inputs: [x, t],
    forward: () => {
      const lo = tf.scalar(-100);
      const logX = tf.maximum(tf.log(hx), lo);
      const log1mX = tf.maximum(tf.log(tf.sub(1, hx)), lo);
      return tf.neg(tf.add(tf.mul(ht, logX), tf.mul(tf.sub(1, ht), log1mX)));
    },
    save: [x, t],
    backward: (g, [x, t], needs) => [
      needs[0] ? div(mul(g, sub(x!, t!)), clamp(mul(sub(1, x!), x!), 1e-12)) : null,
      needs[1] ? mul(g, sub(sub(1, x!).log(), x!.log())) : null,
    ],
  });
}

/**
 * Binary cross entropy between probabilities `input` and targets of the same shape
 * (`F.binary_cross_entropy`); each log is clamped at -100 as in PyTorch. Prefer
 * {@link binaryCrossEntropyWithLogits} on logits: it is stable where sigmoid saturates.
 *
 * @example
 * ```ts
 * binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // 0.1643
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const fn = 'binaryCrossEntropy';
  const r = checkReduction(fn, options.reduction);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  checkSameShape(fn, input, target);
  const weight = checkWeight(fn, 'weight', options.weight, input.shape);
  if (input.numel() > 0) {
    const h = input._handle;
    const flag = tf.tidy(() => tf.any(tf.logicalNot(tf.logicalAnd(tf.greaterEqual(h, 0), tf.lessEqual(h, 1)))));
    const outside = flag.dataSync()[0] !== 0;
    flag.dispose();
    if (outside) {
      throw new ArgumentError(`${fn}(): every element of input must be a probability in [0, 1]; apply sigmoid() first, or use binaryCrossEntropyWithLogits() on the logits`);
    }
  }
  return scope(() => {
    const l = bceElementwise(input, target);
    return reduce(weight ? l.mul(weight) : l, r);
  });
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive examples, broadcast along the last (class) dimension (default none). */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy on logits (`F.binary_cross_entropy_with_logits`), in the stable form
 * `(1 - t) x - w_p log(sigmoid(x))` with `w_p = 1 + (posWeight - 1) t`: no overflow for large
 * logits, and exact gradients everywhere (`sigmoid(x) w_p - posWeight t` for x).
 *
 * @example
 * ```ts
 * binaryCrossEntropyWithLogits(tensor([2, -1]), tensor([1, 0])).item(); // 0.2201
 * binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([3]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BinaryCrossEntropyWithLogitsOptions = {}): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  const r = checkReduction(fn, options.reduction);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  checkSameShape(fn, input, target);
  const weight = checkWeight(fn, 'weight', options.weight, input.shape);
  const posWeight = checkWeight(fn, 'posWeight', options.posWeight, input.shape);
  return scope(() => {
    const ls = logSigmoid(input);
    const logWeighted = posWeight ? ls.mul(posWeight.sub(1).mul(target).add(1)) : ls;
    const l = sub(1, target).mul(input).sub(logWeighted);
    return reduce(weight ? l.mul(weight) : l, r);
  });
}

/** Options of {@link klDiv}. */
export interface KlDivOptions {
  /**
   * `'mean'` (default: over every element, as PyTorch 1.13 does), `'batchmean'` (the sum over the
   * batch size: the true KL divergence), `'sum'` or `'none'`.
   */
  reduction?: 'mean' | 'batchmean' | 'sum' | 'none';
  /** Whether `target` holds log-probabilities too (default false). */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence `target (log target - input)` between log-probabilities `input` and
 * probabilities `target` (`F.kl_div`); elements where `target` is 0 contribute 0.
 *
 * @example
 * ```ts
 * const logQ = logSoftmax(logits, 1);
 * klDiv(logQ, p, { reduction: 'batchmean' });
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const fn = 'klDiv';
  const r = checkReduction(fn, options.reduction, ['batchmean'] as const);
  const logTarget = checkBool(fn, 'logTarget', options.logTarget ?? false);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  broadcastShapes(fn, input.shape, target.shape);
  return scope(() => {
    let l: Tensor;
    if (logTarget) l = target.exp().mul(target.sub(input));
    else {
      const zero = target.eq(0);
      const tLogT = where(zero, 0, target.mul(where(zero, 1, target).log())); // xlogy(t, t)
      l = tLogT.sub(target.mul(input));
    }
    if (r === 'batchmean') return input.ndim === 0 ? l.sum() : l.sum().div(input.shape[0]!);
    return reduce(l, r);
  });
}

/** Options of {@link poissonNllLoss}. */
export interface PoissonNllOptions extends ReductionOptions {
  /** Whether `input` is the log of the rate (default true): loss `exp(input) - target input`. */
  logInput?: boolean;
  /** Add the Stirling approximation term `t log t - t + 0.5 log(2 pi t)` where t > 1 (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/**
 * Negative log likelihood of a Poisson distribution (`F.poisson_nll_loss`).
 *
 * @example
 * ```ts
 * poissonNllLoss(logRate, counts);                            // exp(x) - t x
 * poissonNllLoss(rate, counts, { logInput: false, full: true });
 * ```
 */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNllOptions = {}): Tensor {
  const fn = 'poissonNllLoss';
  const r = checkReduction(fn, options.reduction);
  const logInput = checkBool(fn, 'logInput', options.logInput ?? true);
  const full = checkBool(fn, 'full', options.full ?? false);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-8, 0);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  broadcastShapes(fn, input.shape, target.shape);
  return scope(() => {
    let l = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
    if (full) {
      const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
      l = l.add(where(target.le(1), 0, stirling));
    }
    return reduce(l, r);
  });
}

/** Options of {@link gaussianNllLoss}. */
export interface GaussianNllOptions extends ReductionOptions {
  /** Add the constant `0.5 log(2 pi)` (default false). */
  full?: boolean;
  /** Variances below it are raised to it, without changing their gradient (default 1e-6). */
  eps?: number;
}

/**
 * Negative log likelihood of a Gaussian with mean `input` and variance `variance`:
 * `0.5 (log(var) + (input - target)^2 / var)` (`F.gaussian_nll_loss`). `variance` has the
 * input's shape, or lacks its last dimension or has size 1 there (one variance per sample).
 *
 * @example
 * ```ts
 * gaussianNllLoss(mean, target, variance);                 // heteroscedastic
 * gaussianNllLoss(mean, target, ones([mean.shape[0]]));    // one variance per row
 * ```
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, options: GaussianNllOptions = {}): Tensor {
  const fn = 'gaussianNllLoss';
  const r = checkReduction(fn, options.reduction);
  const full = checkBool(fn, 'full', options.full ?? false);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-6, 0);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  checkFloat(fn, 'var', variance);
  broadcastShapes(fn, input.shape, target.shape);
  const lead = input.shape.slice(0, -1);
  const vs = variance.shape;
  let unsqueeze = false;
  if (!sameShape(vs, input.shape)) {
    if (sameShape(vs, lead)) unsqueeze = true;
    else if (!(sameShape(vs.slice(0, -1), lead) && vs[vs.length - 1] === 1 && vs.length === input.ndim)) {
      throw new ShapeError(`${fn}(): var must have the input's shape ${fmt(input.shape)}, or that shape without its last dimension or with 1 there (got shape ${fmt(vs)})`);
    }
  }
  if (variance.numel() > 0) {
    const h = variance._handle;
    const flag = tf.tidy(() => tf.any(tf.less(h, 0)));
    const negative = flag.dataSync()[0] !== 0;
    flag.dispose();
    if (negative) throw new ArgumentError(`${fn}(): var has negative entries; variances must be >= 0`);
  }
  return scope(() => {
    // Clamped in place without recording, as PyTorch does: the gradient passes as if unclamped.
    const v = (unsqueeze ? variance.unsqueeze(-1) : variance).clone();
    noGrad(() => v.clamp_(eps));
    const d = input.sub(target);
    let l = v.log().add(d.mul(d).div(v)).mul(0.5);
    if (full) l = l.add(0.5 * Math.log(2 * Math.PI));
    return reduce(l, r);
  });
}
