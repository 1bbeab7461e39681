/**
 * `schedule()`: which steps a {@link Profiler} skips, warms up on and records, as
 * `torch.profiler.schedule`.
 * @module
 */
import { ArgumentError } from '@flint/core';

/**
 * What the profiler does during a step: nothing, run without keeping events (warm-up), record,
 * or record and then hand the trace to `onTraceReady` (the last step of an active span).
 *
 * @example
 * ```ts
 * const everyOtherStep: Schedule = (step): ProfilerAction => (step % 2 === 0 ? 'RECORD_AND_SAVE' : 'NONE');
 * ```
 */
export type ProfilerAction = 'NONE' | 'WARMUP' | 'RECORD' | 'RECORD_AND_SAVE';

/**
 * Maps a step number (from 0) to the {@link ProfilerAction} for that step.
 *
 * @example
 * ```ts
 * const s: Schedule = schedule({ wait: 1, warmup: 1, active: 2 });
 * s(0); // 'NONE'
 * ```
 */
export type Schedule = (step: number) => ProfilerAction;

/**
 * Options of {@link schedule}, as `torch.profiler.schedule`'s arguments.
 *
 * @example
 * ```ts
 * const options: ScheduleOptions = { wait: 1, warmup: 1, active: 3, repeat: 2, skipFirst: 10 };
 * ```
 */
export interface ScheduleOptions {
  /** Steps to idle at the start of each cycle. */
  wait: number;
  /** Steps to run with the profiler on but events discarded, after `wait`. */
  warmup: number;
  /** Steps to record, after `warmup`; at least 1. */
  active: number;
  /** How many cycles to run; 0 (the default) repeats until the profiler stops. */
  repeat?: number;
  /** Steps to ignore before the first cycle. Default 0. */
  skipFirst?: number;
}

function count(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const got = typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value) ?? typeof value;
    throw new ArgumentError(`schedule(): ${name} must be an integer >= ${min} (got ${got})`);
  }
  return value;
}

/**
 * A schedule that skips `skipFirst` steps, then repeats cycles of `wait` idle steps, `warmup`
 * warm-up steps and `active` recorded steps; the trace is ready at the end of each active span.
 * `repeat` cycles, or forever when 0.
 *
 * @example
 * ```ts
 * const prof = new Profiler({
 *   schedule: schedule({ wait: 1, warmup: 1, active: 2, repeat: 1 }),
 *   onTraceReady: (p) => console.log(p.keyAverages().table({ sortBy: 'selfCpuTimeTotal', rowLimit: 5 })),
 * }).start();
 * for (let i = 0; i < 5; i++) { trainStep(); prof.step(); }
 * prof.stop();
 * ```
 */
export function schedule(options: ScheduleOptions): Schedule {
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError(`schedule(): options must be an object { wait, warmup, active, repeat?, skipFirst? } (got ${String(options)})`);
  }
  const wait = count('wait', options.wait, 0);
  const warmup = count('warmup', options.warmup, 0);
  const active = count('active', options.active, 1);
  const repeat = count('repeat', options.repeat ?? 0, 0);
  const skipFirst = count('skipFirst', options.skipFirst ?? 0, 0);
  const cycle = wait + warmup + active;
  return (step: number): ProfilerAction => {
    if (step < skipFirst) return 'NONE';
    const s = step - skipFirst;
    if (repeat > 0 && Math.floor(s / cycle) >= repeat) return 'NONE';
    const m = s % cycle;
    if (m < wait) return 'NONE';
    if (m < wait + warmup) return 'WARMUP';
    return m < cycle - 1 ? 'RECORD' : 'RECORD_AND_SAVE';
  };
}
