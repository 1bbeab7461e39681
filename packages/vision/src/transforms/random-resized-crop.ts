/**
 * `RandomResizedCrop` (`transforms.RandomResizedCrop`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Generator } from '@flint/core';
import { parseSize } from './functional/geometry.js';
import { pyRound, shapeOf, type ImageInput } from './functional/pixels.js';
import { checkResizeOptions, resizedCrop, type ResizeOptions } from './functional/resize.js';
import { ImageTransform } from './image-transform.js';
import { randint, uniform, type RandomOptions } from './transform.js';

/** Options of {@link RandomResizedCrop}. */
export interface RandomResizedCropOptions extends Omit<ResizeOptions, 'maxSize'>, RandomOptions {
  /** Range of the crop's area as a fraction of the image (default `[0.08, 1]`). */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio w/h (default `[3/4, 4/3]`). */
  ratio?: readonly [number, number];
}

function checkRange(fn: string, name: string, r: readonly number[]): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))) {
    throw new ArgumentError(`${fn}(): ${name} must be [min, max] of positive numbers (got ${JSON.stringify(r)})`);
  }
  if (r[0]! > r[1]!) throw new ArgumentError(`${fn}(): ${name} should be of kind [min, max] (got ${JSON.stringify(r)})`);
  return [r[0]!, r[1]!];
}

/**
 * Crops a random area and aspect ratio, then resizes to `size` (`transforms.RandomResizedCrop`),
 * the standard ImageNet training augmentation.
 *
 * @example
 * ```ts
 * new RandomResizedCrop(224, { scale: [0.08, 1], ratio: [3 / 4, 4 / 3] });
 * ```
 */
export class RandomResizedCrop extends ImageTransform {
  readonly size: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly options: ResizeOptions;
  readonly generator: RandomOptions['generator'];

  constructor(size: number | readonly number[], options: RandomResizedCropOptions = {}) {
    super(size, options);
    this.size = parseSize('RandomResizedCrop', 'size', size);
    this.scale = checkRange('RandomResizedCrop', 'scale', options.scale ?? [0.08, 1]);
    this.ratio = checkRange('RandomResizedCrop', 'ratio', options.ratio ?? [3 / 4, 4 / 3]);
    checkResizeOptions('RandomResizedCrop', options);
    this.options = { interpolation: options.interpolation, antialias: options.antialias };
    this.generator = options.generator;
  }

  /**
   * A random crop box `[top, left, height, width]` (`RandomResizedCrop.get_params`): ten tries at
   * a random area and ratio, then a central crop.
   */
  static getParams(img: ImageInput, scale: readonly [number, number], ratio: readonly [number, number], generator?: Generator): [number, number, number, number] {
    const [, height, width] = shapeOf('RandomResizedCrop.getParams', img);
    const area = height * width;
    const logRatio = [Math.fround(Math.log(ratio[0])), Math.fround(Math.log(ratio[1]))] as const;
    for (let attempt = 0; attempt < 10; attempt++) {
      const targetArea = area * uniform(scale[0], scale[1], generator);
      const aspect = Math.exp(uniform(logRatio[0], logRatio[1], generator));
      const w = pyRound(Math.sqrt(targetArea * aspect));
      const h = pyRound(Math.sqrt(targetArea / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = randint(0, height - h + 1, generator);
        const j = randint(0, width - w + 1, generator);
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    let w: number, h: number; // prettier-ignore
    if (inRatio < Math.min(...ratio)) {
      w = width;
      h = pyRound(w / Math.min(...ratio));
    } else if (inRatio > Math.max(...ratio)) {
      h = height;
      w = pyRound(h * Math.max(...ratio));
    } else {
      w = width;
      h = height;
    }
    return [(height - h) >> 1, (width - w) >> 1, h, w];
  }

  forward<T extends ImageInput>(img: T): T {
    const [i, j, h, w] = RandomResizedCrop.getParams(img, this.scale, this.ratio, this.generator);
    return resizedCrop(img, i, j, h, w, this.size, this.options);
  }
}
