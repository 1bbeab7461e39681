/**
 * Reductions with `dim` and `keepdim`: sum, mean, prod, all, any and cumsum here; max/min (values
 * and indices), amax, amin, argmax and argmin in `reduce-extreme.ts`; var, std, logsumexp and norm
 * in `reduce-stats.ts`. Every reduction reads `dim` as PyTorch 1.13 does: absent, `null` or `[]`
 * reduces every dimension, negative dims count from the end.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { DTypeError } from '../errors.js';
import { tf } from '../kernels/tf.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, sub, where, zerosLike } from './arith.js';
import { cast } from './cast.js';
import { eq } from './compare.js';
import { keep, reduceHandle, reducedCount, reducedShape, reductionDims, unreduce } from './reduce-util.js';
import { reshape } from './shape.js';
import { checkTensor, normDim } from './util.js';

export { keptShape, unreduce } from './reduce-util.js';
export { max, min, amax, amin, argmax, argmin } from './reduce-extreme.js';
export { var_, std, logsumexp, norm } from './reduce-stats.js';

/** `keepdim` keeps reduced dimensions with size 1; `dtype` casts the input first. */
export interface ReduceOptions {
  /** Keep each reduced dimension as size 1 (default false). */
  keepdim?: boolean;
  /** Cast the input to this dtype before reducing (sum, mean, prod). */
  dtype?: DType;
}

/** Options of var and std. */
export interface VarOptions {
  /** Keep each reduced dimension as size 1 (default false). */
  keepdim?: boolean;
  /** Divide by `N - correction` (default 1, Bessel's correction). */
  correction?: number;
  /** `false` is `correction: 0` (PyTorch's older spelling). */
  unbiased?: boolean;
}

/** The values and their positions along a dimension (`torch.return_types.max`). */
export interface ValuesIndices {
  /** The extreme values. */
  values: Tensor;
  /** Their indices along the reduced dimension (int32). */
  indices: Tensor;
}

/** The input of sum and prod: cast to `dtype` when given, bools counted as int32. */
function accumulateInput(x: Tensor, dtype: DType | undefined): Tensor {
  if (dtype !== undefined) return cast(x, dtype);
  return x.dtype === 'bool' ? cast(x, 'int32') : x;
}

/**
 * Sum of all elements, or along `dim` (`torch.sum`). Bool and int32 sum to int32.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).sum(1).tolist(); // [3, 7]
 * ```
 */
export function sum(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  checkTensor('sum', 'input', x);
  const input = accumulateInput(x, options.dtype);
  const dims = reductionDims('sum', dim, input.ndim);
  const keepdim = options.keepdim ?? false;
  const h = input._handle;
  const shape = input.shape;
  return apply({
    name: 'sum',
    nodeName: dim === undefined || dim === null ? 'SumBackward0' : 'SumBackward1',
    inputs: [input],
    ...(input !== x ? { temps: [input] } : {}),
    forward: () => reduceHandle(h, dims, keepdim, 0, tf.sum),
    backward: (g) => [unreduce(g, shape, dims)],
  });
}

/**
 * Mean of all elements, or along `dim` (`torch.mean`). Needs a float input (or `dtype`).
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).mean(0).tolist(); // [2, 3]
 * ```
 */
export function mean(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  checkTensor('mean', 'input', x);
  const input = options.dtype !== undefined ? cast(x, options.dtype) : x;
  if (input.dtype !== 'float32') {
    throw new DTypeError(`mean(): input must be float32 (got dtype ${input.dtype}); pass { dtype: 'float32' } or call float() first`);
  }
  const dims = reductionDims('mean', dim, input.ndim);
  const keepdim = options.keepdim ?? false;
  const count = reducedCount(input.shape, dims);
  const h = input._handle;
  const shape = input.shape;
  return apply({
    name: 'mean',
    nodeName: dim === undefined || dim === null ? 'MeanBackward0' : 'MeanBackward1',
    inputs: [input],
    ...(input !== x ? { temps: [input] } : {}),
    // The mean of nothing is NaN, as in PyTorch.
    forward: () => reduceHandle(h, dims, keepdim, NaN, tf.mean),
    backward: (g) => [div(unreduce(g, shape, dims), count)],
  });
}

/**
 * Product of all elements, or along `dim` (`torch.prod`). Bool and int32 multiply to int32.
 * The gradient is exact when the input holds zeros (one zero or several), and differentiable again.
 *
 * @example
 * ```ts
 * tensor([1, 2, 3]).prod().item();            // 6
 * tensor([[1, 2], [3, 4]]).prod(1).tolist(); // [2, 12]
 * ```
 */
export function prod(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  checkTensor('prod', 'input', x);
  const input = accumulateInput(x, options.dtype);
  const full = dim === undefined || dim === null;
  const dims = full ? reductionDims('prod', null, input.ndim) : reductionDims('prod', normDim('prod', dim, input.ndim), input.ndim);
  const keepdim = options.keepdim ?? false;
  const h = input._handle;
  const shape = input.shape;
  return apply({
    name: 'prod',
    nodeName: full ? 'ProdBackward0' : 'ProdBackward1',
    inputs: [input],
    ...(input !== x ? { temps: [input] } : {}),
    forward: () => reduceHandle(h, dims, keepdim, 1, tf.prod),
    save: [input],
    backward: (g, [x]) => {
      if (dims.length === 0) return [g];
      // A full product is the product along the one axis of the flattened input.
      const others = full ? reshape(othersProduct(reshape(x!, [-1]), 0), shape) : othersProduct(x!, dims[0]!);
      return [mul(keep(g, shape, dims), others)];
    },
  });
}

/**
 * For each element, the product of the other elements along `axis`: the gradient of prod.
 * Zeros are split off so that the result is exact and its own gradient is too: with the zeros
 * set aside, the product of the non-zero others comes from exclusive cumulative products; a
 * factor then accounts for the zeros among the others (1 if none, the other zero itself if one,
 * so that it still carries a gradient, and 0 if more).
 */
function othersProduct(x: Tensor, axis: number): Tensor {
  if (x.numel() === 0) return zerosLike(x);
  const hx = x._handle;
  const isZero = eq(x, 0);
  const zerosAmongOthers = (count: number): Tensor =>
    wrap(
      tf.tidy(() => {
        const z = tf.cast(tf.equal(hx, 0), 'int32');
        return tf.equal(tf.sub(tf.sum(z, axis, true), z), count);
      }),
    );
  const nonZero = where(isZero, 1, x);
  const zeroPart = where(isZero, x, 0);
  const otherZero = sub(sum(zeroPart, axis, { keepdim: true }), zeroPart);
  const zeroFactor = where(zerosAmongOthers(0), 1, where(zerosAmongOthers(1), otherZero, 0));
  return mul(exclusiveProduct(nonZero, axis), zeroFactor);
}

/**
 * The product of the other elements along `axis`, for an input without zeros: exclusive
 * cumulative products from both ends, multiplied. Differentiable to any order.
 */
function exclusiveProduct(x: Tensor, axis: number): Tensor {
  const h = x._handle;
  return apply({
    name: 'exclusive_prod',
    inputs: [x],
    forward: () => tf.mul(tf.cumprod(h, axis, true, false), tf.cumprod(h, axis, true, true)),
    save: (out) => [x, out],
    // d/dx_k sum_i w_i prod_{j!=i} x_j = (sum_i w_i out_i - w_k out_k) / x_k, as x has no zeros.
    backward: (w, [x, out]) => {
      const wOut = mul(w, out!);
      return [div(sub(sum(wOut, axis, { keepdim: true }), wOut), x!)];
    },
  });
}

function logicalReduce(fn: 'all' | 'any', x: Tensor, dim: number | null | undefined, options: ReduceOptions): Tensor {
  checkTensor(fn, 'input', x);
  const dims = dim === undefined || dim === null ? reductionDims(fn, null, x.ndim) : reductionDims(fn, normDim(fn, dim, x.ndim), x.ndim);
  const keepdim = options.keepdim ?? false;
  const h = x._handle;
  return apply({
    name: fn,
    inputs: [x],
    forward: () => {
      const truth = h.dtype === 'bool' ? h : tf.notEqual(h, 0);
      if (reducedCount(h.shape, dims) === 0) return tf.fill(reducedShape(h.shape, dims, keepdim), fn === 'all' ? 1 : 0, 'bool');
      return reduceHandle(truth, dims, keepdim, 0, fn === 'all' ? tf.all : tf.any);
    },
  });
}

/**
 * Whether all elements are true (non-zero), over everything or along `dim` (`torch.all`).
 * Always a bool tensor; the `all` of nothing is true.
 *
 * @example
 * ```ts
 * tensor([true, false]).all().item();         // 0
 * tensor([[1, 2], [0, 3]]).all(1).tolist();  // [true, false]
 * ```
 */
export function all(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return logicalReduce('all', x, dim, options);
}

/**
 * Whether any element is true (non-zero), over everything or along `dim` (`torch.any`).
 * Always a bool tensor; the `any` of nothing is false.
 *
 * @example
 * ```ts
 * tensor([true, false]).any().item();        // 1
 * tensor([[0, 0], [0, 3]]).any(1).tolist(); // [false, true]
 * ```
 */
export function any(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return logicalReduce('any', x, dim, options);
}

/**
 * Cumulative sum along `dim` (`torch.cumsum`). Bool and int32 inputs give int32. The gradient is
 * the cumulative sum of the gradient taken from the other end, itself differentiable.
 *
 * @example
 * ```ts
 * tensor([1, 2, 3]).cumsum(0).tolist();          // [1, 3, 6]
 * tensor([[1, 2], [3, 4]]).cumsum(-1).tolist(); // [[1, 3], [3, 7]]
 * ```
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensor('cumsum', 'input', x);
  const axis = normDim('cumsum', dim, x.ndim);
  const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const out = scan(input, axis, false);
  if (input !== x) input.dispose();
  return out;
}

/** Inclusive cumulative sum along `axis`, from the end when `reverse`. */
function scan(x: Tensor, axis: number, reverse: boolean): Tensor {
  const h = x._handle;
  return apply({
    name: 'cumsum',
    inputs: [x],
    // tfjs's Cumsum never returns on a 0-d input under wasm; a 0-d cumsum is the value itself.
    forward: () => (h.rank === 0 ? tf.clone(h) : tf.cumsum(h, axis, false, reverse)),
    backward: (g) => [scan(g, axis, !reverse)],
  });
}
