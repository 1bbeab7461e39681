import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { ProfilerEvent } from './event.js';
import { profile } from './profiler.js';
import { recordFunction } from './record-function.js';

/** The events as an indented outline of names. */
function outline(events: readonly ProfilerEvent[]): string[] {
  return events.map((e) => `${'  '.repeat(e.depth)}${e.name}`);
}

function parentName(events: readonly ProfilerEvent[], e: ProfilerEvent): string | null {
  return e.parentId === null ? null : events[e.parentId]!.name;
}

describe('recordFunction', () => {
  it('nests ranges and ops, and self time excludes what is nested', () => {
    const x = flint.ones([8, 8]);
    const prof = profile(() =>
      recordFunction('outer', () => {
        recordFunction('inner1', () => x.matmul(x));
        x.add(1);
        recordFunction('inner2', () => recordFunction('innermost', () => x.mul(3)));
      }),
    );
    expect(outline(prof.events)).toEqual(['outer', '  inner1', '    matmul', '  add', '  inner2', '    innermost', '      mul']);
    const byName = new Map(prof.events.map((e) => [e.name, e]));
    for (const e of prof.events) {
      const children = prof.events.filter((c) => c.parentId === e.id);
      const inside = children.reduce((s, c) => s + c.duration, 0);
      expect(e.selfDuration).toBeCloseTo(Math.max(0, e.duration - inside), 6);
      expect(e.selfDuration).toBeLessThanOrEqual(e.duration);
      for (const c of children) {
        expect(c.start).toBeGreaterThanOrEqual(e.start);
        expect(c.start + c.duration).toBeLessThanOrEqual(e.start + e.duration + 1e-6);
      }
    }
    expect(byName.get('outer')!.kind).toBe('range');
    const avg = prof.keyAverages();
    expect(avg.get('inner2')!.cpuTimeTotal).toBeGreaterThanOrEqual(avg.get('innermost')!.cpuTimeTotal);
    expect(avg.get('outer')!.selfCpuTimeTotal).toBeLessThanOrEqual(avg.get('outer')!.cpuTimeTotal);
  });

  it('returns what fn returns, and only runs fn when no profiler records', async () => {
    expect(recordFunction('r', () => 42)).toBe(42);
    await expect(recordFunction('r', async () => 'done')).resolves.toBe('done');
    const prof = profile(() => expect(recordFunction('r', () => 7)).toBe(7));
    expect(prof.events.map((e) => e.name)).toEqual(['r']);
  });

  it('keeps async ranges open across awaits and apart when they interleave', async () => {
    const x = flint.ones([2]);
    const tick = () => new Promise((r) => setTimeout(r, 2));
    const prof = await profile(async () => {
      await Promise.all([
        recordFunction('a', async () => {
          x.add(1);
          await tick();
          x.mul(2);
        }),
        recordFunction('b', async () => {
          x.sub(1);
          await tick();
          x.div(2);
        }),
      ]);
    });
    const ops = prof.events.filter((e) => e.kind === 'op');
    expect(Object.fromEntries(ops.map((e) => [e.name, parentName(prof.events, e)]))).toEqual({ add: 'a', mul: 'a', sub: 'b', div: 'b' });
    const a = prof.events.find((e) => e.name === 'a')!;
    const mul = ops.find((e) => e.name === 'mul')!;
    expect(a.start + a.duration).toBeGreaterThanOrEqual(mul.start + mul.duration);
  });

  it('ends the range when fn throws, and the error propagates', async () => {
    const prof = profile(() => {
      expect(() => recordFunction('bad', () => { throw new Error('inside'); })).toThrow('inside');
    });
    expect(prof.events.map((e) => e.name)).toEqual(['bad']);
    const p2 = await profile(async () => {
      await expect(recordFunction('bad-async', async () => { throw new Error('later'); })).rejects.toThrow('later');
    });
    expect(p2.events.map((e) => e.name)).toEqual(['bad-async']);
  });

  it('validates its arguments', () => {
    expect(() => recordFunction('', () => 0)).toThrow(/recordFunction\(\): name must be a non-empty string \(got ""\)/);
    expect(() => recordFunction('r', 5 as never)).toThrow(/recordFunction\(\): fn must be a function \(got number\)/);
  });
});
