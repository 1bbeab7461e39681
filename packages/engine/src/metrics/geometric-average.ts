/**
 * The geometric mean of numbers or tensors (Ignite's `GeometricAverage`).
 * @module
 */
import { ArgumentError, Tensor, scope } from '@flint/core';
import { Average } from './average.js';
import type { MetricOptions } from './metric.js';
import { describeValue } from './values.js';

/**
 * exp(mean(log x)) of what it is updated with, with {@link Average}'s rules for what counts as an
 * example (a number, a 0-d or 1-D tensor is one; a tensor (N, ...) is N). Values must be positive.
 * The exp of a mean cross-entropy loss gives the perplexity, so this averages perplexities.
 *
 * @example
 * ```ts
 * const g = new GeometricAverage();
 * g.update(1); g.update(2); g.update(4);
 * g.compute(); // 2
 * new GeometricAverage({ outputTransform: (loss: number) => Math.exp(loss) }).attach(evaluator, 'perplexity');
 * ```
 */
export class GeometricAverage extends Average {
  constructor(options: MetricOptions<number | Tensor> = {}) {
    super(options);
  }

  override update(output: number | Tensor): void {
    const fn = this.where('update');
    if (typeof output === 'number') {
      if (!(output > 0)) throw new ArgumentError(`${fn}: values must be positive; received ${output}`);
      return super.update(Math.log(output));
    }
    if (!(output instanceof Tensor)) {
      throw new ArgumentError(`${fn}: output must be a number or a Tensor; received ${describeValue(output)} (use outputTransform to pick it from the engine output)`);
    }
    scope(() => {
      const smallest = output.numel() === 0 ? 1 : output.min().item();
      if (!(smallest > 0)) throw new ArgumentError(`${fn}: values must be positive; received a tensor whose smallest value is ${smallest}`);
      super.update(output.log());
    });
  }

  override compute(): number | Tensor {
    const mean = super.compute();
    if (typeof mean === 'number') return Math.exp(mean);
    return scope(() => {
      const out = mean.exp();
      mean.dispose();
      return out;
    });
  }
}
