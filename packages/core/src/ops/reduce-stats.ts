/**
 * Statistical reductions of float tensors: var and std (with Bessel's correction), logsumexp
 * (stable) and the vector p-norm, each with PyTorch's gradient, itself differentiable.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, pow, sub, where } from './arith.js';
import { cast } from './cast.js';
import { eq } from './compare.js';
import type { ReduceOptions, VarOptions } from './reduce.js';
import { mean } from './reduce.js';
import { emptyGrad, keep, reduceHandle, reducedCount, reducedShape, reductionDims } from './reduce-util.js';
import { abs, exp, sign } from './unary.js';
import { checkTensor } from './util.js';

function floatOnly(fn: string, x: Tensor): void {
  checkTensor(fn, 'input', x);
  if (x.dtype !== 'float32') throw new DTypeError(`${fn}(): input must be float32 (got dtype ${x.dtype}); call float() first`);
}

/** The correction of var/std from `correction` or PyTorch's older `unbiased`. */
function correctionOf(fn: string, options: VarOptions): number {
  const { correction, unbiased } = options;
  if (correction !== undefined && unbiased !== undefined) {
    throw new ArgumentError(`${fn}(): pass correction or unbiased, not both (got correction ${describe(correction)}, unbiased ${describe(unbiased)})`);
  }
  if (unbiased !== undefined) {
    if (typeof unbiased !== 'boolean') throw new ArgumentError(`${fn}(): unbiased must be a boolean (got ${describe(unbiased)})`);
    return unbiased ? 1 : 0;
  }
  const c = correction ?? 1;
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
    throw new ArgumentError(`${fn}(): correction must be a finite number >= 0 (got ${describe(c)})`);
  }
  return c;
}

/** Variance over `dims` dividing by `max(0, dof)`: NaN or Infinity when dof <= 0, as in PyTorch. */
function varianceHandle(h: Handle, dims: number[], keepdim: boolean, dof: number): Handle {
  if (dims.length > 0 && reducedCount(h.shape, dims) === 0) return tf.fill(reducedShape(h.shape, dims, keepdim), NaN);
  const centred = dims.length === 0 ? tf.zerosLike(h) : tf.sub(h, tf.mean(h, dims, true));
  return tf.div(reduceHandle(tf.square(centred), dims, keepdim, 0, tf.sum), Math.max(0, dof));
}

/** PyTorch's var_backward: `g * 2 (x - mean) / dof`, with `g` in the kept shape. */
function varianceBackward(g: Tensor, x: Tensor, dims: number[], dof: number): Tensor {
  return mul(mul(g, sub(x, mean(x, dims, { keepdim: true }))), 2 / dof);
}

function moment(fn: 'var' | 'std', x: Tensor, dim: number | readonly number[] | null | undefined, options: VarOptions): Tensor {
  floatOnly(fn, x);
  const dims = reductionDims(fn, dim, x.ndim);
  const dof = reducedCount(x.shape, dims) - correctionOf(fn, options);
  const keepdim = options.keepdim ?? false;
  const h = x._handle;
  const shape = x.shape;
  return apply({
    name: fn,
    inputs: [x],
    forward: () => (fn === 'var' ? varianceHandle(h, dims, keepdim, dof) : tf.sqrt(varianceHandle(h, dims, keepdim, dof))),
    save: (out) => [x, out],
    backward: (g, [x, out]) => {
      // std = sqrt(var): d var = g / (2 std), set to 0 where std is 0, as PyTorch does.
      const gVar = fn === 'var' ? g : where(eq(out!, 0), 0, div(g, mul(out!, 2)));
      return [varianceBackward(keep(gVar, shape, dims), x!, dims, dof)];
    },
  });
}

/**
 * Variance over `dim` (or everything), dividing by `N - correction` (`torch.var`); the default
 * correction 1 is the unbiased estimate, `{ unbiased: false }` or `{ correction: 0 }` the
 * population variance. Float input only.
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).var().item();                          // 1.6667
 * tensor([[1, 2], [3, 5]]).var(1, { correction: 0 }).tolist(); // [0.25, 1]
 * ```
 */
export function var_(x: Tensor, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
  return moment('var', x, dim, options);
}

/**
 * Standard deviation over `dim` (or everything), the square root of {@link var_} (`torch.std`).
 * Where it is 0 the gradient is 0, as in PyTorch.
 *
 * @example
 * ```ts
 * tensor([1, 2, 3, 4]).std().item();                        // 1.2910
 * tensor([[1, 2], [3, 5]]).std(1, { unbiased: false }).tolist(); // [0.5, 1]
 * ```
 */
export function std(x: Tensor, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
  return moment('std', x, dim, options);
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * `log(sum(exp(x)))` over `dim` (`torch.logsumexp`), computed stably by taking out the maximum.
 * Int and bool inputs are promoted to float32. The gradient is `g * softmax(x)`.
 *
 * @example
 * ```ts
 * zeros([2]).logsumexp(0).item();                 // 0.6931
 * tensor([[1000, 1000]]).logsumexp(1).tolist();  // [1000.6931]
 * ```
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], options: ReduceOptions = {}): Tensor {
  checkTensor('logsumexp', 'input', x);
  if (dim === undefined || dim === null) {
    throw new ArgumentError('logsumexp(): dim is required (got undefined); pass a dim or a list of dims');
  }
  const input = x.dtype === 'float32' ? x : cast(x, 'float32');
  const dims = reductionDims('logsumexp', dim, input.ndim);
  const keepdim = options.keepdim ?? false;
  const h = input._handle;
  const shape = input.shape;
  return apply({
    name: 'logsumexp',
    inputs: [input],
    ...(input !== x ? { temps: [input] } : {}),
    forward: () => {
      if (dims.length === 0) return tf.clone(h);
      if (reducedCount(shape, dims) === 0) return tf.fill(reducedShape(shape, dims, keepdim), -Infinity);
      // The maximum is taken out for stability. An infinite maximum is clipped to the largest
      // float, as PyTorch sets it to 0: a row with +inf still gives inf and an all -inf row -inf
      // (one ClipByValue kernel where a where(isInf(m), 0, m) takes six).
      const shift = tf.clipByValue(tf.max(h, dims, true), -FLOAT32_MAX, FLOAT32_MAX);
      const out = tf.add(tf.log(tf.sum(tf.exp(tf.sub(h, shift)), dims, true)), shift);
      return keepdim ? out : tf.reshape(out, reducedShape(shape, dims, false));
    },
    save: (out) => [input, out],
    backward: (g, [x, out]) => [mul(keep(g, shape, dims), exp(sub(x!, keep(out!, shape, dims))))],
  });
}

/** The p-norm's forward for a non-'fro' order. */
function normHandle(h: Handle, dims: number[], keepdim: boolean, p: number): Handle {
  const sumOf = (v: Handle): Handle => reduceHandle(v, dims, keepdim, 0, tf.sum);
  if (p === 0) return sumOf(tf.cast(tf.notEqual(h, 0), 'float32'));
  if (p === 1) return sumOf(tf.abs(h));
  if (p === 2) return tf.sqrt(sumOf(tf.square(h)));
  if (p === Infinity) return reduceHandle(tf.abs(h), dims, keepdim, 0, tf.max);
  if (p === -Infinity) return reduceHandle(tf.abs(h), dims, keepdim, 0, tf.min);
  return tf.pow(sumOf(tf.pow(tf.abs(h), p)), 1 / p);
}

/** PyTorch's norm_backward, with `g` and the norm `n` in the kept shape. */
function normBackward(g: Tensor, x: Tensor, n: Tensor, p: number, dims: number[]): Tensor | null {
  if (p === 0) return null;
  if (x.numel() === 0) return emptyGrad(x.shape);
  if (p === 1) return mul(sign(x), g);
  if (p === 2) return mul(g, where(eq(n, 0), 0, div(x, n)));
  if (p === Infinity || p === -Infinity) {
    // The gradient of amax/amin(|x|): shared evenly by the elements at the norm (or NaN).
    const hx = x._handle;
    const hn = n._handle;
    const share = wrap(
      tf.tidy(() => {
        const ax = tf.abs(hx);
        const m = tf.cast(tf.logicalOr(tf.equal(ax, hn), tf.isNaN(ax)), 'float32');
        return tf.div(m, dims.length === 0 ? m : tf.sum(m, dims, true));
      }),
    );
    return mul(sign(x), mul(g, share));
  }
  if (p < 1) {
    const scaled = where(eq(x, 0), 0, mul(sign(x), pow(abs(x), p - 1)));
    return mul(mul(scaled, g), pow(n, 1 - p));
  }
  const scaled = p < 2 ? mul(sign(x), pow(abs(x), p - 1)) : mul(x, pow(abs(x), p - 2));
  return mul(scaled, where(eq(n, 0), 0, div(g, pow(n, p - 1))));
}

/**
 * The vector p-norm over `dim` or over everything (`torch.norm`, `torch.linalg.vector_norm`):
 * `(sum |x|^p)^(1/p)` for any real p, the largest |x| for `Infinity`, the smallest for
 * `-Infinity`, and the count of non-zeros for 0. `'fro'` is p = 2 over at most two dims. The
 * gradient is PyTorch's: for p = 2 it is 0 where the norm is 0. Float input only.
 *
 * @example
 * ```ts
 * tensor([3, 4]).norm().item();                          // 5
 * tensor([[3, -4], [1, 0]]).norm(1, 1).tolist();         // [7, 1]
 * tensor([[3, -4], [1, 0]]).norm(Infinity).item();       // 4
 * ```
 */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  checkTensor('norm', 'input', x);
  if (p !== 'fro' && (typeof p !== 'number' || Number.isNaN(p))) {
    throw new ArgumentError(`norm(): p must be a number, Infinity, -Infinity or 'fro' (got ${describe(p)})`);
  }
  floatOnly('norm', x);
  if (p === 'fro' && dim !== undefined && dim !== null && typeof dim !== 'number' && dim.length > 2) {
    throw new ShapeError(`norm(): p='fro' takes at most 2 dims (got ${describe(dim)}); use p=2 for a vector norm over more`);
  }
  const ord = p === 'fro' ? 2 : p;
  const dims = reductionDims('norm', dim, x.ndim);
  const keepdim = options.keepdim ?? false;
  const h = x._handle;
  const shape = x.shape;
  return apply({
    name: 'norm',
    nodeName: 'LinalgVectorNormBackward0',
    inputs: [x],
    forward: () => {
      if (dims.length > 0 && reducedCount(shape, dims) === 0) return tf.zeros(reducedShape(shape, dims, keepdim));
      return normHandle(h, dims, keepdim, ord);
    },
    save: (out) => [x, out],
    backward: (g, [x, out]) => [normBackward(keep(g, shape, dims), x!, keep(out!, shape, dims), ord, dims)],
  });
}

