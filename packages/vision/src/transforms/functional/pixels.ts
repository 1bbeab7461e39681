/**
 * The pixel layer under every functional transform: an image (a Tensor `[..., C, H, W]` or an
 * {@link Image}) becomes a flat planar typed array, plain loops compute on it, and the result
 * goes back to the input's kind. Int32 tensors and Images follow torchvision's uint8 rules
 * (results rounded half to even, or truncated where torchvision casts, and kept in 0..255).
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';
import { Image } from '../../image.js';

/** What the functional transforms accept: an image tensor `[..., C, H, W]` or an {@link Image}. */
export type ImageInput = Tensor | Image;

/** Planar pixels: `shape` is `[...batch, C, H, W]`; int32 data means uint8 semantics. @internal */
export interface Planar {
  data: Float32Array | Int32Array;
  shape: number[];
  float: boolean;
}

/** Batch count, channels, height, width of planar pixels. @internal */
export function dims(p: Planar): { n: number; c: number; h: number; w: number } {
  const s = p.shape;
  const w = s[s.length - 1]!;
  const h = s[s.length - 2]!;
  const c = s[s.length - 3]!;
  let n = 1;
  for (let i = 0; i < s.length - 3; i++) n *= s[i]!;
  return { n, c, h, w };
}

/** Reads the pixels of an image (never mutate `data`: it may be the tensor's own buffer). @internal */
export function read(fn: string, img: ImageInput): Planar {
  if (img instanceof Image) {
    const { width: w, height: h } = img;
    const c = img.channels;
    const n = w * h;
    const out = new Int32Array(c * n);
    const src = img.data;
    if (c === 3) {
      for (let i = 0, j = 0; i < n; i++, j += 3) {
        out[i] = src[j]!;
        out[n + i] = src[j + 1]!;
        out[2 * n + i] = src[j + 2]!;
      }
    } else if (c === 1) out.set(src);
    else for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[k * n + i] = src[i * c + k]!;
    return { data: out, shape: [c, h, w], float: false };
  }
  if (!(img instanceof Tensor)) {
    throw new ArgumentError(`${fn}(): img must be a Tensor [..., C, H, W] or an Image (got ${img === null ? 'null' : typeof img})`);
  }
  if (img.ndim < 2) throw new ShapeError(`${fn}(): img must have at least 2 dimensions [..., H, W] (got [${img.shape.join(', ')}])`);
  if (img.dtype !== 'float32' && img.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): img must be float32, or int32 holding 0..255 (got ${img.dtype})`);
  }
  const shape = img.ndim === 2 ? [1, ...img.shape] : img.shape;
  return { data: img.dataSync() as Float32Array | Int32Array, shape, float: img.dtype === 'float32' };
}

/** New planar pixels of `shape` with the dtype of `like`. @internal */
export function alloc(shape: number[], float: boolean): Planar {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: float ? new Float32Array(size) : new Int32Array(size), shape, float };
}

/** Writes planar pixels back as the kind of `like` (Tensor or Image). @internal */
export function write<T extends ImageInput>(fn: string, p: Planar, like: T): T {
  if (like instanceof Image) {
    const { n, c, h, w } = dims(p);
    if (n !== 1 || p.shape.length !== 3 || c < 1 || c > 4) {
      throw new ShapeError(`${fn}(): an Image result must have 1 to 4 channels (got [${p.shape.join(', ')}])`);
    }
    const size = h * w;
    const out = new Uint8Array(size * c);
    const data = p.data;
    for (let k = 0; k < c; k++) {
      for (let i = 0, o = k; i < size; i++, o += c) {
        const v = data[k * size + i]!;
        out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    return Image.fromChannels(out, w, h, c) as T;
  }
  const t = like as Tensor;
  const shape = t.ndim === 2 && p.shape[0] === 1 ? p.shape.slice(1) : p.shape;
  const flat = tensor(p.data, { dtype: p.float ? 'float32' : 'int32' });
  const out = flat.reshape(shape);
  if (out !== flat) flat.dispose();
  return out as T;
}

/** Reads, computes, writes: the shape of every pixel-level functional transform. @internal */
export function mapPixels<T extends ImageInput>(fn: string, img: T, op: (p: Planar) => Planar): T {
  return write(fn, op(read(fn, img)), img);
}

/** `[C, H, W]` of an image: `getDimensions` (`F.get_dimensions`). @internal */
export function shapeOf(fn: string, img: ImageInput): [number, number, number] {
  if (img instanceof Image) return [img.channels, img.height, img.width];
  if (!(img instanceof Tensor)) throw new ArgumentError(`${fn}(): img must be a Tensor [..., C, H, W] or an Image (got ${typeof img})`);
  if (img.ndim < 2) throw new ShapeError(`${fn}(): img must have at least 2 dimensions [..., H, W] (got [${img.shape.join(', ')}])`);
  const s = img.shape;
  return [img.ndim === 2 ? 1 : s[s.length - 3]!, s[s.length - 2]!, s[s.length - 1]!];
}

/** Rounds half to even, as `torch.round` and C's `nearbyint`. @internal */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's `round()` of a float to an int (half to even). @internal */
export const pyRound = rint;

/**
 * Casts float results back to the planar dtype: float32 keeps them; uint8 semantics round half to
 * even and clamp to 0..255 (torchvision's `_cast_squeeze_out`). @internal
 */
export function castOut(values: Float32Array | Float64Array, shape: number[], float: boolean): Planar {
  if (float) return { data: values instanceof Float32Array ? values : Float32Array.from(values), shape, float };
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    // Clamping first, then rounding half to even, equals rounding then clamping (and NaN -> 0).
    let v = values[i]!;
    v = v < 0 ? 0 : v > 255 ? 255 : v;
    const r = Math.round(v);
    out[i] = r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
  }
  return { data: out, shape, float };
}

/** Converts to uint8 semantics by truncation, as `tensor.to(torch.uint8)` after float math. @internal */
export function truncOut(values: Float32Array | Float64Array, shape: number[], float: boolean): Planar {
  if (float) return { data: values instanceof Float32Array ? values : Float32Array.from(values), shape, float };
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, shape, float };
}

/** The largest value of the image's dtype: 1 for float, 255 for uint8 semantics. @internal */
export function maxValue(p: Planar): number {
  return p.float ? 1 : 255;
}

/**
 * A fill value per channel: a number for all, or one per channel. `null` means no fill (zeros,
 * without the mask that torchvision adds for an explicit fill). @internal
 */
export function fillPerChannel(fn: string, fill: number | readonly number[], c: number): number[] {
  if (typeof fill === 'number') return new Array<number>(c).fill(fill);
  if (!Array.isArray(fill) || fill.some((v) => typeof v !== 'number')) {
    throw new ArgumentError(`${fn}(): fill must be a number or an array of numbers (got ${JSON.stringify(fill)})`);
  }
  if (fill.length === 1) return new Array<number>(c).fill(fill[0]!);
  if (fill.length !== c) {
    throw new ArgumentError(`${fn}(): fill must have 1 or ${c} (number of channels) values (got ${fill.length})`);
  }
  return [...fill];
}
