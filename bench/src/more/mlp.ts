/**
 * The MLP 784-256-10 training step at batch 128 (cross-entropy, SGD with momentum 0.9) that
 * `packages/profiler/scripts/overhead.ts` measures; `make_mlp` in `more_torch.py` is the same.
 */
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { trainCase, type TrainCase } from './train-step.js';

export function makeMlp(): TrainCase {
  flint.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const criterion = new nn.CrossEntropyLoss();
  const x = flint.randn([128, 784]);
  const y = flint.randint(0, 10, [128]);
  return trainCase(model, opt, [x, y], () => criterion(model(x), y));
}
