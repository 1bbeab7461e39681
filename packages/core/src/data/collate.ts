/**
 * `defaultCollate` and `defaultConvert`: how the loader turns samples into a batch
 * (`torch.utils.data.default_collate` / `default_convert`).
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { stack } from '../ops/shape.js';
import { fromTypedArray, tensor } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { isPlainObject, type ModuleExport } from './worker-descriptor.js';

/**
 * The typed arrays that collate into tensors.
 *
 * @example
 * ```ts
 * const pixels: TypedArray = new Uint8Array(28 * 28);
 * ```
 */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | BigInt64Array;

/**
 * The batch {@link defaultCollate} makes from samples of type `T`.
 *
 * @example
 * ```ts
 * type B = Collated<{ image: Tensor; label: number; name: string }>; // { image: Tensor; label: Tensor; name: string[] }
 * ```
 */
export type Collated<T> = T extends Tensor | number | boolean | TypedArray
  ? Tensor
  : T extends string
    ? string[]
    : T extends Map<infer K, infer V>
      ? Map<K, Collated<V>>
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : never;

/**
 * What {@link defaultConvert} makes of a sample of type `T`.
 *
 * @example
 * ```ts
 * type S = Converted<{ x: Float32Array; y: number }>; // { x: Tensor; y: number }
 * ```
 */
export type Converted<T> = T extends TypedArray
  ? Tensor
  : T extends Tensor | number | boolean | string
    ? T
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Converted<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Converted<T[K]> }
        : T;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function kind(v: unknown): string {
  if (v instanceof Tensor) return 'a Tensor';
  if (typeof v === 'object' && v !== null && v.constructor?.name === 'Tensor') {
    return 'a Tensor from another copy of @flint/core (two installed copies, or sources and a build mixed)';
  }
  if (isTypedArray(v)) return `a ${v.constructor.name}`;
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'a Map';
  if (isPlainObject(v)) return 'an object';
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'} instance`;
  return `a ${typeof v}`;
}

const FN = 'defaultCollate';

/** Checks that every sample has the kind of `batch[0]` at `path`. */
function sameKind(batch: readonly unknown[], path: string, is: (v: unknown) => boolean): void {
  batch.forEach((v, i) => {
    if (!is(v)) {
      throw new ArgumentError(
        `${FN}(): batch[${i}]${path} is ${kind(v)} (${describe(v)}) but batch[0]${path} is ${kind(batch[0])}; every sample must have the same structure`,
      );
    }
  });
}

function collate(batch: readonly unknown[], path: string): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) {
    sameKind(batch, path, (v) => v instanceof Tensor);
    const ts = batch as Tensor[];
    ts.forEach((t, i) => {
      if (t.shape.length !== elem.shape.length || t.shape.some((d, k) => d !== elem.shape[k])) {
        throw new ShapeError(
          `${FN}(): batch[${i}]${path} has shape [${t.shape.join(', ')}] but batch[0]${path} has shape [${elem.shape.join(', ')}]; ` +
            'tensors must match to be stacked (resize or pad them, or pass a collateFn)',
        );
      }
    });
    return stack(ts, 0);
  }
  if (typeof elem === 'number') {
    sameKind(batch, path, (v) => typeof v === 'number');
    const nums = batch as number[];
    if (!nums.every((v) => Number.isInteger(v))) return fromTypedArray(Float32Array.from(nums), [nums.length], 'float32');
    nums.forEach((v, i) => {
      if (v < INT32_MIN || v > INT32_MAX) {
        throw new ArgumentError(
          `${FN}(): batch[${i}]${path} = ${v} is an integer outside int32, and integers collate to int32 (Flint has no int64); return it as a float32 Tensor or a Float32Array instead`,
        );
      }
    });
    return fromTypedArray(Int32Array.from(nums), [nums.length], 'int32');
  }
  if (typeof elem === 'boolean') {
    sameKind(batch, path, (v) => typeof v === 'boolean');
    return fromTypedArray(Uint8Array.from(batch as boolean[], (b) => (b ? 1 : 0)), [batch.length], 'bool');
  }
  if (typeof elem === 'string') {
    sameKind(batch, path, (v) => typeof v === 'string');
    return [...batch];
  }
  if (isTypedArray(elem)) {
    sameKind(batch, path, isTypedArray);
    const float = (a: TypedArray): boolean => a instanceof Float32Array || a instanceof Float64Array;
    (batch as TypedArray[]).forEach((a, i) => {
      if (a.length !== elem.length || float(a) !== float(elem)) {
        throw new ShapeError(
          `${FN}(): batch[${i}]${path} is a ${a.constructor.name} of length ${a.length} but batch[0]${path} is a ${elem.constructor.name} of length ${elem.length}; ` +
            'typed arrays must have the same length and number kind to be stacked',
        );
      }
    });
    const rows = (batch as TypedArray[]).map((a) => tensor(a));
    try {
      return stack(rows, 0);
    } finally {
      for (const r of rows) r.dispose();
    }
  }
  if (Array.isArray(elem)) {
    sameKind(batch, path, Array.isArray);
    (batch as unknown[][]).forEach((a, i) => {
      if (a.length !== elem.length) {
        throw new ShapeError(
          `${FN}(): batch[${i}]${path} has ${a.length} entries but batch[0]${path} has ${elem.length}; every sample must have the same structure`,
        );
      }
    });
    return elem.map((_, k) => collate((batch as unknown[][]).map((a) => a[k]), `${path}[${k}]`));
  }
  if (elem instanceof Map) {
    sameKind(batch, path, (v) => v instanceof Map);
    const out = new Map<unknown, unknown>();
    for (const key of elem.keys()) {
      const p = `${path}.get(${describe(key)})`;
      (batch as Map<unknown, unknown>[]).forEach((m, i) => {
        if (!m.has(key)) throw new ArgumentError(`${FN}(): batch[${i}] has no ${p} but batch[0] has; every sample must have the same keys`);
      });
      out.set(key, collate((batch as Map<unknown, unknown>[]).map((m) => m.get(key)), p));
    }
    return out;
  }
  if (isPlainObject(elem)) {
    sameKind(batch, path, isPlainObject);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      const p = `${path}.${key}`;
      (batch as Record<string, unknown>[]).forEach((o, i) => {
        if (!(key in o)) throw new ArgumentError(`${FN}(): batch[${i}] has no key ${p} but batch[0] has; every sample must have the same keys`);
      });
      out[key] = collate((batch as Record<string, unknown>[]).map((o) => o[key]), p);
    }
    return out;
  }
  throw new ArgumentError(
    `${FN}(): batch[0]${path} is ${kind(elem)} (${describe(elem)}); defaultCollate handles Tensors, numbers, booleans, strings, ` +
      'typed arrays, arrays, Maps and plain objects of those; pass a collateFn for anything else',
  );
}

/**
 * Puts samples together into a batch, as PyTorch's `default_collate` does: Tensors are stacked
 * along a new first dimension; numbers become a 1-D tensor, int32 when every number in the batch
 * is an integer and float32 otherwise (JavaScript cannot tell `1` from `1.0`: return a Tensor or
 * a Float32Array to choose the dtype yourself); booleans a bool tensor; typed arrays are stacked
 * (float32 from Float32/Float64Array, int32 from the integer arrays); strings stay an array of
 * strings; arrays are collated position by position and plain objects (and Maps) key by key.
 * Samples of different structure or shape are an error that names the sample and the path.
 *
 * @example
 * ```ts
 * const batch = defaultCollate([
 *   { image: zeros([3, 8, 8]), label: 1, name: 'a' },
 *   { image: ones([3, 8, 8]), label: 0, name: 'b' },
 * ]);
 * batch.image.shape; // [2, 3, 8, 8]
 * batch.label.dtype; // 'int32'
 * batch.name;        // ['a', 'b']
 * ```
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new ArgumentError(`${FN}(): batch must be a non-empty array of samples (got ${describe(batch)})`);
  }
  return collate(batch, '') as Collated<T>;
}
defaultCollate.workerDescriptor = { module: import.meta.url, exportName: 'defaultCollate' } as ModuleExport;

function convert(v: unknown): unknown {
  if (isTypedArray(v)) return tensor(v);
  if (Array.isArray(v)) return v.map(convert);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, convert(x)]));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = convert(x);
    return out;
  }
  return v;
}

/**
 * The loader's `collateFn` when `batchSize` is `null` (no batching), as PyTorch's
 * `default_convert`: typed arrays become tensors (through arrays, plain objects and Maps);
 * everything else, Tensors and numbers included, stays as it is.
 *
 * @example
 * ```ts
 * defaultConvert({ x: new Float32Array([1, 2]), y: 3 }); // { x: Tensor([2]), y: 3 }
 * ```
 */
export function defaultConvert<T>(sample: T): Converted<T> {
  return convert(sample) as Converted<T>;
}
defaultConvert.workerDescriptor = { module: import.meta.url, exportName: 'defaultConvert' } as ModuleExport;
