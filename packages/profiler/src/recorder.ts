/**
 * The recording machinery behind {@link Profiler}: the dispatch hook core calls around every op
 * (forward, and backward node by node), the stack of open events that gives nesting and self
 * times, and the async-context store that lets {@link recordFunction} ranges span `await`s.
 * @internal
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { threadId } from 'node:worker_threads';
import { backend, memory, setDispatchHook, FlintError, type DispatchHook } from '@flint/core';
import type { EventKind, ProfilerEvent } from './event.js';
import { captureStack } from './stack.js';

/** What the recorder is told to collect. @internal */
export interface RecorderOptions {
  recordShapes: boolean;
  profileMemory: boolean;
  withStack: boolean;
  asyncBackend: boolean;
}

/** Something with a shape, as core passes op inputs to the hook. */
interface Shaped {
  readonly shape: readonly number[];
}

/** An event being recorded (mutable until it ends). */
class Rec {
  /** Position in the recorder's list, and which list (`take()` and `discard()` start a new one). */
  index = 0;
  batch = 0;
  end = NaN;
  inputShapes: number[][] | null = null;
  memBefore = NaN;
  memAfter = NaN;
  stack: string[] | null = null;
  constructor(
    readonly name: string,
    readonly kind: EventKind,
    readonly parent: Rec | null,
    readonly backend: string,
    readonly step: number,
    public start: number,
  ) {}
}

/** The innermost open range of the current async context. */
const ranges = new AsyncLocalStorage<Rec>();
let active: Recorder | null = null;

/** The recorder now installed, if any. @internal */
export function activeRecorder(): Recorder | null {
  return active;
}

/** Microseconds of `performance.now()`. */
function now(): number {
  return performance.now() * 1000;
}

function allocatedBytes(): number {
  return memory().backend.numBytes;
}

const backwardNames = new Map<string, boolean>();

/** Core runs backward nodes through the hook under their node names (`MulBackward0`). */
function isBackwardName(name: string): boolean {
  let b = backwardNames.get(name);
  if (b === undefined) {
    b = /Backward\d+$/.test(name);
    backwardNames.set(name, b);
  }
  return b;
}

/** Waits for the device work behind an op's result (a handle, a tensor, or an array of them). */
function settle(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) settle(x);
    return;
  }
  if (typeof v === 'object' && v !== null && typeof (v as { dataSync?: unknown }).dataSync === 'function') {
    (v as { dataSync(): unknown }).dataSync();
  }
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Records events while installed as core's dispatch hook. @internal */
export class Recorder {
  private records: Rec[] = [];
  private batch = 0;
  /** Events open on the synchronous call stack, innermost last. */
  private readonly open: Rec[] = [];
  /** The open `ProfilerStep#N` range, parent of everything else in the step. */
  private stepRange: Rec | null = null;
  private previousHook: DispatchHook | null = null;
  /** The profiler step new events belong to. */
  step = 0;

  constructor(readonly options: RecorderOptions) {}

  /** Installs the hook; one recorder at a time. */
  install(caller: string): void {
    if (active !== null) {
      throw new FlintError(`${caller}: another profiler is already recording; stop() it before starting a new one`);
    }
    active = this;
    this.previousHook = setDispatchHook(this.hook);
  }

  /** Removes the hook and restores the one that was there before. */
  uninstall(): void {
    if (active !== this) return;
    setDispatchHook(this.previousHook);
    this.previousHook = null;
    active = null;
  }

  private begin(name: string, kind: EventKind, inputs?: readonly Shaped[]): Rec {
    let parent = this.open.length > 0 ? this.open[this.open.length - 1]! : (ranges.getStore() ?? null);
    // A callback scheduled inside a range may run after the range ended: attach it further out.
    while (parent !== null && !Number.isNaN(parent.end)) parent = parent.parent;
    if (parent === null) parent = this.stepRange;
    const rec = new Rec(name, kind, parent, backend(), this.step, 0);
    if (this.options.recordShapes && inputs !== undefined) rec.inputShapes = inputs.map((t) => [...t.shape]);
    if (this.options.withStack) rec.stack = captureStack(kind !== 'range');
    if (this.options.profileMemory) rec.memBefore = allocatedBytes();
    rec.index = this.records.length;
    rec.batch = this.batch;
    this.records.push(rec);
    rec.start = now();
    return rec;
  }

  private finish(rec: Rec): void {
    rec.end = now();
    if (this.options.profileMemory) rec.memAfter = allocatedBytes();
  }

  /** The function core calls around every op's kernel call; `inputs` when core passes them. */
  readonly hook = <T>(name: string, run: () => T, inputs?: readonly Shaped[]): T => {
    const rec = this.begin(name, isBackwardName(name) ? 'backward' : 'op', inputs);
    this.open.push(rec);
    try {
      const out = run();
      if (this.options.asyncBackend) settle(out);
      return out;
    } finally {
      this.finish(rec);
      this.open.pop();
    }
  };

  /** Runs `fn` as a named range: sync, or async until its promise settles. */
  range<T>(name: string, fn: () => T): T {
    const rec = this.begin(name, 'range');
    this.open.push(rec);
    let result: T;
    try {
      result = ranges.run(rec, fn);
    } catch (e) {
      this.finish(rec);
      throw e;
    } finally {
      this.open.pop();
    }
    if (!isPromiseLike(result)) {
      this.finish(rec);
      return result;
    }
    return Promise.resolve(result).then(
      (v) => {
        this.finish(rec);
        return v;
      },
      (e: unknown) => {
        this.finish(rec);
        throw e;
      },
    ) as T;
  }

  /** Opens the `ProfilerStep#N` range of the current step. */
  beginStep(): void {
    this.endStep();
    this.stepRange = this.begin(`ProfilerStep#${this.step}`, 'range');
  }

  /** Closes the open step range, if any. */
  endStep(): void {
    if (this.stepRange !== null) this.finish(this.stepRange);
    this.stepRange = null;
  }

  /** Drops what was recorded so far (a warm-up's events). */
  discard(): void {
    this.records = [];
    this.batch++;
  }

  /**
   * Returns what was recorded as immutable events and starts afresh. Events still open (an async
   * range that has not settled) end now.
   */
  take(): ProfilerEvent[] {
    const recs = this.records;
    const batch = this.batch;
    this.discard();
    const t = now();
    const memory = this.options.profileMemory;
    const mem = memory ? allocatedBytes() : NaN;
    const n = recs.length;
    const ends = new Float64Array(n);
    const memAfter = new Float64Array(n);
    const parents = new Int32Array(n).fill(-1);
    const childTime = new Float64Array(n);
    const childMem = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = recs[i]!;
      const open = Number.isNaN(r.end);
      ends[i] = open ? t : r.end;
      memAfter[i] = open ? mem : r.memAfter;
      const p = r.parent;
      if (p === null || p.batch !== batch) continue;
      parents[i] = p.index;
      childTime[p.index] += ends[i]! - r.start;
      if (memory) childMem[p.index] += memAfter[i]! - r.memBefore;
    }
    const events: ProfilerEvent[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = recs[i]!;
      const p = parents[i]!;
      const duration = ends[i]! - r.start;
      const usage = memory ? memAfter[i]! - r.memBefore : null;
      events[i] = {
        id: i,
        name: r.name,
        kind: r.kind,
        parentId: p < 0 ? null : p,
        depth: p < 0 ? 0 : events[p]!.depth + 1,
        start: r.start,
        duration,
        selfDuration: Math.max(0, duration - childTime[i]!),
        backend: r.backend,
        inputShapes: r.inputShapes,
        cpuMemoryUsage: usage,
        selfCpuMemoryUsage: usage === null ? null : usage - childMem[i]!,
        memory: usage === null ? null : { before: r.memBefore, after: memAfter[i]! },
        stack: r.stack,
        step: r.step,
        threadId,
      };
    }
    return events;
  }
}
