/**
 * Box ops against torchvision.ops 0.14 (fixtures/ops.json from tools/fixtures/vision_ops.py).
 * Tolerance 1e-5 for float results (areas, IoU, converted coordinates); NMS indices exact.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@flint/core';
import { runGolden } from '../../test/golden.js';
import { batchedNms, boxArea, boxConvert, boxIou, clipBoxesToImage, nms, removeSmallBoxes } from './index.js';

runGolden(
  'ops',
  {
    box_area: { fn: boxArea, atol: 1e-4 },
    box_iou: { fn: boxIou, atol: 1e-5 },
    box_iou_self: { fn: (x: Tensor) => boxIou(x, x), atol: 1e-5 },
    box_convert_xyxy_xywh: { fn: (x: Tensor) => boxConvert(x, 'xyxy', 'xywh'), atol: 1e-5 },
    box_convert_xyxy_cxcywh: { fn: (x: Tensor) => boxConvert(x, 'xyxy', 'cxcywh'), atol: 1e-5 },
    box_convert_cxcywh_xyxy: { fn: (x: Tensor) => boxConvert(x, 'cxcywh', 'xyxy'), atol: 1e-5 },
    box_convert_xywh_cxcywh: { fn: (x: Tensor) => boxConvert(x, 'xywh', 'cxcywh'), atol: 1e-5 },
    nms_05: (x: Tensor, s: Tensor) => nms(x, s, 0.5),
    nms_many_03: (x: Tensor, s: Tensor) => nms(x, s, 0.3),
    nms_many_07: (x: Tensor, s: Tensor) => nms(x, s, 0.7),
    batched_nms: (x: Tensor, s: Tensor, i: Tensor) => batchedNms(x, s, i, 0.3),
    clip_boxes: { fn: (x: Tensor) => clipBoxesToImage(x.sub(10), [30, 40]), atol: 1e-5 },
    remove_small_boxes: (x: Tensor) => removeSmallBoxes(x, 10),
  },
  { atol: 0 },
);

describe('box ops: arguments', () => {
  it('boxConvert names the bad format', () => {
    expect(() => boxConvert(tensor([[0, 0, 1, 1]]), 'xyxy', 'yxyx' as never)).toThrow(/boxConvert\(\): outFmt must be 'xyxy', 'xywh' or 'cxcywh' \(got "yxyx"\)/);
  });
  it('nms checks that scores match the boxes', () => {
    expect(() => nms(tensor([[0, 0, 1, 1]]), tensor([0.5, 0.2]), 0.5)).toThrow(/nms\(\): scores must be a Tensor \[N\] with N = 1 boxes \(got \[2\]\)/);
  });
  it('boxIou wants [N, 4]', () => {
    expect(() => boxIou(tensor([0, 0, 1, 1]), tensor([[0, 0, 1, 1]]))).toThrow(/boxIou\(\): boxes1 must have shape \[N, 4\] \(got \[4\]\)/);
  });
  it('nms of no boxes is empty', () => {
    expect(nms(tensor([[0, 0, 0, 0]]).narrow(0, 0, 0), tensor([]), 0.5).shape).toEqual([0]);
  });
});
