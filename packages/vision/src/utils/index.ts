/**
 * `@flint/vision/utils` (`torchvision.utils`): `makeGrid`, `saveImage`, `drawBoundingBoxes`.
 *
 * @example
 * ```ts
 * import { makeGrid, saveImage } from '@flint/vision/utils';
 * await saveImage(batch, 'grid.png', { nrow: 8 });
 * ```
 * @module
 */
export { makeGrid, saveImage } from './make-grid.js';
export type { MakeGridOptions } from './make-grid.js';
export { drawBoundingBoxes } from './draw-bounding-boxes.js';
export type { DrawBoundingBoxesOptions, Color } from './draw-bounding-boxes.js';
