/**
 * A batch sampler that puts sequences of similar lengths together (the `BucketIterator` of
 * legacy torchtext, as a sampler for core's DataLoader): each epoch, the (shuffled) indices are
 * cut into pools of `batchSize * bucketSizeMultiplier`, each pool is sorted by length and cut
 * into batches, and the batches are shuffled. Less padding, still random.
 * @module
 */
import { ArgumentError, Generator, data, randperm } from '@flint/core';
import { checkInt, describe } from '../util.js';

/** Options of {@link BucketBatchSampler}. */
export interface BucketBatchSamplerOptions {
  /** Pools of `batchSize * bucketSizeMultiplier` indices are sorted by length (default 100). */
  bucketSizeMultiplier?: number;
  /** Shuffle the indices before pooling and the batches after (default true). */
  shuffle?: boolean;
  /** Drop each pool's last, smaller batch (default false). */
  dropLast?: boolean;
  /** The generator of the shuffles (default: the global one); the same seed gives the same epochs. */
  generator?: Generator;
}

/**
 * Batches of indices of similar lengths, for `new DataLoader(ds, { batchSampler })`.
 *
 * @example
 * ```ts
 * const lengths = dataset.map((ex) => ex.tokens.length);
 * const sampler = new BucketBatchSampler(lengths, 32, { generator: new Generator(0) });
 * const loader = new data.DataLoader(dataset, { batchSampler: sampler, collateFn });
 * ```
 */
export class BucketBatchSampler extends data.Sampler<number[]> {
  readonly lengths: readonly number[];
  readonly batchSize: number;
  readonly bucketSizeMultiplier: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;

  constructor(lengths: readonly number[], batchSize: number, options: BucketBatchSamplerOptions = {}) {
    super();
    const fn = 'BucketBatchSampler()';
    if (!Array.isArray(lengths) || lengths.some((l) => typeof l !== 'number' || !(l >= 0))) {
      throw new ArgumentError(`${fn}: lengths must be an array of non-negative numbers, one per example (got ${describe(lengths)})`);
    }
    this.lengths = lengths;
    this.batchSize = checkInt(fn, 'batchSize', batchSize, 1);
    this.bucketSizeMultiplier = checkInt(fn, 'bucketSizeMultiplier', options.bucketSizeMultiplier ?? 100, 1);
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    if (options.generator !== undefined && !(options.generator instanceof Generator)) {
      throw new ArgumentError(`${fn}: generator must be a Generator (got ${describe(options.generator)})`);
    }
    this.generator = options.generator;
  }

  #permutation(n: number): number[] {
    const t = randperm(n, { generator: this.generator });
    const out = Array.from(t.dataSync() as Int32Array);
    t.dispose();
    return out;
  }

  *[Symbol.iterator](): Iterator<number[]> {
    const n = this.lengths.length;
    const order = this.shuffle ? this.#permutation(n) : Array.from({ length: n }, (_, i) => i);
    const pool = this.batchSize * this.bucketSizeMultiplier;
    const batches: number[][] = [];
    for (let start = 0; start < n; start += pool) {
      const sorted = order.slice(start, start + pool).sort((a, b) => this.lengths[a]! - this.lengths[b]! || a - b);
      for (let i = 0; i < sorted.length; i += this.batchSize) {
        const batch = sorted.slice(i, i + this.batchSize);
        if (batch.length < this.batchSize && this.dropLast) continue;
        batches.push(batch);
      }
    }
    const batchOrder = this.shuffle ? this.#permutation(batches.length) : batches.map((_, i) => i);
    for (const i of batchOrder) yield batches[i]!;
  }

  len(): number {
    const n = this.lengths.length;
    const pool = this.batchSize * this.bucketSizeMultiplier;
    let count = 0;
    for (let start = 0; start < n; start += pool) {
      const size = Math.min(pool, n - start);
      count += this.dropLast ? Math.floor(size / this.batchSize) : Math.ceil(size / this.batchSize);
    }
    return count;
  }
}
