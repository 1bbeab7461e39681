/**
 * Root mean squared error (Ignite's `RootMeanSquaredError`).
 * @module
 */
import { MeanSquaredError } from './mean-squared-error.js';

/**
 * The square root of {@link MeanSquaredError}.
 *
 * @example
 * ```ts
 * const rmse = new RootMeanSquaredError();
 * rmse.update([flint.tensor([0, 0]), flint.tensor([3, 4])]);
 * rmse.compute(); // sqrt(12.5)
 * ```
 */
export class RootMeanSquaredError extends MeanSquaredError {
  override compute(): number {
    return Math.sqrt(super.compute());
  }
}
