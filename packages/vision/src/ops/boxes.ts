/**
 * Box operations (`torchvision.ops`): `boxArea`, `boxIou`, `boxConvert`, `nms`, `batchedNms`,
 * `clipBoxesToImage`, `removeSmallBoxes`. Boxes are float32 tensors `[N, 4]`.
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';

/** A box format: corners `xyxy`, corner and size `xywh`, center and size `cxcywh`. */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

function boxesData(fn: string, name: string, boxes: Tensor): Float32Array | Int32Array {
  if (!(boxes instanceof Tensor)) throw new ArgumentError(`${fn}(): ${name} must be a Tensor [N, 4] (got ${typeof boxes})`);
  if (boxes.ndim !== 2 || boxes.shape[1] !== 4) throw new ShapeError(`${fn}(): ${name} must have shape [N, 4] (got [${boxes.shape.join(', ')}])`);
  if (boxes.dtype === 'bool') throw new DTypeError(`${fn}(): ${name} must be float32 or int32 (got bool)`);
  return boxes.dataSync() as Float32Array | Int32Array;
}

function make(values: Float32Array | Int32Array, shape: number[]): Tensor {
  const flat = tensor(values, { dtype: values instanceof Int32Array ? 'int32' : 'float32' });
  const t = flat.reshape(shape);
  if (t !== flat) flat.dispose();
  return t;
}

/**
 * Areas of `xyxy` boxes `[N, 4]` (`ops.box_area`).
 *
 * @example
 * ```ts
 * boxArea(tensor([[0, 0, 2, 3]])); // tensor([6])
 * ```
 */
export function boxArea(boxes: Tensor): Tensor {
  const b = boxesData('boxArea', 'boxes', boxes);
  const n = b.length / 4;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (b[4 * i + 2]! - b[4 * i]!) * (b[4 * i + 3]! - b[4 * i + 1]!);
  return make(out, [n]);
}

function iouMatrix(a: ArrayLike<number>, b: ArrayLike<number>): Float32Array {
  const n = a.length / 4;
  const m = b.length / 4;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const areaA = Math.fround((a[4 * i + 2]! - a[4 * i]!) * (a[4 * i + 3]! - a[4 * i + 1]!));
    for (let j = 0; j < m; j++) {
      const areaB = Math.fround((b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!));
      const w = Math.max(0, Math.min(a[4 * i + 2]!, b[4 * j + 2]!) - Math.max(a[4 * i]!, b[4 * j]!));
      const h = Math.max(0, Math.min(a[4 * i + 3]!, b[4 * j + 3]!) - Math.max(a[4 * i + 1]!, b[4 * j + 1]!));
      const inter = Math.fround(w * h);
      out[i * m + j] = inter / Math.fround(areaA + areaB - inter);
    }
  }
  return out;
}

/**
 * Intersection over union of every pair of `xyxy` boxes: `[N, M]` (`ops.box_iou`).
 *
 * @example
 * ```ts
 * boxIou(tensor([[0, 0, 2, 2]]), tensor([[1, 1, 3, 3]])); // tensor([[0.1429]])
 * ```
 */
export function boxIou(boxes1: Tensor, boxes2: Tensor): Tensor {
  const a = boxesData('boxIou', 'boxes1', boxes1);
  const b = boxesData('boxIou', 'boxes2', boxes2);
  return make(iouMatrix(a, b), [a.length / 4, b.length / 4]);
}

const FORMATS: BoxFormat[] = ['xyxy', 'xywh', 'cxcywh'];

/**
 * Converts boxes `[N, 4]` between `'xyxy'`, `'xywh'` and `'cxcywh'` (`ops.box_convert`).
 *
 * @example
 * ```ts
 * boxConvert(tensor([[10, 20, 30, 40]]), 'xywh', 'xyxy'); // tensor([[10, 20, 40, 60]])
 * ```
 */
export function boxConvert(boxes: Tensor, inFmt: BoxFormat, outFmt: BoxFormat): Tensor {
  for (const [name, f] of [['inFmt', inFmt], ['outFmt', outFmt]] as const) {
    if (!FORMATS.includes(f)) throw new ArgumentError(`boxConvert(): ${name} must be 'xyxy', 'xywh' or 'cxcywh' (got ${JSON.stringify(f)})`);
  }
  const b = boxesData('boxConvert', 'boxes', boxes);
  if (inFmt === outFmt) return boxes.clone();
  const n = b.length / 4;
  const out = new Float32Array(b.length);
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    let x1: number, y1: number, x2: number, y2: number; // prettier-ignore
    const [p, q, r, s] = [b[4 * i]!, b[4 * i + 1]!, b[4 * i + 2]!, b[4 * i + 3]!];
    if (inFmt === 'xyxy') [x1, y1, x2, y2] = [p, q, r, s];
    else if (inFmt === 'xywh') [x1, y1, x2, y2] = [p, q, f(p + r), f(q + s)];
    else [x1, y1, x2, y2] = [f(p - f(0.5 * r)), f(q - f(0.5 * s)), f(p + f(0.5 * r)), f(q + f(0.5 * s))];
    let o: number[];
    if (outFmt === 'xyxy') o = [x1, y1, x2, y2];
    else if (outFmt === 'xywh') o = [x1, y1, f(x2 - x1), f(y2 - y1)];
    else o = [f(f(x1 + x2) / 2), f(f(y1 + y2) / 2), f(x2 - x1), f(y2 - y1)];
    out.set(o, 4 * i);
  }
  return make(boxes.dtype === 'int32' && inFmt !== 'cxcywh' && outFmt !== 'cxcywh' ? Int32Array.from(out) : out, [n, 4]);
}

function scoresData(fn: string, scores: Tensor, n: number): ArrayLike<number> {
  if (!(scores instanceof Tensor) || scores.ndim !== 1 || scores.shape[0] !== n) {
    throw new ShapeError(`${fn}(): scores must be a Tensor [N] with N = ${n} boxes (got ${scores instanceof Tensor ? `[${scores.shape.join(', ')}]` : typeof scores})`);
  }
  return scores.dataSync();
}

function nmsIndices(b: ArrayLike<number>, s: ArrayLike<number>, iouThreshold: number, offsets?: ArrayLike<number>): number[] {
  const n = s.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[j]! - s[i]! || i - j);
  const removed = new Uint8Array(n);
  const keep: number[] = [];
  const box = (i: number) => {
    const o = offsets ? offsets[i]! : 0;
    return [b[4 * i]! + o, b[4 * i + 1]! + o, b[4 * i + 2]! + o, b[4 * i + 3]! + o];
  };
  for (let a = 0; a < n; a++) {
    const i = order[a]!;
    if (removed[i]) continue;
    keep.push(i);
    const bi = box(i);
    for (let c = a + 1; c < n; c++) {
      const j = order[c]!;
      if (removed[j]) continue;
      if (iouMatrix(bi, box(j))[0]! > iouThreshold) removed[j] = 1;
    }
  }
  return keep;
}

/**
 * Non-maximum suppression (`ops.nms`): indices (int32, by decreasing score) of the boxes kept
 * after dropping every box whose IoU with a higher-scoring kept box exceeds `iouThreshold`.
 *
 * @example
 * ```ts
 * const keep = nms(boxes, scores, 0.5); // int32 [K]
 * ```
 */
export function nms(boxes: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  if (typeof iouThreshold !== 'number') throw new ArgumentError(`nms(): iouThreshold must be a number (got ${JSON.stringify(iouThreshold)})`);
  const b = boxesData('nms', 'boxes', boxes);
  const s = scoresData('nms', scores, b.length / 4);
  const keep = nmsIndices(b, s, iouThreshold);
  return make(Int32Array.from(keep), [keep.length]);
}

/**
 * NMS done independently per category `idxs` (`ops.batched_nms`).
 *
 * @example
 * ```ts
 * batchedNms(boxes, scores, labels, 0.5);
 * ```
 */
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor {
  const b = boxesData('batchedNms', 'boxes', boxes);
  const n = b.length / 4;
  const s = scoresData('batchedNms', scores, n);
  if (!(idxs instanceof Tensor) || idxs.ndim !== 1 || idxs.shape[0] !== n) {
    throw new ShapeError(`batchedNms(): idxs must be a Tensor [N] with N = ${n} (got ${idxs instanceof Tensor ? `[${idxs.shape.join(', ')}]` : typeof idxs})`);
  }
  const ids = idxs.dataSync();
  let maxCoord = 0;
  for (let i = 0; i < b.length; i++) maxCoord = Math.max(maxCoord, b[i]!);
  const offsets = Array.from(ids, (v) => v * (maxCoord + 1));
  const keep = n === 0 ? [] : nmsIndices(b, s, iouThreshold, offsets);
  return make(Int32Array.from(keep), [keep.length]);
}

/**
 * Clips `xyxy` boxes to an image of `size` `[height, width]` (`ops.clip_boxes_to_image`).
 *
 * @example
 * ```ts
 * clipBoxesToImage(boxes, [480, 640]);
 * ```
 */
export function clipBoxesToImage(boxes: Tensor, size: readonly [number, number]): Tensor {
  const b = boxesData('clipBoxesToImage', 'boxes', boxes);
  const [h, w] = size;
  const out = boxes.dtype === 'int32' ? new Int32Array(b.length) : new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = Math.min(Math.max(b[i]!, 0), i % 2 === 0 ? w : h);
  return make(out, [b.length / 4, 4]);
}

/**
 * Indices (int32) of `xyxy` boxes whose sides are both at least `minSize` (`ops.remove_small_boxes`).
 *
 * @example
 * ```ts
 * removeSmallBoxes(boxes, 1e-3);
 * ```
 */
export function removeSmallBoxes(boxes: Tensor, minSize: number): Tensor {
  const b = boxesData('removeSmallBoxes', 'boxes', boxes);
  const keep: number[] = [];
  for (let i = 0; i < b.length / 4; i++) if (b[4 * i + 2]! - b[4 * i]! >= minSize && b[4 * i + 3]! - b[4 * i + 1]! >= minSize) keep.push(i);
  return make(Int32Array.from(keep), [keep.length]);
}
