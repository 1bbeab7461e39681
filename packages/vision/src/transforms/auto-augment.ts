/**
 * Automatic augmentation policies (`transforms.AutoAugment`, `RandAugment`,
 * `TrivialAugmentWide`): random picks among fourteen image operations built on the functional
 * layer. Meant for int32 (uint8-semantics) images, as in torchvision; on float32 images
 * Posterize and Equalize are refused and Solarize thresholds are scaled to [0, 1].
 * @module
 */
import { ArgumentError, Tensor, type Generator } from '@flint/core';
import { adjustBrightness, adjustContrast, adjustSaturation, adjustSharpness, autocontrast, equalize, invert, posterize, solarize } from './functional/color.js';
import type { InterpolationMode } from './functional/interpolate.js';
import { fillPerChannel, shapeOf, type ImageInput } from './functional/pixels.js';
import { affine, rotate } from './functional/warp.js';
import { ImageTransform } from './image-transform.js';
import { randint, uniform, type RandomOptions } from './transform.js';

/** The operations the policies pick from. */
export type AugmentOp =
  | 'Identity' | 'ShearX' | 'ShearY' | 'TranslateX' | 'TranslateY' | 'Rotate' | 'Brightness' | 'Color'
  | 'Contrast' | 'Sharpness' | 'Posterize' | 'Solarize' | 'AutoContrast' | 'Equalize' | 'Invert'; // prettier-ignore

/** Options shared by the three augmenters. */
export interface AugmentOptions extends RandomOptions {
  /** `'nearest'` (default) or `'bilinear'` for the geometric operations. */
  interpolation?: InterpolationMode;
  /** Fill for pixels moved in from outside (default: zeros). */
  fill?: number | readonly number[];
}

/** Applies one operation with a magnitude (torchvision's `_apply_op`). @internal */
export function applyOp<T extends ImageInput>(img: T, op: AugmentOp, magnitude: number, interpolation: InterpolationMode, fill: number[] | null): T {
  const deg = (m: number) => (Math.atan(m) * 180) / Math.PI;
  switch (op) {
    case 'ShearX':
      return affine(img, { shear: [deg(magnitude), 0], interpolation, fill, center: [0, 0] });
    case 'ShearY':
      return affine(img, { shear: [0, deg(magnitude)], interpolation, fill, center: [0, 0] });
    case 'TranslateX':
      return affine(img, { translate: [Math.trunc(magnitude), 0], interpolation, fill });
    case 'TranslateY':
      return affine(img, { translate: [0, Math.trunc(magnitude)], interpolation, fill });
    case 'Rotate':
      return rotate(img, magnitude, { interpolation, fill });
    case 'Brightness':
      return adjustBrightness(img, 1 + magnitude);
    case 'Color':
      return adjustSaturation(img, 1 + magnitude);
    case 'Contrast':
      return adjustContrast(img, 1 + magnitude);
    case 'Sharpness':
      return adjustSharpness(img, 1 + magnitude);
    case 'Posterize':
      return posterize(img, Math.trunc(magnitude));
    case 'Solarize':
      // Thresholds are on the 0..255 scale; a float32 image's scale is [0, 1].
      return solarize(img, img instanceof Tensor && img.dtype === 'float32' ? magnitude / 255 : magnitude);
    case 'AutoContrast':
      return autocontrast(img);
    case 'Equalize':
      return equalize(img);
    case 'Invert':
      return invert(img);
    default:
      return img;
  }
}

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
const posterizeBins = (n: number, div: number) => Array.from({ length: n }, (_, i) => 8 - Math.round(Math.fround(i / ((n - 1) / div))));

/** Magnitudes per operation and whether they take a random sign. */
type Space = [AugmentOp, number[] | null, boolean][];

function autoSpace(bins: number, h: number, w: number): Space {
  return [
    ['ShearX', linspace(0, 0.3, bins), true],
    ['ShearY', linspace(0, 0.3, bins), true],
    ['TranslateX', linspace(0, (150 / 331) * w, bins), true],
    ['TranslateY', linspace(0, (150 / 331) * h, bins), true],
    ['Rotate', linspace(0, 30, bins), true],
    ['Brightness', linspace(0, 0.9, bins), true],
    ['Color', linspace(0, 0.9, bins), true],
    ['Contrast', linspace(0, 0.9, bins), true],
    ['Sharpness', linspace(0, 0.9, bins), true],
    ['Posterize', posterizeBins(bins, 4), false],
    ['Solarize', linspace(255, 0, bins), false],
    ['AutoContrast', null, false],
    ['Equalize', null, false],
    ['Invert', null, false],
  ];
}

function resolveFill(fill: AugmentOptions['fill'], c: number): number[] | null {
  return fill === undefined ? null : fillPerChannel('augment', fill, c);
}

/** The AutoAugment policies learned on ImageNet, CIFAR-10 and SVHN (torchvision's tables). */
export type AutoAugmentPolicy = 'imagenet' | 'cifar10' | 'svhn';
const POLICIES = {
  imagenet: [
    [['Posterize', 0.4, 8], ['Rotate', 0.6, 9]],
    [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
    [['Posterize', 0.6, 7], ['Posterize', 0.6, 6]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]],
    [['Equalize', 0.4, null], ['Rotate', 0.8, 8]],
    [['Solarize', 0.6, 3], ['Equalize', 0.6, null]],
    [['Posterize', 0.8, 5], ['Equalize', 1.0, null]],
    [['Rotate', 0.2, 3], ['Solarize', 0.6, 8]],
    [['Equalize', 0.6, null], ['Posterize', 0.4, 6]],
    [['Rotate', 0.8, 8], ['Color', 0.4, 0]],
    [['Rotate', 0.4, 9], ['Equalize', 0.6, null]],
    [['Equalize', 0.0, null], ['Equalize', 0.8, null]],
    [['Invert', 0.6, null], ['Equalize', 1.0, null]],
    [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Rotate', 0.8, 8], ['Color', 1.0, 2]],
    [['Color', 0.8, 8], ['Solarize', 0.8, 7]],
    [['Sharpness', 0.4, 7], ['Invert', 0.6, null]],
    [['ShearX', 0.6, 5], ['Equalize', 1.0, null]],
    [['Color', 0.4, 0], ['Equalize', 0.6, null]],
    [['Equalize', 0.4, null], ['Solarize', 0.2, 4]],
    [['Solarize', 0.6, 5], ['AutoContrast', 0.6, null]],
    [['Invert', 0.6, null], ['Equalize', 1.0, null]],
    [['Color', 0.6, 4], ['Contrast', 1.0, 8]],
    [['Equalize', 0.8, null], ['Equalize', 0.6, null]],
  ],
  cifar10: [
    [['Invert', 0.1, null], ['Contrast', 0.2, 6]],
    [['Rotate', 0.7, 2], ['TranslateX', 0.3, 9]],
    [['Sharpness', 0.8, 1], ['Sharpness', 0.9, 3]],
    [['ShearY', 0.5, 8], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.5, null], ['Equalize', 0.9, null]],
    [['ShearY', 0.2, 7], ['Posterize', 0.3, 7]],
    [['Color', 0.4, 3], ['Brightness', 0.6, 7]],
    [['Sharpness', 0.3, 9], ['Brightness', 0.7, 9]],
    [['Equalize', 0.6, null], ['Equalize', 0.5, null]],
    [['Contrast', 0.6, 7], ['Sharpness', 0.6, 5]],
    [['Color', 0.7, 7], ['TranslateX', 0.5, 8]],
    [['Equalize', 0.3, null], ['AutoContrast', 0.4, null]],
    [['TranslateY', 0.4, 3], ['Sharpness', 0.2, 6]],
    [['Brightness', 0.9, 6], ['Color', 0.2, 8]],
    [['Solarize', 0.5, 2], ['Invert', 0.0, null]],
    [['Equalize', 0.2, null], ['AutoContrast', 0.6, null]],
    [['Equalize', 0.2, null], ['Equalize', 0.6, null]],
    [['Color', 0.9, 9], ['Equalize', 0.6, null]],
    [['AutoContrast', 0.8, null], ['Solarize', 0.2, 8]],
    [['Brightness', 0.1, 3], ['Color', 0.7, 0]],
    [['Solarize', 0.4, 5], ['AutoContrast', 0.9, null]],
    [['TranslateY', 0.9, 9], ['TranslateY', 0.7, 9]],
    [['AutoContrast', 0.9, null], ['Solarize', 0.8, 3]],
    [['Equalize', 0.8, null], ['Invert', 0.1, null]],
    [['TranslateY', 0.7, 9], ['AutoContrast', 0.9, null]],
  ],
  svhn: [
    [['ShearX', 0.9, 4], ['Invert', 0.2, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.6, null], ['Solarize', 0.6, 6]],
    [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]],
    [['ShearX', 0.9, 4], ['AutoContrast', 0.8, null]],
    [['ShearY', 0.9, 8], ['Invert', 0.4, null]],
    [['ShearY', 0.9, 5], ['Solarize', 0.2, 6]],
    [['Invert', 0.9, null], ['AutoContrast', 0.8, null]],
    [['Equalize', 0.6, null], ['Rotate', 0.9, 3]],
    [['ShearX', 0.9, 4], ['Solarize', 0.3, 3]],
    [['ShearY', 0.8, 8], ['Invert', 0.7, null]],
    [['Equalize', 0.9, null], ['TranslateY', 0.6, 6]],
    [['Invert', 0.9, null], ['Equalize', 0.6, null]],
    [['Contrast', 0.3, 3], ['Rotate', 0.8, 4]],
    [['Invert', 0.8, null], ['TranslateY', 0.0, 2]],
    [['ShearY', 0.7, 6], ['Solarize', 0.4, 8]],
    [['Invert', 0.6, null], ['Rotate', 0.8, 4]],
    [['ShearY', 0.3, 7], ['TranslateX', 0.9, 3]],
    [['ShearX', 0.1, 6], ['Invert', 0.6, null]],
    [['Solarize', 0.7, 2], ['TranslateY', 0.6, 7]],
    [['ShearY', 0.8, 4], ['Invert', 0.8, null]],
    [['ShearX', 0.7, 9], ['TranslateY', 0.8, 3]],
    [['ShearY', 0.8, 5], ['AutoContrast', 0.7, null]],
    [['ShearX', 0.7, 2], ['Invert', 0.1, null]],
  ],
} as unknown as Record<AutoAugmentPolicy, [AugmentOp, number, number | null][][]>;

/**
 * AutoAugment (`transforms.AutoAugment`, Cubuk et al.): one random sub-policy of two operations,
 * each applied with its probability and magnitude.
 *
 * @example
 * ```ts
 * new AutoAugment({ policy: 'cifar10' });
 * ```
 */
export class AutoAugment extends ImageTransform {
  readonly policy: AutoAugmentPolicy;
  readonly options: AugmentOptions;
  readonly policies: [AugmentOp, number, number | null][][];

  constructor(options: AugmentOptions & { policy?: AutoAugmentPolicy } = {}) {
    super(options);
    this.policy = options.policy ?? 'imagenet';
    if (!(this.policy in POLICIES)) throw new ArgumentError(`AutoAugment(): policy must be 'imagenet', 'cifar10' or 'svhn' (got ${JSON.stringify(this.policy)})`);
    this.policies = POLICIES[this.policy];
    this.options = { ...options };
  }

  /** The sub-policy index, two probabilities and two signs (`AutoAugment.get_params`). */
  static getParams(transformNum: number, generator?: Generator): { transformId: number; probs: [number, number]; signs: [number, number] } {
    const transformId = randint(0, transformNum, generator);
    const probs: [number, number] = [uniform(0, 1, generator), uniform(0, 1, generator)];
    const signs: [number, number] = [randint(0, 2, generator), randint(0, 2, generator)];
    return { transformId, probs, signs };
  }

  forward<T extends ImageInput>(img: T): T {
    const [c, h, w] = shapeOf('AutoAugment', img);
    const fill = resolveFill(this.options.fill, c);
    const { transformId, probs, signs } = AutoAugment.getParams(this.policies.length, this.options.generator);
    const space = new Map(autoSpace(10, h, w).map(([op, m, s]) => [op, [m, s] as const]));
    let x = img;
    this.policies[transformId]!.forEach(([op, p, magId], i) => {
      if (probs[i]! > p) return;
      const [mags, signed] = space.get(op)!;
      let m = mags && magId !== null ? mags[magId]! : 0;
      if (signed && signs[i] === 0) m = -m;
      x = applyOp(x, op, m, this.options.interpolation ?? 'nearest', fill);
    });
    return x;
  }
}

/**
 * RandAugment (`transforms.RandAugment`, Cubuk et al.): `numOps` random operations at one fixed
 * `magnitude` (of `numMagnitudeBins`).
 *
 * @example
 * ```ts
 * new RandAugment({ numOps: 2, magnitude: 9 });
 * ```
 */
export class RandAugment extends ImageTransform {
  readonly numOps: number;
  readonly magnitude: number;
  readonly numMagnitudeBins: number;
  readonly options: AugmentOptions;

  constructor(options: AugmentOptions & { numOps?: number; magnitude?: number; numMagnitudeBins?: number } = {}) {
    super(options);
    this.numOps = options.numOps ?? 2;
    this.magnitude = options.magnitude ?? 9;
    this.numMagnitudeBins = options.numMagnitudeBins ?? 31;
    if (!Number.isInteger(this.numOps) || this.numOps < 0) throw new ArgumentError(`RandAugment(): numOps must be an integer >= 0 (got ${this.numOps})`);
    if (!Number.isInteger(this.magnitude) || this.magnitude < 0 || this.magnitude >= this.numMagnitudeBins) {
      throw new ArgumentError(`RandAugment(): magnitude must be an integer in [0, numMagnitudeBins = ${this.numMagnitudeBins}) (got ${this.magnitude})`);
    }
    this.options = { ...options };
  }

  forward<T extends ImageInput>(img: T): T {
    const [c, h, w] = shapeOf('RandAugment', img);
    const fill = resolveFill(this.options.fill, c);
    const space: Space = [['Identity', null, false], ...autoSpace(this.numMagnitudeBins, h, w).filter(([op]) => op !== 'Invert')];
    let x = img;
    for (let k = 0; k < this.numOps; k++) {
      const [op, mags, signed] = space[randint(0, space.length, this.options.generator)]!;
      let m = mags ? mags[this.magnitude]! : 0;
      if (signed && randint(0, 2, this.options.generator) === 1) m = -m;
      x = applyOp(x, op, m, this.options.interpolation ?? 'nearest', fill);
    }
    return x;
  }
}

/**
 * TrivialAugmentWide (`transforms.TrivialAugmentWide`, Müller and Hutter): one random operation
 * at a random magnitude.
 *
 * @example
 * ```ts
 * new TrivialAugmentWide();
 * ```
 */
export class TrivialAugmentWide extends ImageTransform {
  readonly numMagnitudeBins: number;
  readonly options: AugmentOptions;

  constructor(options: AugmentOptions & { numMagnitudeBins?: number } = {}) {
    super(options);
    this.numMagnitudeBins = options.numMagnitudeBins ?? 31;
    if (!Number.isInteger(this.numMagnitudeBins) || this.numMagnitudeBins < 2) {
      throw new ArgumentError(`TrivialAugmentWide(): numMagnitudeBins must be an integer >= 2 (got ${this.numMagnitudeBins})`);
    }
    this.options = { ...options };
  }

  forward<T extends ImageInput>(img: T): T {
    const [c] = shapeOf('TrivialAugmentWide', img);
    const fill = resolveFill(this.options.fill, c);
    const n = this.numMagnitudeBins;
    const space: Space = [
      ['Identity', null, false],
      ['ShearX', linspace(0, 0.99, n), true],
      ['ShearY', linspace(0, 0.99, n), true],
      ['TranslateX', linspace(0, 32, n), true],
      ['TranslateY', linspace(0, 32, n), true],
      ['Rotate', linspace(0, 135, n), true],
      ['Brightness', linspace(0, 0.99, n), true],
      ['Color', linspace(0, 0.99, n), true],
      ['Contrast', linspace(0, 0.99, n), true],
      ['Sharpness', linspace(0, 0.99, n), true],
      ['Posterize', posterizeBins(n, 6), false],
      ['Solarize', linspace(255, 0, n), false],
      ['AutoContrast', null, false],
      ['Equalize', null, false],
    ];
    const g = this.options.generator;
    const [op, mags, signed] = space[randint(0, space.length, g)]!;
    let m = mags ? mags[randint(0, mags.length, g)]! : 0;
    if (signed && randint(0, 2, g) === 1) m = -m;
    return applyOp(img, op, m, this.options.interpolation ?? 'nearest', fill);
  }
}
