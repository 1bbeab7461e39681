/**
 * `RandomHorizontalFlip` and `RandomVerticalFlip`.
 * @module
 */
import { hflip, vflip } from './functional/geometry.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { chance, checkP, type RandomOptions } from './transform.js';

/** Options of the random flips. */
export interface FlipOptions extends RandomOptions {
  /** Probability of flipping (default 0.5). */
  p?: number;
}

/**
 * Flips left to right with probability `p` (`transforms.RandomHorizontalFlip`).
 *
 * @example
 * ```ts
 * new RandomHorizontalFlip();               // p = 0.5
 * new RandomHorizontalFlip({ p: 1, generator: new Generator(0) });
 * ```
 */
export class RandomHorizontalFlip extends ImageTransform {
  readonly p: number;
  readonly generator: RandomOptions['generator'];

  constructor(options: FlipOptions = {}) {
    super(options);
    this.p = checkP('RandomHorizontalFlip()', options.p ?? 0.5);
    this.generator = options.generator;
  }

  forward<T extends ImageInput>(img: T): T {
    return chance(this.p, this.generator) ? hflip(img) : img;
  }
}

/**
 * Flips top to bottom with probability `p` (`transforms.RandomVerticalFlip`).
 *
 * @example
 * ```ts
 * new RandomVerticalFlip({ p: 0.3 });
 * ```
 */
export class RandomVerticalFlip extends ImageTransform {
  readonly p: number;
  readonly generator: RandomOptions['generator'];

  constructor(options: FlipOptions = {}) {
    super(options);
    this.p = checkP('RandomVerticalFlip()', options.p ?? 0.5);
    this.generator = options.generator;
  }

  forward<T extends ImageInput>(img: T): T {
    return chance(this.p, this.generator) ? vflip(img) : img;
  }
}
