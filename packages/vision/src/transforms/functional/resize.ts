/**
 * Resizing (`F.resize`, `F.resized_crop`) with torchvision's output-size rules.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Image } from '../../image.js';
import { cropPlanar } from './geometry.js';
import { resizeInterleaved, resizePlanar, type InterpolationMode } from './interpolate.js';
import { mapPixels, shapeOf, type ImageInput } from './pixels.js';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** `'nearest'`, `'nearest-exact'`, `'bilinear'` (default) or `'bicubic'`. */
  interpolation?: InterpolationMode;
  /** The longest edge may not exceed this (only with an int `size`). */
  maxSize?: number;
  /**
   * Antialias when downsampling with bilinear or bicubic (default true, as torchvision >= 0.17 and
   * PIL; torchvision 0.14's tensor path defaulted to false: pass `antialias: false` to match it).
   */
  antialias?: boolean;
}

const MODES = ['nearest', 'nearest-exact', 'bilinear', 'bicubic'];

/** Checks resize options, returning filled-in values. @internal */
export function checkResizeOptions(fn: string, o: ResizeOptions): { interpolation: InterpolationMode; antialias: boolean } {
  const interpolation = o.interpolation ?? 'bilinear';
  if (!MODES.includes(interpolation)) {
    throw new ArgumentError(`${fn}(): interpolation must be one of ${MODES.map((m) => `'${m}'`).join(', ')} (got ${JSON.stringify(interpolation)})`);
  }
  return { interpolation, antialias: o.antialias ?? true };
}

/**
 * The output `[height, width]` for `size` (`_compute_resized_output_size`): an int (or `[n]`)
 * matches the shorter edge keeping the aspect ratio, `[h, w]` is taken as is. @internal
 */
export function resizedOutputSize(fn: string, h: number, w: number, size: number | readonly number[], maxSize?: number): [number, number] {
  const s = typeof size === 'number' ? [size] : size;
  if (!Array.isArray(s) || (s.length !== 1 && s.length !== 2) || s.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new ArgumentError(`${fn}(): size must be an integer > 0, [n] or [height, width] (got ${JSON.stringify(size)})`);
  }
  if (s.length === 2) {
    if (maxSize !== undefined) {
      throw new ArgumentError(`${fn}(): maxSize is only allowed when size is an integer (the shorter edge), not [height, width]`);
    }
    return [s[0]!, s[1]!];
  }
  const [short, long] = w <= h ? [w, h] : [h, w];
  const requested = s[0]!;
  let newShort = requested;
  let newLong = Math.trunc((requested * long) / short);
  if (maxSize !== undefined) {
    if (maxSize <= requested) {
      throw new ArgumentError(`${fn}(): maxSize (${maxSize}) must be strictly greater than the requested size of the shorter edge (${requested})`);
    }
    if (newLong > maxSize) {
      newShort = Math.trunc((maxSize * newShort) / newLong);
      newLong = maxSize;
    }
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/**
 * Resizes an image (`F.resize`). `size` an int matches the shorter edge (aspect kept), or give
 * `[height, width]`.
 *
 * @example
 * ```ts
 * resize(img, 256);                                   // shorter edge 256
 * resize(img, [224, 224], { interpolation: 'bicubic' });
 * ```
 */
export function resize<T extends ImageInput>(img: T, size: number | readonly number[], options: ResizeOptions = {}): T {
  const { interpolation, antialias } = checkResizeOptions('resize', options);
  const [, h, w] = shapeOf('resize', img);
  const [oh, ow] = resizedOutputSize('resize', h, w, size, options.maxSize);
  if (oh === h && ow === w) return img;
  if (img instanceof Image) {
    const data = resizeInterleaved(img.data, w, img.channels, 0, 0, h, w, oh, ow, interpolation, antialias);
    return new Image(data, ow, oh, img.mode) as T;
  }
  return mapPixels('resize', img, (p) => resizePlanar(p, oh, ow, interpolation, antialias));
}

/**
 * Crops the region (`top`, `left`, `height`, `width`) and resizes it to `size` (`F.resized_crop`).
 *
 * @example
 * ```ts
 * resizedCrop(img, 10, 10, 100, 80, [64, 64]);
 * ```
 */
export function resizedCrop<T extends ImageInput>(
  img: T,
  top: number,
  left: number,
  height: number,
  width: number,
  size: number | readonly number[],
  options: ResizeOptions = {},
): T {
  const { interpolation, antialias } = checkResizeOptions('resizedCrop', options);
  if (![top, left, height, width].every(Number.isInteger) || height <= 0 || width <= 0) {
    throw new ArgumentError(`resizedCrop(): top, left, height, width must be integers, height and width > 0 (got ${top}, ${left}, ${height}, ${width})`);
  }
  const [oh, ow] = resizedOutputSize('resizedCrop', height, width, size, options.maxSize);
  if (img instanceof Image && top >= 0 && left >= 0 && top + height <= img.height && left + width <= img.width && (oh !== height || ow !== width)) {
    const data = resizeInterleaved(img.data, img.width, img.channels, top, left, height, width, oh, ow, interpolation, antialias);
    return new Image(data, ow, oh, img.mode) as T;
  }
  return mapPixels('resizedCrop', img, (p) => {
    const c = cropPlanar(p, top, left, height, width);
    return oh === height && ow === width ? c : resizePlanar(c, oh, ow, interpolation, antialias);
  });
}
