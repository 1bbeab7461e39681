/**
 * The extreme-value reductions: max and min (over everything, or `{ values, indices }` along a
 * dim), amax, amin, argmax and argmin. They work on float32, int32 and bool (argmax/argmin not on
 * bool, as in PyTorch). NaN wins, as in PyTorch: a slice holding NaN has the value NaN and the
 * index of its first NaN.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { DTypeError } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, where } from './arith.js';
import type { ReduceOptions, ValuesIndices } from './reduce.js';
import { checkNonEmpty, emptyGrad, keep, keptShape, reducedShape, reductionDims } from './reduce-util.js';
import { checkTensor, normDim } from './util.js';

type Kind = 'max' | 'min';

/** The largest or smallest values over `dims`; bools compare as 0 and 1 and stay bool. */
function extremeHandle(h: Handle, dims: number[], keepdim: boolean, kind: Kind): Handle {
  if (dims.length === 0) return tf.clone(h);
  const src = h.dtype === 'bool' ? tf.cast(h, 'int32') : h;
  const v = kind === 'max' ? tf.max(src, dims, keepdim) : tf.min(src, dims, keepdim);
  return h.dtype === 'bool' ? tf.cast(v, 'bool') : v;
}

/** The index of the first extreme along `axis`, or of the first NaN where a slice has one. */
function indexHandle(h: Handle, axis: number, kind: Kind): Handle {
  const src = h.dtype === 'bool' ? tf.cast(h, 'int32') : h;
  const pick = kind === 'max' ? tf.argMax(src, axis) : tf.argMin(src, axis);
  if (h.dtype !== 'float32') return pick;
  const nan = tf.isNaN(h);
  return tf.where(tf.any(nan, axis), tf.argMax(tf.cast(nan, 'int32'), axis), pick);
}

/**
 * An extreme over `dims` whose gradient is shared evenly among the elements equal to it (amax,
 * amin, and max/min over everything, where NaN elements count as equal to a NaN result).
 */
function sharedExtreme(fn: string, kind: Kind, x: Tensor, dims: number[], keepdim: boolean, nodeName: string, full: boolean): Tensor {
  checkNonEmpty(fn, x.shape, dims, full);
  const h = x._handle;
  const shape = x.shape;
  return apply({
    name: fn,
    nodeName,
    inputs: [x],
    forward: () => extremeHandle(h, dims, keepdim, kind),
    save: (out) => [x, out],
    backward: (g, [x, out]) => {
      if (dims.length === 0) return [g];
      const hx = x!._handle;
      const ho = out!._handle;
      const share = wrap(
        tf.tidy(() => {
          const o = tf.reshape(ho, keptShape(shape, dims));
          let hit = tf.equal(hx, o);
          if (full) hit = tf.logicalOr(hit, tf.logicalAnd(tf.isNaN(hx), tf.isNaN(o)));
          const m = tf.cast(hit, 'float32');
          return tf.div(m, tf.sum(m, dims, true));
        }),
      );
      return [mul(keep(g, shape, dims), share)];
    },
  });
}

/** max/min along one dim: the values, whose gradient goes to the index position only, and the indices. */
function extremeAlong(fn: Kind, x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const axis = normDim(fn, dim, x.ndim);
  const dims = reductionDims(fn, axis, x.ndim);
  checkNonEmpty(fn, x.shape, dims, false);
  const h = x._handle;
  const shape = x.shape;
  const indices = apply({
    name: fn === 'max' ? 'argmax' : 'argmin',
    inputs: [x],
    forward: () => {
      if (dims.length === 0) return tf.zeros([], 'int32');
      const i = indexHandle(h, axis, fn);
      return keepdim ? tf.reshape(i, keptShape(shape, dims)) : i;
    },
  });
  const hi = indices._handle;
  let kept: Tensor | null = null;
  const values = apply({
    name: fn,
    nodeName: fn === 'max' ? 'MaxBackward0' : 'MinBackward0',
    inputs: [x],
    forward: () => extremeHandle(h, dims, keepdim, fn),
    // A copy of the indices, so that the user may free theirs before backward().
    own: () => {
      kept = wrap(tf.clone(hi));
      return [kept];
    },
    backward: (g) => {
      if (dims.length === 0) return [g];
      if (x.numel() === 0) return [emptyGrad(shape)];
      const hk = kept!._handle;
      const n = shape[axis]!;
      const hit = wrap(
        tf.tidy(() => {
          const positions = tf.reshape(tf.range(0, n, 1, 'int32'), shape.map((s, i) => (i === axis ? s : 1)));
          return tf.equal(positions, tf.reshape(hk, keptShape(shape, dims)));
        }),
      );
      return [where(hit, keep(g, shape, dims), 0)];
    },
  });
  return { values, indices };
}

/**
 * The largest value (`torch.max`). Without `dim`, a 0-d tensor whose gradient is shared evenly
 * among tied maxima; with `dim`, `{ values, indices }` along it, where the gradient goes to the
 * position in `indices` (the first maximum).
 *
 * @example
 * ```ts
 * tensor([1, 3, 2]).max().item(); // 3
 * const { values, indices } = tensor([[1, 5], [7, 2]]).max(1);
 * values.tolist();  // [5, 7]
 * indices.tolist(); // [1, 0]
 * ```
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, options?: ReduceOptions): ValuesIndices;
export function max(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor | ValuesIndices {
  checkTensor('max', 'input', x);
  if (dim === undefined) return sharedExtreme('max', 'max', x, reductionDims('max', null, x.ndim), false, 'MaxBackward1', true);
  return extremeAlong('max', x, dim, options.keepdim ?? false);
}

/**
 * The smallest value (`torch.min`): a 0-d tensor without `dim` (ties share the gradient), or
 * `{ values, indices }` along `dim` (the gradient goes to the first minimum).
 *
 * @example
 * ```ts
 * tensor([1, 3, 2]).min().item(); // 1
 * tensor([[1, 5], [7, 2]]).min(1).indices.tolist(); // [0, 1]
 * ```
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, options?: ReduceOptions): ValuesIndices;
export function min(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor | ValuesIndices {
  checkTensor('min', 'input', x);
  if (dim === undefined) return sharedExtreme('min', 'min', x, reductionDims('min', null, x.ndim), false, 'MinBackward1', true);
  return extremeAlong('min', x, dim, options.keepdim ?? false);
}

/**
 * Largest values over one or more dims, or all of them (`torch.amax`); tied maxima share the
 * gradient evenly.
 *
 * @example
 * ```ts
 * tensor([[1, 5], [7, 2]]).amax(1).tolist();      // [5, 7]
 * tensor([[1, 5], [7, 2]]).amax([0, 1]).item();  // 7
 * ```
 */
export function amax(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  checkTensor('amax', 'input', x);
  return sharedExtreme('amax', 'max', x, reductionDims('amax', dim, x.ndim), options.keepdim ?? false, 'AmaxBackward0', false);
}

/**
 * Smallest values over one or more dims, or all of them (`torch.amin`); tied minima share the
 * gradient evenly.
 *
 * @example
 * ```ts
 * tensor([[1, 5], [7, 2]]).amin(1).tolist(); // [1, 2]
 * ```
 */
export function amin(x: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  checkTensor('amin', 'input', x);
  return sharedExtreme('amin', 'min', x, reductionDims('amin', dim, x.ndim), options.keepdim ?? false, 'AminBackward0', false);
}

function argExtreme(fn: 'argmax' | 'argmin', kind: Kind, x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  checkTensor(fn, 'input', x);
  if (x.dtype === 'bool') throw new DTypeError(`${fn}(): input must be float32 or int32 (got dtype bool); cast it first, e.g. x.int()`);
  const h = x._handle;
  const shape = x.shape;
  if (dim === undefined || dim === null) {
    checkNonEmpty(fn, shape, reductionDims(fn, null, x.ndim), true);
    return apply({
      name: fn,
      inputs: [x],
      forward: () => {
        const i = indexHandle(tf.reshape(h, [-1]), 0, kind);
        return keepdim ? tf.reshape(i, shape.map(() => 1)) : i;
      },
    });
  }
  const axis = normDim(fn, dim, x.ndim);
  const dims = reductionDims(fn, axis, x.ndim);
  checkNonEmpty(fn, shape, dims, false);
  return apply({
    name: fn,
    inputs: [x],
    forward: () => {
      if (dims.length === 0) return tf.zeros([], 'int32');
      const i = indexHandle(h, axis, kind);
      return keepdim ? tf.reshape(i, reducedShape(shape, dims, true)) : i;
    },
  });
}

/**
 * Index of the largest value (`torch.argmax`): into the flattened tensor without `dim`, along
 * `dim` otherwise. The first one wins ties. Returns int32.
 *
 * @example
 * ```ts
 * tensor([1, 3, 2]).argmax().item();              // 1
 * tensor([[1, 5], [7, 2]]).argmax(1).tolist();   // [1, 0]
 * ```
 */
export function argmax(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return argExtreme('argmax', 'max', x, dim, options.keepdim ?? false);
}

/**
 * Index of the smallest value (`torch.argmin`): into the flattened tensor without `dim`, along
 * `dim` otherwise. The first one wins ties. Returns int32.
 *
 * @example
 * ```ts
 * tensor([1, 3, 0]).argmin().item();             // 2
 * tensor([[1, 5], [7, 2]]).argmin(0).tolist();  // [0, 1]
 * ```
 */
export function argmin(x: Tensor, dim?: number | null, options: ReduceOptions = {}): Tensor {
  return argExtreme('argmin', 'min', x, dim, options.keepdim ?? false);
}
