/**
 * `@flint/vision`: the torchvision analog for Flint. Image I/O through sharp (`io`), datasets
 * (`datasets`), transforms over a functional layer (`transforms`), box ops (`ops`) and grid
 * utilities (`utils`); each also has its own subpath export (`@flint/vision/transforms`...).
 *
 * Flint has no uint8: decoded images are int32 tensors `[C, H, W]` of 0..255, and transforms
 * treat int32 images as uint8 ones. Datasets return {@link Image}s, the PIL analog.
 *
 * @example
 * ```ts
 * import { datasets, transforms } from '@flint/vision';
 * const train = new datasets.FashionMNIST('data', {
 *   train: true,
 *   transform: new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.286], [0.353])]),
 * });
 * ```
 * @module
 */
export { Image } from './image.js';
export type { ImageMode } from './image.js';
export { ImageFileError, DatasetError } from './errors.js';
export * as io from './io/index.js';
export * as datasets from './datasets/index.js';
export * as transforms from './transforms/index.js';
export * as ops from './ops/index.js';
export * as utils from './utils/index.js';
export { readImage, decodeImage, decodePng, decodeJpeg, encodePng, encodeJpeg, writePng, writeJpeg, loadImage, ImageReadMode } from './io/image-io.js';
export { makeGrid, saveImage, drawBoundingBoxes } from './utils/index.js';
export * as models from './models/index.js';
