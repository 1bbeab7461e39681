/**
 * Top-k accuracy (Ignite's `TopKCategoricalAccuracy`).
 * @module
 */
import { ArgumentError, ShapeError } from '@flint/core';
import type { Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { fmt, pairOf } from './classification.js';
import { describeValue } from './values.js';

/**
 * Options of {@link TopKCategoricalAccuracy}.
 *
 * @example
 * ```ts
 * new TopKCategoricalAccuracy({ k: 3 } satisfies TopKCategoricalAccuracyOptions);
 * ```
 */
export interface TopKCategoricalAccuracyOptions extends MetricOptions<[Tensor, Tensor]> {
  /** How many of the highest scores may hold the true class (default 5). */
  k?: number;
}

/**
 * The fraction of examples whose true class is among the `k` highest scores. `update([yPred, y])`
 * takes scores (N, C) and class indices (N,). Equal scores rank by class index, lowest first (a
 * stable sort).
 *
 * @example
 * ```ts
 * const top2 = new TopKCategoricalAccuracy({ k: 2 });
 * top2.update([flint.tensor([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]]), flint.tensor([2, 2], { dtype: 'int32' })]);
 * top2.compute(); // 0.5
 * ```
 */
export class TopKCategoricalAccuracy extends Metric<[Tensor, Tensor], number> {
  readonly k: number;
  protected override stateKeys = ['numCorrect', 'numExamples'];
  private numCorrect = 0;
  private numExamples = 0;

  constructor(options: TopKCategoricalAccuracyOptions = {}) {
    super(options);
    const k = options.k ?? 5;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
      throw new ArgumentError(`TopKCategoricalAccuracy(): k must be a positive integer; received ${describeValue(k)}`);
    }
    this.k = k;
    this.reset();
  }

  reset(): void {
    this.numCorrect = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const [yPred, y] = pairOf(fn, output);
    if (yPred.ndim !== 2 || y.ndim !== 1 || y.shape[0] !== yPred.shape[0]) {
      throw new ShapeError(`${fn}: yPred must have shape (N, C) and y shape (N,); received yPred [${yPred.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
    }
    const [n, c] = yPred.shape as [number, number];
    if (this.k > c) {
      throw new ArgumentError(`${fn}: k (${this.k}) must not exceed the number of classes (${c})`);
    }
    const scores = yPred.dataSync();
    const target = y.dataSync();
    for (let i = 0; i < n; i++) {
      const t = target[i]!;
      if (!Number.isInteger(t) || t < 0 || t >= c) {
        throw new ArgumentError(`${fn}: y must hold class indices in [0, ${c}); received ${fmt(t)} at index ${i}`);
      }
      const v = scores[i * c + t]!;
      // Rank of the true class in a stable descending sort.
      let rank = 0;
      for (let j = 0; j < c && rank < this.k; j++) {
        const s = scores[i * c + j]!;
        if (s > v || (s === v && j < t)) rank++;
      }
      if (rank < this.k) this.numCorrect++;
    }
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: TopKCategoricalAccuracy must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.numCorrect / this.numExamples;
  }
}
