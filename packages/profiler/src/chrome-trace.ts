/**
 * Recorded events as a Chrome trace (the Trace Event Format that chrome://tracing and Perfetto
 * open): one complete `'X'` event per op, backward node and range, `'M'` metadata naming the
 * process and threads, and a `'C'` counter of allocated bytes when memory was profiled.
 * @module
 */
import type { ProfilerEvent } from './event.js';

/**
 * One entry of `traceEvents` (the fields flint writes).
 *
 * @example
 * ```ts
 * const span: TraceEvent = { name: 'matmul', ph: 'X', cat: 'cpu_op', ts: 10, dur: 5, pid: 1, tid: 0 };
 * ```
 */
export interface TraceEvent {
  name: string;
  /** Phase: `'X'` complete span, `'M'` metadata, `'C'` counter. */
  ph: 'X' | 'M' | 'C';
  pid: number;
  tid: number;
  /** Microseconds. */
  ts?: number;
  /** Microseconds (`'X'` only). */
  dur?: number;
  /** Category: `cpu_op`, `backward` or `user_annotation` for spans. */
  cat?: string;
  args?: Record<string, unknown>;
}

/**
 * A whole trace file.
 *
 * @example
 * ```ts
 * const trace: ChromeTrace = JSON.parse(readFileSync('trace.json', 'utf8'));
 * ```
 */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
}

/**
 * Options of {@link chromeTrace}.
 *
 * @example
 * ```ts
 * prof.exportChromeTrace('trace.json', { processName: 'train.ts' } satisfies ChromeTraceOptions);
 * ```
 */
export interface ChromeTraceOptions {
  /** The process id written on every event. Default `process.pid`. */
  pid?: number;
  /** The process's name in the viewer. Default `'flint'`. */
  processName?: string;
}

const CATEGORY = { op: 'cpu_op', backward: 'backward', range: 'user_annotation' } as const;

/** Microseconds to the nanosecond, so the file does not carry float noise. */
const us = (t: number) => Math.round(t * 1000) / 1000;

/**
 * Builds the Chrome trace of `events`. Spans are sorted by start (enclosing spans first), so
 * timestamps never go back on a thread.
 *
 * @example
 * ```ts
 * const trace = chromeTrace(prof.events, { processName: 'train.ts' });
 * writeFileSync('trace.json', JSON.stringify(trace));
 * ```
 */
export function chromeTrace(events: readonly ProfilerEvent[], options: ChromeTraceOptions = {}): ChromeTrace {
  const pid = options.pid ?? process.pid;
  const out: TraceEvent[] = [{ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: options.processName ?? 'flint' } }];
  const threads = [...new Set(events.map((e) => e.threadId))].sort((a, b) => a - b);
  if (threads.length === 0) threads.push(0);
  for (const tid of threads) {
    out.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: tid === 0 ? 'main thread' : `worker ${tid}` } });
  }
  const spans = [...events].sort((a, b) => a.start - b.start || b.duration - a.duration || a.id - b.id);
  for (const e of spans) {
    const args: Record<string, unknown> = { backend: e.backend, 'Profiler Step': e.step };
    if (e.inputShapes !== null) args['Input Dims'] = e.inputShapes;
    if (e.cpuMemoryUsage !== null) args['CPU Mem (bytes)'] = e.cpuMemoryUsage;
    if (e.stack !== null && e.stack.length > 0) args['Call stack'] = e.stack.join(';\n');
    out.push({ name: e.name, ph: 'X', cat: CATEGORY[e.kind], ts: us(e.start), dur: us(e.duration), pid, tid: e.threadId, args });
  }
  // Allocated bytes over time, from each event's before/after samples.
  const samples: [number, number, number][] = [];
  for (const e of events) {
    if (e.memory === null) continue;
    samples.push([e.start, e.memory.before, e.threadId], [e.start + e.duration, e.memory.after, e.threadId]);
  }
  samples.sort((a, b) => a[0] - b[0]);
  let last = NaN;
  for (const [ts, bytes, tid] of samples) {
    if (bytes === last) continue;
    last = bytes;
    out.push({ name: 'Memory', ph: 'C', pid, tid, ts: us(ts), args: { 'Allocated bytes': bytes } });
  }
  return { traceEvents: out, displayTimeUnit: 'ms' };
}
