/**
 * GPU benchmarks: Flint on its GPU device (WebGPU through Dawn, or tfjs-node-gpu) beside PyTorch
 * CUDA on the same machine (`torch_gpu.py`, run first as a child process when python3 and a CUDA
 * torch are present). Cases: matmul 4096^2 fp32, the MLP 784-256-10 train step (batch 128), a
 * small CNN train step (28x28, batch 64), resnet18 forward (batch 32, 224x224, eval, no grad).
 *
 *   node --conditions=source --import tsx bench/src/gpu/run.ts [--rounds N]
 *
 * GPU work is asynchronous, so each sample runs a case `reps` times and then reads back one
 * value, which waits for all of it; the time per rep is reported (median over rounds).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { nn, optim, type Tensor } from '@flint/core';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, device: { type: 'string', default: 'gpu' } } });
const ROUNDS = Number(args.rounds);
const DEVICE = args.device as 'gpu' | 'cpu';

interface Case {
  name: string;
  reps: number;
  /** Queues one rep of work; returns a tensor whose read waits for it. */
  step: () => Tensor;
  dispose: () => void;
  flops?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function sample(c: Case): number {
  const t0 = performance.now();
  let last: Tensor | null = null;
  for (let i = 0; i < c.reps; i++) {
    last?.dispose();
    last = flint.keep(flint.scope(c.step));
  }
  last!.index(0).item();
  last!.dispose();
  return (performance.now() - t0) / c.reps;
}

function matmulCase(): Case {
  const a = flint.randn([4096, 4096], { device: DEVICE });
  const b = flint.randn([4096, 4096], { device: DEVICE });
  return { name: 'matmul 4096x4096x4096 fp32', reps: 10, step: () => a.matmul(b).reshape(-1), dispose: () => (a.dispose(), b.dispose()), flops: 2 * 4096 ** 3 };
}

function trainCase(name: string, model: nn.Module, x: Tensor, y: Tensor, reps: number): Case {
  model.to(DEVICE);
  const xd = x.to(DEVICE);
  const yd = y.to(DEVICE);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const criterion = new nn.CrossEntropyLoss();
  return {
    name,
    reps,
    step: () =>
      flint.scope(() => {
        opt.zeroGrad();
        const loss = criterion(model(xd), yd);
        loss.backward();
        opt.step();
        return loss.reshape(1);
      }),
    dispose: () => (model.dispose(), xd.dispose(), yd.dispose()),
  };
}

function mlpCase(): Case {
  flint.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  return trainCase('MLP 784-256-10 train step, batch 128', model, flint.randn([128, 784]), flint.randint(0, 10, [128]), 20);
}

function cnnCase(): Case {
  flint.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(64 * 7 * 7, 128), new nn.ReLU(), new nn.Linear(128, 10),
  );
  return trainCase('CNN (2 conv + 2 fc) train step, 28x28, batch 64', model, flint.randn([64, 1, 28, 28]), flint.randint(0, 10, [64]), 10);
}

async function resnetCase(): Promise<Case | string> {
  try {
    const models = (await import('../../../packages/vision/src/models/index.js' as string)) as { resnet18: () => nn.Module & { eval(): unknown } };
    flint.manualSeed(0);
    const net = models.resnet18();
    net.eval();
    net.to(DEVICE);
    const x = flint.randn([32, 3, 224, 224], { device: DEVICE });
    return {
      name: 'resnet18 forward, batch 32, 224x224 (eval, no grad)',
      reps: 3,
      step: () => flint.noGrad(() => (net(x) as Tensor).reshape(-1)),
      dispose: () => (net.dispose(), x.dispose()),
    };
  } catch (e) {
    return `resnet18: ${(e as Error).message.split('\n')[0]}`;
  }
}

function torchResults(): Record<string, number> | string {
  const script = fileURLToPath(new URL('./torch_gpu.py', import.meta.url));
  try {
    const out = execFileSync('python3', [script, '--rounds', String(ROUNDS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  } catch (e) {
    return `PyTorch not run: ${(e as Error).message.split('\n')[0]}`;
  }
}

const torch = torchResults();
console.log(`date: ${new Date().toISOString()}`);
console.log(`flint device: ${DEVICE} (${DEVICE === 'gpu' ? flint.gpu.deviceName() : flint.backend()})`);
console.log(`torch: ${typeof torch === 'string' ? torch : String(torch['device'])}`);
if (DEVICE === 'gpu' && !flint.gpu.isAvailable()) {
  console.log(`Flint has no GPU here: ${flint.gpu.deviceName()}`);
  console.log(`PyTorch CUDA alone (ms per rep): ${JSON.stringify(torch)}`);
  process.exit(0);
}
const cases: (Case | string)[] = [matmulCase(), mlpCase(), cnnCase(), await resnetCase()];
const keys = ['matmul', 'mlp', 'cnn', 'resnet18'];
console.log('\n| benchmark | PyTorch CUDA | Flint ' + DEVICE + ' | ratio |\n|---|---|---|---|');
cases.forEach((c, i) => {
  if (typeof c === 'string') {
    console.log(`| ${c} | | | |`);
    return;
  }
  sample(c); // warm-up: pipelines compile on first use
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) times.push(sample(c));
  const ms = median(times);
  const t = typeof torch === 'string' ? undefined : (torch[keys[i]!] as number | undefined);
  const rate = c.flops ? ` (${(c.flops / ms / 1e6).toFixed(0)} GFLOP/s)` : '';
  const trate = c.flops && t ? ` (${(c.flops / t / 1e6).toFixed(0)} GFLOP/s)` : '';
  console.log(`| ${c.name} | ${t === undefined ? '-' : `${t.toFixed(3)} ms${trate}`} | ${ms.toFixed(3)} ms${rate} | ${t === undefined ? '-' : `${(ms / t).toFixed(1)}x`} |`);
  c.dispose();
});
console.log(`\nlive tensors at the end: ${JSON.stringify(flint.memory().devices)}`);
