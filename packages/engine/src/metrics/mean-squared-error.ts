/**
 * Mean squared error (Ignite's `MeanSquaredError`).
 * @module
 */
import type { Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { readRegression } from './regression.js';

/**
 * The sum of (yPred - y)^2 over all elements divided by the number of examples (`y.shape[0]` per
 * batch), as Ignite computes it.
 *
 * @example
 * ```ts
 * const mse = new MeanSquaredError();
 * mse.update([flint.tensor([1, 2, 3]), flint.tensor([1, 3, 5])]);
 * mse.compute(); // 5 / 3
 * ```
 */
export class MeanSquaredError extends Metric<[Tensor, Tensor], number> {
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
    for (let i = 0; i < pred.length; i++) s += (pred[i]! - target[i]!) ** 2;
    this.total += s;
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: ${this.constructor.name} must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.total / this.numExamples;
  }
}
