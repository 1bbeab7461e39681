/**
 * `RandomErasing` (`transforms.RandomErasing`).
 * @module
 */
import { ArgumentError, tensor, type Generator, type Tensor } from '@flint/core';
import { erase } from './functional/convert.js';
import { pyRound, shapeOf, type ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';
import { chance, checkP, normal, randint, uniform, type RandomOptions } from './transform.js';

/** Options of {@link RandomErasing}. */
export interface RandomErasingOptions extends RandomOptions {
  /** Probability of erasing (default 0.5). */
  p?: number;
  /** Range of the erased area as a fraction of the image (default `[0.02, 0.33]`). */
  scale?: readonly [number, number];
  /** Range of the erased box's aspect ratio (default `[0.3, 3.3]`). */
  ratio?: readonly [number, number];
  /** Erasing value: a number, one per channel, or `'random'` (normal noise). Default 0. */
  value?: number | readonly number[] | 'random';
}

/** What {@link RandomErasing.getParams} returns: the box and the values to write. */
export interface ErasingParams {
  i: number;
  j: number;
  h: number;
  w: number;
  /** Values: per channel `[c]`, or noise `{ data, shape: [c, h, w] }`; `null` when nothing is erased. */
  v: number[] | { data: Float32Array; shape: [number, number, number] } | null;
}

/**
 * Erases a random rectangle with probability `p` (`transforms.RandomErasing`, Zhong et al.).
 * Apply after ToTensor (and usually after Normalize).
 *
 * @example
 * ```ts
 * new RandomErasing({ p: 0.5, scale: [0.02, 0.33], value: 'random' });
 * ```
 */
export class RandomErasing extends ImageTransform {
  readonly p: number;
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly value: number | number[] | 'random';
  readonly generator: RandomOptions['generator'];

  constructor(options: RandomErasingOptions = {}) {
    super(options);
    this.p = checkP('RandomErasing()', options.p ?? 0.5);
    const scale = options.scale ?? [0.02, 0.33];
    const ratio = options.ratio ?? [0.3, 3.3];
    if (!(scale[0] >= 0 && scale[1] <= 1 && scale[0] <= scale[1])) throw new ArgumentError(`RandomErasing(): scale should be between 0 and 1, min <= max (got ${JSON.stringify(scale)})`);
    if (!(ratio[0] > 0 && ratio[0] <= ratio[1])) throw new ArgumentError(`RandomErasing(): ratio should be [min, max] with 0 < min <= max (got ${JSON.stringify(ratio)})`);
    const value = options.value ?? 0;
    if (!(typeof value === 'number' || value === 'random' || (Array.isArray(value) && value.every((v) => typeof v === 'number')))) {
      throw new ArgumentError(`RandomErasing(): value must be a number, an array of numbers or 'random' (got ${JSON.stringify(value)})`);
    }
    this.scale = [scale[0], scale[1]];
    this.ratio = [ratio[0], ratio[1]];
    this.value = typeof value === 'object' ? [...value] : value;
    this.generator = options.generator;
  }

  /** Draws the box to erase (`RandomErasing.get_params`); `value` `null` means random noise. */
  static getParams(img: ImageInput, scale: readonly [number, number], ratio: readonly [number, number], value: number[] | null, generator?: Generator): ErasingParams {
    const [c, H, W] = shapeOf('RandomErasing.getParams', img);
    const area = H * W;
    const logRatio = [Math.fround(Math.log(ratio[0])), Math.fround(Math.log(ratio[1]))] as const;
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * uniform(scale[0], scale[1], generator);
      const aspect = Math.exp(uniform(logRatio[0], logRatio[1], generator));
      const h = pyRound(Math.sqrt(eraseArea * aspect));
      const w = pyRound(Math.sqrt(eraseArea / aspect));
      if (!(h < H && w < W)) continue;
      const v = value === null ? { data: normal(c * h * w, generator), shape: [c, h, w] as [number, number, number] } : value;
      const i = randint(0, H - h + 1, generator);
      const j = randint(0, W - w + 1, generator);
      return { i, j, h, w, v };
    }
    return { i: 0, j: 0, h: H, w: W, v: null };
  }

  forward<T extends ImageInput>(img: T): T {
    if (!chance(this.p, this.generator)) return img;
    const [c] = shapeOf('RandomErasing', img);
    const value = this.value === 'random' ? null : typeof this.value === 'number' ? [this.value] : this.value;
    if (value !== null && value.length !== 1 && value.length !== c) {
      throw new ArgumentError(`RandomErasing(): value must have 1 or ${c} (number of channels) values (got ${value.length})`);
    }
    const { i, j, h, w, v } = RandomErasing.getParams(img, this.scale, this.ratio, value, this.generator);
    if (v === null) return img;
    if (Array.isArray(v)) return erase(img, i, j, h, w, v.length === 1 ? new Array<number>(c).fill(v[0]!) : v);
    const noise: Tensor = tensor(v.data).reshape(v.shape);
    try {
      return erase(img, i, j, h, w, noise);
    } finally {
      noise.dispose();
    }
  }
}
