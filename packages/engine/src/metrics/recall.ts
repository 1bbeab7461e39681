/**
 * Recall, TP / (TP + FN), for binary, multiclass and multilabel data (Ignite's `Recall`).
 * @module
 */
import { BasePrecisionRecall } from './precision-recall.js';
import type { PrecisionRecallOptions } from './precision-recall.js';

/**
 * The fraction of actual positives that are found, TP / (TP + FN), per class or averaged (see
 * {@link PrecisionRecallAverage}). Inputs as {@link Precision}. A class that never occurs has
 * recall 0.
 *
 * @example
 * ```ts
 * const recall = new Recall({ average: 'weighted' });
 * recall.update([logits, labels]);
 * recall.compute(); // a number
 * ```
 */
export class Recall extends BasePrecisionRecall {
  protected readonly countsPredicted = false;
  constructor(options: PrecisionRecallOptions = {}) {
    super(options);
    this.reset();
  }
}
