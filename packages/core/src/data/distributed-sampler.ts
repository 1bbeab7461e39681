/**
 * `DistributedSampler`: each of several processes reads its own share of the dataset.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Generator } from '../random/generator.js';
import { permutation } from './draw.js';
import { Sampler } from './sampler.js';
import { checkBool, checkInt, lengthOf } from './util.js';

/**
 * Options of {@link DistributedSampler}.
 *
 * @example
 * ```ts
 * const options: DistributedSamplerOptions = { numReplicas: worldSize, rank, shuffle: true, seed: 0 };
 * ```
 */
export interface DistributedSamplerOptions {
  /** How many processes share the dataset (the world size). Required. */
  numReplicas: number;
  /** Which of them this is, in `[0, numReplicas)`. Required. */
  rank: number;
  /** Shuffle each epoch (default true), with a generator seeded `seed + epoch`. */
  shuffle?: boolean;
  /** The seed every replica uses (default 0): it must be the same on all of them. */
  seed?: number;
  /** Drop the tail so that the dataset divides evenly (default false: pad by repeating indices). */
  dropLast?: boolean;
}

/**
 * The indices of one replica (`rank`) out of `numReplicas`
 * (`torch.utils.data.distributed.DistributedSampler`), partitioned as PyTorch 1.13 does: the
 * (shuffled) indices are padded by repeating from the start, or cut (`dropLast`), to a multiple
 * of `numReplicas`, and replica `rank` takes every `numReplicas`-th from position `rank`. Every
 * replica gets `len()` indices. Call `setEpoch(epoch)` before each epoch so the shuffle changes.
 *
 * @example
 * ```ts
 * const sampler = new DistributedSampler(ds, { numReplicas: 4, rank: 1 });
 * const loader = new DataLoader(ds, { sampler, batchSize: 32 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   sampler.setEpoch(epoch);
 *   for (const batch of loader) step(batch);
 * }
 * ```
 */
export class DistributedSampler extends Sampler {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** The epoch that seeds the shuffle, set by {@link setEpoch}. */
  epoch = 0;

  constructor(
    readonly dataset: { len(): number },
    options: DistributedSamplerOptions,
  ) {
    super();
    const fn = 'DistributedSampler';
    lengthOf(fn, 'dataset', dataset);
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError(`${fn}(): options { numReplicas, rank } are required (got ${describe(options)})`);
    }
    this.numReplicas = checkInt(fn, 'numReplicas', options.numReplicas, 1);
    this.rank = checkInt(fn, 'rank', options.rank, 0);
    if (this.rank >= this.numReplicas) {
      throw new ArgumentError(`${fn}(): rank must be in [0, ${this.numReplicas - 1}] for numReplicas ${this.numReplicas} (got ${this.rank})`);
    }
    this.shuffle = checkBool(fn, 'shuffle', options.shuffle ?? true);
    this.seed = checkInt(fn, 'seed', options.seed ?? 0, 0);
    this.dropLast = checkBool(fn, 'dropLast', options.dropLast ?? false);
  }

  /** How many indices each replica gets per epoch (`num_samples`). */
  get numSamples(): number {
    const n = this.dataset.len();
    if (this.dropLast && n % this.numReplicas !== 0) return Math.max(0, Math.ceil((n - this.numReplicas) / this.numReplicas));
    return Math.ceil(n / this.numReplicas);
  }

  /** The padded (or cut) length that all replicas share (`total_size`). */
  get totalSize(): number {
    return this.numSamples * this.numReplicas;
  }

  /** Sets the epoch, so the next iteration shuffles with seed `seed + epoch` (`set_epoch`). */
  setEpoch(epoch: number): void {
    this.epoch = checkInt('DistributedSampler.setEpoch', 'epoch', epoch, 0);
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.len();
    const total = this.totalSize;
    let indices = this.shuffle ? permutation(n, new Generator(this.seed + this.epoch)) : Array.from({ length: n }, (_, i) => i);
    if (!this.dropLast) {
      const pad = total - indices.length;
      const padding: number[] = [];
      while (padding.length < pad && indices.length > 0) padding.push(...indices.slice(0, pad - padding.length));
      indices = indices.concat(padding);
    } else indices = indices.slice(0, total);
    for (let i = this.rank; i < total; i += this.numReplicas) yield indices[i]!;
  }

  len(): number {
    return this.numSamples;
  }
}
