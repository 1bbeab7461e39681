/**
 * What profiling costs on the MLP 784-256-10 training step (batch 128, wasm), after the ideas of
 * `packages/profiler/scripts/overhead.ts`: no dispatch hook; a profiler started but waiting
 * (schedule 'NONE': it removes its hook); a pass-through `setDispatchHook`; a profiler in warm-up
 * (schedule 'WARMUP': hook installed, events discarded); and a profiler recording. The profiler
 * is started before and stopped after each sample, outside the timed loop.
 */
import { performance } from 'node:perf_hooks';
import * as flint from '@flint/core';
import type { DispatchHook } from '@flint/core';
import { Profiler, type ProfilerOptions } from '@flint/profiler';
import { collectGarbage, type Contender } from './harness.js';
import { makeMlp } from './mlp.js';

type Around = (run: () => void) => void;

const passThrough: DispatchHook = (_name, run) => run();

function underProfiler(options: ProfilerOptions): Around {
  return (run) => {
    const prof = new Profiler(options).start();
    try {
      run();
    } finally {
      prof.stop();
    }
  };
}

/** The variants, in table order: [name, what it is, how it wraps a sample]. */
export const VARIANTS: readonly (readonly [string, string, Around])[] = [
  ['none', 'no hook (no profiler)', (run) => run()],
  ['waiting', "profiler started, schedule 'NONE' (hook removed)", underProfiler({ schedule: () => 'NONE' })],
  [
    'pass-through',
    'pass-through setDispatchHook',
    (run) => {
      flint.setDispatchHook(passThrough);
      try {
        run();
      } finally {
        flint.setDispatchHook(null);
      }
    },
  ],
  ['warmup', "profiler started, schedule 'WARMUP' (hook on, events dropped)", underProfiler({ schedule: () => 'WARMUP' })],
  ['recording', 'profiler recording (default options)', underProfiler({})],
];

/** The Flint contenders (`flint-<variant>`), each with its own MLP on wasm. */
export function overheadContenders(): Contender[] {
  return VARIANTS.map(([name, , around]) => ({
    name: `flint-${name}`,
    make: async () => {
      await flint.setBackend('wasm');
      const mlp = makeMlp();
      return {
        sample: async (inner) => {
          if (flint.backend() !== 'wasm') await flint.setBackend('wasm');
          collectGarbage();
          let ms = 0;
          around(() => {
            const t0 = performance.now();
            for (let i = 0; i < inner; i++) mlp.step();
            ms = (performance.now() - t0) / inner;
          });
          return ms;
        },
        dispose: mlp.dispose,
      };
    },
  }));
}

/** How many ops and backward nodes one MLP step records. */
export async function eventsPerStep(): Promise<{ ops: number; backward: number }> {
  await flint.setBackend('wasm');
  const mlp = makeMlp();
  mlp.step();
  const prof = new Profiler().start();
  mlp.step();
  const events = prof.stop().events;
  mlp.dispose();
  return { ops: events.filter((e) => e.kind === 'op').length, backward: events.filter((e) => e.kind === 'backward').length };
}

/**
 * What the hook itself costs per op, with a kernel call that does nothing (so kernel time and its
 * noise are out of the picture): best of 7 runs of 200,000 calls, in ns per call, for the
 * pass-through hook (about what an op pays with no hook: a call and a null check) and the
 * profiler's hook in warm-up and while recording (the profiler is started before and stopped
 * after the timed loop). As `overhead.ts --micro`.
 */
export function hookCostNs(): { label: string; ns: number }[] {
  const calls = 200_000;
  const nothing = () => 0;
  const best = (run: (loop: () => void) => void) => {
    const ns: number[] = [];
    for (let r = 0; r < 7; r++) {
      run(() => {
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) hook('mul', nothing);
        ns.push(((performance.now() - t0) * 1e6) / calls);
      });
    }
    return Math.min(...ns);
  };
  let hook: DispatchHook = passThrough;
  const through = best((loop) => {
    hook = passThrough;
    loop();
  });
  const profiled = (options: ProfilerOptions) =>
    best((loop) => {
      const prof = new Profiler(options).start();
      try {
        hook = flint.setDispatchHook(null)!;
        flint.setDispatchHook(hook);
        loop();
      } finally {
        prof.stop();
      }
    });
  return [
    { label: 'pass-through hook', ns: through },
    { label: "profiler hook, schedule 'WARMUP'", ns: profiled({ schedule: () => 'WARMUP' }) },
    { label: 'profiler hook, recording', ns: profiled({}) },
  ];
}
