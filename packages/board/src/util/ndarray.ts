/**
 * What the writer accepts as data, and its normalization to a flat array with a shape. Flint
 * Tensors are recognised by duck typing (`dataSync()`, `shape`, `dtype`), so `@flint/board` never
 * imports `@flint/core`.
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../errors.js';

/** A tensor as `@flint/core` (or tfjs) has it: anything with `dataSync()` and `shape`. */
export interface TensorLike {
  dataSync(): ArrayLike<number> | ArrayLike<boolean>;
  readonly shape: readonly number[];
  readonly dtype?: string;
}

/** A flat array with a shape, like ndarray: `{ data: new Uint8Array(h * w * 3), shape: [h, w, 3] }`. */
export interface NdArrayLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** Typed arrays of numbers. */
export type NumericTypedArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

/** Nested arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * Data the writer accepts: a number, nested arrays, a typed array (1-D), `{ data, shape }`, or a
 * Flint Tensor.
 */
export type ArrayInput = number | boolean | readonly NestedArray[] | NumericTypedArray | NdArrayLike | TensorLike;

/** How the numbers were typed, which decides image scaling (floats are [0, 1], ints [0, 255]). */
export type NdKind = 'float32' | 'float64' | 'int' | 'uint8' | 'bool';

/** Normalized data: flat values in row-major order, the shape, and the kind. */
export interface NdArray {
  data: ArrayLike<number>;
  shape: number[];
  kind: NdKind;
}

function kindOfTyped(a: ArrayLike<number>): NdKind {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  if (a instanceof Int8Array || a instanceof Int16Array || a instanceof Int32Array || a instanceof Uint16Array || a instanceof Uint32Array) return 'int';
  return 'float64';
}

function kindOfDtype(dtype: string | undefined, data: ArrayLike<number>): NdKind {
  switch (dtype) {
    case 'float32': case 'float16': case 'bfloat16': return 'float32';
    case 'float64': return 'float64';
    case 'bool': return 'bool';
    case 'uint8': return 'uint8';
    case 'int8': case 'int16': case 'int32': case 'int64': return 'int';
    default: return kindOfTyped(data);
  }
}

function isTensorLike(v: object): v is TensorLike {
  return typeof (v as TensorLike).dataSync === 'function' && Array.isArray((v as TensorLike).shape);
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Normalizes `value` for method `fn`, argument `arg`; throws a clear error naming both.
 *
 * @example
 * ```ts
 * toNdArray('addHistogram', 'values', [[1, 2], [3, 4]]); // { data: [1, 2, 3, 4], shape: [2, 2], kind: 'float64' }
 * ```
 */
export function toNdArray(fn: string, arg: string, value: unknown): NdArray {
  if (typeof value === 'number') return { data: [value], shape: [], kind: 'float64' };
  if (typeof value === 'boolean') return { data: [value ? 1 : 0], shape: [], kind: 'bool' };
  if (typeof value === 'bigint') return { data: [Number(value)], shape: [], kind: 'int' };
  if (typeof value !== 'object' || value === null) {
    throw new DTypeError(`${fn}(): ${arg} must be a number, an array, a typed array, { data, shape } or a Tensor (got ${describe(value)})`);
  }
  if (ArrayBuffer.isView(value)) {
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
      return { data: Array.from(value, Number), shape: [value.length], kind: 'int' };
    }
    if (value instanceof DataView) throw new DTypeError(`${fn}(): ${arg} must be a numeric typed array (got DataView)`);
    const a = value as unknown as ArrayLike<number>;
    return { data: a, shape: [a.length], kind: kindOfTyped(a) };
  }
  if (Array.isArray(value)) return fromNested(fn, arg, value);
  if (isTensorLike(value)) {
    if ((value as { isDisposed?: boolean }).isDisposed === true) {
      throw new ArgumentError(`${fn}(): ${arg} is a disposed tensor; log it before disposing it, or clone() it first`);
    }
    const raw = value.dataSync() as ArrayLike<number | boolean>;
    const data = typeof raw[0] === 'boolean' ? Array.from(raw as ArrayLike<boolean>, (b) => (b ? 1 : 0)) : (raw as ArrayLike<number>);
    const shape = [...value.shape];
    if (data.length !== numel(shape)) throw new ShapeError(`${fn}(): ${arg} has shape [${shape.join(', ')}] but dataSync() gave ${data.length} values`);
    return { data, shape, kind: kindOfDtype(value.dtype, data) };
  }
  const nd = value as Partial<NdArrayLike>;
  if (nd.data !== undefined && Array.isArray(nd.shape)) {
    const shape = [...nd.shape];
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`${fn}(): ${arg}.shape must hold non-negative integers (got [${shape.join(', ')}])`);
    const data = nd.data;
    if (typeof data !== 'object' || data === null || typeof (data as ArrayLike<number>).length !== 'number') {
      throw new DTypeError(`${fn}(): ${arg}.data must be an array or typed array (got ${describe(data)})`);
    }
    if (data.length !== numel(shape)) throw new ShapeError(`${fn}(): ${arg}.data has ${data.length} values but shape [${shape.join(', ')}] needs ${numel(shape)}`);
    if (Array.isArray(data) && data.some((x) => typeof x !== 'number')) throw new DTypeError(`${fn}(): ${arg}.data must hold numbers`);
    return { data, shape, kind: ArrayBuffer.isView(data) ? kindOfTyped(data) : 'float64' };
  }
  throw new DTypeError(`${fn}(): ${arg} must be a number, an array, a typed array, { data, shape } or a Tensor (got ${describe(value)})`);
}

function fromNested(fn: string, arg: string, value: readonly unknown[]): NdArray {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const out: number[] = [];
  let sawNumber = false;
  let sawBool = false;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth < shape.length) {
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new ShapeError(`${fn}(): ${arg} is ragged: ${arg}${path} should be an array of length ${shape[depth]} (got ${describe(v)})`);
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
      return;
    }
    if (typeof v === 'number') (sawNumber = true), out.push(v);
    else if (typeof v === 'boolean') (sawBool = true), out.push(v ? 1 : 0);
    else throw new DTypeError(`${fn}(): ${arg}${path} must be a number (got ${describe(v)})`);
  };
  walk(value, 0, '');
  return { data: out, shape, kind: sawBool && !sawNumber ? 'bool' : 'float64' };
}

/**
 * A single number from `value` (a number, or anything with one element), for scalars.
 *
 * @example
 * ```ts
 * toScalar('addScalar', 'scalarValue', [[0.5]]); // 0.5
 * ```
 */
export function toScalar(fn: string, arg: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    throw new DTypeError(`${fn}(): ${arg} must be a number or a one-element tensor (got the string ${describe(value)}); parse it with Number() first`);
  }
  const nd = toNdArray(fn, arg, value);
  if (nd.data.length !== 1) {
    throw new ShapeError(`${fn}(): ${arg} must hold exactly one value (got shape [${nd.shape.join(', ')}] with ${nd.data.length} values)`);
  }
  return Number(nd.data[0]);
}
