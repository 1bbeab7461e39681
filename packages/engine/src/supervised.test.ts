import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { data, Generator, manualSeed, nn, optim, randn, tensor, type Tensor } from '@flint/core';
import { Events } from './events.js';
import { Checkpoint } from './handlers/checkpoint.js';
import { ConfusionMatrix } from './metrics/index.js';
import { createSupervisedEvaluator, createSupervisedTrainer } from './supervised.js';

/** A small regression set the tests make themselves: y = x·w + noise, from a seeded generator. */
function regression(n: number, seed = 1): data.TensorDataset {
  const g = new Generator(seed);
  const x = randn([n, 4], { generator: g });
  const w = randn([4, 1], { generator: g });
  const y = x.matmul(w).add(randn([n, 1], { generator: g }).mul(0.1));
  return new data.TensorDataset(x, y);
}

function makeModel(seed: number): nn.Sequential {
  manualSeed(seed);
  return new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Dropout(0.25), new nn.Linear(8, 1));
}

interface Encoded {
  shape: number[];
  dtype: 'float32';
  data: number[];
}
interface GoldenCase {
  name: string;
  accumulation: number;
  clip: number | null;
  outputs: number[];
  final: Record<string, Encoded>;
}
/** Ignite's training step run in PyTorch (tools/fixtures/engine_supervised.py). */
const golden = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/supervised.json', import.meta.url)), 'utf8')) as {
  batch: number;
  epochs: number;
  x: Encoded;
  y: Encoded;
  init: Record<string, Encoded>;
  cases: GoldenCase[];
};
const decode = (e: Encoded): Tensor => tensor(e.data).reshape(e.shape);

describe('createSupervisedTrainer against PyTorch', () => {
  const optimizers: Record<string, (p: Iterable<Tensor>) => optim.Optimizer> = {
    'sgd-momentum': (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
    'sgd-accumulate-2': (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
    'adam-clip': (p) => new optim.Adam(p, { lr: 0.05 }),
    'adam-accumulate-4-clip': (p) => new optim.Adam(p, { lr: 0.05 }),
  };
  for (const c of golden.cases) {
    it(`${c.name}: every iteration's loss and the final weights`, async () => {
      const model = new nn.Sequential(new nn.Linear(4, 5), new nn.Tanh(), new nn.Linear(5, 1));
      model.loadStateDict(Object.fromEntries(Object.entries(golden.init).map(([k, v]) => [k, decode(v)])));
      const trainer = createSupervisedTrainer(model, optimizers[c.name]!(model.parameters()), new nn.MSELoss(), {
        gradientAccumulationSteps: c.accumulation,
        ...(c.clip === null ? {} : { clipGradNorm: c.clip }),
      });
      const outputs: number[] = [];
      trainer.on(Events.ITERATION_COMPLETED, (e) => void outputs.push(e.state.output as number));
      const [x, y] = [decode(golden.x), decode(golden.y)];
      const batches = [];
      for (let i = 0; i < x.shape[0]!; i += golden.batch) batches.push([x.index(`${i}:${i + golden.batch}`), y.index(`${i}:${i + golden.batch}`)]);
      await trainer.run(batches, { maxEpochs: golden.epochs });
      expect(outputs.length).toBe(c.outputs.length);
      outputs.forEach((v, i) => expect(v).toBeCloseTo(c.outputs[i]!, 4));
      const sd = model.stateDict();
      for (const [k, v] of Object.entries(c.final)) {
        const got = sd[k]!.reshape(-1).tolist() as number[];
        got.forEach((g, i) => expect(g).toBeCloseTo(v.data[i]!, 4));
      }
    });
  }
});

describe('createSupervisedTrainer', () => {
  it('trains: the loss goes down, the output is the loss as a number', async () => {
    const model = makeModel(0);
    const trainer = createSupervisedTrainer(model, new optim.SGD(model.parameters(), { lr: 0.05 }), new nn.MSELoss());
    const losses: number[] = [];
    trainer.on(Events.ITERATION_COMPLETED, (e) => void losses.push(e.state.output as number));
    await trainer.run(new data.DataLoader(regression(64), { batchSize: 8, shuffle: true }), { maxEpochs: 6, seed: 3 });
    expect(losses.length).toBe(48);
    const first = losses.slice(0, 8).reduce((a, b) => a + b) / 8;
    const last = losses.slice(-8).reduce((a, b) => a + b) / 8;
    expect(last).toBeLessThan(first * 0.5);
  });

  it('accumulates gradients over gradientAccumulationSteps as one step over the joined batch', async () => {
    const ds = regression(8);
    const [x, y] = [ds.tensors[0]!, ds.tensors[1]!];
    const a = new nn.Linear(4, 1);
    const b = new nn.Linear(4, 1);
    b.loadStateDict(a.stateDict());
    const trainerA = createSupervisedTrainer(a, new optim.SGD(a.parameters(), { lr: 0.1 }), new nn.MSELoss(), { gradientAccumulationSteps: 2 });
    await trainerA.run([[x.index('0:4'), y.index('0:4')], [x.index('4:8'), y.index('4:8')]]);
    const trainerB = createSupervisedTrainer(b, new optim.SGD(b.parameters(), { lr: 0.1 }), new nn.MSELoss());
    await trainerB.run([[x, y]]);
    const wa = a.weight.tolist() as number[][];
    const wb = b.weight.tolist() as number[][];
    for (let i = 0; i < 4; i++) expect(wa[0]![i]).toBeCloseTo(wb[0]![i]!, 5);
  });

  it('clips the gradient norm before stepping', async () => {
    const model = new nn.Linear(4, 1);
    const before = model.weight.clone();
    const ds = regression(8);
    const batch = [ds.tensors[0]!.mul(100), ds.tensors[1]!.mul(100)];
    const trainer = createSupervisedTrainer(model, new optim.SGD(model.parameters(), { lr: 1 }), new nn.MSELoss(), { clipGradNorm: 0.5 });
    await trainer.run([batch]);
    const step = model.weight.sub(before).pow(2).sum().add(model.bias!.pow(2).sum().mul(0)).item();
    expect(Math.sqrt(step)).toBeLessThanOrEqual(0.5 + 1e-5);
    expect(() => createSupervisedTrainer(model, new optim.SGD(model.parameters(), { lr: 1 }), new nn.MSELoss(), { clipGradNorm: -1 })).toThrow(
      /clipGradNorm must be a positive number/,
    );
  });

  it('rejects batches it cannot unpack with a clear message', async () => {
    const model = new nn.Linear(4, 1);
    const trainer = createSupervisedTrainer(model, new optim.SGD(model.parameters(), { lr: 1 }), new nn.MSELoss());
    await expect(trainer.run([randn([2, 4])] as never)).rejects.toThrow(/a batch must be \[x, y\] or \{ x, y \}/);
  });

  it('resumes from a mid-epoch checkpoint with the same losses as an uninterrupted run', async () => {
    const ds = regression(40);
    const loader = () => new data.DataLoader(ds, { batchSize: 4, shuffle: true });
    const setup = (seed: number) => {
      const model = makeModel(seed);
      const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
      const trainer = createSupervisedTrainer(model, optimizer, new nn.MSELoss());
      const losses: number[] = [];
      trainer.on(Events.ITERATION_COMPLETED, (e) => void losses.push(e.state.output as number));
      return { model, optimizer, trainer, losses };
    };
    const full = setup(0);
    await full.trainer.run(loader(), { maxEpochs: 3, seed: 7 });
    expect(full.losses.length).toBe(30);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-resume-'));
    try {
      const first = setup(0);
      const ckpt = new Checkpoint({ model: first.model, optimizer: first.optimizer, trainer: first.trainer }, dir);
      first.trainer.on(Events.ITERATION_COMPLETED({ once: 13 }), async (e) => {
        await ckpt.call(e);
        e.terminate();
      });
      await first.trainer.run(loader(), { maxEpochs: 3, seed: 7 });
      expect(first.losses).toEqual(full.losses.slice(0, 13));
      expect(path.basename(ckpt.lastCheckpoint!)).toBe('checkpoint_13.safetensors');

      manualSeed(12345); // a different random state, as a fresh process would have
      const second = setup(99); // different initial weights, overwritten by the checkpoint
      await Checkpoint.loadObjects({ model: second.model, optimizer: second.optimizer, trainer: second.trainer }, ckpt.lastCheckpoint!);
      expect(second.trainer.state.iteration).toBe(13);
      await second.trainer.run(loader());
      expect(second.trainer.state.iteration).toBe(30);
      expect(second.losses).toEqual(full.losses.slice(13));
      expect((second.model.stateDict()['3.weight'] as Tensor).tolist()).toEqual((full.model.stateDict()['3.weight'] as Tensor).tolist());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createSupervisedEvaluator', () => {
  it('runs the model in eval mode without gradients and outputs [yPred, y]', async () => {
    const model = makeModel(0);
    model.train();
    const seen: boolean[] = [];
    const evaluator = createSupervisedEvaluator(model);
    evaluator.on(Events.ITERATION_COMPLETED, (e) => {
      const [yPred, y] = e.state.output as [Tensor, Tensor];
      seen.push(model.training, yPred.requiresGrad);
      expect(yPred.shape).toEqual(y.shape);
    });
    const ds = regression(8);
    await evaluator.run([[ds.tensors[0]!, ds.tensors[1]!]]);
    expect(seen).toEqual([false, false]);
  });

  it('attaches metrics given by name and applies outputTransform', async () => {
    const ds = regression(8);
    const model = new nn.Linear(4, 1);
    const attached: string[] = [];
    const sumAbs = {
      total: 0,
      attach(engine: { on: (ev: unknown, h: (e: { state: { output: unknown; metrics: Record<string, unknown> } }) => void) => unknown }, name: string) {
        attached.push(name);
        engine.on(Events.EPOCH_STARTED, () => void (this.total = 0));
        engine.on(Events.ITERATION_COMPLETED, (e) => void (this.total += (e.state.output as Tensor).abs().sum().item()));
        engine.on(Events.EPOCH_COMPLETED, (e) => void (e.state.metrics[name] = this.total));
      },
    };
    const evaluator = createSupervisedEvaluator(model, {
      metrics: { err: sumAbs as never },
      outputTransform: (_x, y, yPred) => (yPred as Tensor).sub(y as Tensor),
    });
    const state = await evaluator.run([[ds.tensors[0]!, ds.tensors[1]!]]);
    const expected = model.forward(ds.tensors[0]!).sub(ds.tensors[1]!).abs().sum().item();
    expect(attached).toEqual(['err']);
    expect(state.metrics.err).toBeCloseTo(expected, 4);
  });

  it('keeps tensor metrics alive after the run (a confusion matrix)', async () => {
    const model = new nn.Linear(2, 3);
    const x = randn([10, 2], { generator: new Generator(4) });
    const labels = model.forward(x).argmax(1); // the model's own predictions: a diagonal matrix
    const evaluator = createSupervisedEvaluator(model, { metrics: { cm: new ConfusionMatrix(3) } });
    await evaluator.run([[x.index('0:5'), labels.index('0:5')], [x.index('5:10'), labels.index('5:10')]]);
    const cm = (evaluator.state.metrics.cm as Tensor).tolist() as number[][];
    expect(cm.flat().reduce((a, b) => a + b)).toBe(10);
    expect(cm[0]![1]! + cm[0]![2]! + cm[1]![0]! + cm[1]![2]! + cm[2]![0]! + cm[2]![1]!).toBe(0);
  });
});
