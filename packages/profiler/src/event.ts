/**
 * What the profiler records: one {@link ProfilerEvent} per op run, backward node run, user range
 * ({@link recordFunction}) and profiler step.
 * @module
 */

/**
 * The kind of a recorded event: a forward `'op'`, a `'backward'` node of the autograd graph
 * (named after it, `MulBackward0`), or a `'range'` (a {@link recordFunction} span, or the
 * `ProfilerStep#N` span of a scheduled profiler).
 *
 * @example
 * ```ts
 * const backward = prof.events.filter((e) => e.kind === 'backward').map((e) => e.name); // ['SumBackward0', ...]
 * ```
 */
export type EventKind = 'op' | 'backward' | 'range';

/**
 * One recorded op, backward node or range. Times are in microseconds of `performance.now()`;
 * `selfDuration` excludes the time of the events nested inside it.
 *
 * @example
 * ```ts
 * const prof = profile(() => x.matmul(w).relu());
 * for (const e of prof.events) console.log(e.name, e.kind, e.duration.toFixed(1), 'us');
 * ```
 */
export interface ProfilerEvent {
  /** Index of the event in {@link Profile.events}. */
  readonly id: number;
  /** The op's name (`'matmul'`), the node's name (`'MulBackward0'`) or the range's name. */
  readonly name: string;
  readonly kind: EventKind;
  /** The id of the event this one ran inside, or `null` at the top level. */
  readonly parentId: number | null;
  /** How many events enclose this one. */
  readonly depth: number;
  /** Start, in microseconds of `performance.now()`. */
  readonly start: number;
  /** Wall time from start to end, in microseconds. */
  readonly duration: number;
  /** `duration` less the durations of the events directly inside it (never negative). */
  readonly selfDuration: number;
  /** The backend that ran it (`'wasm'`, `'cpu'`, `'tensorflow'`). */
  readonly backend: string;
  /** Shapes of the op's tensor inputs, when recorded (`recordShapes`) and known; else `null`. */
  readonly inputShapes: readonly (readonly number[])[] | null;
  /** Net bytes the event left allocated (negative when it freed more), with `profileMemory`; else `null`. */
  readonly cpuMemoryUsage: number | null;
  /** `cpuMemoryUsage` less that of the events directly inside it, with `profileMemory`; else `null`. */
  readonly selfCpuMemoryUsage: number | null;
  /** Allocated bytes (the kernel library's count) before and after, with `profileMemory`; else `null`. */
  readonly memory: { readonly before: number; readonly after: number } | null;
  /** The caller's frames, innermost first, outside Flint's own code (`withStack`); else `null`. */
  readonly stack: readonly string[] | null;
  /** The profiler step (`Profiler.step()` count) the event started in. */
  readonly step: number;
  /** The worker thread it ran on (`0` for the main thread). */
  readonly threadId: number;
}
