import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { Profile } from './profile.js';
import { Profiler } from './profiler.js';
import { schedule } from './schedule.js';

describe('schedule', () => {
  it('follows torch.profiler.schedule: wait, warmup, active, then repeat', () => {
    const s = schedule({ wait: 1, warmup: 1, active: 2, repeat: 2 });
    expect(Array.from({ length: 10 }, (_, i) => s(i))).toEqual([
      'NONE', 'WARMUP', 'RECORD', 'RECORD_AND_SAVE',
      'NONE', 'WARMUP', 'RECORD', 'RECORD_AND_SAVE',
      'NONE', 'NONE',
    ]);
  });

  it('skips the first steps and repeats forever when repeat is 0', () => {
    const s = schedule({ wait: 0, warmup: 0, active: 1, skipFirst: 2 });
    expect([0, 1, 2, 3, 4, 100].map(s)).toEqual(['NONE', 'NONE', 'RECORD_AND_SAVE', 'RECORD_AND_SAVE', 'RECORD_AND_SAVE', 'RECORD_AND_SAVE']);
  });

  it('rejects counts that are not integers in range, naming the argument', () => {
    expect(() => schedule({ wait: 1, warmup: 1, active: 0 })).toThrow(/schedule\(\): active must be an integer >= 1 \(got 0\)/);
    expect(() => schedule({ wait: -1, warmup: 1, active: 1 })).toThrow(/wait must be an integer >= 0 \(got -1\)/);
    expect(() => schedule({ wait: 1, warmup: 1.5, active: 1 })).toThrow(/warmup .* \(got 1.5\)/);
    expect(() => schedule({ wait: 1, warmup: 1, active: 1, repeat: '2' as unknown as number })).toThrow(/repeat .* \(got "2"\)/);
  });
});

/** Runs `steps` steps of one recognizable op each (`step{i}` ranges) under a scheduled profiler. */
function runSteps(prof: Profiler, steps: number): void {
  const x = flint.ones([2, 2]);
  prof.start();
  for (let i = 0; i < steps; i++) {
    flint.scope(() => x.mul(2).add(i));
    prof.step();
  }
  prof.stop();
  x.dispose();
}

describe('Profiler with a schedule', () => {
  it('hands one trace per active span to onTraceReady, holding only the active steps', () => {
    const ready: Profile[] = [];
    const prof = new Profiler({ schedule: schedule({ wait: 1, warmup: 1, active: 2, repeat: 2 }), onTraceReady: (p) => ready.push(p) });
    runSteps(prof, 10);
    expect(ready).toHaveLength(2);
    const stepNames = ready.map((p) => p.events.filter((e) => e.name.startsWith('ProfilerStep#')).map((e) => e.name));
    expect(stepNames).toEqual([
      ['ProfilerStep#2', 'ProfilerStep#3'],
      ['ProfilerStep#6', 'ProfilerStep#7'],
    ]);
    for (const p of ready) {
      const avg = p.keyAverages();
      expect(avg.get('mul')?.count).toBe(2);
      expect(avg.get('add')?.count).toBe(2);
      // Every op sits inside its step's range.
      for (const e of p.events.filter((e) => e.kind === 'op')) {
        expect(p.events[e.parentId!]!.name).toBe(`ProfilerStep#${e.step}`);
      }
    }
    expect(prof.stepNum).toBe(10);
  });

  it('records nothing during wait and warmup steps', () => {
    const ready: Profile[] = [];
    const prof = new Profiler({ schedule: schedule({ wait: 2, warmup: 2, active: 1, repeat: 1 }), onTraceReady: (p) => ready.push(p) });
    runSteps(prof, 8);
    expect(ready).toHaveLength(1);
    expect(new Set(ready[0]!.events.map((e) => e.step))).toEqual(new Set([4]));
    expect(ready[0]!.keyAverages().get('mul')?.count).toBe(1);
  });

  it('without a schedule records every step and is ready once, at stop()', () => {
    const ready: Profile[] = [];
    const prof = new Profiler({ onTraceReady: (p) => ready.push(p) });
    runSteps(prof, 3);
    expect(ready).toHaveLength(1);
    expect(ready[0]!.keyAverages().get('mul')?.count).toBe(3);
    expect(ready[0]!.events.some((e) => e.name.startsWith('ProfilerStep#'))).toBe(false);
    expect([...new Set(ready[0]!.events.map((e) => e.step))]).toEqual([0, 1, 2]);
  });

  it('stop() in the middle of an active span still delivers it', () => {
    const ready: Profile[] = [];
    const prof = new Profiler({ schedule: schedule({ wait: 0, warmup: 0, active: 5 }), onTraceReady: (p) => ready.push(p) });
    runSteps(prof, 2);
    expect(ready).toHaveLength(1);
    expect(ready[0]!.keyAverages().get('mul')?.count).toBe(2);
  });

  it('checks what a custom schedule returns', () => {
    const prof = new Profiler({ schedule: () => 'ON' as never });
    expect(() => prof.start()).toThrow(/options.schedule\(0\) must return 'NONE', 'WARMUP', 'RECORD' or 'RECORD_AND_SAVE' \(got "ON"\)/);
    expect(prof.running).toBe(false);
  });
});
