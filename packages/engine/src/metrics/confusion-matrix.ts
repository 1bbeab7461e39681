/**
 * The confusion matrix of multiclass predictions (Ignite's `ConfusionMatrix`), the basis of
 * {@link IoU}, {@link mIoU} and the other matrix-derived metrics.
 * @module
 */
import { ArgumentError, ShapeError, Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { fmt, pairOf } from './classification.js';
import { describeValue, fromHost } from './values.js';

/**
 * How {@link ConfusionMatrix} normalizes its counts (`null`: raw counts).
 *
 * @example
 * ```ts
 * const average: ConfusionMatrixAverage = 'recall';
 * ```
 */
export type ConfusionMatrixAverage = null | 'samples' | 'recall' | 'precision';

/**
 * Options of {@link ConfusionMatrix}.
 *
 * @example
 * ```ts
 * new ConfusionMatrix(10, { average: 'samples' } satisfies ConfusionMatrixOptions);
 * ```
 */
export interface ConfusionMatrixOptions extends MetricOptions<[Tensor, Tensor]> {
  /**
   * `null` (default): counts (int32); `'samples'`: divided by the total; `'recall'`: each row
   * divided by its sum; `'precision'`: each column divided by its sum.
   */
  average?: ConfusionMatrixAverage;
}

/**
 * Counts `[trueClass, predictedClass]` pairs: row i, column j is the number of examples of class i
 * predicted as j. `update([yPred, y])` takes scores (N, C, ...) and class indices (N, ...): pixels of
 * a segmentation map count one by one. Targets outside [0, C) (an ignore label such as 255 or -1)
 * are skipped. `compute()` gives a (C, C) Tensor.
 *
 * @example
 * ```ts
 * const cm = new ConfusionMatrix(3);
 * cm.update([logits, labels]);
 * cm.compute().tolist(); // [[5, 1, 0], [0, 3, 2], [1, 0, 4]]
 * ```
 */
export class ConfusionMatrix extends Metric<[Tensor, Tensor], Tensor> {
  readonly numClasses: number;
  readonly average: ConfusionMatrixAverage;
  protected override stateKeys = ['counts', 'numExamples'];
  private counts: Float64Array = new Float64Array(0);
  private numExamples = 0;

  constructor(numClasses: number, options: ConfusionMatrixOptions = {}) {
    super(options);
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
      throw new ArgumentError(`ConfusionMatrix(): numClasses must be a positive integer; received ${describeValue(numClasses)}`);
    }
    const average = options.average ?? null;
    if (average !== null && average !== 'samples' && average !== 'recall' && average !== 'precision') {
      throw new ArgumentError(`ConfusionMatrix(): average must be null, 'samples', 'recall' or 'precision'; received ${describeValue(average)}`);
    }
    this.numClasses = numClasses;
    this.average = average;
    this.reset();
  }

  reset(): void {
    this.counts = new Float64Array(this.numClasses * this.numClasses);
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const [yPred, y] = pairOf(fn, output);
    const c = this.numClasses;
    const p = yPred.shape;
    if (p.length < 2) {
      throw new ShapeError(`${fn}: yPred must have shape (N, numClasses=${c}, ...); received [${p.join(', ')}]`);
    }
    if (p[1] !== c) {
      throw new ShapeError(`${fn}: yPred has ${p[1]} classes in dim 1 but the matrix was made for numClasses=${c}; received yPred [${p.join(', ')}]`);
    }
    const expected = [p[0]!, ...p.slice(2)];
    if (y.ndim !== expected.length || y.shape.some((s, i) => s !== expected[i])) {
      throw new ShapeError(`${fn}: y must have shape [${expected.join(', ')}] for yPred [${p.join(', ')}]; received [${y.shape.join(', ')}]`);
    }
    const scores = yPred.dataSync();
    const target = y.dataSync();
    const rest = p.slice(2).reduce((a, b) => a * b, 1);
    for (let i = 0; i < p[0]!; i++) {
      for (let r = 0; r < rest; r++) {
        const t = target[i * rest + r]!;
        if (!Number.isInteger(t)) {
          throw new ArgumentError(`${fn}: y must hold integer class indices; received ${fmt(t)} at flat index ${i * rest + r}`);
        }
        if (t < 0 || t >= c) continue;
        let best = 0;
        let bestV = scores[i * c * rest + r]!;
        for (let k = 1; k < c && bestV === bestV; k++) {
          const v = scores[(i * c + k) * rest + r]!;
          if (v > bestV || v !== v) {
            best = k;
            bestV = v;
          }
        }
        this.counts[t * c + best]! += 1;
      }
    }
    this.numExamples += p[0]!;
  }

  /** The raw counts, row-major (C x C, float64); for the metrics built on the matrix. @internal */
  rawCounts(): Float64Array {
    this.checkComputable();
    return this.counts.slice();
  }

  private checkComputable(): void {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: ConfusionMatrix must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
  }

  compute(): Tensor {
    this.checkComputable();
    const c = this.numClasses;
    const shape = [c, c];
    if (this.average === null) return fromHost({ shape, data: this.counts }, this.device, 'int32');
    const m = this.counts;
    const out = new Float64Array(c * c);
    if (this.average === 'samples') {
      const total = m.reduce((a, v) => a + v, 0);
      m.forEach((v, i) => (out[i] = v / total));
    } else {
      for (let i = 0; i < c; i++) {
        for (let j = 0; j < c; j++) {
          let s = 0;
          for (let k = 0; k < c; k++) s += this.average === 'recall' ? m[i * c + k]! : m[k * c + j]!;
          out[i * c + j] = m[i * c + j]! / (s + 1e-15);
        }
      }
    }
    return fromHost({ shape, data: out }, this.device);
  }
}
