/**
 * How a saved object maps onto a safetensors file. Tensors go to the header by name; the rest
 * of the object goes, as JSON, to the metadata key `"flint"`, each tensor replaced by
 * `{"$tensor": name}`. Numbers JSON can't hold are `{"$number": "NaN" | "Infinity" |
 * "-Infinity" | "-0"}`, and a plain object with a key starting with `$` is wrapped as
 * `{"$object": {...}}`, so user data is never read back as a tag.
 *
 * Tensor names are what other safetensors readers see: the keys themselves for a flat state dict
 * (`{"fc.weight": t}` gives `fc.weight`), dotted paths otherwise (`model.fc.weight`,
 * `optimizer.state.0.expAvg`).
 * @module
 */
import { describe } from '../errors.js';
import { bytesPerElement, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { FILE_DTYPE, METADATA } from './format.js';
import { SerializationError } from './serialization-error.js';

/** The metadata key holding the object's JSON. */
export const FLINT_KEY = 'flint';
/** The metadata key holding the format version. */
export const VERSION_KEY = 'flint_version';
/** The version this code writes and reads. */
export const VERSION = '1';

/** A tensor found in the object, with everything the header needs. */
export interface TensorSlot {
  name: string;
  /** Where it was in the object, for messages (`obj.model["fc.weight"]`). */
  path: string;
  tensor: Tensor;
  dtype: DType;
  shape: number[];
  nbytes: number;
}

/** `obj.key`, `obj[3]` or `obj["fc.weight"]`: a key appended to a path as code would write it. */
export function keyPath(path: string, key: string): string {
  if (/^(0|[1-9]\d*)$/.test(key)) return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A hint for values save() can't write. */
function hintFor(v: object | ((...a: unknown[]) => unknown)): string {
  const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  const article = /^[AEIOU]/.test(name) ? 'an' : 'a';
  if (typeof (v as { stateDict?: unknown }).stateDict === 'function') return `${article} ${name}; save its stateDict() instead`;
  if (typeof v === 'function') return 'a function';
  if (v instanceof Map) return 'a Map; convert it with Object.fromEntries(map)';
  if (v instanceof Set) return 'a Set; convert it with [...set]';
  if (ArrayBuffer.isView(v)) return `${article} ${name}; wrap it in tensor()`;
  if (v instanceof Date) return 'a Date; save date.toISOString() or date.getTime()';
  return `an instance of ${name}; convert it to a plain object`;
}

/**
 * Walks `obj` and returns the JSON for the metadata and the tensors in the order met, or throws
 * a {@link SerializationError} naming the path of the first value that can't be saved. Nothing is
 * read from the tensors yet: this runs before any byte is written.
 * @internal
 */
export function flatten(obj: unknown, fn: string): { json: string; tensors: TensorSlot[] } {
  const tensors: TensorSlot[] = [];
  const used = new Set<string>([METADATA]);
  const ancestors = new Map<object, string>();
  const fail = (problem: string): never => {
    throw new SerializationError(`${fn}(): ${problem}`);
  };
  const unsupported = (path: string, what: string): never =>
    fail(`${path} is ${what}; ${fn}() writes tensors, numbers, strings, booleans, null, arrays and plain objects`);
  // A flat state dict keeps its keys as tensor names, as PyTorch's safetensors files do.
  const flat =
    typeof obj === 'object' && obj !== null && !Array.isArray(obj) && !(obj instanceof Tensor) && isPlainObject(obj) &&
    Object.keys(obj).length > 0 && Object.entries(obj).every(([k, v]) => v instanceof Tensor && k !== METADATA);

  const addTensor = (t: Tensor, path: string, segments: readonly string[]): string => {
    if (t.isDisposed) fail(`${path} is a tensor whose memory was freed (by dispose() or by the scope() that made it)`);
    if (!(t.dtype in FILE_DTYPE)) fail(`${path} has dtype ${describe(t.dtype)}, which can't be saved (float32, int32 and bool can)`);
    const base = flat ? segments[0]! : segments.length === 0 ? 'tensor' : segments.join('.');
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}#${k}`;
    used.add(name);
    const shape = [...t.shape];
    tensors.push({ name, path, tensor: t, dtype: t.dtype, shape, nbytes: t.numel() * bytesPerElement(t.dtype) });
    return name;
  };

  const walk = (v: unknown, path: string, segments: readonly string[]): unknown => {
    if (v instanceof Tensor) return { $tensor: addTensor(v, path, segments) };
    switch (typeof v) {
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: Object.is(v, -0) ? '-0' : String(v) };
      case 'string':
      case 'boolean':
        return v;
      case 'undefined':
        return unsupported(path, 'undefined (use null for a missing value)');
      case 'bigint':
        return unsupported(path, `a bigint (${v}n; convert it with Number())`);
      case 'symbol':
        return unsupported(path, `a symbol (${String(v)})`);
      case 'function':
        return unsupported(path, hintFor(v as () => unknown));
    }
    if (v === null) return null;
    const o = v as object;
    const seen = ancestors.get(o);
    if (seen !== undefined) fail(`${path} refers back to ${seen}, a cycle; ${fn}() writes trees of values`);
    ancestors.set(o, path);
    try {
      if (Array.isArray(o)) {
        const out: unknown[] = [];
        for (let i = 0; i < o.length; i++) {
          if (o[i] === undefined) unsupported(`${path}[${i}]`, 'undefined (use null for a missing value)');
          out.push(walk(o[i], `${path}[${i}]`, [...segments, String(i)]));
        }
        return out;
      }
      if (!isPlainObject(o)) return unsupported(path, hintFor(o));
      const entries = Object.entries(o).filter(([, x]) => x !== undefined);
      // fromEntries (not assignment) so that a "__proto__" key stays an ordinary key.
      const out = Object.fromEntries(entries.map(([k, x]) => [k, walk(x, keyPath(path, k), [...segments, k])]));
      return entries.some(([k]) => k.startsWith('$')) ? { $object: out } : out;
    } finally {
      ancestors.delete(o);
    }
  };
  const json = JSON.stringify(walk(obj, 'obj', []));
  return { json, tensors };
}

/**
 * Rebuilds the object from the metadata JSON, calling `resolve(name)` for each tensor reference.
 * A malformed tree is reported through `corrupt` with the path of the bad value.
 * @internal
 */
export function unflatten(json: string, resolve: (name: string, path: string) => Tensor, corrupt: (problem: string) => never): unknown {
  let tree: unknown;
  try {
    tree = JSON.parse(json);
  } catch (e) {
    corrupt(`its "${FLINT_KEY}" metadata is not valid JSON (${(e as Error).message})`);
  }
  const entriesOf = (o: object, path: string): unknown =>
    Object.fromEntries(Object.entries(o).map(([k, x]) => [k, build(x, keyPath(path, k))]));
  const build = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => build(x, `${path}[${i}]`));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (!keys.some((k) => k.startsWith('$'))) return entriesOf(v, path);
    const tag = keys[0]!;
    const value = (v as Record<string, unknown>)[tag];
    if (keys.length !== 1) corrupt(`${path} has a "$" tag next to other keys (${keys.join(', ')})`);
    if (tag === '$tensor') {
      if (typeof value !== 'string') corrupt(`${path} refers to a tensor by ${describe(value)}, not by name`);
      return resolve(value as string, path);
    }
    if (tag === '$number') {
      const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
      if (typeof value !== 'string' || !(value in special)) corrupt(`${path} is an unknown special number ${describe(value)}`);
      return special[value as string];
    }
    if (tag === '$object') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) corrupt(`${path} wraps ${describe(value)} instead of an object`);
      return entriesOf(value as object, path);
    }
    return corrupt(`${path} has an unknown tag "${tag}"`);
  };
  return build(tree, 'obj');
}
