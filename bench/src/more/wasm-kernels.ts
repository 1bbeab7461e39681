/**
 * GatherV2 and Slice on the wasm backend: tfjs's stock kernels beside Flint's faster paths
 * (`packages/core/src/kernels/wasm-fast.ts`), in one process. Each case runs through the tfjs op
 * (`tf.gather`, `tf.slice`: engine overhead included, as Flint's ops pay it) with the stock kernel
 * registered, then with Flint's, alternating round by round; each sample runs for about
 * `--sample-ms` and reports ms per call; the table shows medians over `--rounds` rounds. Before
 * timing, each case checks both kernels' bits against the cpu backend's; a stock kernel that
 * throws or differs (tfjs-wasm's GatherV2 with `batchDims` > 0) is reported, not timed.
 *
 *   cd bench && node --conditions=source --import tsx src/more/wasm-kernels.ts
 *   cd bench && node --conditions=source --import tsx src/more/wasm-kernels.ts --rounds 9 --only gather
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    'sample-ms': { type: 'string', default: '150' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(opts.rounds);
const SAMPLE_MS = Number(opts['sample-ms']);

// The stock kernels, taken before Flint's start-up puts its own in front of them.
await tf.setBackend('wasm');
const NAMES = ['GatherV2', 'Slice'] as const;
type Name = (typeof NAMES)[number];
const stock = Object.fromEntries(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!])) as Record<Name, tf.KernelConfig>;
const flint = await import('@flint/core');
await flint.setBackend('wasm');
const fast = Object.fromEntries(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!])) as Record<Name, tf.KernelConfig>;
for (const n of NAMES) {
  if (!(fast[n] as { flintFast?: boolean }).flintFast) throw new Error(`Flint did not register its fast ${n} kernel on wasm`);
}

function use(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/** A deterministic permutation-like sequence of `n` indices in `[0, size)`. */
function randomIds(n: number, size: number): Int32Array {
  let s = 12345;
  return Int32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s % size;
  });
}

function filled(shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => i % 1000) : Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  return tf.tensor(v, shape, dtype);
}

interface Case {
  group: 'gather' | 'slice';
  kernel: Name;
  label: string;
  setup: () => { call: (k: number) => tf.Tensor; inputs: tf.Tensor[] };
}

const gather = (label: string, shape: number[], ids: () => tf.Tensor, axis = 0, batchDims = 0, dtype: 'float32' | 'int32' = 'float32'): Case => ({
  group: 'gather',
  kernel: 'GatherV2',
  label,
  setup: () => {
    const x = filled(shape, dtype);
    const i = ids();
    return { call: () => tf.gather(x, i, axis, batchDims), inputs: [x, i] };
  },
});

const slice = (label: string, shape: number[], begin: number[], size: number[], step?: number): Case => ({
  group: 'slice',
  kernel: 'Slice',
  label,
  setup: () => {
    const x = filled(shape);
    // `step` moves the slice along dimension 0 call by call (as a DataLoader walks a dataset).
    const call = (k: number) => {
      const b = [...begin];
      if (step !== undefined) b[0] = (k * step) % (shape[0]! - size[0]! + 1);
      return tf.slice(x, b, size);
    };
    return { call, inputs: [x] };
  },
});

const CASES: Case[] = [
  gather('embedding: 6400 rows of width 64 from [1000, 64], axis 0', [1000, 64], () => tf.tensor(randomIds(6400, 1000), [6400], 'int32')),
  gather('embedding: 6400 rows of width 64 from [50000, 64], axis 0', [50000, 64], () => tf.tensor(randomIds(6400, 50000), [6400], 'int32')),
  gather('embedding: [32, 35] ids, rows of 300 from [20000, 300]', [20000, 300], () => tf.tensor(randomIds(32 * 35, 20000), [32, 35], 'int32')),
  gather('sorted: rows 2000..8399 of [10000, 64] (one run)', [10000, 64], () => tf.range(2000, 8400, 1, 'int32')),
  gather('flat take: 10000 of 1M int32 (rows of 1)', [1_000_000], () => tf.tensor(randomIds(10000, 1_000_000), [10000], 'int32'), 0, 0, 'int32'),
  gather('axis 1: 100 columns of [256, 1000] (rows of 1)', [256, 1000], () => tf.tensor(randomIds(100, 1000), [100], 'int32'), 1),
  gather('axis 1, batchDims 1: [32, 20] ids into [32, 100, 64]', [32, 100, 64], () => tf.tensor(randomIds(640, 100), [32, 20], 'int32'), 1, 1),
  slice('one sample [1, 1, 28, 28] of [10000, 1, 28, 28]', [10000, 1, 28, 28], [0, 0, 0, 0], [1, 1, 28, 28], 7),
  slice('batch of 64 rows of [10000, 784]', [10000, 784], [0, 0], [64, 784], 64),
  slice('LSTM gate: [32, 128] of [32, 512]', [32, 512], [0, 128], [32, 128]),
  slice('LSTM gate: [64, 512] of [64, 2048]', [64, 2048], [0, 1024], [64, 512]),
  slice('chunk: [256, 256] of [256, 1024] along dim 1', [256, 1024], [0, 256], [256, 256]),
  slice('narrow last dim: [64, 128, 16] of [64, 128, 32]', [64, 128, 32], [0, 0, 8], [64, 128, 16]),
  slice('one column: [1000, 1] of [1000, 100]', [1000, 100], [0, 5], [1000, 1]),
  slice('rank 5: [8, 16, 8, 16, 8] of [8, 16, 16, 16, 8]', [8, 16, 16, 16, 8], [0, 0, 4, 0, 0], [8, 16, 8, 16, 8]),
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** ms per call over `inner` calls. */
function sample(call: (k: number) => tf.Tensor, inner: number): number {
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) call(i).dispose();
  return (performance.now() - t0) / inner;
}

function calibrate(call: (k: number) => tf.Tensor): number {
  let inner = 1;
  for (;;) {
    const ms = sample(call, inner) * inner;
    if (ms > SAMPLE_MS / 4 || inner >= 1 << 20) return Math.max(1, Math.round((inner * SAMPLE_MS) / Math.max(ms, 1e-3)));
    inner *= 4;
  }
}

function bits(t: tf.Tensor): string {
  const v = t.dataSync() as Float32Array;
  return `${t.dtype} [${t.shape.join(', ')}] ${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
}

/** The result's bits on the cpu backend (the reference), with the stock wasm kernel and with the fast one. */
async function check(c: Case, call: (k: number) => tf.Tensor): Promise<{ stockProblem: string | null }> {
  await tf.setBackend('cpu');
  const ref = tf.tidy(() => call(1));
  const want = bits(ref);
  ref.dispose();
  await tf.setBackend('wasm');
  use(fast[c.kernel]);
  if (tf.tidy(() => bits(call(1))) !== want) throw new Error(`${c.label}: the fast kernel's result differs from the cpu backend's`);
  use(stock[c.kernel]);
  try {
    return { stockProblem: tf.tidy(() => bits(call(1))) === want ? null : 'wrong result' };
  } catch (e) {
    return { stockProblem: `throws: ${(e as Error).message}` };
  } finally {
    use(fast[c.kernel]);
  }
}

const load0 = os.loadavg();
const rows: string[] = [];
console.log(`# wasm GatherV2 and Slice: tfjs stock kernels vs Flint's fast paths\n`);
console.log(`- date: ${new Date().toISOString()}; node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`);
console.log(`- load average at start: ${load0.map((l) => l.toFixed(2)).join(', ')} (a shared machine: compare the two columns of one run only)`);
console.log(`- medians over ${ROUNDS} rounds, stock and fast alternating, each sample about ${SAMPLE_MS} ms\n`);
for (const c of CASES) {
  if (opts.only !== undefined && !opts.only.split(',').includes(c.group)) continue;
  const { call, inputs } = c.setup();
  const { stockProblem } = await check(c, call);
  const who = stockProblem === null ? (['stock', 'fast'] as const) : (['fast'] as const);
  const times: Record<'stock' | 'fast', number[]> = { stock: [], fast: [] };
  const inner: Record<'stock' | 'fast', number> = { stock: 0, fast: 0 };
  for (const w of who) {
    use(w === 'stock' ? stock[c.kernel] : fast[c.kernel]);
    inner[w] = calibrate(call);
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of r % 2 === 0 ? who : [...who].reverse()) {
      use(w === 'stock' ? stock[c.kernel] : fast[c.kernel]);
      times[w].push(sample(call, inner[w]));
    }
  }
  use(fast[c.kernel]);
  tf.dispose(inputs);
  const f = median(times.fast);
  const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(1) : ms >= 0.1 ? ms.toFixed(3) : ms.toFixed(4));
  const s = stockProblem === null ? median(times.stock) : null;
  const stockCell = s === null ? `stock kernel ${stockProblem!.slice(0, 60)}` : fmt(s);
  rows.push(`| ${c.kernel} | ${c.label} | ${stockCell} | ${fmt(f)} | ${s === null ? '-' : `${(s / f).toFixed(1)}x`} |`);
  console.error(`${c.label}: stock ${stockCell} ms, fast ${fmt(f)} ms`);
}
console.log('| kernel | case | stock ms/call | fast ms/call | speed-up |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\n- load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
