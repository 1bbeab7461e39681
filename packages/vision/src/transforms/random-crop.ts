/**
 * `RandomCrop` (`transforms.RandomCrop`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Generator } from '@flint/core';
import { crop, pad, parsePadding, parseSize, type PaddingMode } from './functional/geometry.js';
import { shapeOf, type ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { checkPaddingMode } from './pad.js';
import { randint, type RandomOptions } from './transform.js';

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions extends RandomOptions {
  /** Padding added before cropping: int, `[lr, tb]` or `[l, t, r, b]`. */
  padding?: number | readonly number[];
  /** Pad an image smaller than the crop up to the crop size (default false). */
  padIfNeeded?: boolean;
  /** Constant padding value (default 0). */
  fill?: number;
  /** `'constant'` (default), `'edge'`, `'reflect'` or `'symmetric'`. */
  paddingMode?: PaddingMode;
}

/**
 * Crops a random `size` region (`transforms.RandomCrop`), optionally padding first.
 *
 * @example
 * ```ts
 * new RandomCrop(32, { padding: 4 });                  // CIFAR-style augmentation
 * const [i, j, h, w] = RandomCrop.getParams(img, [24, 24]);
 * ```
 */
export class RandomCrop extends ImageTransform {
  readonly size: [number, number];
  readonly padding: number | number[] | undefined;
  readonly padIfNeeded: boolean;
  readonly fill: number;
  readonly paddingMode: PaddingMode;
  readonly generator: RandomOptions['generator'];

  constructor(size: number | readonly number[], options: RandomCropOptions = {}) {
    super(size, options);
    this.size = parseSize('RandomCrop', 'size', size);
    if (options.padding !== undefined) parsePadding('RandomCrop', options.padding);
    this.padding = options.padding === undefined || typeof options.padding === 'number' ? options.padding : [...options.padding];
    this.padIfNeeded = options.padIfNeeded ?? false;
    this.fill = options.fill ?? 0;
    if (typeof this.fill !== 'number') throw new ArgumentError(`RandomCrop(): fill must be a number (got ${JSON.stringify(this.fill)})`);
    this.paddingMode = checkPaddingMode('RandomCrop', options.paddingMode ?? 'constant');
    this.generator = options.generator;
  }

  /**
   * A random crop box `[top, left, height, width]` of `outputSize` inside `img`
   * (`RandomCrop.get_params`).
   */
  static getParams(img: ImageInput, outputSize: readonly [number, number] | readonly number[], generator?: Generator): [number, number, number, number] {
    const [, h, w] = shapeOf('RandomCrop.getParams', img);
    const [th, tw] = outputSize as [number, number];
    if (h < th || w < tw) {
      throw new ArgumentError(`RandomCrop.getParams(): required crop size [${th}, ${tw}] is larger than input image size [${h}, ${w}]`);
    }
    if (w === tw && h === th) return [0, 0, h, w];
    const i = randint(0, h - th + 1, generator);
    const j = randint(0, w - tw + 1, generator);
    return [i, j, th, tw];
  }

  forward<T extends ImageInput>(img: T): T {
    let x = img;
    if (this.padding !== undefined) x = pad(x, this.padding, this.fill, this.paddingMode);
    const [, h, w] = shapeOf('RandomCrop', x);
    const [th, tw] = this.size;
    if (this.padIfNeeded && w < tw) x = pad(x, [tw - w, 0], this.fill, this.paddingMode);
    if (this.padIfNeeded && h < th) x = pad(x, [0, th - h], this.fill, this.paddingMode);
    const [i, j, ch, cw] = RandomCrop.getParams(x, this.size, this.generator);
    return crop(x, i, j, ch, cw);
  }
}
