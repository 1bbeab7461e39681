/**
 * Accuracy for binary, multiclass and multilabel data (Ignite's `Accuracy`).
 * @module
 */
import type { Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { TypeTracker, checkClassificationShape, classificationType, pairOf, readClassification } from './classification.js';

/**
 * Options of {@link Accuracy}.
 *
 * @example
 * ```ts
 * const options: AccuracyOptions = { isMultilabel: true };
 * ```
 */
export interface AccuracyOptions extends MetricOptions<[Tensor, Tensor]> {
  /** Treat `yPred` and `y` of one shape (N, C, ...) as C labels per example (default false: binary). */
  isMultilabel?: boolean;
}

/**
 * The fraction of correct predictions. `update([yPred, y])` takes:
 * - multiclass: scores or probabilities (N, C, ...) and class indices (N, ...); the argmax is the prediction;
 * - binary: 0/1 predictions (N, ...) or (N, 1, ...) and 0/1 targets (N, ...);
 * - multilabel (`isMultilabel: true`): 0/1 predictions and targets (N, C, ...), an example counts as
 *   correct only when all its C labels are.
 *
 * @example
 * ```ts
 * const acc = new Accuracy();
 * acc.update([flint.tensor([[0.1, 0.9], [0.8, 0.2]]), flint.tensor([1, 1], { dtype: 'int32' })]);
 * acc.compute(); // 0.5
 * ```
 */
export class Accuracy extends Metric<[Tensor, Tensor], number> {
  readonly isMultilabel: boolean;
  protected override stateKeys = ['tracker', 'numCorrect', 'numExamples'];
  private readonly tracker = new TypeTracker();
  private numCorrect = 0;
  private numExamples = 0;

  constructor(options: AccuracyOptions = {}) {
    super(options);
    this.isMultilabel = options.isMultilabel ?? false;
    this.reset();
  }

  /** The kind of data seen since the last reset (undefined before the first update). */
  get type(): 'binary' | 'multiclass' | 'multilabel' | undefined {
    return this.tracker.type;
  }

  reset(): void {
    this.tracker.reset();
    this.numCorrect = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const [yPred, y] = pairOf(fn, output);
    checkClassificationShape(fn, yPred, y, this.isMultilabel);
    const kind = classificationType(yPred, y, this.isMultilabel);
    this.tracker.check(fn, kind.type, kind.numClasses);
    const b = readClassification(fn, yPred, y, this.isMultilabel);
    this.tracker.accept(b.type, b.numClasses);
    let correct = 0;
    if (b.type === 'multilabel') {
      const c = b.numClasses;
      for (let r = 0; r < b.rows; r++) {
        let all = 1;
        for (let k = 0; k < c && all; k++) if (b.pred[r * c + k] !== b.target[r * c + k]) all = 0;
        correct += all;
      }
    } else {
      for (let i = 0; i < b.rows; i++) if (b.pred[i] === b.target[i]) correct++;
    }
    this.numCorrect += correct;
    this.numExamples += b.rows;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(`${this.where('compute')}: Accuracy must have at least one example before it can be computed; call update() or run the engine it is attached to first`);
    }
    return this.numCorrect / this.numExamples;
  }
}
