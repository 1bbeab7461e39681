/**
 * Conversions between images and tensors, dtypes, and per-channel arithmetic: `toTensor`,
 * `pilToTensor`, `toPILImage`, `convertImageDtype`, `normalize`, `erase`.
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';
import { Image, type ImageMode } from '../../image.js';
import { imageToTensor } from '../../io/image-io.js';
import { alloc, dims, read, write, type ImageInput } from './pixels.js';

/** What {@link toTensor} accepts: an Image, or HWC data (a Tensor `[H, W, C]`/`[H, W]`, or `{ data, shape }`). */
export type PicLike = Image | Tensor | { data: ArrayLike<number>; shape: readonly number[] };

function fromFlat(values: Float32Array | Int32Array, shape: number[]): Tensor {
  const flat = tensor(values, { dtype: values instanceof Float32Array ? 'float32' : 'int32' });
  const t = flat.reshape(shape);
  if (t !== flat) flat.dispose();
  return t;
}

/**
 * An image as a float32 `[C, H, W]` tensor in [0, 1] (`F.to_tensor`): an {@link Image}, or HWC
 * data as numpy arrays are in PyTorch (a Tensor `[H, W, C]` or `[H, W]`, or `{ data, shape }`).
 * Integer data (int32 tensors, Uint8Array...) is divided by 255; float data is only transposed.
 *
 * @example
 * ```ts
 * toTensor(new Image(bytes, 28, 28, 'L'));                   // [1, 28, 28] float32
 * toTensor({ data: new Uint8Array(32 * 32 * 3), shape: [32, 32, 3] });
 * ```
 */
export function toTensor(pic: PicLike): Tensor {
  let data: ArrayLike<number>;
  let shape: readonly number[];
  let integer: boolean;
  if (pic instanceof Image) {
    data = pic.data;
    shape = [pic.height, pic.width, pic.channels];
    integer = true;
  } else if (pic instanceof Tensor) {
    data = pic.dataSync();
    shape = pic.shape;
    integer = pic.dtype !== 'float32';
  } else if (typeof pic === 'object' && pic !== null && 'data' in pic && 'shape' in pic) {
    data = pic.data;
    shape = pic.shape;
    integer = !(pic.data instanceof Float32Array || pic.data instanceof Float64Array);
  } else {
    throw new ArgumentError(`toTensor(): pic must be an Image, an HWC Tensor or { data, shape } (got ${pic === null ? 'null' : typeof pic})`);
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new ShapeError(`toTensor(): pic must be 2-D [H, W] or 3-D [H, W, C] (got [${shape.join(', ')}]); tensors already CHW need no toTensor`);
  }
  const [h, w, c = 1] = shape as [number, number, number?];
  if (data.length !== h * w * c) throw new ShapeError(`toTensor(): data has ${data.length} values, shape [${shape.join(', ')}] needs ${h * w * c}`);
  const n = h * w;
  const out = new Float32Array(n * c);
  const scale = integer ? 1 / 255 : 1;
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[k * n + i] = integer ? data[i * c + k]! / 255 : data[i * c + k]! * scale;
  return fromFlat(out, [c, h, w]);
}

/**
 * An {@link Image} as an int32 `[C, H, W]` tensor of 0..255, without scaling
 * (`F.pil_to_tensor`; int32 is Flint's uint8 analog).
 *
 * @example
 * ```ts
 * pilToTensor(img); // Tensor [3, H, W], int32
 * ```
 */
export function pilToTensor(pic: Image): Tensor {
  if (!(pic instanceof Image)) throw new ArgumentError(`pilToTensor(): pic must be an Image (got ${pic === null ? 'null' : typeof pic})`);
  return imageToTensor(pic);
}

/**
 * A tensor `[C, H, W]` (C 1-4) as an {@link Image} (`F.to_pil_image`): float values are
 * multiplied by 255 and cast as torch's `.byte()` does (truncated; outside [0, 1] wraps around),
 * int32 values are taken as they are. `mode`, when given, must be the mode of the channel count
 * (`'L'`, `'LA'`, `'RGB'`, `'RGBA'` for 1 to 4 channels), as torchvision checks it.
 *
 * @example
 * ```ts
 * const img = toPILImage(x); // x float32 [3, 32, 32] in [0, 1]
 * toPILImage(gray, 'L');
 * ```
 */
export function toPILImage(pic: Tensor, mode?: ImageMode): Image {
  if (!(pic instanceof Tensor)) throw new ArgumentError(`toPILImage(): pic must be a Tensor [C, H, W] (got ${typeof pic})`);
  const shape = pic.ndim === 2 ? [1, ...pic.shape] : pic.shape;
  if (shape.length !== 3 || shape[0]! < 1 || shape[0]! > 4) {
    throw new ShapeError(`toPILImage(): pic must be [C, H, W] with 1 to 4 channels, or [H, W] (got [${pic.shape.join(', ')}])`);
  }
  if (pic.dtype === 'bool') throw new DTypeError('toPILImage(): pic must be float32 or int32 (got bool)');
  const [c, h, w] = shape as [number, number, number];
  const expected = (['L', 'LA', 'RGB', 'RGBA'] as const)[c - 1]!;
  if (mode !== undefined && mode !== expected) {
    throw new ArgumentError(`toPILImage(): only mode '${expected}' is supported for ${c}-channel inputs (got ${JSON.stringify(mode)})`);
  }
  const src = pic.dataSync();
  const n = h * w;
  const out = new Uint8Array(n * c);
  const float = pic.dtype === 'float32';
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) {
      const v = float ? Math.trunc(Math.fround(src[k * n + i]! * 255)) : src[k * n + i]!;
      out[i * c + k] = ((v % 256) + 256) % 256;
    }
  }
  return Image.fromChannels(out, w, h, c);
}

/**
 * Converts an image between float32 in [0, 1] and int32 in 0..255, Flint's uint8 analog
 * (`F.convert_image_dtype`): int32 to float32 divides by 255; float32 to int32 multiplies by
 * 255.999 and truncates, as torchvision does for uint8.
 *
 * @example
 * ```ts
 * const x = convertImageDtype(await readImage('a.png'), 'float32');
 * ```
 */
export function convertImageDtype(image: Tensor, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  if (!(image instanceof Tensor)) throw new ArgumentError(`convertImageDtype(): image must be a Tensor (got ${typeof image})`);
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new DTypeError(`convertImageDtype(): dtype must be 'float32' or 'int32' (got ${JSON.stringify(dtype)})`);
  }
  if (image.dtype === 'bool') throw new DTypeError('convertImageDtype(): image must be float32 or int32 (got bool)');
  if (image.dtype === dtype) return image;
  const src = image.dataSync();
  if (dtype === 'float32') {
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i]! / 255;
    return fromFlat(out, image.shape);
  }
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.trunc(Math.fround(src[i]! * Math.fround(255 + 1 - 1e-3)));
  return fromFlat(out, image.shape);
}

function perChannel(fn: string, name: string, v: number | readonly number[], c: number): number[] {
  const arr = typeof v === 'number' ? [v] : [...v];
  if (arr.length === 0 || arr.some((x) => typeof x !== 'number') || (arr.length !== 1 && arr.length !== c)) {
    throw new ArgumentError(`${fn}(): ${name} must be a number or ${c} numbers, one per channel (got ${JSON.stringify(v)})`);
  }
  return arr.length === 1 ? new Array<number>(c).fill(arr[0]!) : arr;
}

/**
 * `(x - mean) / std` per channel of a float32 image `[..., C, H, W]` (`F.normalize`).
 *
 * @example
 * ```ts
 * normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
 * ```
 */
export function normalize(tensorImg: Tensor, mean: number | readonly number[], std: number | readonly number[]): Tensor {
  if (!(tensorImg instanceof Tensor)) throw new ArgumentError(`normalize(): tensor must be a Tensor (got ${typeof tensorImg}); apply ToTensor first`);
  if (tensorImg.dtype !== 'float32') {
    throw new DTypeError(`normalize(): tensor must be float32 (got ${tensorImg.dtype}); apply ToTensor or convertImageDtype first`);
  }
  if (tensorImg.ndim < 3) throw new ShapeError(`normalize(): tensor must be [..., C, H, W] (got [${tensorImg.shape.join(', ')}])`);
  const p = read('normalize', tensorImg);
  const { n, c, h, w } = dims(p);
  const m = perChannel('normalize', 'mean', mean, c);
  const s = perChannel('normalize', 'std', std, c);
  const zero = s.findIndex((v) => v === 0);
  if (zero >= 0) throw new ArgumentError(`normalize(): std evaluated to zero at channel ${zero}, leading to division by zero`);
  const out = new Float32Array(p.data.length);
  const hw = h * w;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < c; k++) {
      const o = (b * c + k) * hw;
      const mk = Math.fround(m[k]!);
      const sk = Math.fround(s[k]!);
      for (let i = 0; i < hw; i++) out[o + i] = Math.fround(p.data[o + i]! - mk) / sk;
    }
  }
  return fromFlat(out, tensorImg.shape);
}

/**
 * Sets the region (`i`, `j`, `h`, `w`) to `v`: a number, one value per channel, or a tensor
 * broadcastable to `[C, h, w]` (`F.erase`).
 *
 * @example
 * ```ts
 * erase(x, 4, 4, 8, 8, 0);
 * ```
 */
export function erase<T extends ImageInput>(img: T, i: number, j: number, h: number, w: number, v: number | readonly number[] | Tensor): T {
  if (![i, j, h, w].every(Number.isInteger) || h < 0 || w < 0) {
    throw new ArgumentError(`erase(): i, j, h, w must be integers, h and w >= 0 (got ${i}, ${j}, ${h}, ${w})`);
  }
  const p = read('erase', img);
  const { n, c, h: H, w: W } = dims(p);
  const out = alloc(p.shape, p.float);
  out.data.set(p.data);
  let values: ArrayLike<number>;
  let vShape: number[];
  if (v instanceof Tensor) {
    values = v.dataSync();
    vShape = v.ndim === 3 ? v.shape : v.ndim === 1 ? [v.shape[0]!, 1, 1] : v.ndim === 0 ? [1, 1, 1] : [1, ...v.shape];
  } else {
    values = perChannel('erase', 'v', v, c);
    vShape = [c, 1, 1];
  }
  const [vc, vh, vw] = vShape as [number, number, number];
  if ((vc !== 1 && vc !== c) || (vh !== 1 && vh !== h) || (vw !== 1 && vw !== w)) {
    throw new ShapeError(`erase(): v of shape [${vShape.join(', ')}] does not broadcast to [${c}, ${h}, ${w}]`);
  }
  const y1 = Math.min(H, i + h);
  const x1 = Math.min(W, j + w);
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < c; k++) {
      for (let y = Math.max(0, i); y < y1; y++) {
        for (let x = Math.max(0, j); x < x1; x++) {
          const val = values[(vc === 1 ? 0 : k) * vh * vw + (vh === 1 ? 0 : y - i) * vw + (vw === 1 ? 0 : x - j)]!;
          out.data[((b * c + k) * H + y) * W + x] = p.float ? val : Math.trunc(val);
        }
      }
    }
  }
  return write('erase', out, img);
}
