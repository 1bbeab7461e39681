/**
 * `RandomPerspective` (`transforms.RandomPerspective`).
 * @module
 */
import { ArgumentError, type Generator } from '@flint/core';
import type { InterpolationMode } from './functional/interpolate.js';
import { shapeOf, type ImageInput } from './functional/pixels.js';
import { perspective } from './functional/warp.js';
import { ImageTransform } from './image-transform.js';
import { chance, checkP, randint, type RandomOptions } from './transform.js';

/** Options of {@link RandomPerspective}. */
export interface RandomPerspectiveOptions extends RandomOptions {
  /** How far corners may move, 0 to 1 (default 0.5). */
  distortionScale?: number;
  /** Probability of applying (default 0.5). */
  p?: number;
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: InterpolationMode;
  /** Value outside the image (default 0). */
  fill?: number | readonly number[];
}

/**
 * A random perspective distortion with probability `p` (`transforms.RandomPerspective`).
 *
 * @example
 * ```ts
 * new RandomPerspective({ distortionScale: 0.3, p: 0.5 });
 * ```
 */
export class RandomPerspective extends ImageTransform {
  readonly distortionScale: number;
  readonly p: number;
  readonly options: RandomPerspectiveOptions;

  constructor(options: RandomPerspectiveOptions = {}) {
    super(options);
    this.distortionScale = options.distortionScale ?? 0.5;
    if (!(this.distortionScale >= 0 && this.distortionScale <= 1)) {
      throw new ArgumentError(`RandomPerspective(): distortionScale must be in [0, 1] (got ${this.distortionScale})`);
    }
    this.p = checkP('RandomPerspective()', options.p ?? 0.5);
    this.options = { ...options };
  }

  /** Start and end corners `[tl, tr, br, bl]` (`RandomPerspective.get_params`). */
  static getParams(width: number, height: number, distortionScale: number, generator?: Generator): { startpoints: number[][]; endpoints: number[][] } {
    const hh = height >> 1;
    const hw = width >> 1;
    const dx = Math.trunc(distortionScale * hw);
    const dy = Math.trunc(distortionScale * hh);
    const topleft = [randint(0, dx + 1, generator), randint(0, dy + 1, generator)];
    const topright = [randint(width - dx - 1, width, generator), randint(0, dy + 1, generator)];
    const botright = [randint(width - dx - 1, width, generator), randint(height - dy - 1, height, generator)];
    const botleft = [randint(0, dx + 1, generator), randint(height - dy - 1, height, generator)];
    const startpoints = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]];
    return { startpoints, endpoints: [topleft, topright, botright, botleft] };
  }

  forward<T extends ImageInput>(img: T): T {
    const [c, h, w] = shapeOf('RandomPerspective', img);
    if (!chance(this.p, this.options.generator)) return img;
    const { startpoints, endpoints } = RandomPerspective.getParams(w, h, this.distortionScale, this.options.generator);
    const fill = this.options.fill ?? 0;
    return perspective(img, startpoints, endpoints, {
      interpolation: this.options.interpolation ?? 'bilinear',
      fill: typeof fill === 'number' ? new Array<number>(c).fill(fill) : fill,
    });
  }
}
