/**
 * Margin and embedding losses, re-exported by `loss.ts`: `marginRankingLoss`,
 * `multilabelMarginLoss`, `softMarginLoss`, `multilabelSoftMarginLoss`, `cosineEmbeddingLoss`
 * and `tripletMarginLoss`, written with Flint ops as PyTorch 1.13 writes them, so their gradients
 * (including at the hinge) are PyTorch's.
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { clamp, minimum, sub, where } from '../../ops/arith.js';
import { relu } from '../../ops/unary.js';
import { broadcastShapes, sameShape } from '../../ops/util.js';
import { fromTypedArray } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { pairwiseDistance } from './distance.js';
import { checkBool, checkFloat, checkNumber, checkReduction, checkSameDevice, checkWeight, fmt, logSigmoid, reduce, type ReductionOptions } from './loss-util.js';

/** Options of {@link marginRankingLoss} and {@link cosineEmbeddingLoss}. */
export interface MarginOptions extends ReductionOptions {
  /** The margin (default 0). */
  margin?: number;
}

/** Options of {@link multilabelSoftMarginLoss}. */
export interface MultilabelSoftMarginOptions extends ReductionOptions {
  /** A weight per class, broadcast against the input (default none). */
  weight?: Tensor | null;
}

/** Options of {@link tripletMarginLoss}. */
export interface TripletMarginOptions extends ReductionOptions {
  /** The margin (default 1). */
  margin?: number;
  /** The order of the pairwise distance (default 2). */
  p?: number;
  /** Added to the differences before the norm (default 1e-6). */
  eps?: number;
  /** Use the smaller of the anchor-negative and positive-negative distances (default false). */
  swap?: boolean;
}

/** A float32 view of a ±1 target given as float32 or int32. */
function signTarget(fn: string, target: unknown): Tensor {
  if (!(target instanceof Tensor)) throw new ArgumentError(`${fn}(): target must be a Tensor of 1 and -1 (got ${describe(target)})`);
  if (target.dtype === 'bool') throw new DTypeError(`${fn}(): target must hold 1 and -1 as float32 or int32 (got bool ${fmt(target.shape)})`);
  return target.dtype === 'float32' ? target : target.float();
}

/**
 * `max(0, -y (x1 - x2) + margin)` with `y` of 1 (x1 should rank higher) or -1
 * (`F.margin_ranking_loss`). All three have the same number of dimensions.
 *
 * @example
 * ```ts
 * marginRankingLoss(tensor([0.8, 0.1]), tensor([0.3, 0.5]), tensor([1, 1]), { margin: 0.1 }).item(); // 0.25
 * ```
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginOptions = {}): Tensor {
  const fn = 'marginRankingLoss';
  const r = checkReduction(fn, options.reduction);
  const margin = checkNumber(fn, 'margin', options.margin ?? 0);
  checkFloat(fn, 'input1', input1);
  checkFloat(fn, 'input2', input2);
  const y = signTarget(fn, target);
  if (input1.ndim !== input2.ndim || input1.ndim !== y.ndim) {
    throw new ShapeError(`${fn}(): input1, input2 and target must have the same number of dimensions (got shapes ${fmt(input1.shape)}, ${fmt(input2.shape)} and ${fmt(y.shape)})`);
  }
  broadcastShapes(fn, broadcastShapes(fn, input1.shape, input2.shape), y.shape);
  return scope(() => reduce(clamp(y.neg().mul(input1.sub(input2)).add(margin), 0), r));
}

/**
 * The multi-class multi-label hinge loss (`F.multilabel_margin_loss`): for each sample, the sum
 * over its target classes j and its other classes k of `max(0, 1 - (x[j] - x[k]))`, divided by C.
 * `target` is int32 of the input's shape (`[C]` or `[N, C]`); each row lists target classes and
 * ends at the first -1.
 *
 * @example
 * ```ts
 * const x = tensor([[0.1, 0.2, 0.4, 0.8]]);
 * const y = tensor([[3, 0, -1, 1]], { dtype: 'int32' });  // classes 3 and 0
 * multilabelMarginLoss(x, y).item();                       // 0.85
 * ```
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const fn = 'multilabelMarginLoss';
  const r = checkReduction(fn, options.reduction);
  checkFloat(fn, 'input', input);
  if (input.ndim !== 1 && input.ndim !== 2) throw new ShapeError(`${fn}(): input must be [C] or [N, C] (got shape ${fmt(input.shape)})`);
  if (!(target instanceof Tensor) || target.dtype !== 'int32' || !sameShape(target.shape, input.shape)) {
    const got = target instanceof Tensor ? `${target.dtype} ${fmt(target.shape)}` : describe(target);
    throw new (target instanceof Tensor && target.dtype !== 'int32' ? DTypeError : ShapeError)(
      `${fn}(): target must be int32 class indices of the input's shape ${fmt(input.shape)}, each row ended by -1 (got ${got})`,
    );
  }
  const n = input.ndim === 1 ? 1 : input.shape[0]!;
  const c = input.shape[input.ndim - 1]!;
  checkSameDevice(fn, input, 'target', target);
  const values = target.dataSync() as Int32Array;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < c; j++) {
      const v = values[i * c + j]!;
      if (v === -1) break;
      if (v < 0 || v >= c) throw new ShapeError(`${fn}(): target holds class index ${v}, outside [0, ${c - 1}] for ${c} classes (a row ends at the first -1)`);
      row.push(v);
    }
    rows.push(row);
  }
  const l = Math.max(1, ...rows.map((row) => row.length));
  const picks = new Int32Array(n * l);
  const weights = new Float32Array(n * l * c);
  rows.forEach((row, i) => {
    const isTarget = new Array<boolean>(c).fill(false);
    for (const v of row) isTarget[v] = true;
    row.forEach((v, j) => {
      picks[i * l + j] = v;
      for (let k = 0; k < c; k++) if (!isTarget[k]) weights[(i * l + j) * c + k] = 1 / c;
    });
  });
  return scope(() => {
    const x = input.ndim === 1 ? input.unsqueeze(0) : input;
    const xt = x.gather(1, fromTypedArray(picks, [n, l], 'int32', x.device));
    const hinge = relu(x.unsqueeze(1).sub(xt.unsqueeze(2)).add(1)); // [N, L, C]: 1 - (x[j] - x[k])
    const perSample = hinge.mul(fromTypedArray(weights, [n, l, c], 'float32', x.device)).sum([1, 2]);
    return reduce(input.ndim === 1 ? perSample.reshape([]) : perSample, r);
  });
}

/**
 * The two-class logistic loss `log(1 + exp(-y x))` with `y` of 1 or -1 (`F.soft_margin_loss`),
 * computed stably.
 *
 * @example
 * ```ts
 * softMarginLoss(tensor([2, -1]), tensor([1, -1])).item(); // 0.2201
 * ```
 */
export function softMarginLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const fn = 'softMarginLoss';
  const r = checkReduction(fn, options.reduction);
  checkFloat(fn, 'input', input);
  const y = signTarget(fn, target);
  broadcastShapes(fn, input.shape, y.shape);
  return scope(() => reduce(logSigmoid(y.mul(input)).neg(), r));
}

/**
 * Multi-label one-versus-all logistic loss (`F.multilabel_soft_margin_loss`): the binary cross
 * entropy of each class's logit against 0/1 `target` (the input's shape), averaged over classes.
 *
 * @example
 * ```ts
 * multilabelSoftMarginLoss(logits, tensor([[1, 0, 1]]));   // logits: [1, 3]
 * ```
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, options: MultilabelSoftMarginOptions = {}): Tensor {
  const fn = 'multilabelSoftMarginLoss';
  const r = checkReduction(fn, options.reduction);
  checkFloat(fn, 'input', input);
  checkFloat(fn, 'target', target);
  if (input.ndim === 0) throw new ShapeError(`${fn}(): input must be [C] or [N, C] (got a 0-D tensor)`);
  if (!sameShape(input.shape, target.shape)) throw new ShapeError(`${fn}(): target must have the input's shape ${fmt(input.shape)} (got shape ${fmt(target.shape)})`);
  const weight = checkWeight(fn, 'weight', options.weight, input.shape);
  const classDim = input.ndim - 1;
  return scope(() => {
    let l = target.mul(logSigmoid(input)).add(sub(1, target).mul(logSigmoid(input.neg()))).neg();
    if (weight !== null) l = l.mul(weight);
    return reduce(l.sum(classDim).div(input.shape[classDim]!), r);
  });
}

/**
 * `1 - cos(x1, x2)` where `y` is 1 and `max(0, cos(x1, x2) - margin)` where `y` is -1
 * (`F.cosine_embedding_loss`). Inputs `[N, D]` with `y` `[N]`, or `[D]` with a 0-D `y`.
 *
 * @example
 * ```ts
 * cosineEmbeddingLoss(a, b, tensor([1, -1]), { margin: 0.2 }); // a, b: [2, D]
 * ```
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginOptions = {}): Tensor {
  const fn = 'cosineEmbeddingLoss';
  const r = checkReduction(fn, options.reduction);
  const margin = checkNumber(fn, 'margin', options.margin ?? 0);
  checkFloat(fn, 'input1', input1);
  checkFloat(fn, 'input2', input2);
  const y = signTarget(fn, target);
  if (y.ndim > 1) throw new ShapeError(`${fn}(): target must be 0-D or 1-D (got shape ${fmt(y.shape)}); multi-target is not supported`);
  const want = y.ndim + 1;
  if (input1.ndim !== want || input2.ndim !== want) {
    throw new ShapeError(`${fn}(): a ${y.ndim}-D target needs ${want}-D inputs (got shapes ${fmt(input1.shape)} and ${fmt(input2.shape)})`);
  }
  const d = y.ndim;
  return scope(() => {
    const dot = input1.mul(input2).sum(d);
    const m1 = input1.mul(input1).sum(d).add(1e-12);
    const m2 = input2.mul(input2).sum(d).add(1e-12);
    const cos = dot.div(m1.mul(m2).sqrt());
    const out = where(y.eq(1), sub(1, cos), 0).add(where(y.eq(-1), clamp(cos.sub(margin), 0), 0));
    return reduce(out, r);
  });
}

/**
 * `max(0, margin + d(a, p) - d(a, n))` with `d` the p-norm pairwise distance over the last
 * dimension (`F.triplet_margin_loss`); `swap` uses `min(d(a, n), d(p, n))` for the negative.
 *
 * @example
 * ```ts
 * tripletMarginLoss(anchor, positive, negative, { margin: 1, p: 2 }); // each [N, D]
 * ```
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginOptions = {}): Tensor {
  const fn = 'tripletMarginLoss';
  const r = checkReduction(fn, options.reduction);
  const margin = checkNumber(fn, 'margin', options.margin ?? 1);
  const p = options.p ?? 2;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0) throw new ArgumentError(`${fn}(): p must be a positive number (got ${describe(p)})`);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-6);
  const swap = checkBool(fn, 'swap', options.swap ?? false);
  checkFloat(fn, 'anchor', anchor);
  checkFloat(fn, 'positive', positive);
  checkFloat(fn, 'negative', negative);
  if (anchor.ndim !== positive.ndim || anchor.ndim !== negative.ndim) {
    throw new ShapeError(`${fn}(): anchor, positive and negative must have the same number of dimensions (got ${anchor.ndim}-D, ${positive.ndim}-D and ${negative.ndim}-D inputs)`);
  }
  return scope(() => {
    const dPos = pairwiseDistance(anchor, positive, { p, eps });
    let dNeg = pairwiseDistance(anchor, negative, { p, eps });
    if (swap) dNeg = minimum(dNeg, pairwiseDistance(positive, negative, { p, eps }));
    return reduce(clamp(dPos.sub(dNeg).add(margin), 0), r);
  });
}
