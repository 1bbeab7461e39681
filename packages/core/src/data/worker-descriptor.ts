/**
 * How a dataset (or a collate function, a transform, a worker init function) travels to a worker.
 * Objects cannot be shared between threads, so the worker rebuilds them from a description: the
 * URL of the module that exports the class, the export's name, and the constructor's arguments,
 * the analog of PyTorch pickling a dataset. This file checks descriptions on the main thread.
 * @module
 */
import { describe } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { DataLoaderError } from './dataloader-error.js';

/**
 * A module export a worker can load.
 *
 * @example
 * ```ts
 * const ref: ModuleExport = { module: import.meta.url, exportName: 'padCollate' };
 * ```
 */
export interface ModuleExport {
  /** The URL of the module (write `import.meta.url` in the module that exports it). */
  module: string;
  /** The name it is exported under. */
  exportName: string;
}

/**
 * How a worker rebuilds an object: `new (await import(module))[exportName](...args)`. `args` may
 * hold what structured clone copies (numbers, strings, arrays, plain objects, typed arrays,
 * Maps...), Tensors (sent as transferable buffers) and other objects that have a
 * `workerDescriptor()` themselves (a dataset inside a Subset, a transform).
 *
 * @example
 * ```ts
 * class Squares extends Dataset<number> {
 *   constructor(readonly n: number) { super(); }
 *   getItem(i: number) { return i * i; }
 *   len() { return this.n; }
 *   workerDescriptor(): WorkerDescriptor {
 *     return { module: import.meta.url, exportName: 'Squares', args: [this.n] };
 *   }
 * }
 * ```
 */
export interface WorkerDescriptor extends ModuleExport {
  /** The constructor's arguments. */
  args: readonly unknown[];
}

/**
 * An object a worker can rebuild: it has a `workerDescriptor()`.
 *
 * @example
 * ```ts
 * class Scale implements Sendable {
 *   constructor(readonly factor: number) {}
 *   workerDescriptor() { return { module: import.meta.url, exportName: 'Scale', args: [this.factor] }; }
 * }
 * ```
 */
export interface Sendable {
  /** Says how a worker rebuilds this object. */
  workerDescriptor(): WorkerDescriptor;
}

/**
 * A function a worker can run: the function itself carrying a `workerDescriptor` property (a
 * {@link ModuleExport}), or just its `{ module, exportName }`. A plain function works only on the
 * main thread (`numWorkers: 0`).
 *
 * @example
 * ```ts
 * export function seedNumpyLike(workerId: number) { ... }
 * seedNumpyLike.workerDescriptor = { module: import.meta.url, exportName: 'seedNumpyLike' };
 * ```
 */
export type WorkerFunction<F extends (...args: never[]) => unknown> = F | ModuleExport;

/** Whether `v` has a `workerDescriptor()` method. @internal */
export function isSendable(v: unknown): v is Sendable {
  // Callable objects (modules, transforms) count too when they describe themselves.
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { workerDescriptor?: unknown }).workerDescriptor === 'function';
}

/** Whether `v` is an object made by `{...}` or `Object.create(null)`. @internal */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Built-in objects that structured clone copies faithfully. */
function isCloneable(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof Map ||
    v instanceof Set ||
    (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)
  );
}

function checkModuleExport(fn: string, path: string, m: unknown): ModuleExport {
  if (typeof m !== 'object' || m === null) {
    throw new DataLoaderError(`${fn}: ${path} must be { module, exportName } (got ${describe(m)})`);
  }
  const { module, exportName } = m as Partial<ModuleExport>;
  if (typeof module !== 'string' || !/^(file|data):/.test(module)) {
    throw new DataLoaderError(
      `${fn}: ${path}.module must be the URL of a module, as import.meta.url gives it (got ${describe(module)})`,
    );
  }
  if (typeof exportName !== 'string' || exportName === '') {
    throw new DataLoaderError(`${fn}: ${path}.exportName must be the name of an export of ${module} (got ${describe(exportName)})`);
  }
  return { module, exportName };
}

/** Calls `value.workerDescriptor()` and checks what it returns. @internal */
export function descriptorOf(fn: string, path: string, value: Sendable): WorkerDescriptor {
  const d = value.workerDescriptor();
  const m = checkModuleExport(fn, `${path}.workerDescriptor()`, d);
  if (!Array.isArray(d.args)) {
    throw new DataLoaderError(`${fn}: ${path}.workerDescriptor().args must be an array of constructor arguments (got ${describe(d.args)})`);
  }
  return { ...m, args: d.args };
}

function cannotSend(fn: string, path: string, v: unknown, hint: string): DataLoaderError {
  return new DataLoaderError(`${fn}: ${path} cannot be sent to a worker (got ${describe(v)}): ${hint}`);
}

/**
 * Throws a {@link DataLoaderError} naming the first part of `value` that a worker cannot rebuild,
 * and what to add. `path` names `value` in the message. @internal
 */
export function checkSendable(fn: string, path: string, value: unknown, seen = new Set<unknown>()): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return;
  if (t === 'function' && !isSendable(value)) {
    throw cannotSend(fn, path, value, 'functions cannot cross threads; pass { module: import.meta.url, exportName } of an exported function instead, or use numWorkers: 0');
  }
  if (t === 'symbol') throw cannotSend(fn, path, value, 'symbols cannot cross threads');
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) return;
  if (isSendable(value)) {
    const d = descriptorOf(fn, path, value);
    d.args.forEach((a, i) => checkSendable(fn, `${path}.workerDescriptor().args[${i}]`, a, seen));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((x, i) => checkSendable(fn, `${path}[${i}]`, x, seen));
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, x] of Object.entries(value)) checkSendable(fn, `${path}.${k}`, x, seen);
    return;
  }
  if (value instanceof Map) {
    for (const [k, x] of value) checkSendable(fn, `${path}.get(${describe(k)})`, x, seen);
    return;
  }
  if (isCloneable(value as object)) return;
  const name = (value as object).constructor?.name ?? 'object';
  throw cannotSend(
    fn,
    path,
    value,
    `a worker rebuilds objects from a description; add a method workerDescriptor() { return { module: import.meta.url, exportName: '${name}', args: [/* constructor arguments */] }; } to ${name}, or use numWorkers: 0`,
  );
}

/**
 * The `{ module, exportName }` of a function given to the loader, or an error saying how to make
 * it sendable. `null` when `fn` is `undefined`. @internal
 */
export function functionRef(fn: string, option: string, f: unknown): ModuleExport | null {
  if (f === undefined || f === null) return null;
  if (typeof f === 'function') {
    const d = (f as { workerDescriptor?: unknown }).workerDescriptor;
    if (d === undefined) {
      const name = f.name || 'myFunction';
      throw new DataLoaderError(
        `${fn}: ${option} (${name}) cannot be sent to a worker: functions cannot cross threads. Export it and write ` +
          `${option}: { module: import.meta.url, exportName: '${name}' }, or set ${name}.workerDescriptor = { module: import.meta.url, exportName: '${name}' }; or use numWorkers: 0`,
      );
    }
    return checkModuleExport(fn, `${option}.workerDescriptor`, d);
  }
  return checkModuleExport(fn, option, f);
}
