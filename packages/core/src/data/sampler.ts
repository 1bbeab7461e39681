/**
 * The base of the samplers: an iterable of dataset indices (or of batches of indices) with a
 * length (`torch.utils.data.Sampler`).
 * @module
 */

/**
 * An iterable of indices with a `len()`. Subclass it, or give the loader any iterable of
 * numbers (`len()` is then optional: only `DataLoader.length` needs it).
 *
 * @example
 * ```ts
 * class EvenSampler extends Sampler {
 *   constructor(readonly n: number) { super(); }
 *   *[Symbol.iterator]() { for (let i = 0; i < this.n; i += 2) yield i; }
 *   len() { return Math.ceil(this.n / 2); }
 * }
 * ```
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  /** The indices, in order, for one epoch. */
  abstract [Symbol.iterator](): Iterator<T>;
  /** How many indices one epoch yields (`__len__`). */
  abstract len(): number;
  /** As `len()`. */
  get length(): number {
    return this.len();
  }
}

/**
 * What the loader accepts as a sampler: a {@link Sampler} or any iterable of indices.
 *
 * @example
 * ```ts
 * new DataLoader(ds, { sampler: [4, 2, 0], batchSize: 2 }); // batches [4, 2], [0]
 * ```
 */
export type SamplerLike<T = number> = Iterable<T> & { len?(): number };
