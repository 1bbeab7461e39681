/**
 * The Flint side of `bench:native`, run as a child process so that each one starts with native
 * kernels on or off (`FLINT_NATIVE`), driven over stdin/stdout like `more_torch.py`, one JSON
 * object per line:
 *
 *   -> {"cmd": "info"}                        <- {"native": {...}, "backend": "wasm"}
 *   -> {"cmd": "sample", "case": "mlp", "inner": 20, "threads": 2}   <- {"ms": 1.9}
 *   -> {"cmd": "profile", "case": "lenet", "steps": 5, "threads": 1}
 *        <- {"kernels": [{"name", "ms", "calls"}], "ops": [...], "stepMs": 9.1, "stepCpuMs": 8.7}
 *           (CPU ms per step: per tfjs kernel, and per Flint op exclusive of nested ops)
 *   -> {"cmd": "cpu", "case": "mlp", "inner": 20, "threads": 1}   <- {"ms": 2.3}  (process CPU ms per step)
 *   -> {"cmd": "quit"}
 *
 * Cases: mlp and lenet (the training steps of bench/src/more), matmul (1024^3 through
 * `flint.matmul`), sgemm (the addon's raw `sgemm` on plain Float32Arrays, native children only),
 * resnet18 (forward, batch 8, eval, noGrad).
 */
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import * as flint from '@flint/core';
import { makeLenet } from '../more/lenet.js';
import { makeMlp } from '../more/mlp.js';
import { loadModels, makeResnet18 } from '../more/resnet.js';

type Iter = () => unknown;
const N = 1024;

async function makeCase(name: string): Promise<Iter> {
  switch (name) {
    case 'mlp': {
      const c = makeMlp();
      return () => c.step();
    }
    case 'lenet': {
      const c = makeLenet();
      return () => c.step();
    }
    case 'matmul': {
      flint.manualSeed(0);
      const a = flint.randn([N, N]);
      const b = flint.randn([N, N]);
      return () => flint.scope(() => void flint.matmul(a, b));
    }
    case 'sgemm': {
      const native = (await import('../../../packages/native/src/index.js' as string)) as typeof import('../../../packages/native/src/index.js');
      if (!native.available()) throw new Error(`@flint/native is unavailable: ${native.unavailableReason()}`);
      const a = Float32Array.from({ length: N * N }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: N * N }, (_, i) => Math.cos(i));
      const c = new Float32Array(N * N);
      return () => native.sgemm(N, N, N, a, b, c);
    }
    case 'resnet18': {
      const m = await loadModels();
      if ('error' in m) throw new Error(`resnet18 could not be loaded: ${m.error}`);
      return makeResnet18(m.models).iter;
    }
    default:
      throw new Error(`unknown case '${name}'`);
  }
}

const made = new Map<string, Iter>();
async function iterOf(name: string): Promise<Iter> {
  let it = made.get(name);
  if (it === undefined) {
    it = await makeCase(name);
    made.set(name, it);
  }
  return it;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * CPU time per step by tfjs kernel, measured with `process.cpuUsage()` around every kernel call of
 * the active backend (wrapped once, on the first profile). CPU time rather than wall time, because
 * the project's machines are shared and a wall-clock attribution there mostly measures waiting for
 * a core; with more than one OpenBLAS thread it includes the workers' time too.
 */
const totals = new Map<string, { us: number; calls: number }>();
let recording = false;
let wrapped = false;

function wrapKernels(): void {
  if (wrapped) return;
  wrapped = true;
  const backendName = tf.getBackend();
  for (const k of tf.getKernelsForBackend(backendName)) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: ((args: Parameters<tf.KernelFunc>[0]) => {
        if (!recording) return inner(args);
        const t0 = process.cpuUsage();
        try {
          return inner(args);
        } finally {
          const d = process.cpuUsage(t0);
          const e = totals.get(k.kernelName) ?? { us: 0, calls: 0 };
          e.us += d.user + d.system;
          e.calls += 1;
          totals.set(k.kernelName, e);
        }
      }) as tf.KernelFunc,
    });
  }
}

/**
 * CPU time per Flint op (its forward or backward kernel call, through core's dispatch hook),
 * exclusive of ops nested in it; together with the tfjs kernel times it splits the time outside
 * kernels into JavaScript inside ops (such as pooling's window scans) and everything else
 * (autograd bookkeeping, scopes, optimizer loops).
 */
const opTotals = new Map<string, { us: number; calls: number }>();
let opDepth = 0;
let opChildUs = 0;

function opHook<T>(name: string, run: () => T): T {
  if (!recording) return run();
  const t0 = process.cpuUsage();
  const outerChild = opChildUs;
  opChildUs = 0;
  opDepth++;
  try {
    return run();
  } finally {
    opDepth--;
    const d = process.cpuUsage(t0);
    const us = d.user + d.system;
    const e = opTotals.get(name) ?? { us: 0, calls: 0 };
    e.us += us - opChildUs;
    e.calls += 1;
    opTotals.set(name, e);
    opChildUs = outerChild + us;
  }
}

async function profileCase(name: string, steps: number): Promise<{
  kernels: { name: string; ms: number; calls: number }[];
  ops: { name: string; ms: number; calls: number }[];
  stepMs: number;
  stepCpuMs: number;
}> {
  const it = await iterOf(name);
  wrapKernels();
  flint.setDispatchHook(opHook as flint.DispatchHook);
  await it();
  totals.clear();
  opTotals.clear();
  recording = true;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    for (let i = 0; i < steps; i++) await it();
  } finally {
    recording = false;
  }
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const per = (m: Map<string, { us: number; calls: number }>) =>
    [...m].map(([n, e]) => ({ name: n, ms: e.us / 1000 / steps, calls: e.calls / steps })).sort((a, b) => b.ms - a.ms);
  return { kernels: per(totals), ops: per(opTotals), stepMs: wall / steps, stepCpuMs: (c.user + c.system) / 1000 / steps };
}

async function handle(msg: { cmd: string; case?: string; inner?: number; steps?: number; threads?: number }): Promise<object> {
  switch (msg.cmd) {
    case 'info':
      return { native: flint.native(), backend: flint.backend() };
    case 'sample': {
      const it = await iterOf(msg.case!);
      if (msg.threads !== undefined && flint.getNumThreads() !== msg.threads) flint.setNumThreads(msg.threads);
      gc();
      const t0 = performance.now();
      for (let i = 0; i < msg.inner!; i++) await it();
      return { ms: (performance.now() - t0) / msg.inner! };
    }
    case 'cpu': {
      const it = await iterOf(msg.case!);
      if (msg.threads !== undefined && flint.getNumThreads() !== msg.threads) flint.setNumThreads(msg.threads);
      await it();
      gc();
      const c0 = process.cpuUsage();
      for (let i = 0; i < msg.inner!; i++) await it();
      const c = process.cpuUsage(c0);
      return { ms: (c.user + c.system) / 1000 / msg.inner! };
    }
    case 'profile':
      if (msg.threads !== undefined) flint.setNumThreads(msg.threads);
      return profileCase(msg.case!, msg.steps ?? 5);
    default:
      return { error: `unknown cmd '${msg.cmd}'` };
  }
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const msg = JSON.parse(line) as { cmd: string };
  if (msg.cmd === 'quit') break;
  let reply: object;
  try {
    reply = await handle(msg);
  } catch (e) {
    reply = { error: (e as Error).message };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
process.exit(0);
