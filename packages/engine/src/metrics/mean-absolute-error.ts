/**
 * Mean absolute error (Ignite's `MeanAbsoluteError`).
 * @module
 */
import { PerExampleError } from './regression.js';

/**
 * The sum of |yPred - y| over all elements divided by the number of examples (`y.shape[0]` per
 * batch), as Ignite computes it: for (N, D) outputs that is the per-example sum of absolute errors,
 * averaged over examples.
 *
 * @example
 * ```ts
 * const mae = new MeanAbsoluteError();
 * mae.update([flint.tensor([1, 2, 3]), flint.tensor([1, 3, 5])]);
 * mae.compute(); // 1
 * ```
 */
export class MeanAbsoluteError extends PerExampleError {
  protected elementError(diff: number): number {
    return Math.abs(diff);
  }
}
