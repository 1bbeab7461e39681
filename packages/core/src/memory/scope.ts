/**
 * Deterministic memory: V8's garbage collector cannot see wasm or GPU memory, so Flint frees
 * tensors itself. Every tensor belongs to the innermost open {@link scope} (or to nobody at top
 * level); closing a scope frees what it made, except what it returns and what the graph of a
 * returned tensor still needs. A FinalizationRegistry frees tensors that were dropped without
 * dispose() and warns, as a safety net only.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle } from '../kernels/tf.js';
import { tf } from '../kernels/tf.js';

/** What the memory layer needs to know of a tensor. @internal */
export interface Tracked {
  _h: Handle;
  _scope: Scope | undefined;
  _disposed: boolean;
  _bytes: number;
  _device: 'cpu' | 'gpu';
  gradFn: GraphNode | null;
}

/** What the memory layer needs to know of an autograd node. @internal */
export interface GraphNode {
  _graphTensors(): Iterable<Tracked>;
  _nextNodes(): Iterable<GraphNode>;
}

/** A set of tensors freed together. @internal */
export class Scope {
  readonly tensors = new Set<Tracked>();
  constructor(readonly parent: Scope | undefined) {}
}

const storage = new AsyncLocalStorage<Scope | undefined>();
const stats = { cpu: { numTensors: 0, numBytes: 0 }, gpu: { numTensors: 0, numBytes: 0 } };
let collected = 0;
let warned = false;

interface Held {
  h: Handle;
  device: 'cpu' | 'gpu';
  bytes: number;
}

const registry = new FinalizationRegistry<Held>((held) => {
  const d = stats[held.device];
  d.numTensors--;
  d.numBytes -= held.bytes;
  if (!held.h.isDisposed) held.h.dispose();
  collected++;
  if (!warned) {
    warned = true;
    process.emitWarning(
      'flint: tensors were garbage-collected without being freed; their memory was released late. ' +
        'Run the code that makes them inside scope(), or call dispose() on tensors you no longer need.',
      { code: 'FLINT_TENSOR_LEAK' },
    );
  }
});

/** The scope new tensors belong to. @internal */
export function currentScope(): Scope | undefined {
  return storage.getStore();
}

/** Records a new tensor: counts it, puts it in the current scope and under the safety net. @internal */
export function track(t: Tracked): void {
  const s = storage.getStore();
  if (s !== undefined) {
    s.tensors.add(t);
    t._scope = s;
  }
  const d = stats[t._device];
  d.numTensors++;
  d.numBytes += t._bytes;
  registry.register(t, { h: t._h, device: t._device, bytes: t._bytes }, t);
}

/** Forgets a tensor whose handle now belongs to another tensor (in-place ops). @internal */
export function untrackMoved(t: Tracked): void {
  if (t._disposed) return;
  t._scope?.tensors.delete(t);
  t._scope = undefined;
  t._disposed = true;
  const d = stats[t._device];
  d.numTensors--;
  d.numBytes -= t._bytes;
  registry.unregister(t);
}

/** Changes the byte count of a tensor whose handle was swapped. @internal */
export function retrack(t: Tracked, bytes: number): void {
  stats[t._device].numBytes += bytes - t._bytes;
  t._bytes = bytes;
  registry.unregister(t);
  registry.register(t, { h: t._h, device: t._device, bytes: t._bytes }, t);
}

/** Frees a tensor's memory now. Safe to call twice. @internal */
export function disposeTensor(t: Tracked): void {
  if (t._disposed) return;
  t._disposed = true;
  t._scope?.tensors.delete(t);
  t._scope = undefined;
  registry.unregister(t);
  const d = stats[t._device];
  d.numTensors--;
  d.numBytes -= t._bytes;
  t._h.dispose();
}

/** Takes a tensor out of every scope: it lives until disposed (or collected). @internal */
export function keepTensor<T extends Tracked>(t: T): T {
  t._scope?.tensors.delete(t);
  t._scope = undefined;
  return t;
}

/** Puts a tensor in the current scope, as if it were made now. @internal */
export function adoptTensor(t: Tracked): void {
  const s = storage.getStore();
  if (t._scope === s || t._disposed) return;
  t._scope?.tensors.delete(t);
  t._scope = s;
  s?.tensors.add(t);
}

function isTracked(v: unknown): v is Tracked {
  return typeof v === 'object' && v !== null && '_h' in v && '_scope' in v;
}

/** Moves `t`, and every tensor its graph still needs, from `from` into `to`. */
function rescue(t: Tracked, from: Scope, to: Scope | undefined, seen: Set<unknown>): void {
  if (seen.has(t)) return;
  seen.add(t);
  if (t._scope === from) {
    from.tensors.delete(t);
    t._scope = to;
    to?.tensors.add(t);
  }
  if (t.gradFn !== null) rescueNode(t.gradFn, from, to, seen);
}

function rescueNode(n: GraphNode, from: Scope, to: Scope | undefined, seen: Set<unknown>): void {
  const stack = [n];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const g of node._graphTensors()) rescue(g, from, to, seen);
    for (const m of node._nextNodes()) if (!seen.has(m)) stack.push(m);
  }
}

function rescueValue(v: unknown, from: Scope, to: Scope | undefined, seen: Set<unknown>, depth: number): void {
  if (depth > 64 || typeof v !== 'object' || v === null) return;
  if (isTracked(v)) return rescue(v, from, to, seen);
  if (seen.has(v)) return;
  seen.add(v);
  if (Array.isArray(v)) for (const x of v) rescueValue(x, from, to, seen, depth + 1);
  else if (v instanceof Map) for (const x of v.values()) rescueValue(x, from, to, seen, depth + 1);
  else if (Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) rescueValue(x, from, to, seen, depth + 1);
  }
}

/** Closes a scope: keeps `result` (and the graphs behind it) in the parent, frees the rest. @internal */
export function closeScope(s: Scope, result: unknown): void {
  rescueValue(result, s, s.parent, new Set(), 0);
  for (const t of s.tensors) {
    t._scope = undefined;
    disposeTensor(t);
  }
  s.tensors.clear();
}

/**
 * Runs `fn` and frees every tensor it made, except the ones it returns (found in the returned
 * value, arrays, Maps and plain objects) and the tensors their autograd graph still needs, which
 * move to the enclosing scope. Works with async functions: tensors made across awaits inside
 * `fn` belong to this scope. Modules' parameters, optimizer state and `.grad` are never freed by
 * a scope.
 *
 * @example
 * ```ts
 * for (let step = 0; step < 1000; step++) {
 *   scope(() => {
 *     const loss = model.forward(x).sub(y).pow(2).mean();
 *     loss.backward();
 *   });
 * }
 * ```
 */
export function scope<T>(fn: () => T): T {
  const s = new Scope(storage.getStore());
  let result: T;
  try {
    result = storage.run(s, fn);
  } catch (e) {
    closeScope(s, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        closeScope(s, v);
        return v;
      },
      (e) => {
        closeScope(s, undefined);
        throw e;
      },
    ) as T;
  }
  closeScope(s, result);
  return result;
}

/** Runs `fn` in a fresh scope and returns the scope unclosed, for internal bookkeeping. @internal */
export function runInScope<T>(s: Scope, fn: () => T): T {
  return storage.run(s, fn);
}

/** Live tensors and their bytes on one device. */
export interface DeviceMemory {
  /** Tensors made and not yet freed. */
  numTensors: number;
  /** Bytes those tensors hold (a view counts its own bytes). */
  numBytes: number;
}

/** What {@link memory} reports. */
export interface MemoryInfo extends DeviceMemory {
  /** The same counts per device. */
  devices: { cpu: DeviceMemory; gpu: DeviceMemory };
  /** Tensors freed by the garbage-collector safety net instead of dispose() or a scope. */
  numCollected: number;
  /** What the kernel library itself holds: handles and distinct data buffers. */
  backend: { numTensors: number; numDataBuffers: number; numBytes: number };
}

/**
 * Live tensors and bytes, in total and per device, plus what the kernel library holds.
 *
 * @example
 * ```ts
 * const before = memory().numTensors;
 * scope(() => ones([3]).add(1));
 * memory().numTensors === before; // true
 * ```
 */
export function memory(): MemoryInfo {
  const m = tf.memory();
  return {
    numTensors: stats.cpu.numTensors + stats.gpu.numTensors,
    numBytes: stats.cpu.numBytes + stats.gpu.numBytes,
    devices: { cpu: { ...stats.cpu }, gpu: { ...stats.gpu } },
    numCollected: collected,
    backend: { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes },
  };
}
