/**
 * Mean pairwise distance (Ignite's `MeanPairwiseDistance`).
 * @module
 */
import { ArgumentError, ShapeError } from '@flint/core';
import type { Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { pairOf } from './classification.js';
import { describeValue } from './values.js';

/**
 * Options of {@link MeanPairwiseDistance}.
 *
 * @example
 * ```ts
 * new MeanPairwiseDistance({ p: 1 } satisfies MeanPairwiseDistanceOptions);
 * ```
 */
export interface MeanPairwiseDistanceOptions extends MetricOptions<[Tensor, Tensor]> {
  /** The norm's order (default 2; `Infinity` for the max norm). */
  p?: number;
  /** Added to the differences before the norm, as `torch.pairwise_distance` does (default 1e-6). */
  eps?: number;
}

/**
 * The mean over examples of the p-norm distance between `yPred` and `y` along the last dim,
 * `torch.pairwise_distance(yPred, y, p, eps)`: for (N, D) inputs the mean of N distances (for more
 * dims, all distances summed and divided by N, as Ignite does; a 1-D pair is one example).
 *
 * @example
 * ```ts
 * const mpd = new MeanPairwiseDistance();
 * mpd.update([flint.tensor([[0, 0], [1, 1]]), flint.tensor([[3, 4], [1, 1]])]);
 * mpd.compute(); // about 2.5
 * ```
 */
export class MeanPairwiseDistance extends Metric<[Tensor, Tensor], number> {
  readonly p: number;
  readonly eps: number;
  protected override stateKeys = ['total', 'numExamples'];
  private total = 0;
  private numExamples = 0;

  constructor(options: MeanPairwiseDistanceOptions = {}) {
    super(options);
    const p = options.p ?? 2;
    const eps = options.eps ?? 1e-6;
    if (typeof p !== 'number' || !(p > 0)) {
      throw new ArgumentError(`MeanPairwiseDistance(): p must be a positive number (or Infinity); received ${describeValue(p)}`);
    }
    if (typeof eps !== 'number' || !Number.isFinite(eps)) {
      throw new ArgumentError(`MeanPairwiseDistance(): eps must be a finite number; received ${describeValue(eps)}`);
    }
    this.p = p;
    this.eps = eps;
    this.reset();
  }

  reset(): void {
    this.total = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const [yPred, y] = pairOf(fn, output);
    if (yPred.ndim < 1 || yPred.ndim !== y.ndim || yPred.shape.some((s, i) => s !== y.shape[i])) {
      throw new ShapeError(`${fn}: yPred and y must have the same shape (N, ..., D); received yPred [${yPred.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
    }
    const a = yPred.dataSync();
    const b = y.dataSync();
    const d = yPred.shape[yPred.ndim - 1]!;
    const rows = d === 0 ? 0 : a.length / d;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const diff = Math.abs(a[r * d + j]! - b[r * d + j]! + this.eps);
        acc = this.p === Infinity ? Math.max(acc, diff) : acc + diff ** this.p;
      }
      total += this.p === Infinity ? acc : acc ** (1 / this.p);
    }
    this.total += total;
    this.numExamples += yPred.ndim === 1 ? 1 : y.shape[0]!;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: MeanPairwiseDistance must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.total / this.numExamples;
  }
}
