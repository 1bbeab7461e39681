/**
 * `GaussianBlur` (`transforms.GaussianBlur`).
 * @module
 */
import { ArgumentError, type Generator } from '@flint/core';
import { gaussianBlur } from './functional/blur.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { uniform, type RandomOptions } from './transform.js';

/**
 * Blurs with a Gaussian kernel whose sigma is drawn from `sigma` (`[min, max]`, default
 * `[0.1, 2]`) (`transforms.GaussianBlur`).
 *
 * @example
 * ```ts
 * new GaussianBlur(5, { sigma: [0.1, 2] });
 * ```
 */
export class GaussianBlur extends ImageTransform {
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  readonly generator: RandomOptions['generator'];

  constructor(kernelSize: number | readonly number[], options: { sigma?: number | readonly [number, number] } & RandomOptions = {}) {
    super(kernelSize, options);
    const ks = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
    if (ks.length !== 2 || ks.some((k) => !Number.isInteger(k) || k <= 0 || k % 2 === 0)) {
      throw new ArgumentError(`GaussianBlur(): kernelSize values should be odd and positive (got ${JSON.stringify(kernelSize)})`);
    }
    this.kernelSize = ks as [number, number];
    const s = options.sigma ?? [0.1, 2];
    const sg = typeof s === 'number' ? [s, s] : [...s];
    if (sg.length !== 2 || !(sg[0]! > 0) || !(sg[0]! <= sg[1]!)) {
      throw new ArgumentError(`GaussianBlur(): sigma must be a positive number or [min, max] with 0 < min <= max (got ${JSON.stringify(s)})`);
    }
    this.sigma = sg as [number, number];
    this.generator = options.generator;
  }

  /** A sigma drawn uniformly in `[min, max]` (`GaussianBlur.get_params`). */
  static getParams(sigmaMin: number, sigmaMax: number, generator?: Generator): number {
    return uniform(sigmaMin, sigmaMax, generator);
  }

  forward<T extends ImageInput>(img: T): T {
    const s = GaussianBlur.getParams(this.sigma[0], this.sigma[1], this.generator);
    return gaussianBlur(img, this.kernelSize, [s, s]);
  }
}
