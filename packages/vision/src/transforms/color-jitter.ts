/**
 * `ColorJitter` (`transforms.ColorJitter`).
 * @module
 */
import { ArgumentError, type Generator } from '@flint/core';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from './functional/color.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { randperm, uniform, type RandomOptions } from './transform.js';

/** Options of {@link ColorJitter}: each a spread `x` (range `[1 - x, 1 + x]`, hue `[-x, x]`) or `[min, max]`. */
export interface ColorJitterOptions extends RandomOptions {
  brightness?: number | readonly [number, number];
  contrast?: number | readonly [number, number];
  saturation?: number | readonly [number, number];
  /** Hue shift, within [-0.5, 0.5]. */
  hue?: number | readonly [number, number];
}

function checkInput(name: string, value: number | readonly number[] | undefined, center: number, bound: [number, number], clipFirstOnZero: boolean): [number, number] | null {
  if (value === undefined) return null;
  let r: [number, number];
  if (typeof value === 'number') {
    if (value < 0) throw new ArgumentError(`ColorJitter(): if ${name} is a single number, it must be non negative (got ${value})`);
    r = [center - value, center + value];
    if (clipFirstOnZero) r[0] = Math.max(r[0], 0);
  } else if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    r = [value[0]!, value[1]!];
  } else {
    throw new ArgumentError(`ColorJitter(): ${name} must be a number or [min, max] (got ${JSON.stringify(value)})`);
  }
  if (!(bound[0] <= r[0] && r[0] <= r[1] && r[1] <= bound[1])) {
    throw new ArgumentError(`ColorJitter(): ${name} values should be between [${bound.join(', ')}] and min <= max (got ${JSON.stringify(r)})`);
  }
  return r[0] === center && r[1] === center ? null : r;
}

/** What {@link ColorJitter.getParams} draws: the order of the four adjustments and their factors. */
export interface ColorJitterParams {
  fnIdx: number[];
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  hue: number | null;
}

/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order
 * (`transforms.ColorJitter`).
 *
 * @example
 * ```ts
 * new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
 * ```
 */
export class ColorJitter extends ImageTransform {
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;
  readonly generator: RandomOptions['generator'];

  constructor(options: ColorJitterOptions = {}) {
    super(options);
    this.brightness = checkInput('brightness', options.brightness, 1, [0, Infinity], true);
    this.contrast = checkInput('contrast', options.contrast, 1, [0, Infinity], true);
    this.saturation = checkInput('saturation', options.saturation, 1, [0, Infinity], true);
    this.hue = checkInput('hue', options.hue, 0, [-0.5, 0.5], false);
    this.generator = options.generator;
  }

  /** Draws the order and the factors (`ColorJitter.get_params`). */
  static getParams(
    brightness: readonly [number, number] | null,
    contrast: readonly [number, number] | null,
    saturation: readonly [number, number] | null,
    hue: readonly [number, number] | null,
    generator?: Generator,
  ): ColorJitterParams {
    const fnIdx = randperm(4, generator);
    const draw = (r: readonly [number, number] | null) => (r === null ? null : uniform(r[0], r[1], generator));
    return { fnIdx, brightness: draw(brightness), contrast: draw(contrast), saturation: draw(saturation), hue: draw(hue) };
  }

  forward<T extends ImageInput>(img: T): T {
    const p = ColorJitter.getParams(this.brightness, this.contrast, this.saturation, this.hue, this.generator);
    let x = img;
    for (const id of p.fnIdx) {
      if (id === 0 && p.brightness !== null) x = adjustBrightness(x, p.brightness);
      else if (id === 1 && p.contrast !== null) x = adjustContrast(x, p.contrast);
      else if (id === 2 && p.saturation !== null) x = adjustSaturation(x, p.saturation);
      else if (id === 3 && p.hue !== null) x = adjustHue(x, p.hue);
    }
    return x;
  }
}
