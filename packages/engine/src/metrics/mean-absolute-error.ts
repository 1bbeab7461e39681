/**
 * Mean absolute error (Ignite's `MeanAbsoluteError`).
 * @module
 */
import type { Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { readRegression } from './regression.js';

/**
 * The sum of |yPred - y| over all elements divided by the number of examples (`y.shape[0]` per
 * batch), as Ignite computes it: for (N, D) outputs that is the per-example sum of absolute errors,
 * averaged over examples.
 *
 * @example
 * ```ts
 * const mae = new MeanAbsoluteError();
 * mae.update([flint.tensor([1, 2, 3]), flint.tensor([1, 3, 5])]);
 * mae.compute(); // 1
 * ```
 */
export class MeanAbsoluteError extends Metric<[Tensor, Tensor], number> {
  protected override stateKeys = ['total', 'numExamples'];
  private total = 0;
  private numExamples = 0;

  constructor(options: MetricOptions<[Tensor, Tensor]> = {}) {
    super(options);
    this.reset();
  }

  reset(): void {
    this.total = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const { pred, target, n } = readRegression(this.where('update'), output);
    let s = 0;
    for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i]! - target[i]!);
    this.total += s;
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: MeanAbsoluteError must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.total / this.numExamples;
  }
}
