/**
 * `SubsetRandomSampler`: given indices in random order.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Generator } from '../random/generator.js';
import { epochGenerator, permutation } from './draw.js';
import { Sampler } from './sampler.js';

/**
 * The given `indices` in a fresh random order each epoch (`torch.utils.data.SubsetRandomSampler`):
 * `indices[p]` for `p` in `randperm(indices.length, { generator })`.
 *
 * @example
 * ```ts
 * const valSampler = new SubsetRandomSampler([0, 5, 7, 9]);
 * new DataLoader(ds, { sampler: valSampler, batchSize: 2 });
 * ```
 */
export class SubsetRandomSampler extends Sampler {
  readonly indices: readonly number[];
  readonly generator: Generator | undefined;

  constructor(indices: ArrayLike<number>, options: { generator?: Generator } = {}) {
    super();
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
      throw new ArgumentError(`SubsetRandomSampler(): indices must be an array of integers (got ${describe(indices)})`);
    }
    this.indices = Array.from(indices);
    this.indices.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ArgumentError(`SubsetRandomSampler(): indices[${i}] must be an integer (got ${describe(v)})`);
    });
    if (options.generator !== undefined && !(options.generator instanceof Generator)) {
      throw new ArgumentError(`SubsetRandomSampler(): generator must be a Generator (got ${describe(options.generator)})`);
    }
    this.generator = options.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    const order = permutation(this.indices.length, epochGenerator(this.generator));
    yield* order.map((p) => this.indices[p]!);
  }

  len(): number {
    return this.indices.length;
  }
}
