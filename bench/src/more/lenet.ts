/**
 * LeNet-style CNN training step on 28x28 inputs at batch 64: conv 1->6 5x5 (padding 2), relu,
 * maxpool 2, conv 6->16 5x5, relu, maxpool 2, linear 400->120->84->10, cross-entropy, plain SGD.
 * `make_lenet` in `more_torch.py` is the same network.
 */
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { trainCase, type TrainCase } from './train-step.js';

export function makeLenet(): TrainCase {
  flint.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const criterion = new nn.CrossEntropyLoss();
  const x = flint.randn([64, 1, 28, 28]);
  const y = flint.randint(0, 10, [64]);
  return trainCase(model, opt, [x, y], () => criterion(model(x), y));
}
