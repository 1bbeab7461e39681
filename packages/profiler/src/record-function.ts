/**
 * `recordFunction()`: a named range of your own in the profile (`torch.autograd.profiler.record_function`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { activeRecorder } from './recorder.js';

/**
 * Runs `fn` and, while a profiler records, records it as a range named `name`: a span in the
 * trace and a row in the key averages, whose self time excludes the ops and ranges inside it.
 * Works with sync and async `fn` (the range lasts until the promise settles) and nests. With no
 * profiler recording it only calls `fn`. Returns what `fn` returns.
 *
 * @example
 * ```ts
 * const loss = recordFunction('forward', () => model(x).sub(y).pow(2).mean());
 * await recordFunction('eval', async () => { await evaluate(model); });
 * ```
 */
export function recordFunction<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '') {
    throw new ArgumentError(`recordFunction(): name must be a non-empty string (got ${name === '' ? '""' : typeof name})`);
  }
  if (typeof fn !== 'function') {
    throw new ArgumentError(`recordFunction(): fn must be a function (got ${typeof fn})`);
  }
  const rec = activeRecorder();
  return rec === null ? fn() : rec.range(name, fn);
}
