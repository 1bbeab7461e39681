/**
 * `randomSplit`: a dataset cut at random into non-overlapping subsets.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { isMapDataset, type MapDataset } from './dataset.js';
import { permutation } from './draw.js';
import { Subset } from './subset.js';

/**
 * Splits `dataset` into non-overlapping {@link Subset}s of the given `lengths`
 * (`torch.utils.data.random_split`), from one permutation drawn with `generator` (default: the
 * default generator). Lengths are counts summing to the dataset's length, or fractions summing
 * to 1: `floor(n * fraction)` each, then the remainder handed out one by one from the first
 * split, as PyTorch 1.13 does.
 *
 * @example
 * ```ts
 * const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 * ```
 */
export function randomSplit<T>(
  dataset: MapDataset<T>,
  lengths: readonly number[],
  options: { generator?: Generator } = {},
): Subset<T>[] {
  const fn = 'randomSplit';
  if (!isMapDataset(dataset)) {
    throw new ArgumentError(`${fn}(): dataset must be a map-style dataset with getItem() and len() (got ${describe(dataset)})`);
  }
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ArgumentError(`${fn}(): lengths must be a non-empty array of numbers (got ${describe(lengths)})`);
  }
  if (options.generator !== undefined && !(options.generator instanceof Generator)) {
    throw new ArgumentError(`${fn}(): generator must be a Generator (got ${describe(options.generator)})`);
  }
  const n = dataset.len();
  let sizes = [...lengths];
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    sizes.forEach((f, i) => {
      if (f < 0 || f > 1) throw new ArgumentError(`${fn}(): fraction at lengths[${i}] must be in [0, 1] (got ${f})`);
    });
    sizes = sizes.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  } else {
    sizes.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0) {
        throw new ArgumentError(`${fn}(): lengths[${i}] must be an integer >= 0, or all lengths fractions summing to 1 (got ${v})`);
      }
    });
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) {
    throw new ArgumentError(`${fn}(): lengths must sum to the dataset's length ${n} (got ${describe(lengths)}, summing to ${total})`);
  }
  const order = permutation(n, options.generator ?? defaultGenerator);
  let offset = 0;
  return sizes.map((len) => new Subset(dataset, order.slice(offset, (offset += len))));
}
