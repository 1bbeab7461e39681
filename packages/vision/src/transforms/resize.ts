/**
 * `Resize` (`transforms.Resize`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { ImageInput } from './functional/pixels.js';
import { checkResizeOptions, resize, resizedOutputSize, type ResizeOptions } from './functional/resize.js';
import { ImageTransform } from './image-transform.js';

/** Checks a size argument of Resize-like transforms. @internal */
export function checkSize(fn: string, size: number | readonly number[]): number | number[] {
  resizedOutputSize(fn, 1, 1, size);
  return typeof size === 'number' ? size : [...size];
}

/**
 * Resizes to `size`: an int matches the shorter edge keeping the aspect ratio, `[h, w]` is exact
 * (`transforms.Resize`). Bilinear by default, antialiased when downsampling (see
 * {@link ResizeOptions.antialias}).
 *
 * @example
 * ```ts
 * new Resize(256);
 * new Resize([224, 224], { interpolation: 'bicubic', antialias: false });
 * ```
 */
export class Resize extends ImageTransform {
  readonly size: number | number[];
  readonly options: ResizeOptions;

  constructor(size: number | readonly number[], options: ResizeOptions = {}) {
    super(size, options);
    this.size = checkSize('Resize', size);
    checkResizeOptions('Resize', options);
    if (options.maxSize !== undefined && (typeof this.size !== 'number' && this.size.length !== 1)) {
      throw new ArgumentError('Resize(): maxSize is only allowed when size is an integer (the shorter edge)');
    }
    this.options = { ...options };
  }

  forward<T extends ImageInput>(img: T): T {
    return resize(img, this.size, this.options);
  }
}
