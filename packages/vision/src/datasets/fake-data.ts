/**
 * `FakeData` (`torchvision.datasets.FakeData`): random images, the same for the same index.
 * @module
 */
import { ArgumentError, Generator, randint, randn } from '@flint/core';
import { Image } from '../image.js';
import { toPILImage } from '../transforms/functional/convert.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

/** Options of {@link FakeData}. */
export interface FakeDataOptions<X, Y> extends VisionDatasetOptions<X, Y, Image, number> {
  /** Number of samples (default 1000). */
  size?: number;
  /** `[C, H, W]` (default `[3, 224, 224]`). */
  imageSize?: readonly [number, number, number];
  /** Number of classes (default 10). */
  numClasses?: number;
  /** Added to the index to seed each sample (default 0). */
  randomOffset?: number;
}

/**
 * Random {@link Image}s and targets (`torchvision.datasets.FakeData`): sample `i` is drawn from a
 * generator seeded with `i + randomOffset`, so it is the same on every call and every run.
 *
 * @example
 * ```ts
 * const ds = new FakeData({ size: 100, imageSize: [3, 32, 32], numClasses: 10, transform: new ToTensor() });
 * ```
 */
export class FakeData<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  readonly size: number;
  readonly imageSize: [number, number, number];
  readonly numClasses: number;
  readonly randomOffset: number;

  constructor(options: FakeDataOptions<X, Y> = {}) {
    super('', options, [options]);
    const { size = 1000, imageSize = [3, 224, 224], numClasses = 10, randomOffset = 0 } = options;
    if (!Number.isInteger(size) || size < 0) throw new ArgumentError(`FakeData(): size must be an integer >= 0 (got ${size})`);
    if (!Array.isArray(imageSize) || imageSize.length !== 3 || imageSize.some((v) => !Number.isInteger(v) || v <= 0) || imageSize[0] > 4) {
      throw new ArgumentError(`FakeData(): imageSize must be [C, H, W] with C in 1..4 (got ${JSON.stringify(imageSize)})`);
    }
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ArgumentError(`FakeData(): numClasses must be an integer >= 1 (got ${numClasses})`);
    if (!Number.isInteger(randomOffset) || randomOffset < 0) throw new ArgumentError(`FakeData(): randomOffset must be an integer >= 0 (got ${randomOffset})`);
    this.size = size;
    this.imageSize = [imageSize[0], imageSize[1], imageSize[2]];
    this.numClasses = numClasses;
    this.randomOffset = randomOffset;
  }

  /** Random image `index` and its random target. */
  getItem(index: number): [X, Y] {
    const i = this.index(index);
    const g = new Generator(i + this.randomOffset);
    const x = randn(this.imageSize, { generator: g });
    const t = randint(0, this.numClasses, [1], { generator: g });
    const img = toPILImage(x);
    const target = t.dataSync()[0]!;
    x.dispose();
    t.dispose();
    return this.finish(img, target);
  }

  len(): number {
    return this.size;
  }
}
