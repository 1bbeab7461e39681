/**
 * What crosses between the loader and its workers: values with Tensors replaced by their data
 * (a typed array whose buffer is transferred, not copied) plus shape and dtype, and objects
 * with a `workerDescriptor()` replaced by that description. Tensors are made again on the
 * receiving thread: backends are per thread.
 * @internal
 * @module
 */
import { fromTypedArray } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { DataLoaderError } from './dataloader-error.js';
import { descriptorOf, isPlainObject, isSendable, type WorkerDescriptor } from './worker-descriptor.js';

const TAG = '__flint__';

interface EncodedTensor {
  [TAG]: 'tensor';
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

interface EncodedObject extends WorkerDescriptor {
  [TAG]: 'object';
}

function isTagged(v: unknown, kind: 'tensor' | 'object'): boolean {
  return isPlainObject(v) && v[TAG] === kind;
}

/**
 * Replaces Tensors and sendable objects in `value` (through arrays, plain objects and Maps) by
 * data that structured clone copies; buffers to transfer are pushed onto `transfer`. Tensor
 * data is always a fresh copy, so transferring it never detaches a buffer still in use.
 */
export function encode(fn: string, value: unknown, transfer: ArrayBuffer[]): unknown {
  if (typeof value === 'function' && isSendable(value)) {
    const d = descriptorOf(fn, 'value', value);
    const out: EncodedObject = { [TAG]: 'object', module: d.module, exportName: d.exportName, args: d.args.map((a) => encode(fn, a, transfer)) };
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Tensor) {
    const data = value.dataSync().slice();
    transfer.push(data.buffer as ArrayBuffer);
    const out: EncodedTensor = { [TAG]: 'tensor', dtype: value.dtype, shape: value.shape, data };
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => encode(fn, v, transfer));
  if (isSendable(value)) {
    const d = descriptorOf(fn, 'value', value);
    const out: EncodedObject = { [TAG]: 'object', module: d.module, exportName: d.exportName, args: d.args.map((a) => encode(fn, a, transfer)) };
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(fn, v, transfer);
    return out;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, encode(fn, v, transfer)]));
  return value;
}

/** The module URLs that `decode` will need loaded for the encoded `value`. */
export function modulesOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) for (const v of value) modulesOf(v, out);
  else if (isTagged(value, 'object')) {
    const o = value as unknown as EncodedObject;
    out.add(o.module);
    modulesOf(o.args, out);
  } else if (isPlainObject(value) && !isTagged(value, 'tensor')) for (const v of Object.values(value)) modulesOf(v, out);
  else if (value instanceof Map) for (const v of value.values()) modulesOf(v, out);
  return out;
}

/**
 * Undoes {@link encode}: makes Tensors (in the current scope) and rebuilds described objects
 * with `new module[exportName](...args)`, from `modules` already imported.
 */
export function decode(value: unknown, modules?: ReadonlyMap<string, Record<string, unknown>>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => decode(v, modules));
  if (isTagged(value, 'tensor')) {
    const t = value as unknown as EncodedTensor;
    return fromTypedArray(t.data, t.shape, t.dtype);
  }
  if (isTagged(value, 'object')) {
    const o = value as unknown as EncodedObject;
    const Ctor = modules?.get(o.module)?.[o.exportName];
    if (typeof Ctor !== 'function') {
      throw new DataLoaderError(
        `worker: ${o.module} has no exported class '${o.exportName}' (got ${Ctor === undefined ? 'no such export' : typeof Ctor}); check workerDescriptor().exportName`,
      );
    }
    return new (Ctor as new (...a: unknown[]) => unknown)(...o.args.map((a) => decode(a, modules)));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decode(v, modules);
    return out;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, decode(v, modules)]));
  return value;
}
