/**
 * `Profile`: what one profiling run (or one active span of a schedule) recorded, with
 * key averages, tables and Chrome trace export.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError } from '@flint/core';
import { chromeTrace, type ChromeTrace, type ChromeTraceOptions } from './chrome-trace.js';
import type { ProfilerEvent } from './event.js';
import { KeyAverages, type KeyAveragesOptions, type TableOptions } from './key-averages.js';

/**
 * The events of one profiling run, in the order they started. Made by {@link profile} and
 * {@link Profiler.stop}, and handed to `onTraceReady`.
 *
 * @example
 * ```ts
 * const prof = profile({ recordShapes: true }, () => model(x).sum().backward());
 * console.log(prof.keyAverages({ groupByInputShape: true }).table({ sortBy: 'cpuTimeTotal', rowLimit: 10 }));
 * prof.exportChromeTrace('trace.json');
 * ```
 */
export class Profile {
  /** Every recorded op, backward node and range, ordered by start. */
  readonly events: readonly ProfilerEvent[];

  constructor(events: readonly ProfilerEvent[]) {
    this.events = events;
  }

  /**
   * The events grouped by name (PyTorch's `key_averages()`).
   *
   * @example
   * ```ts
   * const row = prof.keyAverages().get('matmul');
   * console.log(row?.count, row?.selfCpuTimeTotal);
   * ```
   */
  keyAverages(options: KeyAveragesOptions = {}): KeyAverages {
    return KeyAverages.fromEvents(this.events, options);
  }

  /**
   * Shorthand for `keyAverages(options).table(options)`.
   *
   * @example
   * ```ts
   * console.log(prof.table({ sortBy: 'selfCpuTimeTotal', rowLimit: 5 }));
   * ```
   */
  table(options: TableOptions & KeyAveragesOptions = {}): string {
    return this.keyAverages(options).table(options);
  }

  /**
   * The Trace Event Format object that {@link exportChromeTrace} writes.
   *
   * @example
   * ```ts
   * const spans = prof.toChromeTrace().traceEvents.filter((e) => e.ph === 'X');
   * ```
   */
  toChromeTrace(options: ChromeTraceOptions = {}): ChromeTrace {
    return chromeTrace(this.events, options);
  }

  /**
   * Writes the trace as JSON to `path` (folders are made as needed), for chrome://tracing or
   * https://ui.perfetto.dev.
   *
   * @example
   * ```ts
   * prof.exportChromeTrace('runs/trace.json');
   * ```
   */
  exportChromeTrace(path: string, options: ChromeTraceOptions = {}): void {
    if (typeof path !== 'string' || path === '') {
      throw new ArgumentError(`exportChromeTrace(): path must be a non-empty string (got ${path === '' ? '""' : String(path)})`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(this.toChromeTrace(options)));
  }
}
