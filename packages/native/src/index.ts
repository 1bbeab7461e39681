/**
 * `@flint/native`: optional native CPU kernels for Flint, an N-API addon over OpenBLAS. It is
 * built at install time when OpenBLAS is present (`apt-get install libopenblas-dev`); without it
 * {@link available} is false and {@link unavailableReason} says why. `@flint/core` loads this
 * package by itself when it is installed and routes its matrix products and convolutions here.
 *
 * Every kernel works in place on caller-provided `Float32Array`s, which may be views into a
 * WebAssembly heap: nothing is copied. Matrices are row-major; convolutions use NHWC inputs and
 * HWIO filters (TensorFlow's layouts).
 *
 * @example
 * ```ts
 * import * as native from '@flint/native';
 * if (native.available()) {
 *   const a = new Float32Array([1, 2, 3, 4]);
 *   const c = new Float32Array(4);
 *   native.sgemm(2, 2, 2, a, a, c); // c = a @ a = [7, 10, 15, 22]
 * }
 * ```
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The addon's raw functions (positional arguments; validated in C++). */
interface Addon {
  sgemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
    batch: number, strideA: number, strideB: number, strideC: number,
  ): void;
  biasActivation(out: Float32Array, rows: number, cols: number, bias: Float32Array | null, activation: number, alpha: number): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, geometry: number[], bias: Float32Array | null, activation: number, alpha: number): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: number[]): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, geometry: number[]): void;
  conv2dNchw(x: Float32Array, weight: Float32Array, out: Float32Array, geometry: number[], groups: number, bias: Float32Array | null): void;
  conv2dNchwBackpropInput(dy: Float32Array, weight: Float32Array, dx: Float32Array, geometry: number[], groups: number, bias: Float32Array | null): void;
  conv2dNchwBackpropFilter(x: Float32Array, dy: Float32Array, dweight: Float32Array, geometry: number[], groups: number): void;
  maxPoolScan(
    x: Float32Array, planes: number, h: number, w: number, rowStart: Int32Array, rowEnd: Int32Array, rowStep: number,
    colStart: Int32Array, colEnd: Int32Array, colStep: number, values: Float32Array, where: Int32Array,
  ): void;
  transpose(x: Float32Array | Int32Array, y: Float32Array | Int32Array, shape: number[], perm: number[]): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  config(): string;
  sgdStep(p: Float32Array, g: Float32Array, buf: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, maximize: boolean): void;
  adamStep(
    p: Float32Array, g: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, maxExpAvgSq: Float32Array | null,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean, maximize: boolean,
  ): void;
  scatterAdd(out: Float32Array, index: Int32Array, src: Float32Array): void;
  gemmLibrary(): GemmLibrary;
  dnnlVersion(): string;
  setGemmLibrary(name: string): void;
}

/** The library that runs the addon's matrix products (and the products inside its convolutions). */
export type GemmLibrary = 'onednn' | 'openblas';

/** Where the install step puts the addon. */
const ADDON_PATH = fileURLToPath(new URL('../build/flint_native.node', import.meta.url));
const ENABLE = 'apt-get install libopenblas-dev, then run pnpm install again (or pnpm --filter @flint/native run install)';

function load(): { addon: Addon | null; reason: string | null } {
  if (!existsSync(ADDON_PATH)) {
    return { addon: null, reason: `the addon was not built (${ADDON_PATH} is missing); to build it: ${ENABLE}` };
  }
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) as Addon, reason: null };
  } catch (e) {
    return { addon: null, reason: `the addon at ${ADDON_PATH} failed to load: ${(e as Error).message.split('\n')[0]}; to rebuild it: ${ENABLE}` };
  }
}

const { addon, reason } = load();

/**
 * Whether the native kernels can run in this process (the addon was built and loads).
 *
 * @example
 * ```ts
 * console.log(available() ? 'OpenBLAS kernels' : unavailableReason());
 * ```
 */
export function available(): boolean {
  return addon !== null;
}

/**
 * Why the native kernels are unavailable, with what to do about it; `null` when they are available.
 *
 * @example
 * ```ts
 * const why = unavailableReason(); // e.g. "the addon was not built (...); to build it: apt-get install libopenblas-dev, ..."
 * ```
 */
export function unavailableReason(): string | null {
  return reason;
}

function need(fn: string): Addon {
  if (addon === null) throw new Error(`${fn}(): @flint/native is unavailable: ${reason}`);
  return addon;
}

/** Activations that can follow a product or a convolution, fused into the same pass. */
export type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid';
const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid'];

function activationCode(fn: string, a: Activation | undefined): number {
  if (a === undefined) return 0;
  const i = ACTIVATIONS.indexOf(a);
  if (i < 0) throw new Error(`${fn}(): activation must be one of ${ACTIVATIONS.join(', ')} (got ${JSON.stringify(a)})`);
  return i;
}

/** Optional arguments of {@link sgemm}. */
export interface SgemmOptions {
  /** Use `a` transposed (`a` is then stored `[k, m]`). Default false. */
  transA?: boolean;
  /** Use `b` transposed (`b` is then stored `[n, k]`). Default false. */
  transB?: boolean;
  /** Scales the product. Default 1. */
  alpha?: number;
  /** Scales what `c` held before (0: `c` is overwritten). Default 0. */
  beta?: number;
  /** Leading dimensions (row lengths as stored); default: dense rows. */
  lda?: number;
  ldb?: number;
  ldc?: number;
  /** Number of products; each reads and writes the next matrices `stride*` floats further on. Default 1. */
  batch?: number;
  /** Floats between consecutive `a` matrices (0 reuses one `a` for the whole batch). Default: dense. */
  strideA?: number;
  /** Floats between consecutive `b` matrices (0 reuses one `b`). Default: dense. */
  strideB?: number;
  /** Floats between consecutive `c` matrices. Default: dense. */
  strideC?: number;
}

/**
 * `c = alpha * op(a) @ op(b) + beta * c` for row-major float32 matrices, `op(a)` `[m, k]`, `op(b)`
 * `[k, n]`, `c` `[m, n]`, optionally over a strided batch (OpenBLAS `cblas_sgemm`).
 *
 * @example
 * ```ts
 * // Eight products [64, 32] x [32, 16]^T into one [8, 64, 16] buffer, b shared by all.
 * sgemm(64, 16, 32, a, b, c, { transB: true, batch: 8, strideB: 0 });
 * ```
 */
export function sgemm(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, options: SgemmOptions = {}): void {
  const native = need('sgemm');
  const ta = options.transA ?? false;
  const tb = options.transB ?? false;
  const lda = options.lda ?? Math.max(1, ta ? m : k);
  const ldb = options.ldb ?? Math.max(1, tb ? k : n);
  const ldc = options.ldc ?? Math.max(1, n);
  native.sgemm(
    ta, tb, m, n, k, options.alpha ?? 1, a, lda, b, ldb, options.beta ?? 0, c, ldc,
    options.batch ?? 1, options.strideA ?? m * k, options.strideB ?? k * n, options.strideC ?? m * n,
  );
}

/**
 * In place over `rows` rows of `cols` values: `out = activation(out + bias)`, `bias` holding one
 * value, one per column, or a whole multiple of rows (repeated).
 *
 * @example
 * ```ts
 * biasActivation(y, 128, 256, bias, { activation: 'relu' });
 * ```
 */
export function biasActivation(out: Float32Array, rows: number, cols: number, bias: Float32Array | null, options: { activation?: Activation; alpha?: number } = {}): void {
  need('biasActivation').biasActivation(out, rows, cols, bias, activationCode('biasActivation', options.activation), options.alpha ?? 0);
}

/** The geometry of a 2-D convolution over an NHWC input with an HWIO filter. */
export interface Conv2dGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Zeros above the input (those below follow from the output size). */
  padTop: number;
  /** Zeros left of the input. */
  padLeft: number;
  dilationHeight: number;
  dilationWidth: number;
}

function geometryList(g: Conv2dGeometry): number[] {
  return [
    g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels, g.kernelHeight, g.kernelWidth,
    g.strideHeight, g.strideWidth, g.padTop, g.padLeft, g.dilationHeight, g.dilationWidth,
  ];
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch and TensorFlow): `out` `[N, Ho, Wo, O]` from
 * `x` `[N, H, W, C]` and `filter` `[kH, kW, C, O]`, plus `bias` `[O]` and an activation when given.
 *
 * @example
 * ```ts
 * conv2d(x, filter, out, { batch: 64, inHeight: 28, inWidth: 28, inChannels: 1, outHeight: 28, outWidth: 28, outChannels: 6,
 *   kernelHeight: 5, kernelWidth: 5, strideHeight: 1, strideWidth: 1, padTop: 2, padLeft: 2, dilationHeight: 1, dilationWidth: 1 });
 * ```
 */
export function conv2d(
  x: Float32Array, filter: Float32Array, out: Float32Array, geometry: Conv2dGeometry,
  options: { bias?: Float32Array | null; activation?: Activation; alpha?: number } = {},
): void {
  need('conv2d').conv2d(x, filter, out, geometryList(geometry), options.bias ?? null, activationCode('conv2d', options.activation), options.alpha ?? 0);
}

/**
 * The gradient of {@link conv2d} with respect to its input: `dx` `[N, H, W, C]` from `dy`
 * `[N, Ho, Wo, O]` and `filter` `[kH, kW, C, O]` (a transposed convolution). `dx` is overwritten.
 *
 * @example
 * ```ts
 * conv2dBackpropInput(dy, filter, dx, geometry);
 * ```
 */
export function conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Conv2dGeometry): void {
  need('conv2dBackpropInput').conv2dBackpropInput(dy, filter, dx, geometryList(geometry));
}

/**
 * The gradient of {@link conv2d} with respect to its filter: `dfilter` `[kH, kW, C, O]` from `x`
 * `[N, H, W, C]` and `dy` `[N, Ho, Wo, O]`. `dfilter` is overwritten.
 *
 * @example
 * ```ts
 * conv2dBackpropFilter(x, dy, dfilter, geometry);
 * ```
 */
export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, geometry: Conv2dGeometry): void {
  need('conv2dBackpropFilter').conv2dBackpropFilter(x, dy, dfilter, geometryList(geometry));
}

/** The geometry of a 2-D convolution in PyTorch's layouts (NCHW input, `[O, C / groups, kH, kW]` weight). */
export interface Conv2dNchwGeometry extends Conv2dGeometry {
  /** Channel groups (divides inChannels and outChannels). Default 1. */
  groups?: number;
}

/**
 * 2-D convolution in PyTorch's layouts: `out` `[N, O, Ho, Wo]` from `x` `[N, C, H, W]` and
 * `weight` `[O, C / groups, kH, kW]`, plus `bias` `[O]` when given (im2col from NCHW + sgemm with
 * the weight as the left operand: no layout changes).
 *
 * @example
 * ```ts
 * conv2dNchw(x, weight, out, { batch: 64, inHeight: 28, inWidth: 28, inChannels: 1, outHeight: 24, outWidth: 24, outChannels: 6,
 *   kernelHeight: 5, kernelWidth: 5, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, dilationHeight: 1, dilationWidth: 1 }, { bias });
 * ```
 */
export function conv2dNchw(x: Float32Array, weight: Float32Array, out: Float32Array, geometry: Conv2dNchwGeometry, options: { bias?: Float32Array | null } = {}): void {
  need('conv2dNchw').conv2dNchw(x, weight, out, geometryList(geometry), geometry.groups ?? 1, options.bias ?? null);
}

/**
 * The gradient of {@link conv2dNchw} with respect to its input (a transposed convolution):
 * `dx` `[N, C, H, W]` from `dy` `[N, O, Ho, Wo]` and `weight`, plus `bias` `[C]` when given
 * (`convTranspose2d`'s bias). `dx` is overwritten.
 *
 * @example
 * ```ts
 * conv2dNchwBackpropInput(dy, weight, dx, geometry);
 * ```
 */
export function conv2dNchwBackpropInput(dy: Float32Array, weight: Float32Array, dx: Float32Array, geometry: Conv2dNchwGeometry, options: { bias?: Float32Array | null } = {}): void {
  need('conv2dNchwBackpropInput').conv2dNchwBackpropInput(dy, weight, dx, geometryList(geometry), geometry.groups ?? 1, options.bias ?? null);
}

/**
 * The gradient of {@link conv2dNchw} with respect to its weight: `dweight` `[O, C / groups, kH,
 * kW]` from `x` `[N, C, H, W]` and `dy` `[N, O, Ho, Wo]`. `dweight` is overwritten.
 *
 * @example
 * ```ts
 * conv2dNchwBackpropFilter(x, dy, dweight, geometry);
 * ```
 */
export function conv2dNchwBackpropFilter(x: Float32Array, dy: Float32Array, dweight: Float32Array, geometry: Conv2dNchwGeometry): void {
  need('conv2dNchwBackpropFilter').conv2dNchwBackpropFilter(x, dy, dweight, geometryList(geometry), geometry.groups ?? 1);
}

/** The windows of a pooling along one axis: window `i` reads `start[i], start[i] + step, ...` below `end[i]`. */
export interface PoolWindows {
  start: Int32Array;
  end: Int32Array;
  step: number;
}

/**
 * Max pooling's scan over `planes` planes of `h * w` values (NCHW data is `N * C` planes): for
 * each window, its maximum into `values` and the winner's index into `x` into `where`, with
 * PyTorch's rule (scanned row by row, a value wins when greater than the best so far or NaN: the
 * first of tied maxima wins and NaN propagates). Windows must lie inside the plane.
 *
 * @example
 * ```ts
 * // 2x2 windows, stride 2, over 64 * 6 planes of 28 x 28
 * const win = { start: Int32Array.from({ length: 14 }, (_, i) => 2 * i), end: Int32Array.from({ length: 14 }, (_, i) => 2 * i + 2), step: 1 };
 * maxPoolScan(x, 64 * 6, 28, 28, win, win, values, where);
 * ```
 */
export function maxPoolScan(x: Float32Array, planes: number, h: number, w: number, rows: PoolWindows, cols: PoolWindows, values: Float32Array, where: Int32Array): void {
  need('maxPoolScan').maxPoolScan(x, planes, h, w, rows.start, rows.end, rows.step, cols.start, cols.end, cols.step, values, where);
}

/**
 * `y` = `x` (of shape `shape`) with its dimensions permuted: `y.shape[d] = shape[perm[d]]`
 * (`torch.permute` followed by `contiguous()`), for float32 or int32 data.
 *
 * @example
 * ```ts
 * transpose(nchw, nhwc, [8, 64, 56, 56], [0, 2, 3, 1]); // NCHW -> NHWC
 * ```
 */
export function transpose(x: Float32Array | Int32Array, y: Float32Array | Int32Array, shape: readonly number[], perm: readonly number[]): void {
  need('transpose').transpose(x, y, [...shape], [...perm]);
}

/**
 * Sets how many threads OpenBLAS uses (the analog of `torch.set_num_threads`).
 *
 * @example
 * ```ts
 * setNumThreads(2);
 * ```
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads(): n must be a positive integer (got ${String(n)})`);
  need('setNumThreads').setNumThreads(n);
}

/**
 * How many threads OpenBLAS uses.
 *
 * @example
 * ```ts
 * console.log(getNumThreads()); // 2 on a two-core machine
 * ```
 */
export function getNumThreads(): number {
  return need('getNumThreads').getNumThreads();
}

/**
 * OpenBLAS's build description (version, target core, threading), e.g. for bench reports.
 *
 * @example
 * ```ts
 * console.log(config()); // 'OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64'
 * ```
 */
export function config(): string {
  return need('config').config();
}

/**
 * Which library runs the matrix products and convolutions now: `'onednn'` (oneDNN's sgemm, which
 * chooses its kernels for the CPU it finds, and its convolution primitives where they are faster
 * than im2col; used when the addon was built with oneDNN, `apt-get install libdnnl-dev`) or
 * `'openblas'` (im2col around OpenBLAS's sgemm).
 *
 * @example
 * ```ts
 * console.log(gemmLibrary()); // 'onednn'
 * ```
 */
export function gemmLibrary(): GemmLibrary {
  return need('gemmLibrary').gemmLibrary();
}

/**
 * oneDNN's version (`'2.6.3'`) when the addon was built with oneDNN, otherwise `null`.
 *
 * @example
 * ```ts
 * if (onednnVersion() === null) console.log('products run on OpenBLAS');
 * ```
 */
export function onednnVersion(): string | null {
  const v = need('onednnVersion').dnnlVersion();
  return v === '' ? null : v;
}

/**
 * Chooses the library for the matrix products and convolutions: `'onednn'` (only when
 * {@link onednnVersion} is not `null`) or `'openblas'`. Both give the same results up to float rounding; the default is oneDNN
 * when it was built in.
 *
 * @example
 * ```ts
 * setGemmLibrary('openblas'); // e.g. to compare the two
 * ```
 */
export function setGemmLibrary(name: GemmLibrary): void {
  if (name !== 'onednn' && name !== 'openblas') {
    throw new TypeError(`setGemmLibrary(): name must be 'onednn' or 'openblas' (got ${typeof name === 'string' ? `'${name}'` : typeof name})`);
  }
  need('setGemmLibrary').setGemmLibrary(name);
}

/** Options of {@link sgdStep}: `torch.optim.SGD`'s, with its defaults. */
export interface SgdStepOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0; then `buf` is not used). */
  momentum?: number;
  /** Dampening of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  /** Ascend instead of descend (default false). */
  maximize?: boolean;
}

/**
 * One `torch.optim.SGD` step on one parameter, in place: `p` (and the momentum buffer `buf`,
 * required when `momentum` is not 0) are overwritten. Every float32 operation rounds as the
 * separate tensor ops of the reference update do, so the result has the same bits.
 *
 * @example
 * ```ts
 * const p = new Float32Array([1, 2]), g = new Float32Array([0.5, -1]), buf = new Float32Array([0, 0]);
 * sgdStep(p, g, buf, { lr: 0.1, momentum: 0.9 }); // buf = [0.5, -1], p = [0.95, 2.1]
 * ```
 */
export function sgdStep(p: Float32Array, g: Float32Array, buf: Float32Array | null, options: SgdStepOptions): void {
  const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = options;
  for (const [name, v] of [['lr', lr], ['momentum', momentum], ['dampening', dampening], ['weightDecay', weightDecay]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`sgdStep(): ${name} must be a finite number (got ${String(v)})`);
  }
  need('sgdStep').sgdStep(p, g, buf, lr, momentum, dampening, weightDecay, nesterov, maximize);
}

/** Options of {@link adamStep}: `torch.optim.Adam`'s (and AdamW's), with Adam's defaults. */
export interface AdamStepOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the two moment estimates (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** Weight decay (default 0): an L2 term in the gradient, or decoupled (AdamW) with `decoupled`. */
  weightDecay?: number;
  /** This step's number, counting from 1 (required). */
  step: number;
  /** AdamW: decay the parameter itself by `1 - lr * weightDecay` (default false). */
  decoupled?: boolean;
  /** Ascend instead of descend (default false). */
  maximize?: boolean;
}

/**
 * One `torch.optim.Adam` step (AdamW's with `decoupled`) on one parameter, in place: `p`, `expAvg`,
 * `expAvgSq` and, when given (amsgrad), `maxExpAvgSq` are overwritten. Every float32 operation
 * rounds as the separate tensor ops of the reference update do, so the result has the same bits.
 *
 * @example
 * ```ts
 * const p = new Float32Array([1]), g = new Float32Array([0.5]);
 * const m = new Float32Array(1), v = new Float32Array(1);
 * adamStep(p, g, m, v, null, { lr: 0.1, step: 1 }); // p = [0.9]
 * ```
 */
export function adamStep(p: Float32Array, g: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, maxExpAvgSq: Float32Array | null, options: AdamStepOptions): void {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, step, decoupled = false, maximize = false } = options;
  for (const [name, v] of [['lr', lr], ['betas[0]', betas[0]], ['betas[1]', betas[1]], ['eps', eps], ['weightDecay', weightDecay]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`adamStep(): ${name} must be a finite number (got ${String(v)})`);
  }
  if (!Number.isInteger(step) || step < 1) throw new TypeError(`adamStep(): step must be an integer >= 1 (got ${String(step)})`);
  need('adamStep').adamStep(p, g, expAvg, expAvgSq, maxExpAvgSq, lr, betas[0], betas[1], eps, weightDecay, step, decoupled, maximize);
}

/**
 * `out` = zeros, then `out[index[k]] += src[k]` for every `k` in order: the gradient of a gather
 * (max pooling's, for one). Every index is checked against `out.length` before anything is written.
 *
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * scatterAdd(out, Int32Array.from([2, 0, 2]), Float32Array.from([1, 2, 3])); // out = [2, 0, 4]
 * ```
 */
export function scatterAdd(out: Float32Array, index: Int32Array, src: Float32Array): void {
  need('scatterAdd').scatterAdd(out, index, src);
}
