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
  _grad: Tracked | null;
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
  /** How deep the scope is nested (0 at the outermost). */
  readonly depth: number;
  constructor(readonly parent: Scope | undefined) {
    this.depth = parent === undefined ? 0 : parent.depth + 1;
  }
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

/** The safety net warns once this many tensors, or bytes, were collected instead of freed. */
const WARN_TENSORS = 1000;
const WARN_BYTES = 256 * 2 ** 20;
let collectedBytes = 0;

const registry = new FinalizationRegistry<Held>((held) => {
  const d = stats[held.device];
  d.numTensors--;
  d.numBytes -= held.bytes;
  if (!held.h.isDisposed) held.h.dispose();
  collected++;
  collectedBytes += held.bytes;
  // A few dropped tensors from set-up code are normal; many mean a loop that leaks.
  if (!warned && (collected >= WARN_TENSORS || collectedBytes >= WARN_BYTES)) {
    warned = true;
    process.emitWarning(
      `flint: ${collected} tensors (${(collectedBytes / 2 ** 20).toFixed(1)} MiB) were garbage-collected without being freed; ` +
        'their memory was released late. Run the code that makes them inside scope() (a training step, for instance), ' +
        'or call dispose() on tensors you no longer need.',
      { code: 'FLINT_TENSOR_LEAK' },
    );
  }
});

/**
 * Scopes opened with {@link beginScope} for loops (a DataLoader's iteration, an engine's step):
 * they stay open across the loop body, which runs in the caller's async context.
 */
const open: Scope[] = [];

/** The innermost of the async-context scope and the innermost open loop scope. */
function current(): Scope | undefined {
  const s = storage.getStore();
  if (open.length === 0) return s;
  const o = open[open.length - 1]!;
  return s === undefined || o.depth > s.depth ? o : s;
}

/** The scope new tensors belong to. @internal */
export function currentScope(): Scope | undefined {
  return current();
}

// The safety net watches only tensors that belong to no scope: a scope holds its tensors until it
// closes and then frees them, so a scoped tensor can never be collected unfreed. Registering each
// of the many short-lived tensors a training step makes would cost a weak cell and an unregister
// apiece for nothing. Invariant: a live tensor is registered exactly when its `_scope` is undefined.

function watch(t: Tracked): void {
  registry.register(t, { h: t._h, device: t._device, bytes: t._bytes }, t);
}

/** Moves a live tensor to scope `s` (or to none), keeping the invariant above. */
function moveTo(t: Tracked, s: Scope | undefined): void {
  const from = t._scope;
  if (from === s) return;
  if (from === undefined) registry.unregister(t);
  else from.tensors.delete(t);
  t._scope = s;
  if (s === undefined) watch(t);
  else s.tensors.add(t);
}

/** Takes a live tensor out of the books (its scope or the safety net) and its stats. */
function forget(t: Tracked): void {
  t._disposed = true;
  if (t._scope === undefined) registry.unregister(t);
  else {
    t._scope.tensors.delete(t);
    t._scope = undefined;
  }
  const d = stats[t._device];
  d.numTensors--;
  d.numBytes -= t._bytes;
}

/** Records a new tensor: counts it, puts it in the current scope or else under the safety net. @internal */
export function track(t: Tracked): void {
  const d = stats[t._device];
  d.numTensors++;
  d.numBytes += t._bytes;
  const s = current();
  if (s === undefined) watch(t);
  else {
    s.tensors.add(t);
    t._scope = s;
  }
}

/** Forgets a tensor whose handle now belongs to another tensor (in-place ops). @internal */
export function untrackMoved(t: Tracked): void {
  if (!t._disposed) forget(t);
}

/** Changes the byte count of a tensor whose handle was swapped. @internal */
export function retrack(t: Tracked, bytes: number): void {
  stats[t._device].numBytes += bytes - t._bytes;
  t._bytes = bytes;
  if (t._scope === undefined && !t._disposed) {
    registry.unregister(t);
    watch(t);
  }
}

/** Moves a live tensor's counts to another device (its storage moved there). @internal */
export function redevice(t: Tracked, device: 'cpu' | 'gpu'): void {
  if (t._disposed || t._device === device) return;
  const from = stats[t._device];
  from.numTensors--;
  from.numBytes -= t._bytes;
  const to = stats[device];
  to.numTensors++;
  to.numBytes += t._bytes;
  t._device = device;
  if (t._scope === undefined) {
    registry.unregister(t);
    watch(t);
  }
}

/** Frees a tensor's memory now. Safe to call twice. @internal */
export function disposeTensor(t: Tracked): void {
  if (t._disposed) return;
  forget(t);
  t._h.dispose();
  // A leaf's gradient belongs to it and goes with it.
  const g = t._grad;
  if (g !== null) {
    t._grad = null;
    disposeTensor(g);
  }
}

/** Takes a tensor out of every scope: it lives until disposed (or collected). @internal */
export function keepTensor<T extends Tracked>(t: T): T {
  if (!t._disposed) moveTo(t, undefined);
  return t;
}

/** Puts a tensor in the current scope, as if it were made now. @internal */
export function adoptTensor(t: Tracked): void {
  if (!t._disposed) moveTo(t, current());
}

function isTracked(v: unknown): v is Tracked {
  return typeof v === 'object' && v !== null && '_h' in v && '_scope' in v;
}

/** Moves `t`, and every tensor its graph still needs, from `from` into `to`. */
function rescue(t: Tracked, from: Scope, to: Scope | undefined, seen: Set<unknown>): void {
  if (seen.has(t)) return;
  seen.add(t);
  if (t._scope === from && !t._disposed) moveTo(t, to);
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
  // What is left was made here and is not needed outside: free it without disposeTensor's
  // per-tensor bookkeeping (scoped tensors are not under the safety net; the set is cleared below).
  for (const t of s.tensors) {
    t._disposed = true;
    t._scope = undefined;
    const d = stats[t._device];
    d.numTensors--;
    d.numBytes -= t._bytes;
    t._h.dispose();
    const g = t._grad;
    if (g !== null) {
      t._grad = null;
      disposeTensor(g);
    }
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
  const s = new Scope(current());
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

/** A scope opened by {@link beginScope}; `end()` closes it. */
export interface OpenScope {
  /** Frees what was made since the scope opened, except tensors in `result`. Safe to call twice. */
  end(result?: unknown): void;
}

/**
 * Opens a scope that stays open until `end()`: tensors made meanwhile, outside any inner
 * {@link scope}, belong to it. This is how loops free each iteration's tensors while the body runs
 * in the caller's code: `DataLoader` and the engine open one per iteration. Loops that interleave
 * across awaits should use {@link scope} with an async function instead.
 *
 * @example
 * ```ts
 * for (const batch of batches) {
 *   const s = beginScope();
 *   try { step(batch); } finally { s.end(); }
 * }
 * ```
 */
export function beginScope(): OpenScope {
  const s = new Scope(current());
  open.push(s);
  let ended = false;
  return {
    end(result?: unknown) {
      if (ended) return;
      ended = true;
      const i = open.lastIndexOf(s);
      if (i >= 0) open.splice(i, 1);
      closeScope(s, result);
    },
  };
}

/**
 * Takes tensors (also inside arrays, Maps and plain objects) out of every scope, so they live until
 * `dispose()`. Returns its argument.
 *
 * @example
 * ```ts
 * let best: Tensor | undefined;
 * scope(() => { best = keep(model.forward(x)); });
 * ```
 */
export function keep<T>(value: T): T {
  const visit = (v: unknown, depth: number): void => {
    if (depth > 64 || typeof v !== 'object' || v === null) return;
    if (isTracked(v)) {
      if (v._scope !== undefined) rescue(v, v._scope, undefined, new Set());
      keepTensor(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (v instanceof Map) for (const x of v.values()) visit(x, depth + 1);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return value;
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
