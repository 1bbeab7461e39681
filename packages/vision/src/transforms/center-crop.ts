/**
 * `CenterCrop` (`transforms.CenterCrop`).
 * @module
 */
import { centerCrop, parseSize } from './functional/geometry.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';

/**
 * Crops the center `size` (int or `[h, w]`); smaller images are padded with zeros
 * (`transforms.CenterCrop`).
 *
 * @example
 * ```ts
 * new CenterCrop(224);
 * ```
 */
export class CenterCrop extends ImageTransform {
  readonly size: [number, number];

  constructor(size: number | readonly number[]) {
    super(size);
    this.size = parseSize('CenterCrop', 'size', size);
  }

  forward<T extends ImageInput>(img: T): T {
    return centerCrop(img, this.size);
  }
}
