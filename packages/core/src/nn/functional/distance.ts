/**
 * Norm-based functions of `nn.functional`: `normalize`, `cosineSimilarity` and
 * `pairwiseDistance`, written with Flint ops as PyTorch 1.13 writes them, so their gradients
 * (including where a norm is clamped to `eps`) are PyTorch's.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { tf } from '../../kernels/tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, clamp, div, mul, sub } from '../../ops/arith.js';
import { cast } from '../../ops/cast.js';
import { norm, sum } from '../../ops/reduce.js';
import { expand } from '../../ops/shape.js';
import { broadcastShapes, checkTensor, normDim, sameShape } from '../../ops/util.js';
import { checkFloat, checkNumber } from './activation.js';

function checkP(fn: string, p: unknown): number {
  if (typeof p !== 'number' || Number.isNaN(p)) throw new ArgumentError(`${fn}(): p must be a number, Infinity or -Infinity (got ${describe(p)})`);
  return p;
}

/** Options of {@link normalize}. @example `normalize(x, { p: 1, dim: -1 })` */
export interface NormalizeOptions {
  /** The order of the norm (default 2). */
  p?: number;
  /** The dimension to normalise over (default 1). */
  dim?: number;
  /** The smallest norm divided by, to avoid division by zero (default 1e-12). */
  eps?: number;
}

/**
 * `x / max(||x||_p, eps)` along `dim` (`F.normalize`).
 *
 * @example
 * ```ts
 * normalize(tensor([[3, 4]])).tolist();                 // [[0.6, 0.8]]
 * normalize(tensor([[1, 3]]), { p: 1 }).tolist();       // [[0.25, 0.75]]
 * ```
 */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  checkFloat('normalize', x);
  const p = checkP('normalize', options.p ?? 2);
  const eps = checkNumber('normalize', 'eps', options.eps ?? 1e-12);
  const dim = normDim('normalize', options.dim ?? 1, x.ndim);
  return scope(() => div(x, clamp(norm(x, p, dim, { keepdim: true }), eps)));
}

/**
 * `max(||x||_2, eps)` along `dim` (kept), whose gradient is `g * x / max(||x||_2, eps)`: the
 * clamp changes the value but lets the gradient through, as PyTorch 1.13's cosine_similarity has it.
 */
function clampedNorm(x: Tensor, dim: number, eps: number): Tensor {
  const h = x._handle;
  return apply({
    name: 'clamped_norm',
    nodeName: 'LinalgVectorNormBackward0',
    inputs: [x],
    forward: () => tf.maximum(tf.sqrt(tf.sum(tf.square(h), dim, true)), eps),
    save: (out) => [x, out],
    backward: (g, [sx, out]) => [div(mul(g, sx!), out!)],
  });
}

/** Options of {@link cosineSimilarity}. @example `cosineSimilarity(a, b, { dim: -1, eps: 1e-6 })` */
export interface CosineSimilarityOptions {
  /** The dimension of the vectors (default 1). */
  dim?: number;
  /** The smallest norm divided by (default 1e-8). */
  eps?: number;
}

/**
 * Cosine of the angle between `x1` and `x2` along `dim`, `x1 . x2 / (max(||x1||, eps) max(||x2||, eps))`
 * (`F.cosine_similarity`); the inputs broadcast and `dim` is removed.
 *
 * @example
 * ```ts
 * cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).tolist(); // [0, 1]
 * ```
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  checkTensor('cosineSimilarity', 'x1', x1);
  checkTensor('cosineSimilarity', 'x2', x2);
  const eps = checkNumber('cosineSimilarity', 'eps', options.eps ?? 1e-8);
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  const dim = normDim('cosineSimilarity', options.dim ?? 1, shape.length);
  return scope(() => {
    const a = wide(x1, shape);
    const b = wide(x2, shape);
    return sum(mul(div(a, clampedNorm(a, dim, eps)), div(b, clampedNorm(b, dim, eps))), dim);
  });
}

/** `x` as float32, broadcast to `shape`. */
function wide(x: Tensor, shape: readonly number[]): Tensor {
  const f = x.dtype === 'float32' ? x : cast(x, 'float32');
  return sameShape(f.shape, shape) ? f : expand(f, shape);
}

/** Options of {@link pairwiseDistance}. @example `pairwiseDistance(a, b, { p: 1, keepdim: true })` */
export interface PairwiseDistanceOptions {
  /** The order of the norm (default 2). */
  p?: number;
  /** Added to the difference to avoid a zero norm (default 1e-6). */
  eps?: number;
  /** Keep the last dimension with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * `||x1 - x2 + eps||_p` over the last dimension (`F.pairwise_distance`); the inputs broadcast.
 *
 * @example
 * ```ts
 * pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4]])).tolist(); // [5]
 * ```
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: PairwiseDistanceOptions = {}): Tensor {
  checkFloat('pairwiseDistance', x1, 'x1');
  checkFloat('pairwiseDistance', x2, 'x2');
  const p = checkP('pairwiseDistance', options.p ?? 2);
  const eps = checkNumber('pairwiseDistance', 'eps', options.eps ?? 1e-6);
  const rank = Math.max(x1.ndim, x2.ndim);
  broadcastShapes('pairwiseDistance', x1.shape, x2.shape);
  return scope(() => norm(add(sub(x1, x2), eps), p, Math.max(rank - 1, 0), { keepdim: options.keepdim ?? false }));
}
