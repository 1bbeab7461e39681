/**
 * `Profiler` and `profile()`: record every Flint op, forward and backward, while code runs
 * (`torch.profiler.profile`).
 * @module
 */
import { ArgumentError, backend, FlintError, gpu } from '@flint/core';
import { Profile } from './profile.js';
import { Recorder } from './recorder.js';
import type { ProfilerAction, Schedule } from './schedule.js';

/**
 * Options of {@link Profiler} and {@link profile}, as `torch.profiler.profile`'s arguments.
 *
 * @example
 * ```ts
 * const options: ProfilerOptions = { recordShapes: true, profileMemory: true, onTraceReady: (p) => console.log(p.table()) };
 * ```
 */
export interface ProfilerOptions {
  /** Record the shapes of each op's inputs (when core passes them to its dispatch hook). Default false. */
  recordShapes?: boolean;
  /** Record the bytes each op and range left allocated, and a memory counter in the trace. Default false. */
  profileMemory?: boolean;
  /** Record the caller's stack (outside Flint) for each event. Costly. Default false. */
  withStack?: boolean;
  /** Which steps to record; see {@link schedule}. Default: record every step. */
  schedule?: Schedule;
  /** Called with the {@link Profile} at the end of each recorded span (and at `stop()`). */
  onTraceReady?: (profile: Profile) => void;
  /**
   * Wait for each op's device work before taking its end time (reads its output with
   * `dataSync()`), for backends whose kernels return before the work is done. wasm and cpu
   * kernels are synchronous, so their times are real without it. Default: true only on the
   * `tensorflow` backend with a GPU.
   */
  asyncBackend?: boolean;
}

const OPTION_KEYS = ['recordShapes', 'profileMemory', 'withStack', 'schedule', 'onTraceReady', 'asyncBackend'];

function checkOptions(fn: string, options: unknown): ProfilerOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${fn}: options must be an object like { recordShapes, profileMemory, withStack, schedule, onTraceReady } (got ${String(options)})`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new ArgumentError(`${fn}: unknown option '${key}'; the options are ${OPTION_KEYS.join(', ')} (PyTorch's names in camelCase)`);
    }
  }
  for (const key of ['recordShapes', 'profileMemory', 'withStack', 'asyncBackend']) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw new ArgumentError(`${fn}: options.${key} must be a boolean (got ${JSON.stringify(o[key]) ?? typeof o[key]})`);
    }
  }
  for (const key of ['schedule', 'onTraceReady']) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new ArgumentError(`${fn}: options.${key} must be a function (got ${typeof o[key]})`);
    }
  }
  return o as ProfilerOptions;
}

const recording = (a: ProfilerAction) => a === 'RECORD' || a === 'RECORD_AND_SAVE';

/**
 * A profiler you start, step and stop yourself (PyTorch's `prof.start()`, `prof.step()`,
 * `prof.stop()`). While it records, every Flint op (forward, and each backward node, named
 * `MulBackward0` and so on) and every {@link recordFunction} range becomes an event. One
 * profiler records at a time. Disposable: `using prof = new Profiler().start()`.
 *
 * @example
 * ```ts
 * const prof = new Profiler({
 *   schedule: schedule({ wait: 1, warmup: 1, active: 3 }),
 *   onTraceReady: (p) => p.exportChromeTrace(`runs/trace-${Date.now()}.json`),
 * }).start();
 * for (const batch of loader) {
 *   trainStep(batch);
 *   prof.step();
 * }
 * prof.stop();
 * ```
 */
export class Profiler {
  /** The number of `step()` calls since `start()`. */
  stepNum = 0;
  private readonly options: ProfilerOptions;
  private recorder: Recorder | null = null;
  private action: ProfilerAction = 'NONE';
  private installed = false;
  private last: Profile = new Profile([]);

  constructor(options: ProfilerOptions = {}) {
    this.options = checkOptions('new Profiler()', options);
  }

  /** Whether the profiler was started and not yet stopped. */
  get running(): boolean {
    return this.recorder !== null;
  }

  /** The latest {@link Profile}: from the last finished active span, or `stop()`. */
  get profile(): Profile {
    return this.last;
  }

  /** Starts profiling (step 0). Returns the profiler. */
  start(): this {
    if (this.recorder !== null) throw new FlintError('Profiler.start(): the profiler is already started; call stop() first');
    const o = this.options;
    this.recorder = new Recorder({
      recordShapes: o.recordShapes ?? false,
      profileMemory: o.profileMemory ?? false,
      withStack: o.withStack ?? false,
      asyncBackend: o.asyncBackend ?? (backend() === 'tensorflow' && gpu.isAvailable()),
    });
    this.stepNum = 0;
    this.action = 'NONE';
    try {
      this.enter(this.actionAt(0));
    } catch (e) {
      this.recorder = null;
      throw e;
    }
    return this;
  }

  /** Ends the current step and begins the next, as the schedule says. */
  step(): void {
    const rec = this.recorder;
    if (rec === null) throw new FlintError('Profiler.step(): the profiler is not started; call start() first');
    const prev = this.action;
    this.stepNum++;
    const next = this.actionAt(this.stepNum);
    if (prev !== 'NONE') rec.endStep();
    let ready: Profile | null = null;
    if (prev === 'RECORD_AND_SAVE' || (prev === 'RECORD' && !recording(next))) ready = this.take(rec);
    else if (prev === 'WARMUP' && next !== 'WARMUP') rec.discard();
    rec.step = this.stepNum;
    this.enter(next);
    if (ready !== null) this.options.onTraceReady?.(ready);
  }

  /** Stops profiling and returns the latest {@link Profile} (empty when nothing was recorded). */
  stop(): Profile {
    const rec = this.recorder;
    if (rec === null) return this.last;
    rec.endStep();
    const ready = recording(this.action) ? this.take(rec) : null;
    rec.uninstall();
    this.installed = false;
    this.recorder = null;
    this.action = 'NONE';
    if (ready !== null) this.options.onTraceReady?.(ready);
    return this.last;
  }

  /** Stops the profiler if it runs (for `using`). */
  [Symbol.dispose](): void {
    this.stop();
  }

  private actionAt(step: number): ProfilerAction {
    const schedule = this.options.schedule;
    if (schedule === undefined) return 'RECORD';
    const a = schedule(step);
    if (a !== 'NONE' && a !== 'WARMUP' && a !== 'RECORD' && a !== 'RECORD_AND_SAVE') {
      throw new ArgumentError(`Profiler: options.schedule(${step}) must return 'NONE', 'WARMUP', 'RECORD' or 'RECORD_AND_SAVE' (got ${JSON.stringify(a)})`);
    }
    return a;
  }

  private enter(next: ProfilerAction): void {
    const rec = this.recorder!;
    if (next !== 'NONE' && !this.installed) {
      rec.install(this.stepNum === 0 ? 'Profiler.start()' : 'Profiler.step()');
      this.installed = true;
    } else if (next === 'NONE' && this.installed) {
      rec.uninstall();
      this.installed = false;
    }
    this.action = next;
    // With a schedule, each step is a range of its own (PyTorch's ProfilerStep#N).
    if (next !== 'NONE' && this.options.schedule !== undefined) rec.beginStep();
  }

  private take(rec: Recorder): Profile {
    this.last = new Profile(rec.take());
    return this.last;
  }
}

/**
 * The function profiled by {@link profile}; it gets the profiler, for `prof.step()`.
 *
 * @example
 * ```ts
 * const train: ProfiledFn<void> = (prof) => { for (let i = 0; i < 5; i++) { step(); prof.step(); } };
 * ```
 */
export type ProfiledFn<R> = (prof: Profiler) => R;

/**
 * Profiles `fn` (sync or async) and returns the {@link Profile}: a `Profile` when `fn` is
 * synchronous, a `Promise<Profile>` when it returns a promise. `fn` gets the {@link Profiler}
 * (for `prof.step()` with a schedule); get its own result out through a variable. When `fn`
 * throws, the profiler stops and the error propagates.
 *
 * @example
 * ```ts
 * const prof = profile({ recordShapes: true, profileMemory: true }, () => {
 *   const loss = recordFunction('forward', () => model(x).sub(y).pow(2).mean());
 *   loss.backward();
 * });
 * console.log(prof.keyAverages().table({ sortBy: 'selfCpuTimeTotal', rowLimit: 10 }));
 *
 * const prof2 = await profile(async () => { await trainEpoch(); });
 * ```
 */
export function profile(fn: ProfiledFn<PromiseLike<unknown>>): Promise<Profile>;
export function profile(fn: ProfiledFn<unknown>): Profile;
export function profile(options: ProfilerOptions, fn: ProfiledFn<PromiseLike<unknown>>): Promise<Profile>;
export function profile(options: ProfilerOptions, fn: ProfiledFn<unknown>): Profile;
export function profile(a: ProfilerOptions | ProfiledFn<unknown>, b?: ProfiledFn<unknown>): Profile | Promise<Profile> {
  const fn = typeof a === 'function' ? a : b;
  if (typeof fn !== 'function') {
    throw new ArgumentError(`profile(): fn must be a function, as profile(fn) or profile(options, fn) (got ${typeof fn})`);
  }
  const prof = new Profiler(typeof a === 'function' ? {} : checkOptions('profile()', a)).start();
  let result: unknown;
  try {
    result = fn(prof);
  } catch (e) {
    prof.stop();
    throw e;
  }
  if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(result).then(
      () => prof.stop(),
      (e: unknown) => {
        prof.stop();
        throw e;
      },
    );
  }
  return prof.stop();
}
