/**
 * `@flint/profiler`: op-level profiling of Flint code, forward and backward, as
 * `torch.profiler`: key-averages tables, Chrome traces (chrome://tracing, Perfetto), user
 * ranges and step schedules. The `flint-profile` command is the `torch.utils.bottleneck` analog.
 *
 * @example
 * ```ts
 * import { profile, recordFunction } from '@flint/profiler';
 * const prof = profile({ profileMemory: true }, () => {
 *   const loss = recordFunction('forward', () => model(x).sub(y).pow(2).mean());
 *   loss.backward();
 * });
 * console.log(prof.keyAverages().table({ sortBy: 'selfCpuTimeTotal', rowLimit: 10 }));
 * prof.exportChromeTrace('trace.json');
 * ```
 * @module
 */
export { Profiler, profile } from './profiler.js';
export type { ProfilerOptions, ProfiledFn } from './profiler.js';
export { Profile } from './profile.js';
export { recordFunction } from './record-function.js';
export { schedule } from './schedule.js';
export type { Schedule, ScheduleOptions, ProfilerAction } from './schedule.js';
export { KeyAverages, formatTime, formatMemory } from './key-averages.js';
export type { FunctionEventAvg, KeyAveragesOptions, TableOptions, SortKey } from './key-averages.js';
export { chromeTrace } from './chrome-trace.js';
export type { ChromeTrace, ChromeTraceOptions, TraceEvent } from './chrome-trace.js';
export type { ProfilerEvent, EventKind } from './event.js';
