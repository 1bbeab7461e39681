/**
 * The error the data pipeline raises when loading fails: a worker that threw, died or timed
 * out, a dataset that cannot be sent to a worker, or a loader used in a way it does not support.
 * @module
 */
import { FlintError } from '../errors.js';

/**
 * Where a {@link DataLoaderError} happened, when it happened in a worker.
 *
 * @example
 * ```ts
 * throw new DataLoaderError('DataLoader: worker 1 failed', { workerId: 1, index: 17 });
 * ```
 */
export interface DataLoaderErrorDetails {
  /** The worker that failed (`undefined` on the main thread). */
  workerId?: number;
  /** The dataset index whose `getItem` threw, when known. */
  index?: number;
  /** The position of the batch in the epoch, when known. */
  batchIndex?: number;
  /** The original error, rebuilt on the main thread with its name, message and stack. */
  cause?: Error;
}

/**
 * Loading data failed. When a worker failed, `workerId`, `index` (the dataset index whose
 * `getItem` threw) and `cause` (the original error with the worker's stack) say where.
 *
 * @example
 * ```ts
 * try {
 *   for await (const batch of loader) train(batch);
 * } catch (e) {
 *   if (DataLoaderError.isInstance(e)) console.error(e.index, e.cause);
 * }
 * ```
 */
export class DataLoaderError extends FlintError {
  /** The worker that failed, if any. */
  readonly workerId: number | undefined;
  /** The dataset index whose `getItem` threw, if known. */
  readonly index: number | undefined;
  /** The position of the failed batch in the epoch, if known. */
  readonly batchIndex: number | undefined;
  constructor(message: string, details: DataLoaderErrorDetails = {}) {
    super(message);
    this.workerId = details.workerId;
    this.index = details.index;
    this.batchIndex = details.batchIndex;
    if (details.cause !== undefined) Object.defineProperty(this, 'cause', { value: details.cause, configurable: true, writable: true });
  }
}
