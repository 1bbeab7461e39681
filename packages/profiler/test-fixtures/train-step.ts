/**
 * A tiny training program for flint-profile's tests: a two-layer perceptron, three SGD steps,
 * with the forward pass in a recordFunction range.
 */
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { recordFunction } from '@flint/profiler';

flint.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(16, 8), new nn.ReLU(), new nn.Linear(8, 2));
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const x = flint.randn([4, 16]);
const y = flint.randn([4, 2]);
const steps = Number(process.argv[2] ?? '3');
for (let i = 0; i < steps; i++) {
  flint.scope(() => {
    opt.zeroGrad();
    const loss = recordFunction('forward', () => model(x).sub(y).pow(2).mean());
    loss.backward();
    opt.step();
  });
}
console.log(`trained ${steps} steps`);
