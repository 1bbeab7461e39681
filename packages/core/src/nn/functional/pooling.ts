/**
 * Pooling with PyTorch 1.13's semantics (`torch.nn.functional.max_pool1d/2d`, `avg_pool1d/2d`,
 * `adaptive_avg_pool1d/2d`, `adaptive_max_pool1d/2d`). Inputs are `[N, C, H, W]` (or unbatched
 * `[C, H, W]`; `[N, C, L]` or `[C, L]` in 1-D). Max pooling sends the gradient to the first
 * maximum of each window, as PyTorch does, and returns int32 indices (PyTorch: int64) into each
 * flattened input plane.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { fromTypedArray } from '../../tensor/create.js';
import { mul } from '../../ops/arith.js';
import { squeeze, unsqueeze } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropTemps, floatInput, fmtShape, tuple, type Size1, type Size2 } from './conv-args.js';
import { avgPoolOp } from './pool-avg.js';
import { alongDim } from './pool-linear.js';
import { adaptiveWindows, maxPoolOp, slidingWindows } from './pool-max.js';

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit -infinity padding on both sides, at most half the kernel (default 0). */
  padding?: Size2;
  /** Spacing between window elements (default 1). */
  dilation?: Size2;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the positions of the maxima (default false). */
  returnIndices?: boolean;
}

/** Options of {@link maxPool1d}. */
export interface MaxPool1dOptions {
  stride?: Size1 | null;
  padding?: Size1;
  dilation?: Size1;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Size2;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead of its size. */
  divisorOverride?: number | null;
}

/** Options of {@link avgPool1d}. */
export interface AvgPool1dOptions {
  stride?: Size1 | null;
  padding?: Size1;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

/** An adaptive pool's output size; `null` keeps the input's size along that dimension. */
export type AdaptiveSize2 = number | null | readonly [number | null, number | null];

/**
 * What a max pool returns for options `O`: `[output, indices]` when `returnIndices` is `true`,
 * the output when it is absent or `false`, either when it is only known to be a boolean.
 */
export type WithIndices<O> = 'returnIndices' extends keyof O
  ? O extends { returnIndices: true }
    ? [Tensor, Tensor]
    : O extends { returnIndices?: false }
      ? Tensor
      : Tensor | [Tensor, Tensor]
  : Tensor;

/** PyTorch's `pooling_output_shape`. */
function pooledSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(span / s) + 1;
  // With ceilMode, the last window must start inside the input or its left padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

interface PoolPlan {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceil: boolean;
  out: number[];
  size: number[];
}

/** Checks a pool's sizes over `dims` spatial dimensions. */
function planPool(fn: string, x: Tensor, dims: 1 | 2, kernelSize: unknown, o: { stride?: unknown; padding?: unknown; dilation?: unknown; ceilMode?: boolean }): PoolPlan {
  const kernel = tuple(fn, 'kernelSize', kernelSize, dims, 1);
  const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : tuple(fn, 'stride', o.stride, dims, 1);
  const padding = tuple(fn, 'padding', o.padding ?? 0, dims, 0);
  const dilation = tuple(fn, 'dilation', o.dilation ?? 1, dims, 1);
  padding.forEach((p, i) => {
    if (p > kernel[i]! / 2) {
      throw new ArgumentError(`${fn}(): padding (${fmtShape(padding)}) must be at most half of kernelSize (${fmtShape(kernel)})`);
    }
  });
  const ceil = o.ceilMode ?? false;
  const size = x.shape.slice(-dims);
  const out = size.map((s, i) => pooledSize(s, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, ceil));
  if (out.some((s) => s < 1)) {
    throw new ShapeError(`${fn}(): the output size ${fmtShape(out)} is too small for an input of shape ${fmtShape(x.shape)} (kernelSize ${fmtShape(kernel)}, stride ${fmtShape(stride)}, padding ${fmtShape(padding)}, dilation ${fmtShape(dilation)})`);
  }
  return { kernel, stride, padding, dilation, ceil, out, size };
}

/** Runs `run` on `x` as `[N, C, H, W]`: a missing batch and (1-D) a height of 1 are added and removed. */
function as4d(x: Tensor, dims: 1 | 2, run: (x4: Tensor) => Tensor[]): Tensor[] {
  const batched = x.ndim === dims + 2;
  const temps: Tensor[] = [];
  const keep = (t: Tensor): Tensor => {
    temps.push(t);
    return t;
  };
  let x4 = batched ? x : keep(unsqueeze(x, 0));
  if (dims === 1) x4 = keep(unsqueeze(x4, 2));
  const outs = run(x4).map((y) => {
    let r = y;
    if (dims === 1) r = squeeze(keep(r), 2);
    if (!batched) r = squeeze(keep(r), 0);
    return r;
  });
  if (outs.every((o) => !o.requiresGrad)) for (const t of temps) if (!outs.includes(t)) t.dispose();
  return outs;
}

function maxPool(fn: string, dims: 1 | 2, x: Tensor, kernelSize: unknown, o: MaxPool2dOptions | MaxPool1dOptions): Tensor | [Tensor, Tensor] {
  floatInput(fn, 'input', x, [dims + 1, dims + 2], dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)');
  const p = planPool(fn, x, dims, kernelSize, o);
  const at = (i: number): number => (dims === 2 ? i : 0);
  const outs = as4d(x, dims, (x4) => {
    const rows = dims === 2 ? slidingWindows(p.size[0]!, p.kernel[0]!, p.stride[0]!, p.padding[0]!, p.dilation[0]!, p.out[0]!) : slidingWindows(1, 1, 1, 0, 1, 1);
    const cols = slidingWindows(p.size[at(1)]!, p.kernel[at(1)]!, p.stride[at(1)]!, p.padding[at(1)]!, p.dilation[at(1)]!, p.out[at(1)]!);
    const [y, idx] = maxPoolOp(x4, rows, cols, o.returnIndices === true, dims === 2 ? 'MaxPool2DWithIndicesBackward0' : 'MaxPool1DWithIndicesBackward0');
    return idx === null ? [y] : [y, idx];
  });
  return o.returnIndices === true ? [outs[0]!, outs[1]!] : outs[0]!;
}

/**
 * 2-D max pooling (`F.max_pool2d`). With `returnIndices: true` it also returns the position of
 * each maximum within its flattened input plane (int32), as `[output, indices]`. Ties go to the
 * first maximum of a window in row-major order and NaN wins, as in PyTorch.
 *
 * @example
 * ```ts
 * maxPool2d(randn([8, 16, 32, 32]), 2).shape;                          // [8, 16, 16, 16]
 * maxPool2d(randn([8, 16, 32, 32]), 3, { stride: 2, padding: 1 }).shape; // [8, 16, 16, 16]
 * const [y, indices] = maxPool2d(x, 2, { returnIndices: true });
 * ```
 */
export function maxPool2d<O extends MaxPool2dOptions = {}>(input: Tensor, kernelSize: Size2, options?: O): WithIndices<O> {
  return maxPool('maxPool2d', 2, input, kernelSize, options ?? {}) as WithIndices<O>;
}

/**
 * 1-D max pooling (`F.max_pool1d`) over the last dimension of `[N, C, L]` or `[C, L]`.
 *
 * @example
 * ```ts
 * maxPool1d(randn([4, 8, 100]), 4).shape; // [4, 8, 25]
 * ```
 */
export function maxPool1d<O extends MaxPool1dOptions = {}>(input: Tensor, kernelSize: Size1, options?: O): WithIndices<O> {
  return maxPool('maxPool1d', 1, input, kernelSize, options ?? {}) as WithIndices<O>;
}

/** Per output index along one dimension: window size / PyTorch's divisor. */
function divisorScale(size: number, k: number, s: number, p: number, out: number, includePad: boolean): Float32Array {
  const f = new Float32Array(out);
  for (let i = 0; i < out; i++) {
    let start = i * s - p;
    let end = Math.min(start + k, size + p);
    const poolSize = end - start;
    start = Math.max(start, 0);
    end = Math.min(end, size);
    f[i] = start >= end ? 0 : k / (includePad ? poolSize : end - start);
  }
  return f;
}

function avgPool(fn: string, dims: 1 | 2, x: Tensor, kernelSize: unknown, o: AvgPool2dOptions | AvgPool1dOptions): Tensor {
  floatInput(fn, 'input', x, [dims + 1, dims + 2], dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)');
  const p = planPool(fn, x, dims, kernelSize, o);
  const override = ('divisorOverride' in o ? o.divisorOverride : null) ?? null;
  if (override !== null && (typeof override !== 'number' || !Number.isInteger(override) || override === 0)) {
    throw new ArgumentError(`${fn}(): divisorOverride must be a non-zero integer (got ${describe(override)})`);
  }
  const includePad = o.countIncludePad ?? true;
  const two = (v: number[], one: number): [number, number] => (dims === 2 ? [v[0]!, v[1]!] : [one, v[0]!]);
  const [k0, k1] = two(p.kernel, 1);
  const [s0, s1] = two(p.stride, 1);
  const [p0, p1] = two(p.padding, 0);
  const [h, w] = two(p.size, 1);
  const [ho, wo] = two(p.out, 1);
  // Pad so that the last window fits: past the padding when ceilMode reaches beyond it, or a
  // negative pad (a crop) when the windows stop short of the input's end.
  const pads = [p0, (ho - 1) * s0 + k0 - h - p0, p1, (wo - 1) * s1 + k1 - w - p1] as const;
  const rs = divisorScale(h, k0, s0, p0, ho, includePad);
  const cs = divisorScale(w, k1, s1, p1, wo, includePad);
  const scale = new Float32Array(ho * wo);
  for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) scale[i * wo + j] = override === null ? rs[i]! * cs[j]! : (k0 * k1) / override;
  const uniform = scale.every((v) => v === 1);
  return as4d(x, dims, (x4) => {
    const mean = avgPoolOp(x4, { kernel: [k0, k1], stride: [s0, s1], pads });
    if (uniform) return [mean];
    const m = fromTypedArray(scale, [ho, wo], 'float32', x.device);
    return [dropTemps(mul(mean, m), [mean, m])];
  })[0]!;
}

/**
 * 2-D average pooling (`F.avg_pool2d`). `countIncludePad` (default true) counts the padding
 * zeros in each window's divisor; `divisorOverride` replaces the divisor.
 *
 * @example
 * ```ts
 * avgPool2d(randn([8, 16, 32, 32]), 2).shape; // [8, 16, 16, 16]
 * avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: Size2, options: AvgPool2dOptions = {}): Tensor {
  return avgPool('avgPool2d', 2, input, kernelSize, options);
}

/**
 * 1-D average pooling (`F.avg_pool1d`) over the last dimension of `[N, C, L]` or `[C, L]`.
 *
 * @example
 * ```ts
 * avgPool1d(randn([4, 8, 100]), 4).shape; // [4, 8, 25]
 * ```
 */
export function avgPool1d(input: Tensor, kernelSize: Size1, options: AvgPool1dOptions = {}): Tensor {
  return avgPool('avgPool1d', 1, input, kernelSize, options);
}

/** Reads an adaptive pool's output size; `null` entries take the input's size. */
function adaptiveSize(fn: string, outputSize: unknown, dims: 1 | 2, size: readonly number[]): number[] {
  const bad = (): never => {
    throw new ArgumentError(`${fn}(): outputSize must be a positive integer${dims === 2 ? ', null, or 2 of them' : ''} (got ${describe(outputSize)})`);
  };
  const list = Array.isArray(outputSize) ? outputSize : new Array<unknown>(dims).fill(outputSize);
  if (list.length !== dims) bad();
  return list.map((v, i) => {
    if (v === null && dims === 2) return size[i]!;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad();
    return v as number;
  });
}

function checkNonEmpty(fn: string, x: Tensor, dims: number): void {
  if (x.shape.slice(-dims).some((s) => s === 0)) {
    throw new ShapeError(`${fn}(): the spatial dimensions of input must be non-empty (got shape ${fmtShape(x.shape)})`);
  }
}

/** The `[out, in]` averaging matrix of an adaptive pool along one dimension. */
function averaging(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  const win = adaptiveWindows(size, out);
  for (let i = 0; i < out; i++) {
    const a = win.start[i]!;
    const b = win.end[i]!;
    for (let j = a; j < b; j++) m[i * size + j] = 1 / (b - a);
  }
  return m;
}

function adaptiveAvg(fn: string, dims: 1 | 2, x: Tensor, outputSize: unknown): Tensor {
  floatInput(fn, 'input', x, [dims + 1, dims + 2], dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)');
  checkNonEmpty(fn, x, dims);
  const size = x.shape.slice(-dims);
  const out = adaptiveSize(fn, outputSize, dims, size);
  const h = dims === 2 ? size[0]! : 1;
  const w = size[dims - 1]!;
  const ho = dims === 2 ? out[0]! : 1;
  const wo = out[dims - 1]!;
  return as4d(x, dims, (x4) => {
    // Equal windows that tile the input are an ordinary average pool.
    if (h % ho === 0 && w % wo === 0) {
      const k: [number, number] = [h / ho, w / wo];
      return [avgPoolOp(x4, { kernel: k, stride: k, pads: [0, 0, 0, 0] })];
    }
    const cols = wo === w ? x4 : alongDim(x4, 3, averaging(w, wo), wo);
    const both = ho === h ? cols : alongDim(cols, 2, averaging(h, ho), ho);
    return [dropTemps(both, cols === x4 || cols === both ? [] : [cols])];
  })[0]!;
}

/**
 * 2-D adaptive average pooling (`F.adaptive_avg_pool2d`): output `i` of `Ho` averages input rows
 * `floor(i * H / Ho)` to `ceil((i + 1) * H / Ho)`, likewise for columns. `null` keeps a size.
 *
 * @example
 * ```ts
 * adaptiveAvgPool2d(randn([8, 512, 7, 7]), 1).shape;       // [8, 512, 1, 1]
 * adaptiveAvgPool2d(randn([8, 64, 10, 9]), [5, null]).shape; // [8, 64, 5, 9]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize2): Tensor {
  return adaptiveAvg('adaptiveAvgPool2d', 2, input, outputSize);
}

/**
 * 1-D adaptive average pooling (`F.adaptive_avg_pool1d`).
 *
 * @example
 * ```ts
 * adaptiveAvgPool1d(randn([4, 8, 100]), 7).shape; // [4, 8, 7]
 * ```
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Size1): Tensor {
  return adaptiveAvg('adaptiveAvgPool1d', 1, input, outputSize);
}

function adaptiveMax(fn: string, dims: 1 | 2, x: Tensor, outputSize: unknown, returnIndices: boolean): Tensor | [Tensor, Tensor] {
  floatInput(fn, 'input', x, [dims + 1, dims + 2], dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)');
  checkNonEmpty(fn, x, dims);
  const size = x.shape.slice(-dims);
  const out = adaptiveSize(fn, outputSize, dims, size);
  const outs = as4d(x, dims, (x4) => {
    const rows = dims === 2 ? adaptiveWindows(size[0]!, out[0]!) : adaptiveWindows(1, 1);
    const cols = adaptiveWindows(size[dims - 1]!, out[dims - 1]!);
    const [y, idx] = maxPoolOp(x4, rows, cols, returnIndices, dims === 2 ? 'AdaptiveMaxPool2DBackward0' : 'AdaptiveMaxPool1DBackward0');
    return idx === null ? [y] : [y, idx];
  });
  return returnIndices ? [outs[0]!, outs[1]!] : outs[0]!;
}

/**
 * 2-D adaptive max pooling (`F.adaptive_max_pool2d`), with the windows of
 * {@link adaptiveAvgPool2d}; `returnIndices` also returns the maxima's positions in their planes.
 *
 * @example
 * ```ts
 * adaptiveMaxPool2d(randn([2, 8, 9, 9]), 4).shape; // [2, 8, 4, 4]
 * const [y, indices] = adaptiveMaxPool2d(x, [3, 3], { returnIndices: true });
 * ```
 */
export function adaptiveMaxPool2d<O extends { returnIndices?: boolean } = {}>(input: Tensor, outputSize: AdaptiveSize2, options?: O): WithIndices<O> {
  return adaptiveMax('adaptiveMaxPool2d', 2, input, outputSize, options?.returnIndices === true) as WithIndices<O>;
}

/**
 * 1-D adaptive max pooling (`F.adaptive_max_pool1d`).
 *
 * @example
 * ```ts
 * adaptiveMaxPool1d(randn([4, 8, 100]), 10).shape; // [4, 8, 10]
 * ```
 */
export function adaptiveMaxPool1d<O extends { returnIndices?: boolean } = {}>(input: Tensor, outputSize: Size1, options?: O): WithIndices<O> {
  return adaptiveMax('adaptiveMaxPool1d', 1, input, outputSize, options?.returnIndices === true) as WithIndices<O>;
}
