/**
 * Mean squared error (Ignite's `MeanSquaredError`).
 * @module
 */
import { PerExampleError } from './regression.js';

/**
 * The sum of (yPred - y)^2 over all elements divided by the number of examples (`y.shape[0]` per
 * batch), as Ignite computes it.
 *
 * @example
 * ```ts
 * const mse = new MeanSquaredError();
 * mse.update([flint.tensor([1, 2, 3]), flint.tensor([1, 3, 5])]);
 * mse.compute(); // 5 / 3
 * ```
 */
export class MeanSquaredError extends PerExampleError {
  protected elementError(diff: number): number {
    return diff * diff;
  }
}
