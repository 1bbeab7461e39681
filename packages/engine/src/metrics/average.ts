/**
 * The average of numbers or tensors (Ignite's `Average`).
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { describeValue, fromHost } from './values.js';

/**
 * The mean of what it is updated with: numbers and 0-d tensors count one example each; a 1-D
 * tensor is one example (the result is then a vector); a tensor (N, ...) is N examples of shape
 * (...). Attach it with an `outputTransform` that picks the value from the engine's output.
 *
 * @example
 * ```ts
 * const avgLoss = new Average({ outputTransform: (out: { loss: number }) => out.loss });
 * avgLoss.attach(trainer, 'avgLoss');
 * const avg = new Average();
 * avg.update(1); avg.update(flint.tensor(3));
 * avg.compute(); // 2
 * ```
 */
export class Average extends Metric<number | Tensor, number | Tensor> {
  protected override stateKeys = ['total', 'shape', 'numExamples'];
  private total: Float64Array | number = 0;
  private shape: number[] | undefined;
  private numExamples = 0;

  constructor(options: MetricOptions<number | Tensor> = {}) {
    super(options);
    this.requiredOutputKeys = null;
    this.reset();
  }

  reset(): void {
    this.total = 0;
    this.shape = undefined;
    this.numExamples = 0;
  }

  update(output: number | Tensor): void {
    const fn = this.where('update');
    if (typeof output === 'number') return this.addExample(fn, [], [output], 1);
    if (!(output instanceof Tensor)) {
      throw new ArgumentError(`${fn}: output must be a number or a Tensor; received ${describeValue(output)} (use outputTransform to pick it from the engine output)`);
    }
    const data = output.dataSync();
    if (output.ndim <= 1) return this.addExample(fn, output.shape, data, 1);
    const n = output.shape[0]!;
    const shape = output.shape.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    const summed = new Float64Array(size);
    for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) summed[j]! += data[i * size + j]!;
    this.addExample(fn, shape, summed, n);
  }

  private addExample(fn: string, shape: number[], data: ArrayLike<number>, n: number): void {
    if (this.shape === undefined) {
      this.shape = shape;
      this.total = shape.length === 0 ? 0 : new Float64Array(data.length);
    } else if (this.shape.length !== shape.length || this.shape.some((s, i) => s !== shape[i])) {
      throw new ArgumentError(`${fn}: every update must have the same shape per example; had [${this.shape.join(', ')}], received [${shape.join(', ')}]`);
    }
    if (typeof this.total === 'number') this.total += data[0]!;
    else for (let i = 0; i < data.length; i++) this.total[i]! += data[i]!;
    this.numExamples += n;
  }

  compute(): number | Tensor {
    if (this.numExamples < 1) {
      throw new NotComputableError(
        `${this.where('compute')}: Average must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    if (typeof this.total === 'number') return this.total / this.numExamples;
    return fromHost({ shape: this.shape!, data: this.total.map((v) => v / this.numExamples) }, this.device);
  }
}
