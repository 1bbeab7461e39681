/**
 * Training that can stop and go on, as the PyTorch notes on checkpoints write it: after every
 * epoch save `{ epoch, model, optimizer, scheduler, rngState, ... }` (each save is atomic: a
 * crash mid-save leaves the previous file whole), keep the best one too, and `--resume PATH`
 * restores everything and goes on with the next epoch. Because the random state is saved, a
 * resumed run draws the same shuffle orders and Dropout masks as one that never stopped: its
 * losses are exactly the same.
 *
 *   node --conditions=source --import tsx resume-training.ts --epochs 4
 *   node --conditions=source --import tsx resume-training.ts --epochs 12 --resume checkpoints/epoch-4.safetensors
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { data, nn, optim, type GeneratorState, type Tensor } from '@flint/core';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    resume: { type: 'string' },
    'checkpoint-dir': { type: 'string', default: 'checkpoints' },
    seed: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.03' },
    'batch-size': { type: 'string', default: '32' },
    'num-workers': { type: 'string', default: '0' },
  },
});
const epochs = Number(args.epochs);
const dir = args['checkpoint-dir'];

/** What is saved after every epoch. */
interface Checkpoint {
  epoch: number;
  model: nn.StateDict;
  optimizer: optim.OptimizerStateDict<optim.AdamOptions>;
  scheduler: optim.lrScheduler.SchedulerStateDict;
  rngState: GeneratorState;
  valLoss: number;
  bestValLoss: number;
}

/** Three interleaved spirals of `n` noisy points each, the same on every run. */
function spirals(n: number, generator: flint.Generator): { x: Tensor; y: Tensor } {
  const noise = flint.randn([3 * n], { generator }).tolist() as number[];
  const points: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const r = (i + 1) / n;
      const angle = (c * 2 * Math.PI) / 3 + 4 * r + 0.2 * noise[c * n + i]!;
      points.push([r * Math.sin(angle), r * Math.cos(angle)]);
      labels.push(c);
    }
  }
  return { x: flint.tensor(points), y: flint.tensor(labels, { dtype: 'int32' }) };
}

flint.manualSeed(Number(args.seed));
const dataGenerator = new flint.Generator(1234);
const train = spirals(100, dataGenerator);
const val = spirals(40, dataGenerator);
const loader = new data.DataLoader(new data.TensorDataset(train.x, train.y), {
  batchSize: Number(args['batch-size']),
  shuffle: true,
  numWorkers: Number(args['num-workers']),
});

const model = new nn.Sequential(
  new nn.Linear(2, 64),
  new nn.ReLU(),
  new nn.Dropout(0.1),
  new nn.Linear(64, 64),
  new nn.ReLU(),
  new nn.Linear(64, 3),
);
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: Number(args.lr) });
// Halve the rate every 3 epochs: its state is saved too.
const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 3, gamma: 0.5 });

let startEpoch = 1;
let bestValLoss = Infinity;
if (args.resume !== undefined) {
  const ckpt = await flint.load<Checkpoint>(args.resume);
  model.loadStateDict(ckpt.model);
  optimizer.loadStateDict(ckpt.optimizer);
  scheduler.loadStateDict(ckpt.scheduler);
  // The shuffle orders and Dropout masks come from the default generator: go on from its state.
  flint.setRngState(ckpt.rngState);
  startEpoch = ckpt.epoch + 1;
  bestValLoss = ckpt.bestValLoss;
  console.log(`resumed from ${args.resume} (epoch ${ckpt.epoch}, best val loss ${bestValLoss})`);
}

function evaluate(): { loss: number; accuracy: number } {
  model.eval();
  const result = flint.noGrad(() =>
    flint.scope(() => {
      const logits = model(val.x);
      return { loss: criterion(logits, val.y).item(), accuracy: logits.argmax(1).eq(val.y).float().mean().item() };
    }),
  );
  model.train();
  return result;
}

mkdirSync(dir, { recursive: true });
console.log(`training epochs ${startEpoch}-${epochs} on ${train.y.shape[0]} points; backend ${flint.backend()}`);
for (let epoch = startEpoch; epoch <= epochs; epoch++) {
  model.train();
  let lossSum = 0;
  let batches = 0;
  for await (const [xb, yb] of loader) {
    optimizer.zeroGrad();
    const loss = criterion(model(xb!), yb!);
    loss.backward();
    optimizer.step();
    lossSum += loss.item();
    batches++;
  }
  const lr = optimizer.paramGroups[0]!.lr;
  scheduler.step();
  const { loss: valLoss, accuracy } = evaluate();
  const isBest = valLoss < bestValLoss;
  if (isBest) bestValLoss = valLoss;
  const checkpoint: Checkpoint = {
    epoch,
    model: model.stateDict(),
    optimizer: optimizer.stateDict(),
    scheduler: scheduler.stateDict(),
    rngState: flint.getRngState(),
    valLoss,
    bestValLoss,
  };
  await flint.save(checkpoint, join(dir, `epoch-${epoch}.safetensors`));
  if (isBest) await flint.save(checkpoint, join(dir, 'best.safetensors'));
  // Full precision, so that runs can be compared exactly.
  console.log(`epoch ${epoch}: train loss ${lossSum / batches}, val loss ${valLoss}, val accuracy ${(accuracy * 100).toFixed(1)}%, lr ${lr}${isBest ? ' (best)' : ''}`);
}
