/**
 * `BatchSampler`: groups another sampler's indices into batches.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Sampler, type SamplerLike } from './sampler.js';
import { checkBool, checkInt, lengthOf } from './util.js';

/**
 * Groups the indices of `sampler` into arrays of `batchSize` (`torch.utils.data.BatchSampler`);
 * the last batch is smaller unless `dropLast`. Give it to the loader as `batchSampler`.
 *
 * @example
 * ```ts
 * [...new BatchSampler(new SequentialSampler(range10), 3, false)];
 * // [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 * ```
 */
export class BatchSampler extends Sampler<number[]> {
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(
    readonly sampler: SamplerLike,
    batchSize: number,
    dropLast: boolean,
  ) {
    super();
    if (sampler === null || typeof sampler !== 'object' || typeof sampler[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`BatchSampler(): sampler must be an iterable of indices (got ${describe(sampler)})`);
    }
    this.batchSize = checkInt('BatchSampler', 'batchSize', batchSize, 1);
    this.dropLast = checkBool('BatchSampler', 'dropLast', dropLast);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  /** The number of batches: `floor` or `ceil` of the sampler's length over `batchSize`. */
  len(): number {
    const n = lengthOf('BatchSampler.len', 'sampler', this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}
