import { describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { nn, optim, type Tensor } from '@flint/core';
import { loadDigits } from './digits.js';

class LeNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 6, 5, { padding: 2 });
  pool = new nn.MaxPool2d(2);
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);
  forward(x: Tensor): Tensor {
    const F = nn.functional;
    x = this.pool(F.relu(this.conv1(x)) as Tensor) as Tensor;
    x = this.pool(F.relu(this.conv2(x)) as Tensor) as Tensor;
    x = x.flatten(1);
    return this.fc3(F.relu(this.fc2(F.relu(this.fc1(x)))));
  }
}

describe('a small CNN on real digits', () => {
  it('trains LeNet on 400 MNIST digits for 12 epochs: the loss falls well below its start', () => {
    flint.manualSeed(0);
    const { images, labels } = loadDigits(40);
    const n = labels.length;
    const x = flint.tensor(images).reshape(n, 1, 28, 28);
    const y = flint.tensor(labels);
    const model = new LeNet();
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const epochLoss: number[] = [];
    const before = flint.memory().numTensors;
    for (let epoch = 0; epoch < 12; epoch++) {
      const perm = flint.randperm(n);
      let total = 0;
      for (let i = 0; i < n; i += 20) {
        flint.scope(() => {
          const idx = perm.narrow(0, i, 20);
          optimizer.zeroGrad();
          const loss = criterion(model(x.indexSelect(0, idx)), y.indexSelect(0, idx));
          loss.backward();
          optimizer.step();
          total += loss.item();
        });
      }
      perm.dispose();
      epochLoss.push(total / (n / 20));
    }
    expect(epochLoss[0]!).toBeGreaterThan(2.0);
    expect(epochLoss[epochLoss.length - 1]!).toBeLessThan(epochLoss[0]! * 0.4);
    const accuracy = flint.noGrad(() => flint.scope(() => model(x).argmax(1).eq(y).float().mean().item()));
    expect(accuracy).toBeGreaterThan(0.8);
    // Besides the model, only the last step's gradients and the momentum buffers stay alive.
    expect(flint.memory().numTensors - before).toBe(2 * [...model.parameters()].length);
  });
});
