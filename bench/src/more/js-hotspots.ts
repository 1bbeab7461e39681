/**
 * Where a step's time goes below the op level: V8's sampling CPU profiler (`node:inspector`)
 * over a few steps, self time per function. Compiled wasm kernels show up as anonymous
 * `wasm-function[N]` entries and are summed into one line; JS functions are named with their file
 * and line, so work an op does outside its kernel call (which the op profiler books to the
 * enclosing range) shows up here.
 */
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import * as flint from '@flint/core';
import type { TrainCase } from './train-step.js';

export interface Hotspots {
  /** Mean wall time of one step while sampled, ms. */
  stepMs: number;
  /** Share of sampled time in wasm code. */
  wasmShare: number;
  /** The JS functions with the most self time: name, `file:line`, share of sampled time. */
  top: { name: string; where: string; share: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Samples `steps` steps of `make()` on `backend` (after `warmup` unsampled ones) every 100 us. */
export async function jsHotspots(backend: flint.BackendName, make: () => TrainCase, steps: number, warmup: number, top: number): Promise<Hotspots> {
  await flint.setBackend(backend);
  const c = make();
  for (let i = 0; i < warmup; i++) c.step();
  const session = new Session();
  session.connect();
  let profile: CpuProfile;
  let wall: number;
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) c.step();
    wall = performance.now() - t0;
    profile = (await session.post('Profiler.stop')).profile as CpuProfile;
  } finally {
    session.disconnect();
    c.dispose();
  }
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  let wasm = 0;
  const samples = profile.samples ?? [];
  // A sample's time is the delta to the next sample, as Chrome DevTools counts it.
  samples.forEach((id, i) => {
    const dt = profile.timeDeltas?.[i + 1] ?? 0;
    const f = frames.get(id)!;
    if (f.functionName === '(idle)') return;
    total += dt;
    if (f.functionName.startsWith('wasm-function')) {
      wasm += dt;
      return;
    }
    const key = `${f.functionName || '(anonymous)'}\t${f.url === '' ? '' : `${f.url.split('/').pop()}:${f.lineNumber + 1}`}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return {
    stepMs: wall / steps,
    wasmShare: wasm / total,
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, t]) => {
        const [name, where] = key.split('\t') as [string, string];
        return { name, where, share: t / total };
      }),
  };
}
