/**
 * `@flint/vision/transforms` (`torchvision.transforms`): transform classes over the
 * {@link functional} layer. Each works on a tensor `[..., C, H, W]` (a single image or a batch;
 * float32 in [0, 1] or int32 holding 0..255, Flint's uint8 analog) and on an {@link Image};
 * random ones draw from Flint's generator (`generator` option, or the default one that
 * `manualSeed` seeds) and expose `static getParams`.
 *
 * @example
 * ```ts
 * import { Compose, ToTensor, Normalize, RandomHorizontalFlip } from '@flint/vision/transforms';
 * const transform = new Compose([new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.5], [0.5])]);
 * ```
 * @module
 */
export { Transform } from './transform.js';
export type { RandomOptions, TransformDescriptor } from './transform.js';
export { ImageTransform } from './image-transform.js';
export { Compose } from './compose.js';
export type { TransformFn } from './compose.js';
export { Lambda } from './lambda.js';
export { RandomApply, RandomChoice, RandomOrder } from './random-apply.js';
export { ToTensor, PILToTensor, ToPILImage, ConvertImageDtype } from './conversion.js';
export { Normalize } from './normalize.js';
export { Resize } from './resize.js';
export { CenterCrop } from './center-crop.js';
export { Pad } from './pad.js';
export type { PadOptions } from './pad.js';
export { RandomCrop } from './random-crop.js';
export type { RandomCropOptions } from './random-crop.js';
export { RandomResizedCrop } from './random-resized-crop.js';
export type { RandomResizedCropOptions } from './random-resized-crop.js';
export { FiveCrop, TenCrop } from './five-crop.js';
export { RandomHorizontalFlip, RandomVerticalFlip } from './flip.js';
export type { FlipOptions } from './flip.js';
export { RandomRotation } from './random-rotation.js';
export type { RandomRotationOptions } from './random-rotation.js';
export { RandomAffine } from './random-affine.js';
export type { RandomAffineOptions, AffineParams } from './random-affine.js';
export { RandomPerspective } from './random-perspective.js';
export type { RandomPerspectiveOptions } from './random-perspective.js';
export { ColorJitter } from './color-jitter.js';
export type { ColorJitterOptions, ColorJitterParams } from './color-jitter.js';
export { Grayscale, RandomGrayscale } from './grayscale.js';
export { GaussianBlur } from './gaussian-blur.js';
export { RandomErasing } from './random-erasing.js';
export type { RandomErasingOptions, ErasingParams } from './random-erasing.js';
export { RandomInvert, RandomPosterize, RandomSolarize, RandomAdjustSharpness, RandomAutocontrast, RandomEqualize } from './random-color.js';
export type { RandomColorOptions } from './random-color.js';
export { InterpolationMode } from './functional/interpolate.js';
export type { ResizeOptions } from './functional/resize.js';
export type { ImageInput } from './functional/pixels.js';
export type { PaddingMode } from './functional/geometry.js';
export * as functional from './functional/index.js';
export { AutoAugment, RandAugment, TrivialAugmentWide } from './auto-augment.js';
export type { AugmentOp, AugmentOptions, AutoAugmentPolicy } from './auto-augment.js';
