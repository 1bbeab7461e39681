/**
 * `pnpm --filter @flint/bench native`: Flint with native CPU kernels (`@flint/native`, OpenBLAS)
 * and without them (`FLINT_NATIVE=0`, the wasm kernels), each in its own child process, beside
 * PyTorch (Debian's python3-torch, 2 threads) in one run: the MLP 784-256-10 training step at
 * batch 128, the LeNet-style CNN step at batch 64, a 1024^3 matmul (and the addon's raw sgemm on
 * plain Float32Arrays), and resnet18's forward pass at batch 8. Samples interleave round by round
 * (`../more/harness.ts`); the tables show medians, paired ratios, and where the native step's
 * time goes (tfjs kernel times per step). Prints markdown and writes it to bench/out/native.md.
 *
 *   pnpm --filter @flint/bench native
 *   pnpm --filter @flint/bench native --only mlp,matmul --rounds 15
 *   pnpm --filter @flint/bench native --threads 1 --out out/native-1t.md   (both sides on one thread)
 *
 * Besides wall time it compares process CPU time per step (`--cpu-rounds`, default 7), which a
 * machine shared with other work disturbs far less.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pairedRatio, runRounds, type Contender, type Measured, type RoundOptions } from '../more/harness.js';
import { JsonChild } from './child.js';

const CASES = ['mlp', 'lenet', 'matmul', 'resnet18'] as const;
type Case = (typeof CASES)[number];
const TITLES: Record<Case, string> = {
  mlp: 'MLP 784-256-10 train step, batch 128',
  lenet: 'LeNet-style CNN train step, 28x28, batch 64',
  matmul: 'matmul 1024x1024x1024',
  resnet18: 'resnet18 forward, batch 8, 224x224, eval',
};
const TARGETS: Record<Case, string> = {
  mlp: '<= 1.2x PyTorch',
  lenet: '<= 1.5x PyTorch',
  matmul: '>= 90% of raw sgemm',
  resnet18: '<= 1.5x PyTorch',
};

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'cpu-rounds': { type: 'string', default: '7' },
    'sample-ms': { type: 'string', default: '150' },
    only: { type: 'string' },
    python: { type: 'string', default: '/usr/bin/python3' },
    threads: { type: 'string', default: '2' },
    out: { type: 'string', default: fileURLToPath(new URL('../../out/native.md', import.meta.url)) },
  },
});
const only = (args.only?.split(',') ?? [...CASES]) as Case[];
for (const c of only) if (!(CASES as readonly string[]).includes(c)) throw new Error(`--only: unknown case '${c}'; the cases are ${CASES.join(', ')}`);
const threads = Number(args.threads);
const CPU_ROUNDS = Number(args['cpu-rounds']);
const ROUNDS: RoundOptions = { rounds: Number(args.rounds), sampleMs: Number(args['sample-ms']), slowMs: 1000, slowRounds: 3 };

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const childScript = fileURLToPath(new URL('./flint-child.ts', import.meta.url));
const flintChild = (label: string, flag: string): JsonChild =>
  new JsonChild(label, process.execPath, ['--expose-gc', '--import', 'tsx', childScript], { FLINT_NATIVE: flag }, benchDir);

const native = flintChild('flint native', '1');
const wasm = flintChild('flint wasm', '0');
const torch = new JsonChild('native_torch.py', args.python!, [fileURLToPath(new URL('./native_torch.py', import.meta.url))], { OMP_NUM_THREADS: String(threads) }, benchDir);

function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const gflops = (ms: number): string => `${((2 * 1024 ** 3) / ms / 1e6).toFixed(0)} GFLOP/s`;

interface Row {
  case: Case;
  measured: Record<string, Measured>;
  loadBefore: string;
  loadAfter: string;
}

const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  console.log(s);
};

try {
  type NativeInfo = { active: boolean; reason: string | null; blas: string | null; gemm: string | null; numThreads: number };
  const [nInfo, wInfo, tInfo] = await Promise.all([
    native.ask<{ native: NativeInfo }>({ cmd: 'info' }),
    wasm.ask<{ native: NativeInfo }>({ cmd: 'info' }),
    torch.ask<{ torch: string; blas: string; threads: number }>({ cmd: 'info' }),
  ]);
  if (!nInfo.native.active) throw new Error(`native kernels are not active in the child with FLINT_NATIVE=1: ${nInfo.native.reason}`);
  if (wInfo.native.active) throw new Error('native kernels are active in the child with FLINT_NATIVE=0');
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';

  const rows: Row[] = [];
  for (const c of only) {
    const contenders: Contender[] = [
      torch.contender('torch', c, { threads }, 20),
      native.contender('native', c, { threads }),
      wasm.contender('wasm', c),
    ];
    if (threads !== 1) contenders.push(native.contender('native-1t', c, { threads: 1 }));
    if (c === 'matmul') contenders.push(native.contender('sgemm', 'sgemm', { threads }));
    const loadBefore = load();
    process.stderr.write(`${c} `);
    const measured = await runRounds(contenders, ROUNDS);
    rows.push({ case: c, measured: Object.fromEntries(measured.map((m) => [m.contender, m])), loadBefore, loadAfter: load() });
  }

  say('| benchmark | PyTorch | Flint native | native, 1 thread | Flint wasm | native / PyTorch | wasm / PyTorch | target | load average (1 min) before / after |');
  say('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const m = r.measured;
    const t = m.torch!;
    const ratioTo = (x: Measured): string => `${pairedRatio(x, t).toFixed(2)}x`;
    const target = r.case === 'matmul' ? `${TARGETS.matmul}: ${((100 * pairedRatio(m.sgemm!, m.native!))).toFixed(0)}%` : TARGETS[r.case];
    say(
      `| ${TITLES[r.case]} | ${fmtMs(t.median)} ms | ${fmtMs(m.native!.median)} ms | ${m['native-1t'] ? `${fmtMs(m['native-1t'].median)} ms` : '-'} | ${fmtMs(m.wasm!.median)} ms | ` +
        `${ratioTo(m.native!)} | ${ratioTo(m.wasm!)} | ${target} | ${r.loadBefore.split(', ')[0]} / ${r.loadAfter.split(', ')[0]} |`,
    );
  }
  // CPU time per step, which a shared machine disturbs far less than wall time: each contender's
  // process CPU time over a batch of steps, the contenders taking turns, rounds of each in turn.
  say();
  say(`CPU time per step (process CPU time, ${threads} thread${threads === 1 ? '' : 's'} each side, ${CPU_ROUNDS} interleaved rounds, medians; ratio: median of per-round ratios):`);
  say();
  say('| benchmark | PyTorch CPU | Flint native CPU | Flint wasm CPU | native / PyTorch | wasm / PyTorch |');
  say('|---|---|---|---|---|---|');
  for (const c of only) {
    const inner = c === 'resnet18' ? 1 : c === 'matmul' ? 5 : 20;
    const per: Record<'torch' | 'native' | 'wasm', number[]> = { torch: [], native: [], wasm: [] };
    for (let r = 0; r < CPU_ROUNDS; r++) {
      for (const [label, child] of [['torch', torch], ['native', native], ['wasm', wasm]] as const) {
        if (label === 'wasm' && c === 'resnet18' && r >= 3) continue;
        const { ms } = await child.ask<{ ms: number }>({ cmd: 'cpu', case: c, inner, threads });
        per[label].push(ms);
      }
    }
    const med = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const ratio = (v: number[]): string => `${med(v.map((x, i) => x / per.torch[i]!)).toFixed(2)}x`;
    say(`| ${TITLES[c]} | ${fmtMs(med(per.torch))} ms | ${fmtMs(med(per.native))} ms | ${fmtMs(med(per.wasm))} ms | ${ratio(per.native)} | ${ratio(per.wasm)} |`);
  }

  const mm = rows.find((r) => r.case === 'matmul');
  if (mm !== undefined) {
    const m = mm.measured;
    say();
    say(
      `matmul 1024^3 rates: PyTorch ${gflops(m.torch!.median)}, Flint native ${gflops(m.native!.median)}${m['native-1t'] ? ` (1 thread: ${gflops(m['native-1t'].median)})` : ''}, ` +
        `the addon's raw sgemm ${gflops(m.sgemm!.median)} (${fmtMs(m.sgemm!.median)} ms), Flint wasm ${gflops(m.wasm!.median)}.`,
    );
  }

  say();
  say(
    `Where the native step's CPU time goes (CPU time of the whole process, per step, ${threads} OpenBLAS thread${threads === 1 ? '' : 's'}; ` +
      'each tfjs kernel call timed with `process.cpuUsage()`; "outside kernels" is Flint\'s and tfjs\'s JavaScript: autograd, scopes, dispatch, GC):',
  );
  say();
  for (const c of only.filter((x) => x !== 'matmul')) {
    type Timed = { name: string; ms: number; calls: number };
    const p = await native.ask<{ kernels: Timed[]; ops: Timed[]; stepMs: number; stepCpuMs: number }>({
      cmd: 'profile', case: c, steps: c === 'resnet18' ? 2 : 10, threads,
    });
    const inKernels = p.kernels.reduce((s, k) => s + k.ms, 0);
    const top = p.kernels.slice(0, 8).map((k) => `${k.name} ${fmtMs(k.ms)} ms (${k.calls}x, ${((100 * k.ms) / p.stepCpuMs).toFixed(0)}%)`);
    say(
      `- ${TITLES[c]}: ${fmtMs(p.stepCpuMs)} ms of CPU a step (${fmtMs(p.stepMs)} ms wall), ${fmtMs(inKernels)} ms in kernels, ` +
        `${fmtMs(p.stepCpuMs - inKernels)} ms outside them. Top kernels: ${top.join(', ')}.`,
    );
    const inOps = p.ops.reduce((s, o) => s + o.ms, 0);
    const topOps = p.ops.slice(0, 8).map((o) => `${o.name} ${fmtMs(o.ms)} ms (${o.calls}x)`);
    say(
      `  Flint ops (kernel calls with the JavaScript around them, forward and backward): ${fmtMs(inOps)} ms; ` +
        `outside any op (autograd graph, scopes, optimizer and loss bookkeeping): ${fmtMs(p.stepCpuMs - inOps)} ms. Top ops: ${topOps.join(', ')}.`,
    );
  }

  say();
  say(
    `Machine: ${cpu}, ${os.cpus().length} CPUs, Node ${process.versions.node}; ${nInfo.native.blas}, products on ${nInfo.native.gemm === 'onednn' ? 'oneDNN\'s sgemm' : 'OpenBLAS'} (Flint) on ${threads} thread${threads === 1 ? '' : 's'}; PyTorch ${tInfo.torch} on ${threads} thread${threads === 1 ? '' : 's'} over ${tInfo.blas}. ` +
      `${ROUNDS.rounds} interleaved rounds of about ${ROUNDS.sampleMs} ms per contender (contenders slower than 1 s a step: ${ROUNDS.slowRounds} rounds of one step); ` +
      `medians; ratios are medians of per-round ratios. Load average (1, 5, 15 min) at the end: ${load()}.`,
  );
  mkdirSync(dirname(args.out!), { recursive: true });
  writeFileSync(args.out!, lines.join('\n') + '\n');
  console.error(`wrote ${args.out}`);
} finally {
  native.close();
  wasm.close();
  torch.close();
}
