/**
 * The classification losses `crossEntropy` (`F.cross_entropy`) and `nllLoss` (`F.nll_loss`),
 * re-exported by `loss.ts`. With class-index targets, the loss is a weighted sum of the
 * log-probabilities: one primitive multiplies them by a constant matrix built from the targets,
 * the class weights, `ignoreIndex`, label smoothing and the reduction, so the whole loss is
 * `logSoftmax` plus one node whatever the options.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { tf, type Handle } from '../../kernels/tf.js';
import { scope } from '../../memory/scope.js';
import { mul } from '../../ops/arith.js';
import { sameShape } from '../../ops/util.js';
import { fromTypedArray } from '../../tensor/create.js';
import { Tensor, type Device } from '../../tensor/tensor.js';
import { logSoftmax } from './activation.js';
import { HOST_MAX, layout } from './softmax.js';
import { checkFloat, checkNumber, checkSameDevice, checkReduction, fmt, type Reduction, type ReductionOptions } from './loss-util.js';

/** Options of {@link nllLoss}. */
export interface NllLossOptions extends ReductionOptions {
  /** A weight per class, float32 `[C]` (default none). */
  weight?: Tensor | null;
  /** A target value that is skipped: no loss, no gradient, not counted by `'mean'` (default -100). */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the targets with the uniform distribution: `(1 - s) target + s / C` (default 0). */
  labelSmoothing?: number;
}

interface Classes {
  /** The class dimension: 0 for an unbatched `[C]` input, else 1. */
  cdim: number;
  /** Number of classes. */
  c: number;
  /** The shape of class-index targets: the input's without the class dimension. */
  indexShape: number[];
}

function classesOf(fn: string, input: Tensor): Classes {
  checkFloat(fn, 'input', input);
  if (input.ndim === 0) throw new ShapeError(`${fn}(): input must be [C], [N, C] or [N, C, d1, ...] (got a 0-D tensor)`);
  const cdim = input.ndim === 1 ? 0 : 1;
  return { cdim, c: input.shape[cdim]!, indexShape: input.shape.filter((_, i) => i !== cdim) };
}

function checkClassWeight(fn: string, weight: unknown, c: number): Tensor | null {
  if (weight === undefined || weight === null) return null;
  if (!(weight instanceof Tensor) || weight.dtype !== 'float32' || weight.ndim !== 1 || weight.shape[0] !== c) {
    throw new ShapeError(`${fn}(): weight must be a float32 tensor of shape [${c}], one weight per class (got ${describe(weight)})`);
  }
  return weight;
}

function checkIgnoreIndex(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentError(`${fn}(): ignoreIndex must be an integer (got ${describe(v)})`);
  return v;
}

/** Reads the targets (one sync read); throws on a class index outside `[0, C)` that is not `ignoreIndex`. */
function readIndices(fn: string, target: Tensor, c: number, ignoreIndex: number): Int32Array {
  const values = target.dataSync() as Int32Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== ignoreIndex && (v < 0 || v >= c)) {
      throw new ShapeError(`${fn}(): target holds class index ${v}, outside [0, ${c - 1}] for ${c} classes (only ignoreIndex ${ignoreIndex} may lie outside)`);
    }
  }
  return values;
}

/**
 * The constant `-K` with `loss = sum(logp * K)`, built in JS from the targets already read (one
 * upload instead of a dozen kernels): per element, the target's one-hot row times its class
 * weight (nothing where ignored), mixed with the smoothing row `w_c / C`, divided for `'mean'`
 * by the total weight of the counted targets (PyTorch's normaliser, also for the smoothing term;
 * 0 / 0 gives NaN when every target is ignored, as in PyTorch).
 */
function pickWeights(targets: Int32Array, shape: readonly number[], k: Classes, weight: Tensor | null, ignoreIndex: number, smoothing: number, reduction: Reduction, device: Device): Tensor {
  const { cdim, c } = k;
  const w = weight === null ? null : (weight.dataSync() as Float32Array);
  const inner = cdim === 0 ? 1 : shape.slice(2).reduce((a, b) => a * b, 1);
  const m = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let total = 0;
  for (let p = 0; p < targets.length; p++) {
    const y = targets[p]!;
    if (y === ignoreIndex) continue;
    const wy = w === null ? 1 : w[y]!;
    total += wy;
    const base = Math.floor(p / inner) * c * inner + (p % inner);
    m[base + y * inner] += (1 - smoothing) * wy;
    if (smoothing > 0) for (let q = 0; q < c; q++) m[base + q * inner] += (smoothing / c) * (w === null ? 1 : w[q]!);
  }
  const scale = reduction === 'mean' ? -1 / total : -1;
  for (let i = 0; i < m.length; i++) m[i] *= scale;
  return fromTypedArray(m, shape, 'float32', device);
}

/**
 * `sum(logp * K)` over everything (`'mean'`, `'sum'`) or over the class dimension (`'none'`),
 * where `negK = -K` is a constant; elements with `K == 0` add nothing even where `logp` is
 * `-Infinity` (a masked class). The gradient is `g * K`.
 */
function pick(logp: Tensor, negK: Tensor, cdim: number, reduction: Reduction): Tensor {
  const hl = logp._handle;
  const hk = negK._handle;
  const perElement = reduction === 'none';
  const outShape = logp.shape.filter((_, i) => i !== cdim);
  return apply({
    name: 'nll_loss',
    nodeName: 'NllLossBackward0',
    inputs: [logp],
    forward: () => {
      if (hl.size === 0) return perElement ? tf.zeros(outShape) : tf.scalar(reduction === 'mean' ? NaN : 0);
      if (logp.device === 'cpu' && hl.size <= HOST_MAX) return pickHost(hl.dataSync() as Float32Array, hk.dataSync() as Float32Array, logp.shape, cdim, perElement);
      const terms = tf.where(tf.equal(hk, tf.scalar(0)), tf.zerosLike(hl), tf.mul(hl, hk));
      return perElement ? tf.sum(terms, cdim) : tf.sum(terms);
    },
    save: [negK],
    temps: [negK],
    backward: (g, [nk]) => [mul(perElement ? g.unsqueeze(cdim) : g, nk!)],
  });
}

/**
 * {@link pick}'s forward in one pass over host values (small inputs on the CPU device): the sum of
 * `logp * negK` over the class dimension (`perElement`) or over everything, skipping zero weights.
 */
function pickHost(logp: Float32Array, negK: Float32Array, shape: readonly number[], cdim: number, perElement: boolean): Handle {
  const [outer, c, inner] = layout(shape, cdim);
  const out = new Float32Array(perElement ? outer * inner : 1);
  let total = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * c * inner + i;
      let s = 0;
      for (let q = 0; q < c; q++) {
        const w = negK[base + q * inner]!;
        if (w !== 0) s += Math.fround(logp[base + q * inner]! * w);
      }
      if (perElement) out[o * inner + i] = s;
      else total += s;
    }
  }
  if (!perElement) out[0] = total;
  return perElement ? tf.tensor(out, shape.filter((_, i) => i !== cdim), 'float32') : tf.scalar(out[0]!, 'float32');
}

function classIndexLoss(fn: string, logp: Tensor, target: Tensor, k: Classes, options: CrossEntropyOptions, reduction: Reduction): Tensor {
  const weight = checkClassWeight(fn, options.weight, k.c);
  checkSameDevice(fn, logp, 'target', target);
  checkSameDevice(fn, logp, 'weight', weight);
  const ignoreIndex = checkIgnoreIndex(fn, options.ignoreIndex ?? -100);
  const smoothing = options.labelSmoothing ?? 0;
  const targets = readIndices(fn, target, k.c, ignoreIndex);
  return pick(logp, pickWeights(targets, logp.shape, k, weight, ignoreIndex, smoothing, reduction, logp.device), k.cdim, reduction);
}

/**
 * Negative log likelihood of class-index targets under log-probabilities `input` (`F.nll_loss`).
 * `input` is `[C]`, `[N, C]` or `[N, C, d1, ...]`; `target` is int32 of the input's shape without
 * the class dimension. With `weight`, `'mean'` divides by the total weight of the counted targets.
 *
 * @example
 * ```ts
 * const logp = logSoftmax(logits, 1);                      // [N, C]
 * nllLoss(logp, labels);                                   // labels: int32 [N]
 * nllLoss(logp, labels, { weight: classWeights, ignoreIndex: 0 });
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const fn = 'nllLoss';
  const r = checkReduction(fn, options.reduction);
  const k = classesOf(fn, input);
  if (!(target instanceof Tensor) || target.dtype !== 'int32' || !sameShape(target.shape, k.indexShape)) {
    const got = target instanceof Tensor ? `${target.dtype} ${fmt(target.shape)}` : describe(target);
    const Err = target instanceof Tensor && target.dtype !== 'int32' ? DTypeError : ShapeError;
    throw new Err(`${fn}(): target must be int32 class indices of shape ${fmt(k.indexShape)} for input of shape ${fmt(input.shape)} (got ${got})`);
  }
  return classIndexLoss(fn, input, target, k, options, r);
}

/**
 * Cross entropy between logits `input` and targets (`F.cross_entropy`): `logSoftmax` then the
 * negative log likelihood. `input` is `[C]`, `[N, C]` or `[N, C, d1, ...]`. `target` is either
 * int32 class indices, shaped like the input without the class dimension (with `weight`,
 * `ignoreIndex` and `labelSmoothing`), or float32 class probabilities of the input's shape (with
 * `weight` and `labelSmoothing`).
 *
 * @example
 * ```ts
 * const logits = randn([8, 10], { requiresGrad: true });
 * const labels = randint(0, 10, [8]);                       // int32
 * crossEntropy(logits, labels).backward();
 * crossEntropy(logits, labels, { labelSmoothing: 0.1, ignoreIndex: 0 });
 * crossEntropy(logits, softmax(teacherLogits, 1));          // probabilities
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const fn = 'crossEntropy';
  const r = checkReduction(fn, options.reduction);
  const k = classesOf(fn, input);
  const smoothing = checkNumber(fn, 'labelSmoothing', options.labelSmoothing ?? 0, 0);
  if (smoothing > 1) throw new ArgumentError(`${fn}(): labelSmoothing must be between 0 and 1 (got ${smoothing})`);
  const isIndices = target instanceof Tensor && target.dtype === 'int32' && sameShape(target.shape, k.indexShape);
  const isProbs = target instanceof Tensor && target.dtype === 'float32' && sameShape(target.shape, input.shape);
  if (!isIndices && !isProbs) {
    const got = target instanceof Tensor ? `${target.dtype} ${fmt(target.shape)}` : describe(target);
    const hint = target instanceof Tensor && target.dtype === 'float32' && sameShape(target.shape, k.indexShape) ? '; convert class indices with .int()' : '';
    const Err = target instanceof Tensor && (target.dtype === 'bool' || hint !== '') ? DTypeError : ShapeError;
    throw new Err(
      `${fn}(): target must be int32 class indices of shape ${fmt(k.indexShape)} or float32 probabilities of shape ${fmt(input.shape)} (got ${got})${hint}`,
    );
  }
  if (isIndices) return scope(() => classIndexLoss(fn, logSoftmax(input, k.cdim), target, k, options, r));
  const weight = checkClassWeight(fn, options.weight, k.c);
  return scope(() => {
    const t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / k.c) : target;
    let terms = logSoftmax(input, k.cdim).mul(t);
    if (weight !== null) terms = terms.mul(weight.reshape(input.shape.map((_, i) => (i === k.cdim ? k.c : 1))));
    if (r === 'none') return terms.sum(k.cdim).neg();
    if (r === 'sum') return terms.sum().neg();
    return input.numel() === 0 ? terms.sum().mul(NaN) : terms.sum().neg().div(input.numel() / k.c);
  });
}
