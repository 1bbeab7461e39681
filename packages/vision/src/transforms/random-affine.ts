/**
 * `RandomAffine` (`transforms.RandomAffine`).
 * @module
 */
import { ArgumentError, type Generator } from '@flint/core';
import type { InterpolationMode } from './functional/interpolate.js';
import { pyRound, shapeOf, type ImageInput } from './functional/pixels.js';
import { affine } from './functional/warp.js';
import { ImageTransform } from './image-transform.js';
import { symmetricRange } from './random-rotation.js';
import { uniform, type RandomOptions } from './transform.js';

/** Options of {@link RandomAffine}. */
export interface RandomAffineOptions extends RandomOptions {
  /** Maximum translation as fractions `[a, b]` of width and height. */
  translate?: readonly [number, number];
  /** Scale range `[min, max]`. */
  scale?: readonly [number, number];
  /** Shear in degrees: `s` (x in [-s, s]), `[min, max]` (x), or `[xmin, xmax, ymin, ymax]`. */
  shear?: number | readonly number[];
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: InterpolationMode;
  /** Value outside the image (default 0). */
  fill?: number | readonly number[];
  /** Center `[x, y]` (default: image center). */
  center?: readonly [number, number];
}

/** Parameters drawn by {@link RandomAffine.getParams}. */
export interface AffineParams {
  angle: number;
  translate: [number, number];
  scale: number;
  shear: [number, number];
}

/**
 * A random affine transform: rotation in `degrees`, and optionally translation, scale and shear
 * (`transforms.RandomAffine`).
 *
 * @example
 * ```ts
 * new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1], shear: 5 });
 * ```
 */
export class RandomAffine extends ImageTransform {
  readonly degrees: [number, number];
  readonly translate: [number, number] | undefined;
  readonly scale: [number, number] | undefined;
  readonly shear: number[] | undefined;
  readonly options: RandomAffineOptions;

  constructor(degrees: number | readonly number[], options: RandomAffineOptions = {}) {
    super(degrees, options);
    this.degrees = symmetricRange('RandomAffine', 'degrees', degrees);
    const { translate, scale, shear } = options;
    if (translate !== undefined && (!Array.isArray(translate) || translate.length !== 2 || translate.some((t) => !(t >= 0 && t <= 1)))) {
      throw new ArgumentError(`RandomAffine(): translate must be [a, b] with values in [0, 1] (got ${JSON.stringify(translate)})`);
    }
    if (scale !== undefined && (!Array.isArray(scale) || scale.length !== 2 || scale.some((s) => !(s > 0)))) {
      throw new ArgumentError(`RandomAffine(): scale must be [min, max] of positive numbers (got ${JSON.stringify(scale)})`);
    }
    this.translate = translate && [translate[0], translate[1]];
    this.scale = scale && [scale[0], scale[1]];
    if (shear === undefined) this.shear = undefined;
    else if (typeof shear === 'number' || shear.length === 2) this.shear = symmetricRange('RandomAffine', 'shear', shear);
    else if (shear.length === 4) this.shear = [...shear];
    else throw new ArgumentError(`RandomAffine(): shear must be a number, [min, max] or [xmin, xmax, ymin, ymax] (got ${JSON.stringify(shear)})`);
    this.options = { ...options };
  }

  /** Draws angle, translation, scale and shear (`RandomAffine.get_params`); `imgSize` is `[width, height]`. */
  static getParams(
    degrees: readonly [number, number],
    translate: readonly [number, number] | undefined,
    scaleRanges: readonly [number, number] | undefined,
    shears: readonly number[] | undefined,
    imgSize: readonly [number, number],
    generator?: Generator,
  ): AffineParams {
    const angle = uniform(degrees[0], degrees[1], generator);
    let tr: [number, number] = [0, 0];
    if (translate !== undefined) {
      const maxDx = translate[0] * imgSize[0];
      const maxDy = translate[1] * imgSize[1];
      tr = [pyRound(uniform(-maxDx, maxDx, generator)), pyRound(uniform(-maxDy, maxDy, generator))];
    }
    const scale = scaleRanges === undefined ? 1 : uniform(scaleRanges[0], scaleRanges[1], generator);
    let shear: [number, number] = [0, 0];
    if (shears !== undefined) {
      shear = [uniform(shears[0]!, shears[1]!, generator), 0];
      if (shears.length === 4) shear[1] = uniform(shears[2]!, shears[3]!, generator);
    }
    return { angle, translate: tr, scale, shear };
  }

  forward<T extends ImageInput>(img: T): T {
    const [c, h, w] = shapeOf('RandomAffine', img);
    const fill = this.options.fill ?? 0;
    const p = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, [w, h], this.options.generator);
    return affine(img, {
      ...p,
      interpolation: this.options.interpolation,
      center: this.options.center,
      fill: typeof fill === 'number' ? new Array<number>(c).fill(fill) : fill,
    });
  }
}
