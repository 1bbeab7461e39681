/**
 * Precision, TP / (TP + FP), for binary, multiclass and multilabel data (Ignite's `Precision`).
 * @module
 */
import { BasePrecisionRecall } from './precision-recall.js';
import type { PrecisionRecallOptions } from './precision-recall.js';

/**
 * The fraction of predicted positives that are right, TP / (TP + FP), per class or averaged (see
 * {@link PrecisionRecallAverage}). Inputs as {@link Accuracy}: scores (N, C, ...) with class
 * indices (N, ...), 0/1 binary data, or 0/1 multilabel data with `isMultilabel: true`. A class
 * never predicted has precision 0.
 *
 * @example
 * ```ts
 * const precision = new Precision({ average: 'macro' });
 * precision.update([logits, labels]);
 * precision.compute(); // a number; with average: false, a Tensor with one value per class
 * ```
 */
export class Precision extends BasePrecisionRecall {
  protected readonly countsPredicted = true;
  constructor(options: PrecisionRecallOptions = {}) {
    super(options);
    this.reset();
  }
}
