/**
 * Resampling kernels of `torch.nn.functional.interpolate` as torchvision's tensor path calls them
 * (align_corners false): nearest, nearest-exact, bilinear, bicubic (A = -0.75), and the
 * antialiased bilinear/bicubic of `_upsample_*_aa` (a separable filter, width first, then
 * height). Index and weight arithmetic is done in float32 as PyTorch does on CPU.
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

/** One axis of a separable resampling: for each output index, source indices and weights. */
interface Taps {
  start: Int32Array;
  count: number;
  index: Int32Array; // [out * count]
  weight: Float64Array; // [out * count]
}

function nearestTaps(inSize: number, outSize: number, exact: boolean): Taps {
  const index = new Int32Array(outSize);
  const weight = new Float64Array(outSize).fill(1);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    let src: number;
    if (!exact && outSize === inSize) src = i;
    else if (!exact && outSize === 2 * inSize) src = i >> 1;
    else src = Math.floor(f32((exact ? i + 0.5 : i) * scale));
    index[i] = Math.min(src, inSize - 1);
  }
  return { start: new Int32Array(outSize), count: 1, index, weight };
}

function linearTaps(inSize: number, outSize: number): Taps {
  const index = new Int32Array(outSize * 2);
  const weight = new Float64Array(outSize * 2);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    let src = f32(f32(scale * f32(i + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.floor(src);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    const l1 = f32(src - i0);
    const l0 = f32(1 - l1);
    index[2 * i] = i0;
    index[2 * i + 1] = i1;
    weight[2 * i] = l0;
    weight[2 * i + 1] = l1;
  }
  return { start: new Int32Array(outSize), count: 2, index, weight };
}

function cubic1(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}
function cubic2(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

function cubicTaps(inSize: number, outSize: number): Taps {
  const A = -0.75;
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    const src = f32(f32(scale * f32(i + 0.5)) - 0.5);
    const i0 = Math.floor(src);
    const t = f32(src - i0);
    const ws = [f32(cubic2(t + 1, A)), f32(cubic1(t, A)), f32(cubic1(1 - t, A)), f32(cubic2(2 - t, A))];
    for (let k = 0; k < 4; k++) {
      index[4 * i + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      weight[4 * i + k] = ws[k]!;
    }
  }
  return { start: new Int32Array(outSize), count: 4, index, weight };
}

function aaTaps(inSize: number, outSize: number, cubic: boolean): Taps {
  const interpSize = cubic ? 4 : 2;
  const scale = inSize / outSize;
  const support = scale >= 1 ? interpSize * 0.5 * scale : interpSize * 0.5;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const count = Math.ceil(support) * 2 + 1;
  const index = new Int32Array(outSize * count);
  const weight = new Float64Array(outSize * count);
  const filter = cubic
    ? (x: number) => {
        const a = -0.5;
        x = Math.abs(x);
        return x < 1 ? cubic1(x, a) : x < 2 ? cubic2(x, a) : 0;
      }
    : (x: number) => {
        x = Math.abs(x);
        return x < 1 ? 1 - x : 0;
      };
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    const ws: number[] = [];
    for (let j = 0; j < xsize; j++) {
      const wv = filter((j + xmin - center + 0.5) * invscale);
      ws.push(wv);
      total += wv;
    }
    for (let j = 0; j < count; j++) {
      index[i * count + j] = j < xsize ? xmin + j : xmin;
      weight[i * count + j] = j < xsize && total !== 0 ? ws[j]! / total : 0;
    }
  }
  return { start: new Int32Array(outSize), count, index, weight };
}

function taps(inSize: number, outSize: number, mode: InterpolationMode, antialias: boolean): Taps {
  if (mode === 'nearest' || mode === 'nearest-exact') return nearestTaps(inSize, outSize, mode === 'nearest-exact');
  if (antialias && outSize < inSize) return aaTaps(inSize, outSize, mode === 'bicubic');
  return mode === 'bilinear' ? linearTaps(inSize, outSize) : cubicTaps(inSize, outSize);
}

/**
 * Resizes planar pixels to `oh x ow`. Uint8-semantics input is computed in float and rounded
 * (bicubic clamps to 0..255 first), as torchvision's `F_t.resize`. @internal
 */
export function resizePlanar(p: Planar, oh: number, ow: number, mode: InterpolationMode, antialias: boolean): Planar {
  const { n, c, h, w } = dims(p);
  const planes = n * c;
  // Antialiasing upsampling equals plain interpolation in PyTorch only for bilinear; the aa
  // kernels are used whenever antialias is set, also to upsample.
  const useAA = antialias && (mode === 'bilinear' || mode === 'bicubic');
  const tx = useAA ? aaTaps(w, ow, mode === 'bicubic') : taps(w, ow, mode, false);
  const ty = useAA ? aaTaps(h, oh, mode === 'bicubic') : taps(h, oh, mode, false);
  const out = new Float32Array(planes * oh * ow);
  const src = p.data;
  if (useAA) {
    // Separable: along the width first (into a float buffer), then along the height.
    const tmp = new Float64Array(h * ow);
    for (let pl = 0; pl < planes; pl++) {
      const base = pl * h * w;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < ow; x++) {
          let s = 0;
          for (let k = 0; k < tx.count; k++) s += tx.weight[x * tx.count + k]! * src[base + y * w + tx.index[x * tx.count + k]!]!;
          tmp[y * ow + x] = f32(s);
        }
      }
      const ob = pl * oh * ow;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let s = 0;
          for (let k = 0; k < ty.count; k++) s += ty.weight[y * ty.count + k]! * tmp[ty.index[y * ty.count + k]! * ow + x]!;
          out[ob + y * ow + x] = s;
        }
      }
    }
  } else {
    for (let pl = 0; pl < planes; pl++) {
      const base = pl * h * w;
      const ob = pl * oh * ow;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let s = 0;
          for (let a = 0; a < ty.count; a++) {
            const wy = ty.weight[y * ty.count + a]!;
            const row = base + ty.index[y * ty.count + a]! * w;
            let r = 0;
            for (let b = 0; b < tx.count; b++) r += tx.weight[x * tx.count + b]! * src[row + tx.index[x * tx.count + b]!]!;
            s += wy * r;
          }
          out[ob + y * ow + x] = s;
        }
      }
    }
  }
  const shape = [...p.shape.slice(0, -2), oh, ow];
  if (!p.float && mode === 'bicubic') for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, out[i]!));
  return castOut(out, shape, p.float);
}
