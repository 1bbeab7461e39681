import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as flint from '@flint/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from './chrome-trace.js';
import { profile } from './profiler.js';
import { recordFunction } from './record-function.js';

const dir = mkdtempSync(join(tmpdir(), 'flint-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A schema check of the Trace Event Format as chrome://tracing and Perfetto read it: returns a
 * list of problems (empty when the trace is valid).
 */
function traceProblems(trace: unknown): string[] {
  const problems: string[] = [];
  if (typeof trace !== 'object' || trace === null || !Array.isArray((trace as { traceEvents?: unknown }).traceEvents)) {
    return ['the top level must be an object with a traceEvents array'];
  }
  const events = (trace as { traceEvents: Record<string, unknown>[] }).traceEvents;
  const lastTs = new Map<string, number>();
  events.forEach((e, i) => {
    const where = `traceEvents[${i}] (${String(e['name'])})`;
    if (typeof e['name'] !== 'string' || e['name'] === '') problems.push(`${where}: name must be a non-empty string`);
    if (!['X', 'M', 'C'].includes(e['ph'] as string)) problems.push(`${where}: unexpected ph ${String(e['ph'])}`);
    if (!Number.isInteger(e['pid'])) problems.push(`${where}: pid must be an integer`);
    if (!Number.isInteger(e['tid'])) problems.push(`${where}: tid must be an integer`);
    if (e['ph'] === 'X') {
      if (typeof e['ts'] !== 'number' || !Number.isFinite(e['ts'])) problems.push(`${where}: ts must be a finite number`);
      if (typeof e['dur'] !== 'number' || !((e['dur'] as number) >= 0)) problems.push(`${where}: dur must be a number >= 0`);
      const key = `${String(e['pid'])}/${String(e['tid'])}`;
      if ((e['ts'] as number) < (lastTs.get(key) ?? -Infinity)) problems.push(`${where}: ts goes back on thread ${key}`);
      lastTs.set(key, e['ts'] as number);
    }
    if (e['ph'] === 'M' && typeof (e['args'] as { name?: unknown } | undefined)?.name !== 'string') problems.push(`${where}: metadata needs args.name`);
    if (e['ph'] === 'C') {
      const args = e['args'] as Record<string, unknown> | undefined;
      if (typeof e['ts'] !== 'number') problems.push(`${where}: a counter needs ts`);
      if (args === undefined || Object.values(args).some((v) => typeof v !== 'number')) problems.push(`${where}: counter args must be numbers`);
    }
  });
  return problems;
}

describe('exportChromeTrace', () => {
  it('writes a trace the schema check accepts, with ranges, backward spans and a memory counter', () => {
    flint.manualSeed(0);
    const w = flint.randn([3, 2], { requiresGrad: true });
    const x = flint.randn([4, 3]);
    const prof = profile({ profileMemory: true }, () => {
      const loss = recordFunction('forward', () => x.matmul(w).mul(2).sum());
      recordFunction('backward', () => loss.backward());
    });
    const file = join(dir, 'sub', 'trace.json');
    prof.exportChromeTrace(file);
    const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
    expect(traceProblems(trace)).toEqual([]);

    const spans = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(spans).toHaveLength(prof.events.length);
    const ranges = spans.filter((e) => e.cat === 'user_annotation').map((e) => e.name);
    expect(ranges).toEqual(['forward', 'backward']);
    const backward = spans.filter((e) => e.cat === 'backward').map((e) => e.name);
    expect(backward).toEqual(['SumBackward0', 'MulBackward0', 'MmBackward0']);
    // Backward spans lie inside the 'backward' range.
    const range = spans.find((e) => e.name === 'backward')!;
    for (const s of spans.filter((e) => e.cat === 'backward')) {
      expect(s.ts!).toBeGreaterThanOrEqual(range.ts!);
      expect(s.ts! + s.dur!).toBeLessThanOrEqual(range.ts! + range.dur! + 0.002);
    }
    const meta = trace.traceEvents.filter((e) => e.ph === 'M').map((e) => e.name);
    expect(meta).toEqual(['process_name', 'thread_name']);
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.length).toBeGreaterThan(0);
    expect(counters.every((c) => c.name === 'Memory')).toBe(true);
  });

  it('catches a broken trace (the check can fail)', () => {
    expect(traceProblems({})).not.toEqual([]);
    const bad = { traceEvents: [
      { name: 'a', ph: 'X', ts: 5, dur: 1, pid: 1, tid: 0 },
      { name: 'b', ph: 'X', ts: 2, dur: 1, pid: 1, tid: 0 },
      { name: 'c', ph: 'X', ts: 9, pid: 1, tid: 0 },
    ] };
    expect(traceProblems(bad)).toEqual(['traceEvents[1] (b): ts goes back on thread 1/0', 'traceEvents[2] (c): dur must be a number >= 0']);
  });

  it('names the function when the path is wrong', () => {
    const prof = profile(() => undefined);
    expect(() => prof.exportChromeTrace('')).toThrow(/exportChromeTrace\(\): path must be a non-empty string \(got ""\)/);
  });
});
