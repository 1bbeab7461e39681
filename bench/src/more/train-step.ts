/**
 * One training step as a user writes it, shared by the LeNet, LSTM and MLP cases: zero the
 * gradients, forward and loss, backward, optimizer step, read the loss back, all in
 * `flint.scope()`. `range` names the three phases for the profiler (`recordFunction`).
 */
import * as flint from '@flint/core';
import type { optim, Tensor } from '@flint/core';

/** Runs `fn` as a named phase of the step; the default just runs it. */
export type Range = <T>(name: string, fn: () => T) => T;

const unnamed: Range = (_name, fn) => fn();

/** A model, its optimizer and its fixed batch, on the backend that was active when it was made. */
export interface TrainCase {
  /** One step; returns the loss. */
  step: (range?: Range) => number;
  /** Frees the parameters, the optimizer state and the batch. */
  dispose: () => void;
}

/** The {@link TrainCase} of `model` trained by `opt` on the loss `lossOf()` of its batch `inputs`. */
export function trainCase(model: { dispose(): void }, opt: optim.Optimizer, inputs: Tensor[], lossOf: () => Tensor): TrainCase {
  return {
    step: (range = unnamed) =>
      flint.scope(() => {
        opt.zeroGrad();
        const loss = range('forward', lossOf);
        range('backward', () => loss.backward());
        range('optimizer', () => opt.step());
        return loss.item();
      }),
    dispose: () => {
      model.dispose();
      opt.dispose();
      for (const t of inputs) t.dispose();
    },
  };
}
