/**
 * `RandomSampler`: the indices in random order, or drawn with replacement.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Generator } from '../random/generator.js';
import { epochGenerator, permutation, randomIntegers } from './draw.js';
import { Sampler } from './sampler.js';
import { checkBool, lengthOf } from './util.js';

/**
 * Options of {@link RandomSampler}.
 *
 * @example
 * ```ts
 * const options: RandomSamplerOptions = { replacement: true, numSamples: 1000, generator: new Generator(0) };
 * ```
 */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices per epoch (default: the dataset's length). */
  numSamples?: number;
  /** Where the randomness comes from (default: a new generator per epoch, seeded from the default one). */
  generator?: Generator;
}

/**
 * Random indices into `dataSource` (`torch.utils.data.RandomSampler`). Without replacement each
 * epoch is a fresh permutation (`randperm(n, { generator })`), repeated when `numSamples`
 * exceeds the length; with replacement, `numSamples` independent uniform draws. The whole
 * epoch is drawn when iteration starts. The loader's sampler when `shuffle` is true.
 *
 * @example
 * ```ts
 * const s = new RandomSampler(ds, { generator: new Generator(0) });
 * [...s]; // a permutation of 0 .. ds.len() - 1
 * ```
 */
export class RandomSampler extends Sampler {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly numSamplesOption: number | undefined;

  constructor(
    readonly dataSource: { len(): number },
    options: RandomSamplerOptions = {},
  ) {
    super();
    lengthOf('RandomSampler', 'dataSource', dataSource);
    this.replacement = checkBool('RandomSampler', 'replacement', options.replacement ?? false);
    if (options.generator !== undefined && !(options.generator instanceof Generator)) {
      throw new ArgumentError(`RandomSampler(): generator must be a Generator (got ${describe(options.generator)})`);
    }
    this.generator = options.generator;
    this.numSamplesOption = options.numSamples;
    const n = this.numSamples;
    if (!Number.isInteger(n) || n <= 0) {
      throw new ArgumentError(`RandomSampler(): numSamples must be a positive integer (got ${describe(n)})`);
    }
  }

  /** The indices per epoch: `numSamples` if given, else the dataset's length. */
  get numSamples(): number {
    return this.numSamplesOption ?? this.dataSource.len();
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.len();
    const count = this.numSamples;
    const g = epochGenerator(this.generator);
    if (this.replacement) {
      yield* randomIntegers(n, count, g);
      return;
    }
    const out: number[] = [];
    for (let r = 0; r < Math.floor(count / n); r++) out.push(...permutation(n, g));
    if (count % n > 0) out.push(...permutation(n, g).slice(0, count % n));
    yield* out;
  }

  len(): number {
    return this.numSamples;
  }
}
