/**
 * Resampling kernels of `torch.nn.functional.interpolate` as torchvision's tensor path calls them
 * (align_corners false): nearest, nearest-exact, bilinear, bicubic (A = -0.75), and the
 * antialiased bilinear/bicubic of `_upsample_*_aa` (a separable filter, width first, then
 * height). Weights are computed as PyTorch 1.13 computes them on CPU (float32 scale, source
 * index in double, float32 weights; the antialiased filters in double); every mode runs as two
 * separable passes over precomputed taps.
 * @module
 */
import type { Planar } from './pixels.js';
import { castOut, dims } from './pixels.js';

/** An interpolation mode (`torchvision.transforms.InterpolationMode` values). */
export type InterpolationMode = 'nearest' | 'nearest-exact' | 'bilinear' | 'bicubic';

/**
 * The interpolation modes by name, as torchvision writes them: `InterpolationMode.BILINEAR`.
 *
 * @example
 * ```ts
 * new Resize(32, { interpolation: InterpolationMode.BICUBIC });
 * ```
 */
export const InterpolationMode = {
  NEAREST: 'nearest',
  NEAREST_EXACT: 'nearest-exact',
  BILINEAR: 'bilinear',
  BICUBIC: 'bicubic',
} as const satisfies Record<string, InterpolationMode>;

const f32 = Math.fround;

/**
 * One axis of a separable resampling, in compressed rows: output index `i` reads the source
 * indices `index[ptr[i] .. ptr[i + 1])` with the same-placed `weight`s, summed in that order.
 */
interface Taps {
  ptr: Int32Array; // [out + 1]
  index: Int32Array;
  weight: Float64Array;
}

/** Taps with a fixed count per output, filled by `fill(i, index, weight, offset)`. */
function fixedTaps(outSize: number, count: number, fill: (i: number, index: Int32Array, weight: Float64Array, o: number) => void): Taps {
  const ptr = new Int32Array(outSize + 1);
  const index = new Int32Array(outSize * count);
  const weight = new Float64Array(outSize * count);
  for (let i = 0; i < outSize; i++) {
    ptr[i + 1] = (i + 1) * count;
    fill(i, index, weight, i * count);
  }
  return { ptr, index, weight };
}

function nearestTaps(inSize: number, outSize: number, exact: boolean): Taps {
  const scale = f32(inSize / outSize);
  return fixedTaps(outSize, 1, (i, index, weight, o) => {
    let src: number;
    if (!exact && outSize === inSize) src = i;
    else if (!exact && outSize === 2 * inSize) src = i >> 1;
    else src = Math.floor(f32((exact ? i + 0.5 : i) * scale));
    index[o] = Math.min(src, inSize - 1);
    weight[o] = 1;
  });
}

function linearTaps(inSize: number, outSize: number): Taps {
  const scale = f32(inSize / outSize);
  return fixedTaps(outSize, 2, (i, index, weight, o) => {
    // PyTorch computes the source index in double from the float32 scale (acc_type<float> on
    // CPU), then stores the weights as float32.
    let src = scale * (i + 0.5) - 0.5;
    if (src < 0) src = 0;
    const i0 = Math.floor(src);
    const l1 = f32(src - i0);
    index[o] = i0;
    index[o + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
    weight[o] = f32(1 - l1);
    weight[o + 1] = l1;
  });
}

function cubic1(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}
function cubic2(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/**
 * Keys' cubic convolution with A = -0.75 (`upsample_bicubic2d`), border indices clamped; the
 * source index in double from the float32 scale, as for {@link linearTaps}.
 */
function cubicTaps(inSize: number, outSize: number): Taps {
  const A = -0.75;
  const scale = f32(inSize / outSize);
  return fixedTaps(outSize, 4, (i, index, weight, o) => {
    const src = scale * (i + 0.5) - 0.5;
    const i0 = Math.floor(src);
    const t = f32(src - i0);
    weight[o] = f32(cubic2(t + 1, A));
    weight[o + 1] = f32(cubic1(t, A));
    weight[o + 2] = f32(cubic1(1 - t, A));
    weight[o + 3] = f32(cubic2(2 - t, A));
    for (let k = 0; k < 4; k++) index[o + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
  });
}

/**
 * The antialiased filters of `_upsample_bilinear2d_aa` / `_upsample_bicubic2d_aa` (PIL's: a
 * triangle, or a cubic with A = -0.5, stretched by the scale when downsampling), normalized.
 */
function aaTaps(inSize: number, outSize: number, cubic: boolean): Taps {
  const interpSize = cubic ? 4 : 2;
  const scale = inSize / outSize;
  const support = scale >= 1 ? interpSize * 0.5 * scale : interpSize * 0.5;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const maxCount = Math.ceil(support) * 2 + 1;
  const ptr = new Int32Array(outSize + 1);
  const index = new Int32Array(outSize * maxCount);
  const weight = new Float64Array(outSize * maxCount);
  const ws = new Float64Array(maxCount);
  let o = 0;
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      let x = Math.abs((j + xmin - center + 0.5) * invscale);
      if (cubic) x = x < 1 ? cubic1(x, -0.5) : x < 2 ? cubic2(x, -0.5) : 0;
      else x = x < 1 ? 1 - x : 0;
      ws[j] = x;
      total += x;
    }
    for (let j = 0; j < xsize; j++) {
      index[o] = xmin + j;
      weight[o++] = total !== 0 ? ws[j]! / total : 0;
    }
    ptr[i + 1] = o;
  }
  return { ptr, index, weight };
}

function taps(inSize: number, outSize: number, mode: InterpolationMode, antialias: boolean): Taps {
  if (mode === 'nearest' || mode === 'nearest-exact') return nearestTaps(inSize, outSize, mode === 'nearest-exact');
  if (antialias) return aaTaps(inSize, outSize, mode === 'bicubic');
  return mode === 'bilinear' ? linearTaps(inSize, outSize) : cubicTaps(inSize, outSize);
}

/**
 * The width pass on planar data: resamples the `h` rows of `w` values at `base` of `src` to `ow`
 * values each with `tx`, into `tmp` (`h x ow`). `round` stores each sum rounded to float32 (the
 * antialiased kernels), otherwise it stays in double.
 */
function widthPass(src: Float32Array | Int32Array, base: number, w: number, h: number, tx: Taps, ow: number, tmp: Float64Array, round: boolean): void {
  const { ptr, index, weight } = tx;
  for (let y = 0; y < h; y++) {
    const row = base + y * w;
    const o = y * ow;
    for (let x = 0; x < ow; x++) {
      const end = ptr[x + 1]!;
      let s = 0;
      for (let k = ptr[x]!; k < end; k++) s += weight[k]! * src[row + index[k]!]!;
      tmp[o + x] = round ? f32(s) : s;
    }
  }
}

/**
 * The height pass for output row `y`: sums the rows of `tmp` (`? x ow`) that `ty` names, in tap
 * order, into `acc` (length `ow`).
 */
function heightRow(tmp: Float64Array, ow: number, ty: Taps, y: number, acc: Float64Array): void {
  const { ptr, index, weight } = ty;
  acc.fill(0);
  const end = ptr[y + 1]!;
  for (let k = ptr[y]!; k < end; k++) {
    const wy = weight[k]!;
    const r = index[k]! * ow;
    for (let x = 0; x < ow; x++) acc[x] += wy * tmp[r + x]!;
  }
}

/**
 * Resizes planar pixels to `oh x ow`. Uint8-semantics input is computed in float and rounded
 * (bicubic clamps to 0..255 first), as torchvision's `F_t.resize`. Every mode runs as two
 * separable passes (width, then height) over precomputed taps; the antialiased kernels round the
 * width pass to float32 as PyTorch's two-step `_upsample_*_aa` does, the plain kernels keep it in
 * double, which equals summing the 2-D products row by row. @internal
 */
export function resizePlanar(p: Planar, oh: number, ow: number, mode: InterpolationMode, antialias: boolean): Planar {
  const { n, c, h, w } = dims(p);
  const planes = n * c;
  // Antialiasing applies to bilinear and bicubic, also when upsampling (PyTorch's aa kernels are
  // used whenever antialias is set; for bilinear upsampling they equal plain interpolation).
  const aa = antialias && (mode === 'bilinear' || mode === 'bicubic');
  const tx = taps(w, ow, mode, aa);
  const ty = taps(h, oh, mode, aa);
  if (mode === 'nearest' || mode === 'nearest-exact') {
    // One tap of weight 1: a gather.
    const out = p.float ? new Float32Array(planes * oh * ow) : new Int32Array(planes * oh * ow);
    const src = p.data;
    for (let pl = 0; pl < planes; pl++) {
      for (let y = 0; y < oh; y++) {
        const row = (pl * h + ty.index[y]!) * w;
        const o = (pl * oh + y) * ow;
        for (let x = 0; x < ow; x++) out[o + x] = src[row + tx.index[x]!]!;
      }
    }
    return { data: out, shape: [...p.shape.slice(0, -2), oh, ow], float: p.float };
  }
  const out = new Float32Array(planes * oh * ow);
  const tmp = new Float64Array(h * ow);
  const acc = new Float64Array(ow);
  for (let pl = 0; pl < planes; pl++) {
    widthPass(p.data, pl * h * w, w, h, tx, ow, tmp, aa);
    for (let y = 0; y < oh; y++) {
      heightRow(tmp, ow, ty, y, acc);
      out.set(acc, (pl * oh + y) * ow);
    }
  }
  const shape = [...p.shape.slice(0, -2), oh, ow];
  if (!p.float && mode === 'bicubic') for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, out[i]!));
  return castOut(out, shape, p.float);
}

/**
 * The width pass on interleaved bytes: all `c` channels of a pixel at once, into `tmp`
 * (`h x ow x c`, interleaved). Each channel sums its taps in the same order as
 * {@link widthPass}, so the values are the same.
 */
function widthPassInterleaved(src: Uint8Array, base: number, rowStride: number, c: number, h: number, tx: Taps, ow: number, tmp: Float64Array, round: boolean): void {
  const { ptr, index, weight } = tx;
  const s = new Float64Array(c);
  for (let y = 0; y < h; y++) {
    const row = base + y * rowStride;
    let o = y * ow * c;
    for (let x = 0; x < ow; x++, o += c) {
      const beg = ptr[x]!;
      const end = ptr[x + 1]!;
      if (c === 3) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        for (let k = beg; k < end; k++) {
          const wk = weight[k]!;
          const i = row + index[k]! * 3;
          s0 += wk * src[i]!;
          s1 += wk * src[i + 1]!;
          s2 += wk * src[i + 2]!;
        }
        tmp[o] = round ? f32(s0) : s0;
        tmp[o + 1] = round ? f32(s1) : s1;
        tmp[o + 2] = round ? f32(s2) : s2;
      } else {
        s.fill(0);
        for (let k = beg; k < end; k++) {
          const wk = weight[k]!;
          const i = row + index[k]! * c;
          for (let ch = 0; ch < c; ch++) s[ch] += wk * src[i + ch]!;
        }
        for (let ch = 0; ch < c; ch++) tmp[o + ch] = round ? f32(s[ch]!) : s[ch]!;
      }
    }
  }
}

/**
 * {@link resizePlanar} straight on interleaved 8-bit pixels (an Image's bytes): resizes the
 * `h x w` region at (`top`, `left`) of an image `width` pixels wide with `channels` channels to
 * `oh x ow`, with the same arithmetic (float32 rounding of each result, then round half to even
 * and clamp to 0..255), so the bytes equal those of the planar path. @internal
 */
export function resizeInterleaved(
  src: Uint8Array,
  width: number,
  channels: number,
  top: number,
  left: number,
  h: number,
  w: number,
  oh: number,
  ow: number,
  mode: InterpolationMode,
  antialias: boolean,
): Uint8Array {
  const aa = antialias && (mode === 'bilinear' || mode === 'bicubic');
  const tx = taps(w, ow, mode, aa);
  const ty = taps(h, oh, mode, aa);
  const rowLen = ow * channels;
  const out = new Uint8Array(oh * rowLen);
  if (mode === 'nearest' || mode === 'nearest-exact') {
    // One tap of weight 1: a gather of whole pixels.
    for (let y = 0; y < oh; y++) {
      const row = ((top + ty.index[y]!) * width + left) * channels;
      for (let x = 0; x < ow; x++) {
        const i = row + tx.index[x]! * channels;
        const o = (y * ow + x) * channels;
        for (let ch = 0; ch < channels; ch++) out[o + ch] = src[i + ch]!;
      }
    }
    return out;
  }
  const tmp = new Float64Array(h * rowLen);
  const acc = new Float64Array(rowLen);
  widthPassInterleaved(src, (top * width + left) * channels, width * channels, channels, h, tx, ow, tmp, aa);
  for (let y = 0; y < oh; y++) {
    // The rows of tmp hold all channels interleaved: one height pass over rowLen values.
    heightRow(tmp, rowLen, ty, y, acc);
    const o = y * rowLen;
    for (let x = 0; x < rowLen; x++) {
      let v = f32(acc[x]!);
      v = v < 0 ? 0 : v > 255 ? 255 : v;
      const r = Math.round(v);
      out[o + x] = r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
    }
  }
  return out;
}
