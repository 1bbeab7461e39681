/**
 * The README's example: one training step of an MLP 784-256-10 (batch 128) under the profiler.
 *
 *   node --conditions=source --import tsx scripts/readme-example.ts
 */
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { profile, recordFunction } from '@flint/profiler';

flint.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const criterion = new nn.CrossEntropyLoss();
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const x = flint.randn([128, 784]);
const y = flint.randint(0, 10, [128]);
const step = () =>
  flint.scope(() => {
    opt.zeroGrad();
    const loss = recordFunction('forward', () => criterion(model(x), y));
    recordFunction('backward', () => loss.backward());
    recordFunction('optimizer', () => opt.step());
  });
for (let i = 0; i < 10; i++) step(); // warm up

const prof = profile({ profileMemory: true }, () => step());
console.log(prof.keyAverages().table({ sortBy: 'selfCpuTimeTotal', rowLimit: 12 }));
prof.exportChromeTrace('trace.json');
