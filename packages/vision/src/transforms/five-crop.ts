/**
 * `FiveCrop` and `TenCrop`: several crops of one image.
 * @module
 */
import { fiveCrop, parseSize, tenCrop } from './functional/geometry.js';
import type { ImageInput } from './functional/pixels.js';
import { Transform } from './transform.js';

/**
 * The four corners and the center, `size` each (`transforms.FiveCrop`); returns an array of 5.
 *
 * @example
 * ```ts
 * const crops = new FiveCrop(24)(x);      // 5 tensors
 * const batch = flint.stack(crops);       // [5, C, 24, 24]
 * ```
 */
export class FiveCrop extends Transform<ImageInput, ImageInput[]> {
  readonly size: [number, number];
  constructor(size: number | readonly number[]) {
    super(size);
    this.size = parseSize('FiveCrop', 'size', size);
  }
  forward<T extends ImageInput>(img: T): T[] {
    return fiveCrop(img, this.size);
  }
}

/**
 * The five crops of {@link FiveCrop} and those of the flipped image (`transforms.TenCrop`).
 *
 * @example
 * ```ts
 * new TenCrop(24, { verticalFlip: true })(x); // 10 tensors
 * ```
 */
export class TenCrop extends Transform<ImageInput, ImageInput[]> {
  readonly size: [number, number];
  readonly verticalFlip: boolean;
  constructor(size: number | readonly number[], options: { verticalFlip?: boolean } = {}) {
    super(size, options);
    this.size = parseSize('TenCrop', 'size', size);
    this.verticalFlip = options.verticalFlip ?? false;
  }
  forward<T extends ImageInput>(img: T): T[] {
    return tenCrop(img, this.size, this.verticalFlip);
  }
}
