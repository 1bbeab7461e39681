/**
 * Color transforms applied with probability `p`: `RandomInvert`, `RandomPosterize`,
 * `RandomSolarize`, `RandomAdjustSharpness`, `RandomAutocontrast`, `RandomEqualize`.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { adjustSharpness, autocontrast, equalize, invert, posterize, solarize } from './functional/color.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { chance, checkP, type RandomOptions } from './transform.js';

/** Options of the random color transforms. */
export interface RandomColorOptions extends RandomOptions {
  /** Probability of applying (default 0.5). */
  p?: number;
}

/** A functional color op applied with probability `p`. */
abstract class RandomColorOp extends ImageTransform {
  readonly p: number;
  readonly generator: RandomOptions['generator'];
  constructor(name: string, options: RandomColorOptions, args: unknown[]) {
    super(...args);
    this.p = checkP(`${name}()`, options.p ?? 0.5);
    this.generator = options.generator;
  }
  protected abstract op<T extends ImageInput>(img: T): T;
  override forward<T extends ImageInput>(img: T): T {
    return chance(this.p, this.generator) ? this.op(img) : img;
  }
}

/**
 * Inverts colors with probability `p` (`transforms.RandomInvert`).
 *
 * @example
 * ```ts
 * new RandomInvert({ p: 0.5 });
 * ```
 */
export class RandomInvert extends RandomColorOp {
  constructor(options: RandomColorOptions = {}) {
    super('RandomInvert', options, [options]);
  }
  protected op<T extends ImageInput>(img: T): T {
    return invert(img);
  }
}

/**
 * Keeps `bits` bits per channel with probability `p` (`transforms.RandomPosterize`; int32 images).
 *
 * @example
 * ```ts
 * new RandomPosterize(4);
 * ```
 */
export class RandomPosterize extends RandomColorOp {
  readonly bits: number;
  constructor(bits: number, options: RandomColorOptions = {}) {
    super('RandomPosterize', options, [bits, options]);
    if (!Number.isInteger(bits) || bits < 0 || bits > 8) throw new ArgumentError(`RandomPosterize(): bits must be an integer in 0..8 (got ${bits})`);
    this.bits = bits;
  }
  protected op<T extends ImageInput>(img: T): T {
    return posterize(img, this.bits);
  }
}

/**
 * Inverts pixels at or above `threshold` with probability `p` (`transforms.RandomSolarize`).
 *
 * @example
 * ```ts
 * new RandomSolarize(192);   // int32 images
 * new RandomSolarize(0.75);  // float images
 * ```
 */
export class RandomSolarize extends RandomColorOp {
  readonly threshold: number;
  constructor(threshold: number, options: RandomColorOptions = {}) {
    super('RandomSolarize', options, [threshold, options]);
    if (typeof threshold !== 'number') throw new ArgumentError(`RandomSolarize(): threshold must be a number (got ${JSON.stringify(threshold)})`);
    this.threshold = threshold;
  }
  protected op<T extends ImageInput>(img: T): T {
    return solarize(img, this.threshold);
  }
}

/**
 * Sharpens (factor > 1) or blurs (< 1) with probability `p` (`transforms.RandomAdjustSharpness`).
 *
 * @example
 * ```ts
 * new RandomAdjustSharpness(2);
 * ```
 */
export class RandomAdjustSharpness extends RandomColorOp {
  readonly sharpnessFactor: number;
  constructor(sharpnessFactor: number, options: RandomColorOptions = {}) {
    super('RandomAdjustSharpness', options, [sharpnessFactor, options]);
    if (typeof sharpnessFactor !== 'number' || !(sharpnessFactor >= 0)) {
      throw new ArgumentError(`RandomAdjustSharpness(): sharpnessFactor must be a number >= 0 (got ${sharpnessFactor})`);
    }
    this.sharpnessFactor = sharpnessFactor;
  }
  protected op<T extends ImageInput>(img: T): T {
    return adjustSharpness(img, this.sharpnessFactor);
  }
}

/**
 * Stretches each channel to the full range with probability `p` (`transforms.RandomAutocontrast`).
 *
 * @example
 * ```ts
 * new RandomAutocontrast();
 * ```
 */
export class RandomAutocontrast extends RandomColorOp {
  constructor(options: RandomColorOptions = {}) {
    super('RandomAutocontrast', options, [options]);
  }
  protected op<T extends ImageInput>(img: T): T {
    return autocontrast(img);
  }
}

/**
 * Equalizes the histogram with probability `p` (`transforms.RandomEqualize`; int32 images).
 *
 * @example
 * ```ts
 * new RandomEqualize();
 * ```
 */
export class RandomEqualize extends RandomColorOp {
  constructor(options: RandomColorOptions = {}) {
    super('RandomEqualize', options, [options]);
  }
  protected op<T extends ImageInput>(img: T): T {
    return equalize(img);
  }
}
