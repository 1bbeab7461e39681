/**
 * `makeGrid` and `saveImage` (`torchvision.utils.make_grid`, `save_image`).
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';
import sharp from 'sharp';
import { ImageFileError } from '../errors.js';

/** Options of {@link makeGrid}. */
export interface MakeGridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** Pixels between images and around the grid (default 2). */
  padding?: number;
  /** Shift images to [0, 1] by `valueRange` or by their min and max (default false). */
  normalize?: boolean;
  /** `[min, max]` used by `normalize` (default: the data's own). */
  valueRange?: readonly [number, number];
  /** Normalize each image by its own min and max (default false). */
  scaleEach?: boolean;
  /** Value of the padding pixels (default 0). */
  padValue?: number;
}

/**
 * Tiles a batch `[B, C, H, W]` (or a list of `[C, H, W]`) into one image `[C, H', W']`
 * (`torchvision.utils.make_grid`). One-channel images become three-channel, as in torchvision.
 *
 * @example
 * ```ts
 * const grid = makeGrid(batch, { nrow: 8, padding: 2, normalize: true });
 * ```
 */
export function makeGrid(input: Tensor | readonly Tensor[], options: MakeGridOptions = {}): Tensor {
  const { nrow = 8, padding = 2, normalize = false, valueRange, scaleEach = false, padValue = 0 } = options;
  if (!Number.isInteger(nrow) || nrow < 1) throw new ArgumentError(`makeGrid(): nrow must be an integer >= 1 (got ${nrow})`);
  if (!Number.isInteger(padding) || padding < 0) throw new ArgumentError(`makeGrid(): padding must be an integer >= 0 (got ${padding})`);
  if (valueRange !== undefined && (!Array.isArray(valueRange) || valueRange.length !== 2)) {
    throw new ArgumentError(`makeGrid(): valueRange must be [min, max] (got ${JSON.stringify(valueRange)})`);
  }
  // Gather [B, C, H, W] values.
  let shape: number[];
  let data: Float32Array | Int32Array;
  let dtype: 'float32' | 'int32';
  if (Array.isArray(input)) {
    const list = input as readonly Tensor[];
    if (list.length === 0 || list.some((t) => !(t instanceof Tensor))) throw new ArgumentError('makeGrid(): input must be a Tensor or a non-empty array of Tensors');
    const s0 = list[0]!.shape.join(',');
    if (list.some((t) => t.shape.join(',') !== s0)) throw new ShapeError('makeGrid(): all tensors in the list must have the same shape');
    dtype = list[0]!.dtype === 'int32' ? 'int32' : 'float32';
    const per = list[0]!.numel();
    data = dtype === 'int32' ? new Int32Array(per * list.length) : new Float32Array(per * list.length);
    list.forEach((t, i) => data.set(t.dataSync(), i * per));
    shape = [list.length, ...list[0]!.shape];
  } else if (input instanceof Tensor) {
    if (input.dtype === 'bool') throw new DTypeError('makeGrid(): input must be float32 or int32 (got bool)');
    dtype = input.dtype === 'int32' ? 'int32' : 'float32';
    data = input.dataSync().slice() as Float32Array | Int32Array;
    shape = input.shape;
  } else {
    throw new ArgumentError(`makeGrid(): input must be a Tensor or an array of Tensors (got ${typeof input})`);
  }
  if (shape.length === 2) shape = [1, ...shape];
  if (shape.length === 3) shape = [1, ...shape];
  if (shape.length !== 4) throw new ShapeError(`makeGrid(): input must be [H, W], [C, H, W] or [B, C, H, W] (got [${shape.join(', ')}])`);
  let [b, c, h, w] = shape as [number, number, number, number];
  if (c === 1) {
    const tiled = dtype === 'int32' ? new Int32Array(b * 3 * h * w) : new Float32Array(b * 3 * h * w);
    for (let i = 0; i < b; i++) for (let k = 0; k < 3; k++) tiled.set(data.subarray(i * h * w, (i + 1) * h * w), (i * 3 + k) * h * w);
    data = tiled;
    c = 3;
  }
  if (normalize) {
    const per = c * h * w;
    const norm = (start: number, end: number) => {
      let lo: number, hi: number; // prettier-ignore
      if (valueRange) [lo, hi] = valueRange;
      else {
        lo = Infinity;
        hi = -Infinity;
        for (let i = start; i < end; i++) {
          lo = Math.min(lo, data[i]!);
          hi = Math.max(hi, data[i]!);
        }
      }
      const d = Math.max(hi - lo, 1e-5);
      for (let i = start; i < end; i++) data[i] = (Math.min(Math.max(data[i]!, lo), hi) - lo) / d;
    };
    if (scaleEach) for (let i = 0; i < b; i++) norm(i * per, (i + 1) * per);
    else norm(0, data.length);
  }
  if (b === 1) return fromFlat(data, [c, h, w], dtype);
  const xmaps = Math.min(nrow, b);
  const ymaps = Math.ceil(b / xmaps);
  const H = h + padding;
  const W = w + padding;
  const gh = H * ymaps + padding;
  const gw = W * xmaps + padding;
  const grid = dtype === 'int32' ? new Int32Array(c * gh * gw).fill(padValue) : new Float32Array(c * gh * gw).fill(padValue);
  let k = 0;
  for (let y = 0; y < ymaps; y++) {
    for (let x = 0; x < xmaps; x++) {
      if (k >= b) break;
      for (let ch = 0; ch < c; ch++) {
        for (let r = 0; r < h; r++) {
          const src = ((k * c + ch) * h + r) * w;
          grid.set(data.subarray(src, src + w), (ch * gh + y * H + padding + r) * gw + x * W + padding);
        }
      }
      k++;
    }
  }
  return fromFlat(grid, [c, gh, gw], dtype);
}

function fromFlat(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32'): Tensor {
  const flat = tensor(values, { dtype });
  const t = flat.reshape(shape);
  if (t !== flat) flat.dispose();
  return t;
}

/**
 * Saves a tensor (or a batch, tiled with {@link makeGrid}) as an image file; the format follows
 * the extension (`.png`, `.jpg`, `.webp`...) (`torchvision.utils.save_image`). Values are
 * taken in [0, 1]: `x * 255 + 0.5`, clamped, truncated, as torchvision does.
 *
 * @example
 * ```ts
 * await saveImage(fakeImages, 'samples.png', { nrow: 8, normalize: true });
 * ```
 */
export async function saveImage(input: Tensor | readonly Tensor[], path: string, options: MakeGridOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`saveImage(): path must be a non-empty string (got ${JSON.stringify(path)})`);
  const grid = makeGrid(input, options);
  const [c, h, w] = grid.shape as [number, number, number];
  const src = grid.dataSync();
  grid.dispose();
  const out = new Uint8Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h * w; i++) out[i * c + ch] = Math.trunc(Math.min(255, Math.max(0, Math.fround(Math.fround(src[ch * h * w + i]! * 255) + 0.5))));
  }
  if (c < 1 || c > 4) throw new ShapeError(`saveImage(): the grid must have 1 to 4 channels (got ${c})`);
  try {
    let s = sharp(out, { raw: { width: w, height: h, channels: c as 1 | 2 | 3 | 4 } });
    if (c <= 2) s = s.toColourspace('b-w');
    await s.toFile(path);
  } catch (e) {
    throw new ImageFileError(`saveImage(): cannot write ${path}: ${(e as Error).message}`);
  }
}
