/**
 * The base of transforms from image to image of the same kind: a tensor in, a tensor out; an
 * {@link Image} in, an Image out. Its call signature keeps the input's type.
 * @module
 */
import type { ImageInput } from './functional/pixels.js';
import { Transform } from './transform.js';

/** Image transforms are callable and return what they were given: `t(x: Tensor): Tensor`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ImageTransform {
  <T extends ImageInput>(img: T): T;
}

/**
 * A transform from an image (Tensor `[..., C, H, W]` or {@link Image}) to one of the same kind.
 *
 * @example
 * ```ts
 * class Invert extends ImageTransform {
 *   constructor() { super(); }
 *   forward<T extends ImageInput>(img: T): T { return F.invert(img); }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class ImageTransform extends Transform<ImageInput, ImageInput> {
  abstract override forward<T extends ImageInput>(img: T): T;
}
