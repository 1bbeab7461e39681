/**
 * LSTM training step: 2 layers, input 64, hidden 128, sequence 32, batch 32 (sequence first),
 * loss `output.pow(2).mean()`, plain SGD. `make_lstm` in `more_torch.py` is the same.
 */
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { trainCase, type TrainCase } from './train-step.js';

export function makeLstm(): TrainCase {
  flint.manualSeed(0);
  const model = new nn.LSTM(64, 128, { numLayers: 2 });
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = flint.randn([32, 32, 64]);
  return trainCase(model, opt, [x], () => model(x)[0].pow(2).mean());
}
