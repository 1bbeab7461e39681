/**
 * `Grayscale` and `RandomGrayscale`.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { rgbToGrayscale } from './functional/color.js';
import { shapeOf, type ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { chance, checkP, type RandomOptions } from './transform.js';

/**
 * Converts to grayscale with 1 or 3 output channels (`transforms.Grayscale`).
 *
 * @example
 * ```ts
 * new Grayscale({ numOutputChannels: 3 });
 * ```
 */
export class Grayscale extends ImageTransform {
  readonly numOutputChannels: 1 | 3;
  constructor(options: { numOutputChannels?: 1 | 3 } = {}) {
    super(options);
    this.numOutputChannels = options.numOutputChannels ?? 1;
    if (this.numOutputChannels !== 1 && this.numOutputChannels !== 3) {
      throw new ArgumentError(`Grayscale(): numOutputChannels must be 1 or 3 (got ${String(this.numOutputChannels)})`);
    }
  }
  forward<T extends ImageInput>(img: T): T {
    return rgbToGrayscale(img, this.numOutputChannels);
  }
}

/**
 * Converts to grayscale with probability `p` (default 0.1), keeping the channel count
 * (`transforms.RandomGrayscale`).
 *
 * @example
 * ```ts
 * new RandomGrayscale({ p: 0.2 });
 * ```
 */
export class RandomGrayscale extends ImageTransform {
  readonly p: number;
  readonly generator: RandomOptions['generator'];
  constructor(options: { p?: number } & RandomOptions = {}) {
    super(options);
    this.p = checkP('RandomGrayscale()', options.p ?? 0.1);
    this.generator = options.generator;
  }
  forward<T extends ImageInput>(img: T): T {
    const [c] = shapeOf('RandomGrayscale', img);
    return chance(this.p, this.generator) ? rgbToGrayscale(img, c === 3 ? 3 : 1) : img;
  }
}
