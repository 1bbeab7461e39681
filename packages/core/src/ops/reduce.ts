/**
 * Reductions with `dim` and `keepdim`: sum, mean, prod, max/min (values and indices), amax,
 * amin, argmax, argmin, var, std, logsumexp, norm, all, any, and cumsum.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul } from './arith.js';
import { cast } from './cast.js';
import { expand, reshape } from './shape.js';
import { checkTensor, normDims } from './util.js';

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

/** The shape a reduction keeps (with 1s) so that a gradient can be broadcast back. @internal */
export function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/** Broadcasts a reduced gradient back to the input shape. @internal */
export function unreduce(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  const kept = keptShape(inputShape, dims);
  return expand(reshape(g, kept), inputShape);
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
  let input = x;
  if (options.dtype !== undefined) input = cast(x, options.dtype);
  else if (x.dtype === 'bool') input = cast(x, 'int32');
  const dims = normDims('sum', dim, input.ndim);
  const keepdim = options.keepdim ?? false;
  const h = input._handle;
  const shape = input.shape;
  return apply({
    name: 'sum',
    nodeName: dim === undefined || dim === null ? 'SumBackward0' : 'SumBackward1',
    inputs: [input],
    forward: () => (dims.length === 0 ? tf.clone(h) : tf.sum(h, dims, keepdim)),
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
    throw new ArgumentError(`mean(): input must be float32 (got dtype ${input.dtype}); pass { dtype: 'float32' } or call float() first`);
  }
  const dims = normDims('mean', dim, input.ndim);
  const count = dims.reduce((a, d) => a * input.shape[d]!, 1);
  return div(sum(input, dims, { keepdim: options.keepdim ?? false }), count);
}

function notYet(fn: string, ...args: unknown[]): never {
  throw new ArgumentError(`${fn}() is not available yet (${describe(args.length)})`);
}

/** Product of elements (`torch.prod`). @example `tensor([1, 2, 3]).prod().item(); // 6` */
export function prod(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return notYet('prod', x, dim, options);
}
/** The largest value, or `{ values, indices }` along `dim` (`torch.max`). @example `tensor([1, 3, 2]).max().item(); // 3` */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, options?: ReduceOptions): ValuesIndices;
export function max(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor | ValuesIndices {
  return notYet('max', x, dim, options);
}
/** The smallest value, or `{ values, indices }` along `dim` (`torch.min`). @example `tensor([1, 3, 2]).min().item(); // 1` */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, options?: ReduceOptions): ValuesIndices;
export function min(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor | ValuesIndices {
  return notYet('min', x, dim, options);
}
/** Largest values over `dim` (`torch.amax`); ties share the gradient. @example `tensor([[1, 5], [7, 2]]).amax(1).tolist(); // [5, 7]` */
export function amax(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  return notYet('amax', x, dim, options);
}
/** Smallest values over `dim` (`torch.amin`). @example `tensor([[1, 5], [7, 2]]).amin(1).tolist(); // [1, 2]` */
export function amin(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  return notYet('amin', x, dim, options);
}
/** Index of the largest value (flat, or along `dim`) (`torch.argmax`). @example `tensor([1, 3, 2]).argmax().item(); // 1` */
export function argmax(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return notYet('argmax', x, dim, options);
}
/** Index of the smallest value (`torch.argmin`). @example `tensor([1, 3, 0]).argmin().item(); // 2` */
export function argmin(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return notYet('argmin', x, dim, options);
}
/** Variance, unbiased by default (`torch.var`). @example `tensor([1, 2, 3, 4]).var().item(); // 1.6667` */
export function var_(x: Tensor, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
  return notYet('var', x, dim, options);
}
/** Standard deviation, unbiased by default (`torch.std`). @example `tensor([1, 2, 3, 4]).std().item(); // 1.2910` */
export function std(x: Tensor, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
  return notYet('std', x, dim, options);
}
/** `log(sum(exp(x)))` along `dim`, computed stably (`torch.logsumexp`). @example `zeros([2]).logsumexp(0).item(); // 0.6931` */
export function logsumexp(x: Tensor, dim: number | readonly number[], options: ReduceOptions = {}): Tensor {
  return notYet('logsumexp', x, dim, options);
}
/** Vector p-norm (default 2; `'fro'` is 2) over all or `dim` (`torch.norm`). @example `tensor([3, 4]).norm().item(); // 5` */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  return notYet('norm', x, p, dim, options);
}
/** Whether all elements are true (non-zero) (`torch.all`). @example `tensor([true, false]).all().item(); // 0` */
export function all(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return notYet('all', x, dim, options);
}
/** Whether any element is true (non-zero) (`torch.any`). @example `tensor([true, false]).any().item(); // 1` */
export function any(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return notYet('any', x, dim, options);
}
/** Cumulative sum along `dim` (`torch.cumsum`). @example `tensor([1, 2, 3]).cumsum(0).tolist(); // [1, 3, 6]` */
export function cumsum(x: Tensor, dim: number): Tensor {
  return notYet('cumsum', x, dim);
}

