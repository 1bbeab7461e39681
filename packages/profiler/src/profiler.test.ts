import * as flint from '@flint/core';
import { setDispatchHook, type Tensor } from '@flint/core';
import { afterEach, describe, expect, it } from 'vitest';
import { profile, Profiler } from './profiler.js';
import { recordFunction } from './record-function.js';

/** The rows of a printed table as [name, # of Calls]. */
function tableCounts(table: string): [string, number][] {
  const lines = table.split('\n');
  const header = lines[1]!;
  expect(header).toMatch(/^\s+Name\s+Self CPU %\s+Self CPU\s+CPU total %\s+CPU total\s+CPU time avg\s+# of Calls/);
  const rule = lines.findIndex((l, i) => i > 2 && l.startsWith('---'));
  return lines.slice(3, rule).map((l) => {
    const cells = l.trim().split(/\s{2,}/);
    return [cells[0]!, Number(cells[6])];
  });
}

function leaves(): { x: Tensor; w: Tensor; b: Tensor } {
  flint.manualSeed(0);
  return {
    x: flint.randn([4, 3], { requiresGrad: true }),
    w: flint.randn([3, 2], { requiresGrad: true }),
    b: flint.randn([2], { requiresGrad: true }),
  };
}

afterEach(() => {
  // No test may leave a hook behind: with no profiler running, core's hook is null.
  expect(setDispatchHook(null)).toBeNull();
});

describe('profile()', () => {
  it('prints a table with every forward op and its count', () => {
    const { x, w, b } = leaves();
    const prof = profile(() => flint.noGrad(() => x.matmul(w).add(b).relu().sum()));
    expect(tableCounts(prof.keyAverages().table())).toEqual([
      ['matmul', 1],
      ['add', 1],
      ['relu', 1],
      ['sum', 1],
    ]);
  });

  it('records the backward pass node by node, marked and named after the autograd nodes', () => {
    const { x, w, b } = leaves();
    const prof = profile(() => x.matmul(w).add(b).relu().sum().backward());
    const top = prof.events.filter((e) => e.parentId === null);
    const forward = top.filter((e) => e.kind === 'op').map((e) => e.name);
    expect(forward.slice(0, 4)).toEqual(['matmul', 'add', 'relu', 'sum']);
    const backward = top.filter((e) => e.kind === 'backward').map((e) => e.name);
    expect(backward).toEqual(['SumBackward0', 'ReluBackward0', 'AddBackward0', 'MmBackward0']);
    // The ops a backward runs are nested in it.
    const mm = prof.events.find((e) => e.name === 'MmBackward0')!;
    const inside = prof.events.filter((e) => e.parentId === mm.id);
    expect(inside.filter((e) => e.name === 'matmul')).toHaveLength(2);
    for (const e of inside) expect(e.depth).toBe(1);
    const avg = prof.keyAverages();
    for (const name of ['SumBackward0', 'ReluBackward0', 'AddBackward0', 'MmBackward0']) {
      expect(avg.get(name)).toMatchObject({ kind: 'backward', count: 1 });
    }
    expect(prof.table({ sortBy: 'count' })).toContain('MmBackward0');
    expect(x.grad).not.toBeNull();
  });

  it('keeps self time within total time for every event and every row', () => {
    const { x, w, b } = leaves();
    const prof = profile(() => recordFunction('step', () => x.matmul(w).add(b).relu().sum().backward()));
    for (const e of prof.events) {
      expect(e.selfDuration).toBeGreaterThanOrEqual(0);
      expect(e.selfDuration).toBeLessThanOrEqual(e.duration);
    }
    for (const r of prof.keyAverages()) {
      expect(r.selfCpuTimeTotal).toBeLessThanOrEqual(r.cpuTimeTotal + 1e-9);
      expect(r.cpuTime).toBeCloseTo(r.cpuTimeTotal / r.count, 9);
    }
    // Self times partition the outermost range.
    const step = prof.events.find((e) => e.name === 'step')!;
    const selfSum = prof.events.reduce((s, e) => s + e.selfDuration, 0);
    expect(selfSum).toBeCloseTo(step.duration, 6);
  });

  it('reports the bytes each op leaves allocated with profileMemory', () => {
    const { x, w, b } = leaves();
    const prof = profile({ profileMemory: true }, () => flint.noGrad(() => x.matmul(w).add(b).relu().sum()));
    const usage = Object.fromEntries(prof.events.map((e) => [e.name, e.cpuMemoryUsage]));
    // [4, 2] float32 outputs are 32 bytes; the sum is one float.
    expect(usage).toEqual({ matmul: 32, add: 32, relu: 32, sum: 4 });
    expect(prof.keyAverages().table()).toMatch(/CPU Mem\s+Self CPU Mem/);
    expect(prof.keyAverages().table({ sortBy: 'cpuMemoryUsage' }).split('\n')[3]).toMatch(/^\s+(matmul|add|relu)\s/);
    const plain = profile(() => x.add(1));
    expect(plain.events[0]!.cpuMemoryUsage).toBeNull();
    expect(plain.keyAverages().table()).not.toContain('CPU Mem');
  });

  it('records the input shapes of real ops and groups by them', () => {
    const a = flint.ones([2, 3]);
    const b = flint.ones([3]);
    const prof = profile({ recordShapes: true }, () => {
      a.mul(a);
      a.mul(b);
      a.mul(a);
    });
    const rows = [...prof.keyAverages({ groupByInputShape: true })].map((r) => [r.key, r.inputShapes, r.count]);
    expect(rows).toEqual([
      ['mul', '[[2, 3], [2, 3]]', 2],
      ['mul', '[[2, 3], [3]]', 1],
    ]);
    const table = prof.keyAverages({ groupByInputShape: true }).table();
    expect(table).toMatch(/# of Calls\s+Input Shapes/);
    expect(table).toContain('[[2, 3], [3]]');
    expect(prof.keyAverages().rows).toHaveLength(1);
  });

  it('records the caller stack outside Flint with withStack', () => {
    const { x } = leaves();
    const prof = profile({ withStack: true }, () => x.exp());
    const [e] = prof.events;
    expect(e!.name).toBe('exp');
    expect(e!.stack![0]).toMatch(/profiler\.test\.ts:\d+:\d+/);
    const avg = prof.keyAverages({ groupByStackN: 1 });
    expect(avg.table()).toMatch(/Source Location/);
  });

  it('waits for device work when asyncBackend is set, and only then', () => {
    for (const asyncBackend of [true, false]) {
      let synced = 0;
      profile({ asyncBackend }, () => {
        const hook = setDispatchHook(null)!;
        setDispatchHook(hook);
        hook('fake', () => [{ dataSync: () => synced++ }, null]);
      });
      expect(synced).toBe(asyncBackend ? 1 : 0);
    }
  });

  it('profiles async functions, and ops across awaits', async () => {
    const { x } = leaves();
    const prof = await profile(async () => {
      x.add(1);
      await new Promise((r) => setTimeout(r, 1));
      x.mul(2);
    });
    expect(prof.events.map((e) => e.name)).toEqual(['add', 'mul']);
  });

  it('stops and removes its hook when fn throws', async () => {
    expect(() => profile(() => { throw new Error('sync boom'); })).toThrow('sync boom');
    await expect(profile(async () => { throw new Error('async boom'); })).rejects.toThrow('async boom');
  });

  it('validates its arguments, naming the function and the option', () => {
    expect(() => profile({ record_shapes: true } as never, () => 0)).toThrow(
      /profile\(\): unknown option 'record_shapes'; the options are recordShapes, /,
    );
    expect(() => profile({ profileMemory: 'yes' } as never, () => 0)).toThrow(/profile\(\): options.profileMemory must be a boolean \(got "yes"\)/);
    expect(() => profile({} as never)).toThrow(/profile\(\): fn must be a function, as .* \(got undefined\)/);
    expect(() => new Profiler({ onTraceReady: 3 } as never)).toThrow(/new Profiler\(\): options.onTraceReady must be a function \(got number\)/);
  });
});

describe('Profiler', () => {
  it('starts, stops and is disposable; one records at a time', () => {
    const { x } = leaves();
    const a = new Profiler().start();
    expect(() => new Profiler().start()).toThrow(/Profiler.start\(\): another profiler is already recording/);
    expect(() => a.start()).toThrow(/already started/);
    x.neg();
    const p = a.stop();
    expect(p.events.map((e) => e.name)).toEqual(['neg']);
    expect(a.stop()).toBe(p);
    expect(() => a.step()).toThrow(/Profiler.step\(\): the profiler is not started/);
    {
      using b = new Profiler().start();
      x.abs();
      expect(b.running).toBe(true);
    }
    x.abs();
    expect(a.profile.events).toHaveLength(1);
  });

  it('costs nothing when stopped: ops after stop() are not seen', () => {
    const { x } = leaves();
    const prof = new Profiler().start();
    x.sin();
    const p = prof.stop();
    x.cos();
    expect(p.events.map((e) => e.name)).toEqual(['sin']);
    expect(setDispatchHook(null)).toBeNull();
  });
});
