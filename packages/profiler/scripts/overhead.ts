/**
 * What profiling costs on an MLP 784-256-10 training step (batch 128, SGD with momentum,
 * cross-entropy): the step with no dispatch hook, with a pass-through hook, and under the
 * profiler with default options, with shapes + memory, and with stacks. Interleaved rounds,
 * medians and minimums; each sample runs `--steps` steps and reads the loss back every step, after
 * a garbage collection when `--expose-gc` is given. Also prints how many events one step records,
 * to turn the difference into a cost per op.
 *
 * `--micro` instead times the hook itself: what one op's bookkeeping costs under each setting,
 * with a kernel call that does nothing (so kernel time and its noise are out of the picture).
 *
 *   node --expose-gc --conditions=source --import tsx scripts/overhead.ts [--rounds 15] [--steps 20]
 *   node --expose-gc --conditions=source --import tsx scripts/overhead.ts --micro
 *   node --conditions=source --import tsx scripts/overhead.ts --only none,profiler --backend cpu
 */
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import type { BackendName, DispatchHook } from '@flint/core';
import { Profiler, type ProfilerOptions } from '../src/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    steps: { type: 'string', default: '20' },
    only: { type: 'string' },
    backend: { type: 'string' },
    micro: { type: 'boolean', default: false },
  },
});
if (values.backend !== undefined) await flint.setBackend(values.backend as BackendName);
const { nn, optim } = flint;

flint.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const criterion = new nn.CrossEntropyLoss();
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const x = flint.randn([128, 784]);
const y = flint.randint(0, 10, [128]);

function step(): number {
  return flint.scope(() => {
    opt.zeroGrad();
    const loss = criterion(model(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  });
}

type Variant = { name: string; around: (run: () => void) => void };
const passThrough: DispatchHook = (_name, run) => run();
const underProfiler = (options: ProfilerOptions) => (run: () => void) => {
  const prof = new Profiler(options).start();
  try {
    run();
  } finally {
    prof.stop();
  }
};
const variants: Variant[] = [
  { name: 'none', around: (run) => run() },
  {
    name: 'passthrough-hook',
    around: (run) => {
      flint.setDispatchHook(passThrough);
      try {
        run();
      } finally {
        flint.setDispatchHook(null);
      }
    },
  },
  { name: 'profiler', around: underProfiler({}) },
  { name: 'profiler+shapes+memory', around: underProfiler({ recordShapes: true, profileMemory: true }) },
  { name: 'profiler+stack', around: underProfiler({ withStack: true }) },
];
const chosen = values.only === undefined ? variants : variants.filter((v) => values.only!.split(',').includes(v.name));

if (values.micro) {
  const calls = 200_000;
  const nothing = () => 0;
  // What the engine does per backward node with no hook: wrap the call in a closure and test the hook.
  const hook = null as DispatchHook | null;
  const dispatch = <T>(name: string, run: () => T): T => (hook === null ? run() : hook(name, run));
  const time = (label: string, body: () => void) => {
    const ns: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      body();
      ns.push(((performance.now() - t0) * 1e6) / calls);
    }
    console.log(`${label.padEnd(36)} ${Math.min(...ns).toFixed(1).padStart(8)} ns per op (best of 7)`);
  };
  time('direct call', () => { for (let i = 0; i < calls; i++) nothing(); });
  time('dispatch(), no hook (engine.ts path)', () => { for (let i = 0; i < calls; i++) dispatch('MulBackward0', () => nothing()); });
  for (const [label, options] of [
    ['profiler hook', {}],
    ['profiler hook, shapes + memory', { recordShapes: true, profileMemory: true }],
    ['profiler hook, stack', { withStack: true }],
  ] as const) {
    time(label, () => {
      const prof = new Profiler(options).start();
      const h = flint.setDispatchHook(null)!;
      flint.setDispatchHook(h);
      for (let i = 0; i < calls; i++) h('mul', nothing);
      prof.stop();
    });
  }
  process.exit(0);
}

const steps = Number(values.steps);
for (let i = 0; i < 30; i++) step();
for (const v of chosen) v.around(() => { for (let i = 0; i < 5; i++) step(); });

const perStep = new Profiler().start();
step();
const events = perStep.stop().events;
const gc = (globalThis as { gc?: () => void }).gc;
const samples = new Map<string, number[]>(chosen.map((v) => [v.name, []]));
for (let r = 0; r < Number(values.rounds); r++) {
  for (const v of [...chosen].sort(() => Math.random() - 0.5)) {
    let ms = 0;
    gc?.();
    v.around(() => {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) step();
      ms = (performance.now() - t0) / steps;
    });
    samples.get(v.name)!.push(ms);
  }
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const base = median(samples.get('none') ?? [NaN]);
console.log(`backend ${flint.backend()}, ${values.rounds} rounds x ${steps} steps, ms per step (median; min-max); ratio of medians`);
console.log(`one step records ${events.length} events (${events.filter((e) => e.kind === 'op').length} ops, ${events.filter((e) => e.kind === 'backward').length} backward nodes)`);
for (const [name, s] of samples) {
  const m = median(s);
  console.log(`${name.padEnd(24)} ${m.toFixed(3).padStart(8)}  (${Math.min(...s).toFixed(3)}-${Math.max(...s).toFixed(3)})  x${(m / base).toFixed(3)}`);
}
