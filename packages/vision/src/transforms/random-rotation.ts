/**
 * `RandomRotation` (`transforms.RandomRotation`).
 * @module
 */
import { ArgumentError, type Generator } from '@flint/core';
import type { InterpolationMode } from './functional/interpolate.js';
import { shapeOf, type ImageInput } from './functional/pixels.js';
import { rotate } from './functional/warp.js';
import { ImageTransform } from './image-transform.js';
import { uniform, type RandomOptions } from './transform.js';

/** `[min, max]` from a symmetric number or a pair (`_setup_angle`). @internal */
export function symmetricRange(fn: string, name: string, v: number | readonly number[]): [number, number] {
  if (typeof v === 'number') {
    if (v < 0) throw new ArgumentError(`${fn}(): if ${name} is a single number, it must be positive (got ${v})`);
    return [-v, v];
  }
  if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number')) {
    throw new ArgumentError(`${fn}(): ${name} must be a number or [min, max] (got ${JSON.stringify(v)})`);
  }
  return [v[0]!, v[1]!];
}

/** Options of {@link RandomRotation}. */
export interface RandomRotationOptions extends RandomOptions {
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: InterpolationMode;
  /** Grow the output to hold the whole rotated image (default false). */
  expand?: boolean;
  /** Center of rotation `[x, y]` (default: image center). */
  center?: readonly [number, number];
  /** Value for pixels outside the image: one number or one per channel (default 0). */
  fill?: number | readonly number[];
}

/**
 * Rotates by a random angle in `degrees` (`[-d, d]` for a number) (`transforms.RandomRotation`).
 *
 * @example
 * ```ts
 * new RandomRotation(15);
 * new RandomRotation([0, 90], { interpolation: 'bilinear', expand: true });
 * ```
 */
export class RandomRotation extends ImageTransform {
  readonly degrees: [number, number];
  readonly options: RandomRotationOptions;

  constructor(degrees: number | readonly number[], options: RandomRotationOptions = {}) {
    super(degrees, options);
    this.degrees = symmetricRange('RandomRotation', 'degrees', degrees);
    this.options = { ...options };
  }

  /** A random angle in `degrees` (`RandomRotation.get_params`). */
  static getParams(degrees: readonly [number, number], generator?: Generator): number {
    return uniform(degrees[0], degrees[1], generator);
  }

  forward<T extends ImageInput>(img: T): T {
    const [c] = shapeOf('RandomRotation', img);
    const fill = this.options.fill ?? 0;
    const angle = RandomRotation.getParams(this.degrees, this.options.generator);
    return rotate(img, angle, {
      interpolation: this.options.interpolation,
      expand: this.options.expand,
      center: this.options.center,
      fill: typeof fill === 'number' ? new Array<number>(c).fill(fill) : fill,
    });
  }
}
