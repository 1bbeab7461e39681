/**
 * Resizing with PyTorch 1.13's semantics: `interpolate` (`F.interpolate`: nearest, nearest-exact,
 * linear, bilinear, area), `pixelShuffle` and `pixelUnshuffle`. Source positions are computed in
 * float32 exactly as PyTorch's CPU kernels compute them, so the same input pixels are picked.
 * Nearest modes gather rows and columns (an integer upscale is a broadcast); the linear modes
 * apply a small interpolation matrix along each spatial dimension.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { fromTypedArray } from '../../tensor/create.js';
import { indexSelect } from '../../ops/gather.js';
import { expand, permute, reshape } from '../../ops/shape.js';
import { checkTensor } from '../../ops/util.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropTemps, floatInput, fmtShape } from './conv-args.js';
import { alongDim } from './pool-linear.js';
import { adaptiveAvgPool1d, adaptiveAvgPool2d } from './pooling.js';

/** The resampling methods of {@link interpolate}. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'area';

/** Options of {@link interpolate}: exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** The output's spatial size (one number for every spatial dimension, or one each). */
  size?: number | readonly number[];
  /** The multiplier of each spatial size (output size `floor(size * scaleFactor)`). */
  scaleFactor?: number | readonly number[];
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  /** Linear modes: align the corner pixels' centres instead of their edges (default false). */
  alignCorners?: boolean;
  /** Compute the sampling scale from the output size instead of using `scaleFactor` (default false). */
  recomputeScaleFactor?: boolean;
}

const f32 = Math.fround;

/** PyTorch's `compute_scales_value<float>`: the given scale's inverse, or in / out. */
function scaleValue(scale: number | null, inSize: number, outSize: number): number {
  return scale !== null && scale > 0 ? f32(1 / scale) : f32(f32(inSize) / f32(outSize));
}

/** Source indices of nearest and nearest-exact sampling (`nearest_idx`, `nearest_exact_idx`). */
function nearestIndices(inSize: number, outSize: number, scale: number | null, exact: boolean): Int32Array {
  const idx = new Int32Array(outSize);
  const s = scaleValue(scale, inSize, outSize);
  for (let i = 0; i < outSize; i++) {
    if (!exact && outSize === inSize) idx[i] = i;
    else if (!exact && outSize === 2 * inSize) idx[i] = i >> 1;
    else idx[i] = Math.min(Math.floor(f32((exact ? i + 0.5 : i) * s)), inSize - 1);
  }
  return idx;
}

/** The `[out, in]` matrix of linear interpolation along one dimension (`compute_source_index_and_lambda`). */
function linearWeights(inSize: number, outSize: number, scale: number | null, alignCorners: boolean): Float32Array {
  const m = new Float32Array(outSize * inSize);
  if (outSize === inSize) {
    for (let i = 0; i < outSize; i++) m[i * inSize + i] = 1;
    return m;
  }
  const ratio = alignCorners ? (outSize > 1 ? f32(f32(inSize - 1) / f32(outSize - 1)) : 0) : scaleValue(scale, inSize, outSize);
  for (let i = 0; i < outSize; i++) {
    // The ratio is float32; the source position is computed in double (CPU accumulate type).
    let src = alignCorners ? ratio * i : ratio * (i + 0.5) - 0.5;
    if (src < 0) src = 0;
    const i0 = Math.floor(src);
    const lambda1 = f32(src - i0);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    m[i * inSize + i0] += f32(1 - lambda1);
    m[i * inSize + i1] += lambda1;
  }
  return m;
}

/** Nearest sampling along `dim`: a broadcast when every source element repeats `k` times, else a gather. */
function nearestAlong(x: Tensor, dim: number, idx: Int32Array, temps: Tensor[]): Tensor {
  const keep = (t: Tensor): Tensor => {
    temps.push(t);
    return t;
  };
  const n = x.shape[dim]!;
  const out = idx.length;
  if (out === n && idx.every((v, i) => v === i)) return x;
  const k = out / n;
  if (Number.isInteger(k) && idx.every((v, i) => v === Math.floor(i / k))) {
    const s = x.shape;
    const split = [...s.slice(0, dim + 1), 1, ...s.slice(dim + 1)];
    const wide = [...s.slice(0, dim + 1), k, ...s.slice(dim + 1)];
    const grown = keep(expand(keep(reshape(x, split)), wide));
    return keep(reshape(grown, [...s.slice(0, dim), out, ...s.slice(dim + 1)]));
  }
  const index = keep(fromTypedArray(Int32Array.from(idx), [out], 'int32', x.device));
  return keep(indexSelect(x, dim, index));
}

function readSizes(name: string, v: unknown, dims: number, what: (x: number) => boolean, expected: string): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && v.length !== dims) {
    throw new ArgumentError(`interpolate(): ${name} must have one entry per spatial dimension (${dims}) (got ${describe(v)})`);
  }
  if (!list.every((x) => typeof x === 'number' && what(x))) throw new ArgumentError(`interpolate(): ${name} must be ${expected} (got ${describe(v)})`);
  return Array.isArray(v) ? [...(v as number[])] : new Array<number>(dims).fill(v as number);
}

/**
 * Resizes `[N, C, L]` or `[N, C, H, W]` inputs (`F.interpolate`). Modes: `'nearest'` (PyTorch's
 * legacy nearest, `floor(dst * scale)`), `'nearest-exact'`, `'linear'` (3-D input),
 * `'bilinear'` (4-D input, optionally `alignCorners`) and `'area'` (adaptive average pooling).
 * As in PyTorch, a given `scaleFactor` is also the sampling scale unless `recomputeScaleFactor`.
 *
 * @example
 * ```ts
 * interpolate(x, { scaleFactor: 2 }).shape;                                  // [N, C, 2H, 2W]
 * interpolate(x, { size: [100, 120], mode: 'bilinear', alignCorners: true }).shape; // [N, C, 100, 120]
 * ```
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  checkTensor('interpolate', 'input', input);
  const o = options ?? {};
  const mode = o.mode ?? 'nearest';
  const modes: InterpolateMode[] = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'area'];
  if (!modes.includes(mode)) throw new ArgumentError(`interpolate(): mode must be one of ${modes.map((m) => `'${m}'`).join(', ')} (got ${describe(mode)})`);
  const ranks = mode === 'linear' ? [3] : mode === 'bilinear' ? [4] : [3, 4];
  floatInput('interpolate', 'input', input, ranks, mode === 'linear' ? `(N, C, L) for mode 'linear'` : mode === 'bilinear' ? `(N, C, H, W) for mode 'bilinear'` : '(N, C, L) or (N, C, H, W)');
  const linear = mode === 'linear' || mode === 'bilinear';
  if (o.alignCorners !== undefined && o.alignCorners !== null && !linear) {
    throw new ArgumentError(`interpolate(): alignCorners can only be set with the interpolating modes 'linear' and 'bilinear' (got mode '${mode}')`);
  }
  const dims = input.ndim - 2;
  const inSize = input.shape.slice(2);
  const hasSize = o.size !== undefined && o.size !== null;
  const hasScale = o.scaleFactor !== undefined && o.scaleFactor !== null;
  if (hasSize === hasScale) throw new ArgumentError('interpolate(): exactly one of size and scaleFactor must be given');
  if (hasSize && o.recomputeScaleFactor) throw new ArgumentError('interpolate(): recomputeScaleFactor is not meaningful with an explicit size');
  let outSize: number[];
  let scales: (number | null)[];
  if (hasSize) {
    outSize = readSizes('size', o.size, dims, (v) => Number.isInteger(v) && v >= 1, 'a positive integer or one per spatial dimension');
    scales = outSize.map(() => null);
  } else {
    const sf = readSizes('scaleFactor', o.scaleFactor, dims, (v) => Number.isFinite(v) && v > 0, 'a positive number or one per spatial dimension');
    outSize = inSize.map((s, i) => Math.floor(s * sf[i]!));
    scales = o.recomputeScaleFactor || mode === 'area' ? sf.map(() => null) : sf;
    if (outSize.some((s) => s < 1)) {
      throw new ShapeError(`interpolate(): scaleFactor ${describe(o.scaleFactor)} makes the output size ${fmtShape(outSize)} from input size ${fmtShape(inSize)}; it must be at least 1`);
    }
  }
  if (inSize.some((s) => s === 0)) throw new ShapeError(`interpolate(): the spatial dimensions of input must be non-empty (got shape ${fmtShape(input.shape)})`);
  if (mode === 'area') return dims === 1 ? adaptiveAvgPool1d(input, outSize[0]!) : adaptiveAvgPool2d(input, [outSize[0]!, outSize[1]!]);
  const temps: Tensor[] = [];
  let x = input;
  // The last dimension first, as PyTorch's separable kernels weight it innermost.
  for (let i = dims - 1; i >= 0; i--) {
    const d = i + 2;
    if (linear) {
      if (outSize[i] === inSize[i]) continue;
      x = alongDim(x, d, linearWeights(inSize[i]!, outSize[i]!, scales[i]!, o.alignCorners ?? false), outSize[i]!);
      temps.push(x);
    } else {
      x = nearestAlong(x, d, nearestIndices(inSize[i]!, outSize[i]!, scales[i]!, mode === 'nearest-exact'), temps);
    }
  }
  if (x === input) return reshape(input, input.shape);
  return dropTemps(x, temps);
}

function shuffleFactor(fn: string, arg: string, r: unknown): number {
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) throw new ArgumentError(`${fn}(): ${arg} must be a positive integer (got ${describe(r)})`);
  return r;
}

/**
 * Rearranges `[..., C * r^2, H, W]` into `[..., C, H * r, W * r]` (`F.pixel_shuffle`), the
 * sub-pixel convolution upscale.
 *
 * @example
 * ```ts
 * pixelShuffle(randn([1, 12, 8, 8]), 2).shape; // [1, 3, 16, 16]
 * ```
 */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  checkTensor('pixelShuffle', 'input', input);
  const r = shuffleFactor('pixelShuffle', 'upscaleFactor', upscaleFactor);
  if (input.ndim < 3) throw new ShapeError(`pixelShuffle(): input must have at least 3 dimensions (..., C, H, W) (got shape ${fmtShape(input.shape)})`);
  const s = input.shape;
  const lead = s.slice(0, -3);
  const [c, h, w] = s.slice(-3) as [number, number, number];
  if (c % (r * r) !== 0) throw new ShapeError(`pixelShuffle(): input.shape[-3] (${c}) must be divisible by upscaleFactor^2 (${r * r})`);
  const b = lead.length;
  const split = reshape(input, [...lead, c / (r * r), r, r, h, w]);
  const perm = [...lead.map((_, i) => i), b, b + 3, b + 1, b + 4, b + 2];
  const moved = permute(split, perm);
  return dropTemps(reshape(moved, [...lead, c / (r * r), h * r, w * r]), [split, moved]);
}

/**
 * The inverse of {@link pixelShuffle}: `[..., C, H * r, W * r]` into `[..., C * r^2, H, W]`
 * (`F.pixel_unshuffle`).
 *
 * @example
 * ```ts
 * pixelUnshuffle(randn([1, 3, 16, 16]), 2).shape; // [1, 12, 8, 8]
 * ```
 */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  checkTensor('pixelUnshuffle', 'input', input);
  const r = shuffleFactor('pixelUnshuffle', 'downscaleFactor', downscaleFactor);
  if (input.ndim < 3) throw new ShapeError(`pixelUnshuffle(): input must have at least 3 dimensions (..., C, H, W) (got shape ${fmtShape(input.shape)})`);
  const s = input.shape;
  const lead = s.slice(0, -3);
  const [c, h, w] = s.slice(-3) as [number, number, number];
  if (h % r !== 0 || w % r !== 0) {
    throw new ShapeError(`pixelUnshuffle(): the spatial size [${h}, ${w}] must be divisible by downscaleFactor (${r})`);
  }
  const b = lead.length;
  const split = reshape(input, [...lead, c, h / r, r, w / r, r]);
  const perm = [...lead.map((_, i) => i), b, b + 2, b + 4, b + 1, b + 3];
  const moved = permute(split, perm);
  return dropTemps(reshape(moved, [...lead, c * r * r, h / r, w / r]), [split, moved]);
}
