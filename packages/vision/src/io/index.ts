/**
 * `@flint/vision/io` (`torchvision.io`): read, decode, encode and write PNG and JPEG through
 * `sharp`. Decoded images are int32 `[C, H, W]` tensors of 0..255 (Flint's uint8 analog).
 *
 * @example
 * ```ts
 * import { readImage, writePng, ImageReadMode } from '@flint/vision/io';
 * const img = await readImage('cat.jpg', ImageReadMode.RGB);
 * await writePng(img, 'cat.png');
 * ```
 * @module
 */
export { readImage, decodeImage, decodePng, decodeJpeg, encodePng, encodeJpeg, writePng, writeJpeg, loadImage, ImageReadMode } from './image-io.js';
export { Image } from '../image.js';
export type { ImageMode } from '../image.js';
export { ImageFileError } from '../errors.js';
