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
import { apply, needsGrad, wrap } from '../../autograd/function.js';
import { tf, type Handle } from '../../kernels/tf.js';
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
 * The flat in-plane positions each output reads, row by row as the scan does: `[outputs, size]`
 * with `size` the largest window; shorter windows are filled with `h * w` (a -infinity column).
 */
function windowTable(h: number, w: number, rows: Windows, cols: Windows): { table: Int32Array; size: number } {
  const rs = Array.from(rows.start, (_, i) => positions(rows, i));
  const cs = Array.from(cols.start, (_, j) => positions(cols, j));
  const size = Math.max(1, ...rs.map((r) => r.length)) * Math.max(1, ...cs.map((c) => c.length));
  const table = new Int32Array(rs.length * cs.length * size).fill(h * w);
  let o = 0;
  for (const r of rs) {
    for (const c of cs) {
      let k = o;
      for (const i of r) for (const j of c) table[k++] = i * w + j;
      o += size;
    }
  }
  return { table, size };
}

/**
 * The scan of `hx` `[N, C, H, W]` on its own device: the maxima `[N, C, Ho, Wo]` and their
 * in-plane positions (int32, same shape), the winners {@link scan} finds.
 */
function scanOnDevice(hx: Handle, rows: Windows, cols: Windows): { values: Handle; where: Handle } {
  const [n, c, h, w] = hx.shape as [number, number, number, number];
  const planes = n * c;
  const outShape = [n, c, rows.start.length, cols.start.length];
  const m = rows.start.length * cols.start.length;
  const { table, size } = windowTable(h, w, rows, cols);
  const ks = Float32Array.from({ length: size }, (_, k) => k);
  const rowBase = Int32Array.from({ length: m }, (_, i) => i * size);
  return tf.tidy(() => {
    const at = tf.tensor1d(table, 'int32');
    const flat = tf.concat([tf.reshape(hx, [planes, h * w]), tf.fill([planes, 1], -Infinity)], 1);
    const win = tf.reshape(tf.gather(flat, at, 1), [planes, m, size]);
    const nan = tf.isNaN(win);
    const clean = tf.where(nan, tf.scalar(-Infinity), win);
    const best = tf.max(clean, 2, true);
    const k: tf.Tensor = tf.tensor1d(ks, 'float32');
    const firstMax = tf.min(tf.where(tf.equal(clean, best), k, tf.scalar(size)), 2);
    const lastNan = tf.max(tf.where(nan, k, tf.scalar(-1)), 2);
    const hasNan = tf.greaterEqual(lastNan, tf.scalar(0));
    const winner = tf.cast(tf.where(hasNan, lastNan, firstMax), 'int32');
    const values = tf.where(hasNan, tf.scalar(NaN), tf.reshape(best, [planes, m]));
    const where = tf.gather(at, tf.add(winner, tf.tensor1d(rowBase, 'int32')));
    return { values: tf.reshape(values, outShape), where: tf.reshape(where, outShape) };
  });
}

/** In-plane positions `[N, C, Ho, Wo]` made flat positions in the whole input. */
function globalPositions(local: Handle, h: number, w: number): Handle {
  const [n, c] = local.shape as [number, number];
  const offsets = Int32Array.from({ length: n * c }, (_, p) => p * h * w);
  return tf.tidy(() => tf.add(local, tf.reshape(tf.tensor1d(offsets, 'int32'), [n, c, 1, 1])));
}

/** {@link maxPoolOp} on the GPU: the same results, with no read of the input. */
function maxPoolOnDevice(x: Tensor, rows: Windows, cols: Windows, withIndices: boolean, nodeName: string): [Tensor, Tensor | null] {
  const shape = x.shape;
  const [, , h, w] = shape as [number, number, number, number];
  const { values, where } = scanOnDevice(x._handle, rows, cols);
  const pos = needsGrad([x]) ? wrap(globalPositions(where, h, w)) : null;
  const out = apply({
    name: 'maxPool',
    nodeName,
    inputs: [x],
    temps: pos === null ? undefined : [pos],
    forward: () => values,
    save: pos === null ? [] : [pos],
    backward: (g, [p]) => [putAdd(g, p!, shape)],
  });
  if (withIndices) return [out, wrap(where)];
  where.dispose();
  return [out, null];
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
  if (x.device === 'gpu' && x.numel() > 0) return maxPoolOnDevice(x, rows, cols, withIndices, nodeName);
  const shape = x.shape;
  const [n, c, h, w] = shape as [number, number, number, number];
  const outShape = [n, c, rows.start.length, cols.start.length];
  const { values, where } = scan(x.dataSync(), n * c, h, w, rows, cols);
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
