/**
 * Max pooling as PyTorch 1.13's CPU kernels compute it: each window is scanned row by row, and an
 * element wins when it is greater than the best so far or NaN (so the first of tied maxima wins,
 * and NaN propagates). The scan runs in JS over the input's values and records the winners'
 * positions; the backward adds the output gradient at those positions (one scatter, exact for
 * ties and overlapping windows alike), and the double backward gathers from them. Fixed-size
 * windows (`maxPool*d`) and adaptive ones (`adaptiveMaxPool*d`) share the scan.
 *
 * On the GPU the same winners are found without reading the input back: the windows are gathered
 * into a `[planes, outputs, windowSize]` tensor (positions past a window's end read -infinity),
 * and reductions pick the last NaN of each window, else its first maximum.
 * @internal
 * @module
 */
import { apply, needsGrad } from '../../autograd/function.js';
import { nativeMaxPoolScan } from '../../kernels/native.js';
import { tf } from '../../kernels/tf.js';
import { putAdd } from '../../ops/take.js';
import { fromTypedArray } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The windows along one axis: output index `i` reads `start[i], start[i] + step, ...` below `end[i]`. */
export interface Windows {
  start: Int32Array;
  end: Int32Array;
  step: number;
}

/**
 * The windows of a sliding pool (PyTorch's `max_pool2d` rules: starts in the padding are moved
 * forward by the dilation, ends are clamped to the input).
 *
 * @example
 * ```ts
 * slidingWindows(5, 3, 2, 1, 1, 3); // starts [0, 1, 3], ends [2, 4, 5]
 * ```
 */
export function slidingWindows(size: number, k: number, stride: number, pad: number, dilation: number, out: number): Windows {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    let s = i * stride - pad;
    end[i] = Math.min(s + (k - 1) * dilation + 1, size);
    while (s < 0) s += dilation;
    start[i] = s;
  }
  return { start, end, step: dilation };
}

/**
 * The windows of an adaptive pool: output `i` of `out` covers `floor(i * size / out)` to
 * `ceil((i + 1) * size / out)`.
 *
 * @example
 * ```ts
 * adaptiveWindows(5, 3); // starts [0, 1, 3], ends [2, 4, 5]
 * ```
 */
export function adaptiveWindows(size: number, out: number): Windows {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    start[i] = Math.floor((i * size) / out);
    end[i] = Math.ceil(((i + 1) * size) / out);
  }
  return { start, end, step: 1 };
}

/** The scan: the maxima and their flat positions in the `planes x h x w` input. */
function scan(data: ArrayLike<number>, planes: number, h: number, w: number, rows: Windows, cols: Windows): { values: Float32Array; where: Int32Array } {
  const ho = rows.start.length;
  const wo = cols.start.length;
  const values = new Float32Array(planes * ho * wo);
  const where = new Int32Array(planes * ho * wo);
  const rowStep = rows.step * w;
  const cs = cols.step;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < ho; i++) {
      const r0 = base + rows.start[i]! * w;
      const r1 = base + rows.end[i]! * w;
      for (let j = 0; j < wo; j++) {
        const w0 = cols.start[j]!;
        const w1 = cols.end[j]!;
        let best = -Infinity;
        let at = r0 + w0;
        for (let row = r0; row < r1; row += rowStep) {
          for (let k = row + w0, end = row + w1; k < end; k += cs) {
            const v = data[k]!;
            if (v > best || v !== v) {
              best = v;
              at = k;
            }
          }
        }
        values[o] = best;
        where[o++] = at;
      }
    }
  }
  return { values, where };
}

/** The positions along one axis of window `i`. */
function positions(win: Windows, i: number): number[] {
  const out: number[] = [];
  for (let k = win.start[i]!; k < win.end[i]!; k += win.step) out.push(k);
  return out;
}

/**
 * The max over `rows x cols` windows of every plane of `x` `[N, C, H, W]`, and, with
 * `withIndices`, the winners' positions within their plane (`h * W + w`, int32, as PyTorch's
 * indices). The gradient goes to the winners.
 *
 * @example
 * ```ts
 * const [y] = maxPoolOp(x, slidingWindows(4, 2, 2, 0, 1, 2), slidingWindows(4, 2, 2, 0, 1, 2), false, 'MaxPool2DWithIndicesBackward0');
 * ```
 */
export function maxPoolOp(x: Tensor, rows: Windows, cols: Windows, withIndices: boolean, nodeName: string): [Tensor, Tensor | null] {
  const shape = x.shape;
  const [n, c, h, w] = shape as [number, number, number, number];
  const outShape = [n, c, rows.start.length, cols.start.length];
  // The native kernels scan the backend's own buffer in place; otherwise the host copy is scanned.
  const { values, where } = nativeMaxPoolScan(x._handle, rows, cols) ?? scan(x.dataSync(), n * c, h, w, rows, cols);
  const pos = needsGrad([x]) ? fromTypedArray(where, outShape, 'int32', x.device) : null;
  const out = apply({
    name: 'maxPool',
    nodeName,
    inputs: [x],
    temps: pos === null ? undefined : [pos],
    forward: () => tf.tensor(values, outShape, 'float32'),
    save: pos === null ? [] : [pos],
    backward: (g, [p]) => [putAdd(g, p!, shape)],
  });
  if (!withIndices) return [out, null];
  // PyTorch's indices count within each plane.
  const local = new Int32Array(where.length);
  const per = outShape[2]! * outShape[3]!;
  for (let k = 0; k < local.length; k++) local[k] = where[k]! - Math.floor(k / per) * h * w;
  return [out, fromTypedArray(local, outShape, 'int32', x.device)];
}
