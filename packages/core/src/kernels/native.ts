/**
 * Native CPU kernels: when `@flint/native` (an N-API addon over OpenBLAS) is installed and built,
 * the matrix products and 2-D convolutions of the wasm and cpu backends run there, reading and
 * writing the backend's own buffers (views into the wasm heap, or the cpu backend's typed arrays)
 * with no copies. `FLINT_NATIVE=0` turns it off. Each replaced kernel takes the float32 cases it
 * handles and hands every other case to the stock kernel:
 *
 * - BatchMatMul and _FusedMatMul (bias, relu / relu6 / leakyrelu / elu / sigmoid): one strided
 *   batched sgemm, transposed operands read in place (no explicit transposes).
 * - Conv2D and FusedConv2D (NHWC): im2col + sgemm in cache-sized blocks, bias and activation
 *   fused; 1x1 stride-1 convolutions are a single sgemm on the input as it is; a stride-1
 *   convolution with "full" padding and fewer output than input channels (an input gradient)
 *   runs as a transposed convolution (sgemm + col2im), which moves far less data.
 * - Conv2DBackpropInput: sgemm + col2im. Conv2DBackpropFilter: im2col + sgemm.
 * - Transpose of float32 and int32 tensors of 4096 elements or more (tiled).
 *
 * Flint's own convolutions (`nn/functional/conv-kernels.ts`) call three kernels of their own
 * here instead, in PyTorch's layouts (NCHW inputs, `[O, C / groups, kH, kW]` weights): the
 * forward pass with its bias, the input gradient (the transposed convolution) and the weight
 * gradient, each im2col / col2im straight from NCHW around one sgemm with the weight as the left
 * operand, so no layout changes are needed; see {@link convNchw}. {@link nativeMaxPoolScan} is
 * max pooling's window scan, reading the backend's data in place.
 * @internal
 * @module
 */
import type { SGDOptions } from '../optim/sgd.js';
import { BackendError, describe } from '../errors.js';
import { tf } from './tf.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
type KernelArgs = { inputs: Record<string, TensorInfo | undefined>; attrs?: Record<string, unknown>; backend: unknown };
type Kernel = (args: KernelArgs) => TensorInfo;

/** The parts of `@flint/native` that core uses. */
interface NativeModule {
  available(): boolean;
  unavailableReason(): string | null;
  sgemm(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, options?: {
    transA?: boolean; transB?: boolean; batch?: number; strideA?: number; strideB?: number; strideC?: number;
  }): void;
  biasActivation(out: Float32Array, rows: number, cols: number, bias: Float32Array | null, options?: { activation?: Activation; alpha?: number }): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, g: Geometry, options?: { bias?: Float32Array | null; activation?: Activation; alpha?: number }): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, g: Geometry): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, g: Geometry): void;
  conv2dNchw(x: Float32Array, weight: Float32Array, out: Float32Array, g: NchwGeometry, options?: { bias?: Float32Array | null }): void;
  conv2dNchwBackpropInput(dy: Float32Array, weight: Float32Array, dx: Float32Array, g: NchwGeometry, options?: { bias?: Float32Array | null }): void;
  conv2dNchwBackpropFilter(x: Float32Array, dy: Float32Array, dweight: Float32Array, g: NchwGeometry): void;
  maxPoolScan(x: Float32Array, planes: number, h: number, w: number, rows: PoolWindows, cols: PoolWindows, values: Float32Array, where: Int32Array): void;
  transpose(x: Float32Array | Int32Array, y: Float32Array | Int32Array, shape: readonly number[], perm: readonly number[]): void;
  scatterAdd?(out: Float32Array, index: Int32Array, src: Float32Array): void;
  sgdStep?(p: Float32Array, g: Float32Array, buf: Float32Array | null, options: SgdStepOptions): void;
  adamStep?(p: Float32Array, g: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, maxExpAvgSq: Float32Array | null, options: AdamStepOptions): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  config(): string;
  gemmLibrary?(): 'onednn' | 'openblas';
}
type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid';
const ACTIVATIONS = new Set<string>(['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid']);
interface Geometry {
  batch: number; inHeight: number; inWidth: number; inChannels: number; outHeight: number; outWidth: number; outChannels: number;
  kernelHeight: number; kernelWidth: number; strideHeight: number; strideWidth: number; padTop: number; padLeft: number;
  dilationHeight: number; dilationWidth: number;
}

/** A convolution's geometry in NCHW (the channel counts are totals) with its group count. */
interface NchwGeometry extends Geometry {
  groups: number;
}

/** How a backend's float32 data is read and its outputs made. */
interface Access {
  /** A new output (float32 unless said); make every output before taking views (a wasm heap may grow). */
  output(shape: number[], dtype?: 'float32' | 'int32'): TensorInfo;
  /** The float32 data of `t` in place: a view into the wasm heap, or the cpu backend's own array. */
  view(t: TensorInfo): Float32Array | null;
  /** The same for float32 or int32 data. */
  words(t: TensorInfo): Float32Array | Int32Array | null;
}

function accessFor(backendName: string, backend: unknown): Access | null {
  if (backendName === 'wasm') {
    const b = backend as { makeOutput(shape: number[], dtype: string): TensorInfo; typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array };
    return {
      output: (shape, dtype = 'float32') => b.makeOutput(shape, dtype),
      view: (t) => b.typedArrayFromHeap(t) as Float32Array,
      words: (t) => b.typedArrayFromHeap(t),
    };
  }
  if (backendName === 'cpu') {
    const b = backend as {
      makeTensorInfo(shape: number[], dtype: string, values?: Float32Array): TensorInfo;
      data: { get(id: object): { values?: unknown } | undefined };
    };
    return {
      output: (shape, dtype = 'float32') => b.makeTensorInfo(shape, dtype, dtype === 'float32' ? new Float32Array(numel(shape)) : (new Int32Array(numel(shape)) as never)),
      view: (t) => {
        const v = b.data.get(t.dataId)?.values;
        return v instanceof Float32Array ? v : null;
      },
      words: (t) => {
        const v = b.data.get(t.dataId)?.values;
        return v instanceof Float32Array || v instanceof Int32Array ? v : null;
      },
    };
  }
  return null;
}

function numel(shape: readonly number[]): number {
  return shape.reduce((p, s) => p * s, 1);
}

/** `bias`'s shape without leading 1s is a suffix of `out`: the bias repeats over the leading rows. */
function suffixBias(bias: readonly number[], out: readonly number[]): boolean {
  let i = 0;
  while (i < bias.length && bias[i] === 1) i++;
  const tail = bias.slice(i);
  if (tail.length > out.length) return false;
  const end = out.slice(out.length - tail.length);
  return tail.every((s, j) => s === end[j]);
}

// --- loading ---------------------------------------------------------------------------------

let mod: NativeModule | null = null;
let reason: string | null = 'native kernels have not been loaded yet';
let loading: Promise<void> | undefined;
const kernelsFor = new Map<string, string[]>();
/** While false, every replaced kernel runs its stock version (tests compare the two). */
let enabled = true;

async function load(): Promise<void> {
  const flag = process.env.FLINT_NATIVE?.trim().toLowerCase();
  if (flag === '0' || flag === 'false' || flag === 'off') {
    reason = `turned off by FLINT_NATIVE=${process.env.FLINT_NATIVE}`;
    return;
  }
  try {
    const m = (await import(/* @vite-ignore */ '@flint/native' as string)) as NativeModule;
    if (!m.available()) {
      reason = `@flint/native is installed but unavailable: ${m.unavailableReason()}`;
      return;
    }
    mod = m;
    reason = null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      reason = '@flint/native is not installed (it is an optional dependency of @flint/core; it needs OpenBLAS: apt-get install libopenblas-dev, then pnpm install)';
    } else {
      reason = `@flint/native failed to load: ${(e as Error).message.split('\n')[0]}`;
      process.emitWarning(`flint: ${reason}; running without native kernels`);
    }
  }
}

/**
 * Loads `@flint/native` once (unless `FLINT_NATIVE=0`) and puts its kernels in front of
 * `backendName`'s (wasm or cpu). Called by `setBackend()`; later calls for the same backend do
 * nothing.
 */
export async function useNative(backendName: string): Promise<void> {
  loading ??= load();
  await loading;
  if (mod !== null && !kernelsFor.has(backendName) && (backendName === 'wasm' || backendName === 'cpu')) {
    kernelsFor.set(backendName, [...registerNativeKernels(backendName, mod), ...registerNchwKernels(backendName, mod)]);
  }
}

// --- kernels ---------------------------------------------------------------------------------

function batchMatMul(m: NativeModule, stock: Kernel, backendName: string, fused: boolean): Kernel {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs ?? {};
    const act = (attrs.activation as string | undefined) ?? 'linear';
    const access = accessFor(backendName, args.backend);
    if (!enabled || access === null || a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    if (fused && (preluActivationWeights != null || !ACTIVATIONS.has(act))) return stock(args);
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra < 2 || rb < 2) return stock(args);
    const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = tb ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const rows = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const cols = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    const batchA = numel(a.shape.slice(0, -2));
    const batchB = numel(b.shape.slice(0, -2));
    // Batches broadcast only as one matrix against many (what the stock wasm kernel does too).
    if (k !== kb || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return stock(args);
    const outShape = [...tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), rows, cols];
    const batch = Math.max(batchA, batchB);
    if (batch !== numel(outShape.slice(0, -2))) return stock(args);
    if (bias != null && (bias.dtype !== 'float32' || !suffixBias(bias.shape, outShape))) return stock(args);
    const out = access.output(outShape);
    if (numel(outShape) === 0) return out;
    const va = access.view(a);
    const vb = access.view(b);
    const vo = access.view(out);
    const vbias = bias == null ? null : access.view(bias);
    if (va === null || vb === null || vo === null || (bias != null && vbias === null)) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      return stock(args);
    }
    m.sgemm(rows, cols, k, va, vb, vo, {
      transA: ta,
      transB: tb,
      batch,
      strideA: batchA === 1 ? 0 : rows * k,
      strideB: batchB === 1 ? 0 : k * cols,
      strideC: rows * cols,
    });
    if (vbias !== null || act !== 'linear') {
      m.biasActivation(vo, batch * rows, cols, vbias, { activation: act as Activation, alpha: (attrs.leakyreluAlpha as number | undefined) ?? 0.2 });
    }
    return out;
  };
}

/** The native geometry of a tfjs convolution, or null when the native kernels do not cover it. */
function geometry(info: tf.backend_util.Conv2DInfo): Geometry | null {
  if (info.dataFormat !== 'channelsLast' || info.inChannels !== info.filterShape[2]) return null;
  return {
    batch: info.batchSize, inHeight: info.inHeight, inWidth: info.inWidth, inChannels: info.inChannels,
    outHeight: info.outHeight, outWidth: info.outWidth, outChannels: info.outChannels,
    kernelHeight: info.filterHeight, kernelWidth: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left, dilationHeight: info.dilationHeight, dilationWidth: info.dilationWidth,
  };
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, format,
  );
}

function conv2d(m: NativeModule, stock: Kernel, backendName: string, fused: boolean): Kernel {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { activation?: string; leakyreluAlpha?: number };
    const act = attrs.activation ?? 'linear';
    const access = accessFor(backendName, args.backend);
    if (!enabled || access === null || x === undefined || filter === undefined || x.dtype !== 'float32' || filter.dtype !== 'float32') return stock(args);
    if (fused && (preluActivationWeights != null || !ACTIVATIONS.has(act))) return stock(args);
    if (x.shape.length !== 4 || filter.shape.length !== 4) return stock(args);
    const info = convInfo(x.shape, filter.shape, attrs);
    const g = geometry(info);
    if (g === null) return stock(args);
    if (bias != null && (bias.dtype !== 'float32' || (numel(bias.shape) !== 1 && (numel(bias.shape) !== g.outChannels || bias.shape[bias.shape.length - 1] !== g.outChannels)))) {
      return stock(args);
    }
    const out = access.output(info.outShape);
    if (numel(info.outShape) === 0) return out;
    const vx = access.view(x);
    const vf = access.view(filter);
    const vo = access.view(out);
    const vb = bias == null ? null : access.view(bias);
    if (vx === null || vf === null || vo === null || (bias != null && vb === null)) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      return stock(args);
    }
    m.conv2d(vx, vf, vo, g, { bias: vb, activation: act as Activation, alpha: attrs.leakyreluAlpha ?? 0.2 });
    return out;
  };
}

function conv2dBackpropInput(m: NativeModule, stock: Kernel, backendName: string): Kernel {
  return (args) => {
    const { dy, filter } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { inputShape: number[] };
    const access = accessFor(backendName, args.backend);
    if (!enabled || access === null || dy === undefined || filter === undefined || dy.dtype !== 'float32' || filter.dtype !== 'float32') return stock(args);
    const info = convInfo(attrs.inputShape, filter.shape, { ...attrs, dilations: 1 });
    const g = geometry(info);
    if (g === null || !sameShape(info.outShape, dy.shape)) return stock(args);
    const dx = access.output([...attrs.inputShape]);
    if (numel(attrs.inputShape) === 0) return dx;
    const vdy = access.view(dy);
    const vf = access.view(filter);
    const vdx = access.view(dx);
    if (vdy === null || vf === null || vdx === null) {
      (args.backend as { disposeData(id: object): void }).disposeData(dx.dataId);
      return stock(args);
    }
    m.conv2dBackpropInput(vdy, vf, vdx, g);
    return dx;
  };
}

function conv2dBackpropFilter(m: NativeModule, stock: Kernel, backendName: string): Kernel {
  return (args) => {
    const { x, dy } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { filterShape: number[] };
    const access = accessFor(backendName, args.backend);
    if (!enabled || access === null || x === undefined || dy === undefined || x.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args);
    if (x.shape.length !== 4) return stock(args);
    const info = convInfo(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
    const g = geometry(info);
    if (g === null || !sameShape(info.outShape, dy.shape)) return stock(args);
    const df = access.output([...attrs.filterShape]);
    if (numel(attrs.filterShape) === 0) return df;
    const vx = access.view(x);
    const vdy = access.view(dy);
    const vdf = access.view(df);
    if (vx === null || vdy === null || vdf === null) {
      (args.backend as { disposeData(id: object): void }).disposeData(df.dataId);
      return stock(args);
    }
    m.conv2dBackpropFilter(vx, vdy, vdf, g);
    return df;
  };
}

/** Transpose of float32 and int32 data (the layout changes around every convolution). */
function transpose(m: NativeModule, stock: Kernel, backendName: string): Kernel {
  return (args) => {
    const x = args.inputs.x;
    const perm = args.attrs?.perm as number[] | undefined;
    const access = accessFor(backendName, args.backend);
    if (!enabled || access === null || x === undefined || perm === undefined || (x.dtype !== 'float32' && x.dtype !== 'int32')) return stock(args);
    // Small ones are not worth the call.
    if (numel(x.shape) < 4096 || perm.length !== x.shape.length) return stock(args);
    const out = access.output(perm.map((d) => x.shape[d]!), x.dtype);
    const vx = access.words(x);
    const vo = access.words(out);
    if (vx === null || vo === null) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      return stock(args);
    }
    m.transpose(vx, vo, x.shape, perm);
    return out;
  };
}

// --- convolutions in NCHW, called by Flint's convolution ops -------------------------------------

const CONV_NCHW = 'FlintConv2DNchw';
const CONV_NCHW_INPUT = 'FlintConv2DNchwBackpropInput';
const CONV_NCHW_FILTER = 'FlintConv2DNchwBackpropFilter';

type NchwAttrs = { geometry: NchwGeometry; outShape: number[] };

/**
 * One of the three NCHW convolution kernels: `run` gets float32 views of the inputs (in the order
 * of `names`, `null` for an absent optional one) and of a new output of `attrs.outShape`.
 */
function nchwKernel(backendName: string, names: readonly string[], run: (views: (Float32Array | null)[], out: Float32Array, g: NchwGeometry) => void): Kernel {
  return (args) => {
    const attrs = args.attrs as unknown as NchwAttrs;
    const access = accessFor(backendName, args.backend)!;
    const out = access.output([...attrs.outShape]);
    if (numel(attrs.outShape) === 0) return out;
    const views = names.map((n) => {
      const t = args.inputs[n];
      return t === undefined || t === null ? null : access.view(t);
    });
    const vo = access.view(out);
    if (vo === null || names.some((n, i) => args.inputs[n] != null && views[i] === null)) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      throw new BackendError(`${CONV_NCHW}: the ${backendName} backend's float32 data could not be read in place`);
    }
    run(views, vo, attrs.geometry);
    return out;
  };
}

const SCATTER_ADD = 'FlintScatterAdd';

/** `out` of `attrs.outShape` = zeros plus `src` added at the flat positions `index` (int32). */
function scatterAddKernel(backendName: string, m: NativeModule): Kernel {
  return (args) => {
    const { src, index } = args.inputs as { src: TensorInfo; index: TensorInfo };
    const access = accessFor(backendName, args.backend)!;
    const out = access.output([...(args.attrs as unknown as { outShape: number[] }).outShape]);
    const vo = access.view(out);
    const vs = access.view(src);
    const vi = access.words(index);
    if (vo === null || vs === null || !(vi instanceof Int32Array)) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      throw new BackendError(`${SCATTER_ADD}: the ${backendName} backend's data could not be read in place`);
    }
    try {
      m.scatterAdd!(vo, vi, vs);
    } catch (e) {
      (args.backend as { disposeData(id: object): void }).disposeData(out.dataId);
      throw e;
    }
    return out;
  };
}

/**
 * Zeros of `shape` with `src` (float32) added at the flat positions `index` (int32, one per
 * element of `src`), in order, on the native kernel; `null` when it can't run (native kernels
 * inactive, not the wasm backend, other dtypes), leaving the caller to its tfjs scatter.
 */
export function nativeScatterAdd(src: tf.Tensor, index: tf.Tensor, shape: readonly number[]): tf.Tensor | null {
  // The wasm backend only: its tensors always have a heap view (the cpu backend's may be held
  // in other forms, and it gains little).
  if (tf.getBackend() !== 'wasm' || !nativeConvActive() || !(kernelsFor.get('wasm')?.includes(SCATTER_ADD) ?? false)) return null;
  if (src.dtype !== 'float32' || index.dtype !== 'int32' || src.size !== index.size) return null;
  return (tf.engine().runKernel as unknown as RunKernel)(SCATTER_ADD, { src, index }, { outShape: [...shape] });
}

function registerNchwKernels(backendName: string, m: NativeModule): string[] {
  const kernels: Record<string, Kernel> = {
    ...(m.scatterAdd === undefined ? {} : { [SCATTER_ADD]: scatterAddKernel(backendName, m) }),
    [CONV_NCHW]: nchwKernel(backendName, ['x', 'w', 'bias'], ([x, w, b], out, g) => m.conv2dNchw(x!, w!, out, g, { bias: b })),
    [CONV_NCHW_INPUT]: nchwKernel(backendName, ['dy', 'w', 'bias'], ([dy, w, b], out, g) => m.conv2dNchwBackpropInput(dy!, w!, out, g, { bias: b })),
    [CONV_NCHW_FILTER]: nchwKernel(backendName, ['x', 'dy'], ([x, dy], out, g) => m.conv2dNchwBackpropFilter(x!, dy!, out, g)),
  };
  const done: string[] = [];
  for (const [name, kernelFunc] of Object.entries(kernels)) {
    if (tf.getKernel(name, backendName) !== undefined) continue;
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    done.push(name);
  }
  return done;
}

/**
 * Whether Flint's convolutions run on the native NCHW kernels: native kernels are active on the
 * current backend (and not bypassed by {@link withStockKernels}).
 */
export function nativeConvActive(): boolean {
  return enabled && mod !== null && (kernelsFor.get(tf.getBackend())?.includes(CONV_NCHW) ?? false);
}

/**
 * Whether products with transposed operands should be left to the kernels (which read them in
 * place) rather than transposed explicitly (what the stock wasm kernels need to be fast).
 */
export function nativeMatMulActive(): boolean {
  return enabled && mod !== null && (kernelsFor.get(tf.getBackend())?.includes('_FusedMatMul') ?? false);
}

/** A convolution's geometry in NCHW: `[N, C, H, W]` in, `[N, O, Ho, Wo]` out, weight `[O, C / groups, kH, kW]`. */
export interface ConvNchw {
  batch: number;
  inChannels: number;
  inHW: readonly [number, number];
  outChannels: number;
  outHW: readonly [number, number];
  kernelHW: readonly [number, number];
  stride: readonly [number, number];
  /** Zeros above and left of the input (those below and right follow from the sizes). */
  padTopLeft: readonly [number, number];
  dilation: readonly [number, number];
  groups: number;
}

function nchwAttrs(c: ConvNchw, outShape: number[]): NchwAttrs {
  return {
    geometry: {
      batch: c.batch, inHeight: c.inHW[0], inWidth: c.inHW[1], inChannels: c.inChannels, outHeight: c.outHW[0], outWidth: c.outHW[1],
      outChannels: c.outChannels, kernelHeight: c.kernelHW[0], kernelWidth: c.kernelHW[1], strideHeight: c.stride[0], strideWidth: c.stride[1],
      padTop: c.padTopLeft[0], padLeft: c.padTopLeft[1], dilationHeight: c.dilation[0], dilationWidth: c.dilation[1], groups: c.groups,
    },
    outShape,
  };
}

type RunKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => tf.Tensor;
const runKernel = (name: string, inputs: Record<string, tf.Tensor | null>, attrs: NchwAttrs): tf.Tensor => {
  const present = Object.fromEntries(Object.entries(inputs).filter(([, t]) => t !== null)) as Record<string, tf.Tensor>;
  return (tf.engine().runKernel as unknown as RunKernel)(name, present, attrs);
};

/**
 * The convolution of `x` `[N, C, H, W]` with `w` `[O, C / groups, kH, kW]` plus `bias` `[O]`, on
 * the native NCHW kernel (check {@link nativeConvActive} first).
 */
export function convNchw(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null, c: ConvNchw): tf.Tensor {
  return runKernel(CONV_NCHW, { x, w, bias }, nchwAttrs(c, [c.batch, c.outChannels, c.outHW[0], c.outHW[1]]));
}

/** The adjoint of {@link convNchw} in `x` applied to `dy` `[N, O, Ho, Wo]`, plus `bias` `[C]`. */
export function convNchwInput(dy: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null, c: ConvNchw): tf.Tensor {
  return runKernel(CONV_NCHW_INPUT, { dy, w, bias }, nchwAttrs(c, [c.batch, c.inChannels, c.inHW[0], c.inHW[1]]));
}

/** The adjoint of {@link convNchw} in `w` applied to `dy`: the weight gradient `[O, C / groups, kH, kW]`. */
export function convNchwFilter(x: tf.Tensor, dy: tf.Tensor, c: ConvNchw): tf.Tensor {
  return runKernel(CONV_NCHW_FILTER, { x, dy }, nchwAttrs(c, [c.outChannels, c.inChannels / c.groups, c.kernelHW[0], c.kernelHW[1]]));
}

// --- max pooling's scan -----------------------------------------------------------------------

/** A pooling's windows along one axis (see `nn/functional/pool-max.ts`). */
interface PoolWindows {
  start: Int32Array;
  end: Int32Array;
  step: number;
}

/**
 * Max pooling's scan of an NCHW float32 tensor on the native kernel, reading the backend's data in
 * place: each window's maximum and the winner's flat index into `x` (PyTorch's rules: scanned row
 * by row, the first of tied maxima wins, NaN propagates). `null` when native kernels are not
 * active on the current backend (the caller scans in JavaScript then).
 *
 * @example
 * ```ts
 * const r = nativeMaxPoolScan(x._handle, rows, cols) ?? scan(x.dataSync(), planes, h, w, rows, cols);
 * ```
 */
export function nativeMaxPoolScan(x: tf.Tensor, rows: PoolWindows, cols: PoolWindows): { values: Float32Array; where: Int32Array } | null {
  if (!nativeConvActive() || x.dtype !== 'float32' || x.shape.length !== 4 || x.size >= 2 ** 31) return null;
  const access = accessFor(tf.getBackend(), tf.backend());
  const view = access?.view(x as unknown as TensorInfo) ?? null;
  if (view === null) return null;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const count = n * c * rows.start.length * cols.start.length;
  const values = new Float32Array(count);
  const where = new Int32Array(count);
  mod!.maxPoolScan(view, n * c, h, w, rows, cols, values, where);
  return { values, where };
}

/** `torch.optim.SGD`'s hyperparameters for {@link nativeSgdStep}. */
export type SgdStepOptions = SGDOptions;

/**
 * One SGD step for one parameter, in place on the wasm heap: `p` and the momentum buffer `buf`
 * are overwritten with what the step's tensor ops would compute (the same bits). Does nothing and
 * returns false unless the native kernels are active on the wasm backend, everything is float32
 * of one size, and `p` and `buf` own their storage alone (no other tensor shares it, so nobody
 * else sees the write). The caller bumps the tensors' versions. Two state tensors must not be
 * one tensor (the optimizers make each its own).
 */
export function nativeSgdStep(p: tf.Tensor, g: tf.Tensor, buf: tf.Tensor | null, options: SgdStepOptions): boolean {
  const views = ownViews(mod?.sgdStep, p, g, [buf]);
  if (views === null) return false;
  mod!.sgdStep!(views[0]!, views[1]!, views[2] ?? null, options);
  return true;
}

/** `torch.optim.Adam`'s hyperparameters for {@link nativeAdamStep}; `step` counts this step from 1. */
export interface AdamStepOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  step: number;
  /** AdamW's decoupled weight decay. */
  decoupled: boolean;
  maximize: boolean;
}

/**
 * One Adam (or AdamW) step for one parameter, in place on the wasm heap, under the conditions of
 * {@link nativeSgdStep}; `max` is amsgrad's running maximum (`null` without amsgrad).
 */
export function nativeAdamStep(p: tf.Tensor, g: tf.Tensor, expAvg: tf.Tensor, expAvgSq: tf.Tensor, max: tf.Tensor | null, options: AdamStepOptions): boolean {
  const views = ownViews(mod?.adamStep, p, g, [expAvg, expAvgSq, max]);
  if (views === null) return false;
  mod!.adamStep!(views[0]!, views[1]!, views[2]!, views[3]!, views[4] ?? null, options);
  return true;
}

/**
 * Heap views of `p`, `g` and the state tensors for an in-place step (`null` entries stay `null`),
 * or `null` when the step can't run in place: the kernel is missing, native kernels are not
 * active on the wasm backend, a tensor is not float32 of `p`'s size, or `p` or a state tensor
 * shares its storage with another tensor.
 */
function ownViews(kernel: unknown, p: tf.Tensor, g: tf.Tensor, state: (tf.Tensor | null)[]): (Float32Array | null)[] | null {
  if (kernel === undefined || !enabled || mod === null || tf.getBackend() !== 'wasm' || !(kernelsFor.get('wasm')?.length ?? 0)) return null;
  const backend = tf.backend() as unknown as { refCount(dataId: object): number };
  const fits = (t: tf.Tensor) => t.dtype === 'float32' && t.size === p.size;
  if (!fits(p) || !fits(g) || backend.refCount(p.dataId) !== 1) return null;
  for (const t of state) if (t !== null && (!fits(t) || backend.refCount(t.dataId) !== 1)) return null;
  const access = accessFor('wasm', tf.backend());
  if (access === null) return null;
  const view = (t: tf.Tensor | null) => (t === null ? null : access.view(t as unknown as TensorInfo));
  return [view(p), view(g), ...state.map(view)];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

const KERNELS: Record<string, (m: NativeModule, stock: Kernel, backendName: string) => Kernel> = {
  BatchMatMul: (m, s, b) => batchMatMul(m, s, b, false),
  _FusedMatMul: (m, s, b) => batchMatMul(m, s, b, true),
  Conv2D: (m, s, b) => conv2d(m, s, b, false),
  FusedConv2D: (m, s, b) => conv2d(m, s, b, true),
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Transpose: transpose,
};

/** Wraps `backendName`'s stock kernels with the native ones; returns the names it wrapped. */
function registerNativeKernels(backendName: string, m: NativeModule): string[] {
  const done: string[] = [];
  for (const [name, make] of Object.entries(KERNELS)) {
    const stock = tf.getKernel(name, backendName);
    if (stock === undefined || (stock as { flintNative?: boolean }).flintNative) continue;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...stock, kernelFunc: make(m, stock.kernelFunc as unknown as Kernel, backendName) as unknown as tf.KernelFunc, flintNative: true } as tf.KernelConfig);
    done.push(name);
  }
  return done;
}

/**
 * Runs `fn` with the native kernels bypassed (their stock versions run instead), for tests that
 * compare the two.
 */
export function withStockKernels<T>(fn: () => T): T {
  const was = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = was;
  }
}

// --- public queries --------------------------------------------------------------------------

/** What {@link native} reports. */
export interface NativeInfo {
  /** Whether native kernels run the active backend's matrix products and convolutions. */
  active: boolean;
  /** Whether `@flint/native` loaded (it may still be inactive on the `tensorflow` backend). */
  available: boolean;
  /** Why they are not active, with what to do; `null` when active. */
  reason: string | null;
  /** The tfjs kernels that run natively on the active backend. */
  kernels: string[];
  /** OpenBLAS's build description, `null` when unavailable. */
  blas: string | null;
  /**
   * The library that runs the matrix products (also inside convolutions): `'onednn'` when the
   * addon was built with oneDNN (`apt-get install libdnnl-dev`), else `'openblas'`; `null` when
   * unavailable.
   */
  gemm: 'onednn' | 'openblas' | null;
  /** Threads the native kernels use (1 when inactive: the wasm kernels run on one thread). */
  numThreads: number;
}

/**
 * Whether Flint's native CPU kernels (`@flint/native`, OpenBLAS) are active, and why not.
 * They load by themselves when the package is installed and built; `FLINT_NATIVE=0` turns them off.
 *
 * @example
 * ```ts
 * const n = native();
 * console.log(n.active ? `OpenBLAS on ${n.numThreads} threads` : n.reason);
 * ```
 */
export function native(): NativeInfo {
  const kernels = kernelsFor.get(tf.getBackend()) ?? [];
  const active = mod !== null && kernels.length > 0;
  return {
    active,
    available: mod !== null,
    reason: active ? null : (reason ?? `the '${tf.getBackend()}' backend runs its own kernels`),
    kernels: [...kernels],
    blas: mod === null ? null : mod.config(),
    gemm: mod === null ? null : (mod.gemmLibrary?.() ?? 'openblas'),
    numThreads: active ? mod!.getNumThreads() : 1,
  };
}

/**
 * Sets the number of threads the native CPU kernels use (`torch.set_num_threads`). Without native
 * kernels it checks `n` and does nothing: the wasm kernels run on one thread.
 *
 * @example
 * ```ts
 * setNumThreads(1); // e.g. one process per core
 * ```
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new BackendError(`setNumThreads(): n must be a positive integer (got ${describe(n)})`);
  }
  mod?.setNumThreads(n);
}

/**
 * The number of threads the CPU kernels use (`torch.get_num_threads`): OpenBLAS's thread count
 * when native kernels are available, otherwise 1.
 *
 * @example
 * ```ts
 * console.log(getNumThreads()); // 2 on a two-core machine with native kernels
 * ```
 */
export function getNumThreads(): number {
  return mod === null ? 1 : mod.getNumThreads();
}
