/**
 * `WeightedRandomSampler`: indices drawn with given probabilities.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { Tensor } from '../tensor/tensor.js';
import { Sampler } from './sampler.js';
import { checkBool, checkInt } from './util.js';

/** `n` doubles uniform in [0, 1), each from 53 random bits. */
function uniform53(g: Generator, n: number): Float64Array {
  const u = g.nextUint32(2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((u[2 * i]! >>> 5) * 67108864 + (u[2 * i + 1]! >>> 6)) / 9007199254740992;
  return out;
}

/**
 * `numSamples` indices in `[0, weights.length)`, index `i` drawn with probability proportional
 * to `weights[i]` (`torch.utils.data.WeightedRandomSampler`, i.e. `torch.multinomial`). With
 * `replacement: false` (default true) no index repeats: each draw picks among the indices left,
 * in proportion to their weights. Weights need not sum to one.
 *
 * @example
 * ```ts
 * // Oversample the rare class 1: each of its samples is 9 times as likely.
 * const weights = labels.map((y) => (y === 1 ? 9 : 1));
 * const sampler = new WeightedRandomSampler(weights, labels.length);
 * ```
 */
export class WeightedRandomSampler extends Sampler {
  readonly weights: Float64Array;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(
    weights: ArrayLike<number> | Tensor,
    numSamples: number,
    options: { replacement?: boolean; generator?: Generator } = {},
  ) {
    super();
    const fn = 'WeightedRandomSampler';
    let w: ArrayLike<number>;
    if (weights instanceof Tensor) {
      if (weights.ndim !== 1) throw new ArgumentError(`${fn}(): weights must be 1-D (got shape [${weights.shape.join(', ')}])`);
      w = weights.dataSync();
    } else if (weights !== null && typeof weights === 'object' && typeof weights.length === 'number') w = weights;
    else throw new ArgumentError(`${fn}(): weights must be an array of numbers or a 1-D Tensor (got ${describe(weights)})`);
    this.weights = Float64Array.from(w);
    this.weights.forEach((v, i) => {
      if (!(v >= 0) || !Number.isFinite(v)) throw new ArgumentError(`${fn}(): weights[${i}] must be a finite number >= 0 (got ${describe(w[i])})`);
    });
    const positive = this.weights.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    if (positive === 0) throw new ArgumentError(`${fn}(): weights must contain a positive value (got all zeros or none)`);
    this.numSamples = checkInt(fn, 'numSamples', numSamples, 1);
    this.replacement = checkBool(fn, 'replacement', options.replacement ?? true);
    if (!this.replacement && this.numSamples > positive) {
      throw new ArgumentError(
        `${fn}(): without replacement, numSamples (${this.numSamples}) must not exceed the number of positive weights (${positive})`,
      );
    }
    if (options.generator !== undefined && !(options.generator instanceof Generator)) {
      throw new ArgumentError(`${fn}(): generator must be a Generator (got ${describe(options.generator)})`);
    }
    this.generator = options.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    const g = this.generator ?? defaultGenerator;
    const w = this.weights;
    const u = uniform53(g, this.replacement ? this.numSamples : w.length);
    if (this.replacement) {
      const cdf = new Float64Array(w.length);
      let total = 0;
      w.forEach((v, i) => (cdf[i] = total += v));
      const out: number[] = [];
      for (const r of u) {
        // The first index whose running total exceeds r * total (zero weights are never picked).
        const target = r * total;
        let lo = 0;
        let hi = w.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid]! > target) hi = mid;
          else lo = mid + 1;
        }
        out.push(lo);
      }
      yield* out;
      return;
    }
    // Without replacement: sort by exponential race times -log(u) / w (the same distribution as
    // drawing one at a time from what is left, each in proportion to its weight).
    const keys: { i: number; k: number }[] = [];
    w.forEach((v, i) => {
      if (v > 0) keys.push({ i, k: -Math.log(1 - u[i]!) / v });
    });
    keys.sort((a, b) => a.k - b.k);
    yield* keys.slice(0, this.numSamples).map((e) => e.i);
  }

  len(): number {
    return this.numSamples;
  }
}
