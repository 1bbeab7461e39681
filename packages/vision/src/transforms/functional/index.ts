/**
 * `@flint/vision/transforms` functional layer (`torchvision.transforms.functional`): pure
 * functions on an image tensor `[..., C, H, W]` (float32 in [0, 1], or int32 holding 0..255 as
 * Flint's uint8 analog) or an {@link Image}; each returns the same kind it was given. The
 * transform classes call these with parameters they validated or drew.
 *
 * @example
 * ```ts
 * import * as F from '@flint/vision/transforms/functional';
 * const y = F.normalize(F.resize(x, 256), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
 * ```
 * @module
 */
export type { ImageInput } from './pixels.js';
export { hflip, vflip, pad, crop, centerCrop, fiveCrop, tenCrop } from './geometry.js';
export type { PaddingMode } from './geometry.js';
export { InterpolationMode } from './interpolate.js';
export { resize, resizedCrop } from './resize.js';
export type { ResizeOptions } from './resize.js';
export { rotate, affine, perspective } from './warp.js';
export type { WarpOptions, AffineOptions } from './warp.js';
export {
  rgbToGrayscale,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  adjustHue,
  adjustGamma,
  invert,
  posterize,
  solarize,
  adjustSharpness,
  autocontrast,
  equalize,
} from './color.js';
export { gaussianBlur } from './blur.js';
export { toTensor, pilToTensor, toPILImage, convertImageDtype, normalize, erase } from './convert.js';
export type { PicLike } from './convert.js';
export { getDimensions } from './dimensions.js';
