/**
 * Flat-position primitives behind gather, scatter and advanced indexing. `take` reads
 * `x.flatten()[pos]`, `putAdd` adds values at flat positions of a zero tensor (repeated positions
 * add up), and `put` writes values into a copy. Their backwards are written with each other, so
 * gradients of any order flow. Also the index checks those ops share.
 * @internal
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { DTypeError, ShapeError, describe } from '../errors.js';
import { nativeScatterAdd } from '../kernels/native.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './arith.js';
import { numelOf } from './util.js';

/** Row-major strides of a shape. @example `stridesOf([2, 3, 4]); // [12, 4, 1]` */
export function stridesOf(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d]!;
  }
  return out;
}

/**
 * A part of a flat-position sum: int32 values times `scale`, laid on result dims `at ..`; the
 * values are a handle `h` (the caller keeps ownership) or `0 .. range-1` on one dimension.
 */
export type PositionPart = { at: number; scale: number } & ({ h: Handle } | { range: number });

/** `0, 1, ..., n-1` as an int32 handle. @example `rangeHandle(3).arraySync(); // [0, 1, 2]` */
export function rangeHandle(n: number): Handle {
  return tf.range(0, n, 1, 'int32');
}

/**
 * The int32 tensor of `shape` whose entries are the sum of the broadcast parts: the flat
 * positions read by gather or written by scatter.
 *
 * @example
 * ```ts
 * // rows 0 and 2 of a [3, 4] tensor: 4 * row + column
 * positions([2, 4], [{ at: 0, scale: 4, h: rows }, { at: 1, scale: 1, range: 4 }]);
 * ```
 */
export function positions(shape: readonly number[], parts: readonly PositionPart[]): Tensor {
  return wrap(
    tf.tidy(() => {
      if (numelOf(shape) === 0) return tf.zeros(shape as number[], 'int32');
      let acc: Handle | null = null;
      for (const p of parts) {
        const h = 'h' in p ? p.h : rangeHandle(p.range);
        const lead = new Array<number>(p.at).fill(1);
        const tail = new Array<number>(shape.length - p.at - h.rank).fill(1);
        const placed = tf.reshape(h, [...lead, ...h.shape, ...tail]);
        const scaled = p.scale === 1 ? placed : tf.mul(placed, tf.scalar(p.scale, 'int32'));
        acc = acc === null ? scaled : tf.add(acc, scaled);
      }
      return acc === null ? tf.zeros(shape as number[], 'int32') : tf.broadcastTo(acc, shape as number[]);
    }),
  );
}

/** The flat positions of every element of a tensor of `shape` (an int32 arange of that shape). @example `allPositions([2, 2]).tolist(); // [[0, 1], [2, 3]]` */
export function allPositions(shape: readonly number[]): Tensor {
  return wrap(tf.tidy(() => tf.reshape(rangeHandle(numelOf(shape)), shape as number[])));
}

/** Throws unless `index` is an int32 tensor. @example `checkIndexDType('gather', 'index', idx);` */
export function checkIndexDType(fn: string, arg: string, index: Tensor): void {
  if (index.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): ${arg} must be an int32 tensor (got dtype ${index.dtype}); convert it with .int()`);
  }
}

/**
 * Checks that the values of `index` lie in `[0, size)` (or `[-size, size)` with `negative`) and
 * returns them with negatives wrapped, as a new tensor the caller owns. `label` prefixes the
 * error message (e.g. `'position 1: '`).
 *
 * @example
 * ```ts
 * boundIndex('index', tensor([-1, 0], { dtype: 'int32' }), 3, 0, true).tolist(); // [2, 0]
 * ```
 */
export function boundIndex(fn: string, index: Tensor, size: number, dim: number, negative: boolean, label = ''): Tensor {
  const h = index._handle;
  const values = h.dataSync() as Int32Array;
  const low = negative ? -size : 0;
  let wrapped = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < low || v >= size) {
      const valid = size === 0 ? 'none: the dimension is empty' : `${low} to ${size - 1}`;
      throw new ShapeError(`${fn}(): ${label}index ${v} is out of bounds for dimension ${dim} with size ${size} (valid indices: ${valid})`);
    }
    if (v < 0) wrapped = true;
  }
  if (!wrapped) return wrap(tf.clone(h));
  return wrap(tf.tensor(values.map((v) => (v < 0 ? v + size : v)), h.shape, 'int32'));
}

/** Private copy of a position tensor for a node to save. */
function ownCopy(pos: Tensor): Tensor {
  return wrap(tf.clone(pos._handle));
}

/**
 * `x.flatten()[pos]`, shaped like `pos` (`torch.take`); positions must be in range. The backward
 * adds the gradient back at the positions.
 *
 * @example
 * ```ts
 * take(tensor([[1, 2], [3, 4]]), tensor([3, 0], { dtype: 'int32' })).tolist(); // [4, 1]
 * ```
 * @internal
 */
export function take(x: Tensor, pos: Tensor, nodeName = 'TakeBackward0'): Tensor {
  const hx = x._handle;
  const own = ownCopy(pos);
  const hp = own._handle;
  const shape = x.shape;
  return apply({
    name: 'take',
    nodeName,
    inputs: [x],
    temps: [own],
    forward: () => (hp.size === 0 ? tf.zeros(hp.shape, hx.dtype) : tf.gather(tf.reshape(hx, [-1]), hp)),
    save: [own],
    backward: (g, [p]) => [putAdd(g, p!, shape)],
  });
}

/**
 * A zero tensor of `shape` with `src` added at the flat positions `pos` (same shape as `src`);
 * repeated positions add up. The backward takes the gradient at the positions.
 *
 * @example
 * ```ts
 * putAdd(ones([2]), tensor([1, 1], { dtype: 'int32' }), [3]).tolist(); // [0, 2, 0]
 * ```
 * @internal
 */
export function putAdd(src: Tensor, pos: Tensor, shape: readonly number[]): Tensor {
  const hs = src._handle;
  const own = ownCopy(pos);
  const hp = own._handle;
  const n = numelOf(shape);
  return apply({
    name: 'putAdd',
    nodeName: 'ScatterAddBackward0',
    inputs: [src],
    temps: [own],
    forward: () =>
      hs.size === 0 || n === 0
        ? tf.zeros(shape as number[], hs.dtype)
        : (nativeScatterAdd(hs, hp, shape) ?? tf.reshape(tf.scatterND(tf.reshape(hp, [-1, 1]), tf.reshape(hs, [-1]), [n]), shape as number[])),
    save: [own],
    backward: (g, [p]) => [take(g, p!)],
  });
}

/** Ones of `shape` with zeros at `pos` (as float32): the part of `x` that `put` keeps. */
function keptMask(shape: readonly number[], pos: Tensor): Tensor {
  const hp = pos._handle;
  return wrap(
    tf.tidy(() => {
      const n = numelOf(shape);
      const ones = tf.ones([n], 'float32');
      if (hp.size === 0 || n === 0) return tf.reshape(ones, shape as number[]);
      const flat = tf.reshape(hp, [-1, 1]);
      return tf.reshape(tf.tensorScatterUpdate(ones, flat, tf.zeros([hp.size], 'float32')), shape as number[]);
    }),
  );
}

/**
 * A copy of `x` with `src` written at the flat positions `pos` (same shape as `src`, same dtype
 * as `x`); with repeated positions one of the values wins. The gradient of `x` is zero where it
 * was overwritten; `src` gets the gradient at its positions.
 *
 * @example
 * ```ts
 * put(zeros([3]), tensor([2], { dtype: 'int32' }), tensor([5])).tolist(); // [0, 0, 5]
 * ```
 * @internal
 */
export function put(x: Tensor, pos: Tensor, src: Tensor, nodeName = 'IndexPutBackward0'): Tensor {
  if (src.dtype !== x.dtype) throw new DTypeError(`put(): src must have dtype ${x.dtype} (got ${describe(src)})`);
  const hx = x._handle;
  const hs = src._handle;
  const own = ownCopy(pos);
  const hp = own._handle;
  const shape = x.shape;
  return apply({
    name: 'put',
    nodeName,
    inputs: [x, src],
    temps: [own],
    forward: () =>
      hp.size === 0
        ? tf.clone(hx)
        : tf.reshape(tf.tensorScatterUpdate(tf.reshape(hx, [-1]), tf.reshape(hp, [-1, 1]), tf.reshape(hs, [-1])), shape),
    save: [own],
    backward: (g, [p], needs) => [needs[0] ? mul(g, keptMask(shape, p!)) : null, needs[1] ? take(g, p!) : null],
  });
}
