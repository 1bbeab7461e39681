/**
 * The coefficient of determination (Ignite's `R2Score`, from `ignite.metrics.regression`).
 * @module
 */
import { ShapeError, type Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { readRegression } from './regression.js';

/**
 * R^2 = 1 - sum((y - yPred)^2) / sum((y - mean(y))^2) over every example seen, as Ignite computes it.
 * `update([yPred, y])` takes one value per example: shapes (N,) or (N, 1).
 *
 * @example
 * ```ts
 * const r2 = new R2Score();
 * r2.update([flint.tensor([2.5, 0, 2, 8]), flint.tensor([3, -0.5, 2, 7])]);
 * r2.compute(); // 0.9486081370449679
 * ```
 */
export class R2Score extends Metric<[Tensor, Tensor], number> {
  protected override stateKeys = ['sumOfErrors', 'ySum', 'ySqSum', 'numExamples'];
  private sumOfErrors = 0;
  private ySum = 0;
  private ySqSum = 0;
  private numExamples = 0;

  constructor(options: MetricOptions<[Tensor, Tensor]> = {}) {
    super(options);
    this.reset();
  }

  reset(): void {
    this.sumOfErrors = 0;
    this.ySum = 0;
    this.ySqSum = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const { pred, target, n } = readRegression(fn, output);
    if (target.length !== n) {
      throw new ShapeError(`${fn}: yPred and y must hold one value per example, shape (N,) or (N, 1); received y [${output[1].shape.join(', ')}]`);
    }
    for (let i = 0; i < n; i++) {
      const y = target[i]!;
      this.sumOfErrors += (pred[i]! - y) ** 2;
      this.ySum += y;
      this.ySqSum += y * y;
    }
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: R2Score must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return 1 - this.sumOfErrors / (this.ySqSum - this.ySum ** 2 / this.numExamples);
  }
}
