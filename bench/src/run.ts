/**
 * `pnpm bench`: Flint (wasm and cpu), raw TensorFlow.js (wasm) and PyTorch on the same machine in
 * one run. Samples of all contenders are interleaved round by round (in a shuffled order), each
 * sample times several iterations after a warm-up, and the table reports medians and the ratio
 * to PyTorch.
 *
 *   pnpm bench                      # everything, 15 rounds
 *   pnpm bench --rounds 31 --only mlp
 *   pnpm bench --json out.json      # also write the raw numbers
 *   pnpm bench --contenders torch-1t,flint-wasm,tfjs-wasm
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import * as tf from '@tensorflow/tfjs-core';
import * as flintCases from './flint-cases.js';
import * as tfCases from './tfjs-cases.js';
import { checkSameMath } from './check.js';
import { TorchBench } from './torch.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    only: { type: 'string' },
    contenders: { type: 'string' },
    python: { type: 'string', default: '/usr/bin/python3' },
    json: { type: 'string' },
    'sample-ms': { type: 'string', default: '100' },
  },
});
const ROUNDS = Number(args.rounds);
const SAMPLE_MS = Number(args['sample-ms']);
/** A contender whose single iteration takes longer than this gets only a few rounds. */
const SLOW_MS = 1000;
const SLOW_ROUNDS = 3;

type ContenderName = 'torch' | 'torch-1t' | 'flint-wasm' | 'flint-cpu' | 'tfjs-wasm';
const CONTENDERS: readonly ContenderName[] = ['torch', 'torch-1t', 'flint-wasm', 'flint-cpu', 'tfjs-wasm'];

/** One contender's version of one case: takes a sample of `inner` iterations, returns ms per iteration. */
interface Sampler {
  sample: (inner: number) => Promise<number>;
  dispose: () => void;
}

interface Case {
  name: string;
  title: string;
  make: Partial<Record<ContenderName, () => Promise<Sampler>>>;
}

/** The PyTorch process, started on first use. */
let torchProcess: TorchBench | null = null;
function torch(): TorchBench {
  return (torchProcess ??= new TorchBench(args.python));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Collects JS garbage before a sample, so that no contender pays for another's (needs --expose-gc). */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** A sampler for a synchronous JS iteration, run with `backend` active. */
function jsSampler(backend: 'wasm' | 'cpu', make: () => { iter: () => unknown; dispose: () => void }): () => Promise<Sampler> {
  return async () => {
    await flint.setBackend(backend);
    const { iter, dispose } = make();
    return {
      sample: async (inner) => {
        if (flint.backend() !== backend) await flint.setBackend(backend);
        collectGarbage();
        const t0 = performance.now();
        for (let i = 0; i < inner; i++) iter();
        return (performance.now() - t0) / inner;
      },
      dispose,
    };
  };
}

function torchSampler(name: string, threads: number): () => Promise<Sampler> {
  return async () => ({
    sample: async (inner) => {
      const ms = await torch().sample(name, inner, threads);
      // Let PyTorch's OpenMP workers stop spinning before the next contender starts.
      await sleep(20);
      return ms;
    },
    dispose: () => {},
  });
}

const CASES: Case[] = [
  {
    name: 'matmul',
    title: 'matmul 1024x1024x1024',
    make: {
      torch: torchSampler('matmul', 2),
      'torch-1t': torchSampler('matmul', 1),
      'flint-wasm': jsSampler('wasm', flintCases.makeMatmul),
      'flint-cpu': jsSampler('cpu', flintCases.makeMatmul),
      'tfjs-wasm': jsSampler('wasm', tfCases.makeMatmul),
    },
  },
  {
    name: 'elementwise',
    title: 'elementwise ((x*y+z).relu()*0.5).exp(), 1M',
    make: {
      torch: torchSampler('elementwise', 2),
      'torch-1t': torchSampler('elementwise', 1),
      'flint-wasm': jsSampler('wasm', flintCases.makeElementwise),
      'flint-cpu': jsSampler('cpu', flintCases.makeElementwise),
      'tfjs-wasm': jsSampler('wasm', tfCases.makeElementwise),
    },
  },
  {
    name: 'mlp',
    title: 'MLP 784-256-10 train step, batch 128',
    make: {
      torch: torchSampler('mlp', 2),
      'torch-1t': torchSampler('mlp', 1),
      'flint-wasm': jsSampler('wasm', flintCases.makeMlp),
      'flint-cpu': jsSampler('cpu', flintCases.makeMlp),
      'tfjs-wasm': jsSampler('wasm', tfCases.makeMlp),
    },
  },
];

/**
 * The contenders in a fresh order each round (a fixed pseudo-random sequence), except that Flint
 * on wasm and raw tfjs on wasm always run back to back (in alternating order), so that the
 * overhead ratio compares two samples taken under the same load.
 */
function roundOrder(names: readonly ContenderName[], round: number): ContenderName[] {
  const pair: ContenderName[] = round % 2 === 0 ? ['flint-wasm', 'tfjs-wasm'] : ['tfjs-wasm', 'flint-wasm'];
  const paired = pair.every((n) => names.includes(n));
  const units: ContenderName[][] = paired ? [pair, ...names.filter((n) => !pair.includes(n)).map((n) => [n])] : names.map((n) => [n]);
  let seed = (round + 1) * 0x9e3779b9;
  for (let i = units.length - 1; i > 0; i--) {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = seed % (i + 1);
    [units[i], units[j]] = [units[j]!, units[i]!];
  }
  return units.flat();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warms a sampler up and picks how many iterations one sample runs. */
async function calibrate({ sample }: Sampler): Promise<{ inner: number; perIter: number }> {
  let perIter = await sample(1);
  let spent = perIter;
  while (spent < 300 && spent < 3 * SLOW_MS) {
    perIter = await sample(1);
    spent += perIter;
  }
  return { inner: Math.max(1, Math.round(SAMPLE_MS / perIter)), perIter };
}

interface Result {
  case: string;
  title: string;
  contender: ContenderName;
  inner: number;
  samples: number[];
  median: number;
}

const chosen = args.contenders?.split(',') ?? CONTENDERS;

async function runCase(c: Case): Promise<Result[]> {
  const names = CONTENDERS.filter((n) => c.make[n] !== undefined && chosen.includes(n));
  const samplers = new Map<ContenderName, Sampler & { inner: number; rounds: number; samples: number[] }>();
  for (const n of names) {
    const sampler = await c.make[n]!();
    const { inner, perIter } = await calibrate(sampler);
    samplers.set(n, { ...sampler, inner, rounds: perIter > SLOW_MS ? Math.min(SLOW_ROUNDS, ROUNDS) : ROUNDS, samples: [] });
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of roundOrder(names, r)) {
      const s = samplers.get(n)!;
      if (s.samples.length < s.rounds) s.samples.push(await s.sample(s.inner));
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  for (const s of samplers.values()) s.dispose();
  return names.map((n) => {
    const s = samplers.get(n)!;
    return { case: c.name, title: c.title, contender: n, inner: s.inner, samples: s.samples, median: median(s.samples) };
  });
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function nproc(): string {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(os.availableParallelism());
  }
}

/** Whether Flint's optional native matmul kernels ran (they serve Flint and raw tfjs alike). */
function nativeState(): string {
  const probe = (flint as unknown as { native?: () => { active: boolean; reason: string | null } }).native;
  if (typeof probe !== 'function') return 'not part of this build';
  const n = probe();
  return n.active ? 'on (matrix products run in OpenBLAS for every contender on wasm)' : `off (${n.reason ?? 'inactive'})`;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * The ratio table. The reference is the faster of PyTorch with `set_num_threads(2)` (as
 * specified) and with `set_num_threads(1)`: on machines whose 2 vCPUs share one core, 2 threads
 * are slower, and comparing with a slowed-down PyTorch would flatter Flint.
 */
function table(results: Result[], stat: 'median' | 'min'): string {
  const get = (c: string, n: ContenderName) => {
    const r = results.find((x) => x.case === c && x.contender === n);
    return r === undefined ? undefined : stat === 'median' ? r.median : Math.min(...r.samples);
  };
  const lines = [
    '| benchmark | PyTorch, 2 threads | PyTorch, 1 thread | Flint wasm | Flint cpu | raw tfjs wasm |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of CASES) {
    const t2 = get(c.name, 'torch');
    const t1 = get(c.name, 'torch-1t');
    if (t2 === undefined && t1 === undefined) continue;
    const t = Math.min(t1 ?? Infinity, t2 ?? Infinity);
    const mark = (v: number | undefined) => (v === undefined ? '-' : v === t ? `**${fmt(v)} ms**` : `${fmt(v)} ms`);
    const cell = (n: ContenderName) => {
      const v = get(c.name, n);
      return v === undefined ? '-' : `${fmt(v)} ms (**${(v / t).toFixed(2)}x**)`;
    };
    lines.push(`| ${c.title} | ${mark(t2)} | ${mark(t1)} | ${cell('flint-wasm')} | ${cell('flint-cpu')} | ${cell('tfjs-wasm')} |`);
  }
  const fw = results.find((r) => r.case === 'mlp' && r.contender === 'flint-wasm');
  const tw = results.find((r) => r.case === 'mlp' && r.contender === 'tfjs-wasm');
  if (fw !== undefined && tw !== undefined) {
    // Both take a sample every round, back to back: each round's ratio cancels most of the drift in
    // load. The min row compares the fastest sample of each.
    const ratios = fw.samples.map((f, i) => f / tw.samples[i]!);
    const r = stat === 'median' ? median(ratios) : Math.min(...fw.samples) / Math.min(...tw.samples);
    const [a, b] = [get('mlp', 'tfjs-wasm')!, get('mlp', 'flint-wasm')!];
    lines.push(
      '',
      '| autograd overhead (MLP step, wasm) | raw tfjs, hand-written backward | Flint | Flint / raw tfjs |',
      '|---|---|---|---|',
      `| forward + backward + SGD | ${fmt(a)} ms | ${fmt(b)} ms | **${r.toFixed(3)}** (${((r - 1) * 100).toFixed(1)}% overhead) |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const only = args.only?.split(',');
  const cases = CASES.filter((c) => only === undefined || only.includes(c.name));
  // PyTorch is started only when one of its settings runs (`--contenders flint-wasm,tfjs-wasm`
  // measures the autograd overhead on a machine without torch).
  const withTorch = chosen.some((n) => n === 'torch' || n === 'torch-1t');
  const info = withTorch ? await torch().info() : { torch: 'not run', threads: 0, blas: 'not run', python: 'not run' };
  const machine = {
    date: execFileSync('date', { encoding: 'utf8' }).trim(),
    nproc: nproc(),
    cpu: cpuModel(),
    node: process.version,
    torch: info.torch,
    torchThreads: info.threads,
    blas: info.blas,
    python: info.python,
    tfjs: tf.version_core,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.log(
    `date: ${machine.date}\nmachine: ${machine.nproc} CPUs (nproc), ${machine.cpu}\n` +
      `node ${machine.node}, tfjs-core ${machine.tfjs}, python ${machine.python}, torch ${machine.torch} (${machine.torchThreads} threads, also run with 1)\n` +
      `torch BLAS: ${machine.blas}\n` +
      `load average at start: ${machine.loadAverage.join(', ')} (other processes on this machine)\n` +
      `native kernels (@flint/native): ${nativeState()}\n` +
      `rounds: ${ROUNDS} (interleaved, order shuffled each round, Flint wasm and raw tfjs wasm back to back, GC before each JS sample), ~${SAMPLE_MS} ms per sample, medians reported\n`,
  );
  if (withTorch && !/openblas|mkl/i.test(info.blas)) {
    console.log(
      `WARNING: PyTorch runs on ${info.blas}, not an optimized BLAS: its matmuls are many times slower than usual. ` +
        'On Debian: apt-get install -y libopenblas0\n',
    );
  }
  await checkSameMath();
  const results: Result[] = [];
  for (const c of cases) {
    process.stderr.write(`${c.title} `);
    results.push(...(await runCase(c)));
  }
  torchProcess?.close();
  console.log(`Medians over rounds. Ratios are time / the faster PyTorch (bold); lower is better. The overhead is the
median over rounds of the ratio of the two samples (Flint, raw tfjs) taken back to back in that round.

${table(results, 'median')}

Fastest sample of each contender (less sensitive to other load on the machine):

${table(results, 'min')}`);
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const live = flint.memory();
  console.log(`\nFlint tensors still live at the end: ${live.numTensors}; collected by the GC safety net: ${live.numCollected}`);
  if (args.json !== undefined) writeFileSync(args.json, JSON.stringify({ machine, results }, null, 2));
}

main().catch((e: unknown) => {
  torchProcess?.close();
  console.error(e);
  process.exitCode = 1;
});
