/**
 * Image dimensions (`F.get_dimensions`, `F.get_image_size`, `F.get_image_num_channels`).
 * @module
 */
import { shapeOf, type ImageInput } from './pixels.js';

/**
 * `[channels, height, width]` of a tensor `[..., C, H, W]` or an {@link Image} (`F.get_dimensions`).
 *
 * @example
 * ```ts
 * const [c, h, w] = getDimensions(img);
 * ```
 */
export function getDimensions(img: ImageInput): [number, number, number] {
  return shapeOf('getDimensions', img);
}
