/**
 * `@flint/vision/ops` (`torchvision.ops`): box area, IoU, format conversion, NMS.
 *
 * @example
 * ```ts
 * import { nms, boxIou } from '@flint/vision/ops';
 * const keep = nms(boxes, scores, 0.5);
 * ```
 * @module
 */
export { boxArea, boxIou, boxConvert, nms, batchedNms, clipBoxesToImage, removeSmallBoxes } from './boxes.js';
export type { BoxFormat } from './boxes.js';
