/**
 * Convolutions with PyTorch 1.13's semantics (`torch.nn.functional.conv1d`, `conv2d`,
 * `conv_transpose1d`, `conv_transpose2d`): NCHW inputs (or unbatched CHW), weights
 * `[out, in / groups, kH, kW]` (`[in, out / groups, kH, kW]` for the transposed forms), stride,
 * padding (a number, a tuple, `'same'` or `'valid'`), dilation and groups. Gradients of every
 * order are convolutions too (see `conv-autograd.ts`).
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { squeeze, unsqueeze } from '../../ops/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { convOp, convTransposeOp } from './conv-autograd.js';
import type { ConvGeometry } from './conv-kernels.js';
import { dropTemps, floatInput, fmtShape, tuple, type Size1, type Size2 } from './conv-args.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zeros added on both sides, or `'valid'` (none) or `'same'` (output as large as the input; stride 1 only). Default 0. */
  padding?: Size2 | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: Size1;
  /** Zeros added on both sides, or `'valid'` or `'same'` (default 0). */
  padding?: Size1 | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size1;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** Options of {@link convTranspose2d}. */
export interface ConvTranspose2dOptions {
  /** Stride of the convolution this transposes (default 1). */
  stride?: Size2;
  /** `dilation * (kernelSize - 1) - padding` zeros are added to both sides of the input (default 0). */
  padding?: Size2;
  /** Extra size added to one side of the output (default 0); must be smaller than stride or dilation. */
  outputPadding?: Size2;
  /** Number of blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
}

/** Options of {@link convTranspose1d}. */
export interface ConvTranspose1dOptions {
  stride?: Size1;
  padding?: Size1;
  outputPadding?: Size1;
  groups?: number;
  dilation?: Size1;
}

/** A validated convolution: its 2-D geometry and whether the input had a batch. */
interface Plan {
  geometry: ConvGeometry;
  batched: boolean;
}

function checkGroups(fn: string, groups: unknown): number {
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new ArgumentError(`${fn}(): groups must be a positive integer (got ${describe(groups)})`);
  }
  return groups;
}

function checkBias(fn: string, bias: unknown, size: number, from: string): Tensor | null {
  if (bias === undefined || bias === null) return null;
  if (!(bias instanceof Tensor)) throw new ArgumentError(`${fn}(): bias must be a Tensor or null (got ${describe(bias)})`);
  if (bias.ndim !== 1 || bias.shape[0] !== size) {
    throw new ShapeError(`${fn}(): bias must have shape [${size}] (${from}) (got ${fmtShape(bias.shape)})`);
  }
  if (bias.dtype !== 'float32') throw new DTypeError(`${fn}(): bias must be a float32 tensor (got dtype ${bias.dtype})`);
  return bias;
}

/** Checks a convolution's arguments over `dims` spatial dimensions and plans it in 2-D. */
function planConv(fn: string, dims: 1 | 2, x: Tensor, w: Tensor, options: Conv2dOptions | Conv1dOptions): Plan {
  const layout = dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)';
  floatInput(fn, 'input', x, [dims + 1, dims + 2], layout);
  floatInput(fn, 'weight', w, [dims + 2], dims === 2 ? '(out, in / groups, kH, kW)' : '(out, in / groups, kW)');
  const groups = checkGroups(fn, options.groups ?? 1);
  const batched = x.ndim === dims + 2;
  const c = x.shape[batched ? 1 : 0]!;
  const cArg = batched ? 'input.shape[1]' : 'input.shape[0]';
  if (w.shape[1]! * groups !== c) {
    throw new ShapeError(`${fn}(): ${cArg} (${c}) must equal weight.shape[1] * groups (${w.shape[1]! * groups}) (input shape ${fmtShape(x.shape)}, weight shape ${fmtShape(w.shape)})`);
  }
  if (w.shape[0]! % groups !== 0) throw new ShapeError(`${fn}(): weight.shape[0] (${w.shape[0]}) must be divisible by groups (${groups})`);
  const stride = tuple(fn, 'stride', options.stride ?? 1, dims, 1);
  const dilation = tuple(fn, 'dilation', options.dilation ?? 1, dims, 1);
  const kernel = w.shape.slice(2);
  const size = x.shape.slice(-dims);
  const p = options.padding ?? 0;
  let before: number[];
  let after: number[];
  if (p === 'valid') {
    before = after = new Array<number>(dims).fill(0);
  } else if (p === 'same') {
    if (stride.some((s) => s !== 1)) throw new ArgumentError(`${fn}(): padding='same' is not supported for strided convolutions (got stride ${fmtShape(stride)})`);
    // PyTorch puts the odd zero of an even kernel after the input.
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    before = total.map((t) => Math.floor(t / 2));
    after = total.map((t, i) => t - before[i]!);
  } else {
    if (typeof p === 'string') throw new ArgumentError(`${fn}(): padding must be a number, a tuple, 'same' or 'valid' (got ${describe(p)})`);
    before = after = tuple(fn, 'padding', p, dims, 0);
  }
  const padded = size.map((s, i) => s + before[i]! + after[i]!);
  const reach = kernel.map((k, i) => dilation[i]! * (k - 1) + 1);
  if (padded.some((s, i) => s < reach[i]!)) {
    throw new ShapeError(`${fn}(): the padded input's spatial size ${fmtShape(padded)} is smaller than the dilated kernel ${fmtShape(reach)} (input shape ${fmtShape(x.shape)})`);
  }
  const lift = (v: number[], one: number): [number, number] => (dims === 2 ? [v[0]!, v[1]!] : [one, v[0]!]);
  const [pt, pl] = lift(before, 0);
  const [pb, pr] = lift(after, 0);
  return { geometry: { stride: lift(stride, 1), padding: [pt, pb, pl, pr], dilation: lift(dilation, 1), groups }, batched };
}

/** Runs a 2-D primitive on inputs lifted to 4-D: a missing batch and, for 1-D, a height of 1. */
function lifted(dims: 1 | 2, batched: boolean, x: Tensor, w: Tensor, run: (x4: Tensor, w4: Tensor) => Tensor): Tensor {
  const temps: Tensor[] = [];
  const keep = (t: Tensor): Tensor => {
    temps.push(t);
    return t;
  };
  let x4 = batched ? x : keep(unsqueeze(x, 0));
  let w4 = w;
  if (dims === 1) {
    x4 = keep(unsqueeze(x4, 2));
    w4 = keep(unsqueeze(w, 2));
  }
  let y = run(x4, w4);
  if (dims === 1) y = squeeze(keep(y), 2);
  if (!batched) y = squeeze(keep(y), 0);
  return dropTemps(y, temps);
}

/**
 * 2-D convolution (`F.conv2d`): `input` `[N, C, H, W]` (or `[C, H, W]`), `weight`
 * `[O, C / groups, kH, kW]`, optional `bias` `[O]`.
 *
 * @example
 * ```ts
 * const x = randn([8, 3, 32, 32]);
 * const w = randn([16, 3, 3, 3]);
 * conv2d(x, w, null, { stride: 2, padding: 1 }).shape; // [8, 16, 16, 16]
 * conv2d(x, w, null, { padding: 'same' }).shape;       // [8, 16, 32, 32]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const { geometry, batched } = planConv('conv2d', 2, input, weight, options);
  const b = checkBias('conv2d', bias, weight.shape[0]!, 'weight.shape[0]');
  return lifted(2, batched, input, weight, (x4, w4) => convOp(x4, w4, b, geometry));
}

/**
 * 1-D convolution (`F.conv1d`): `input` `[N, C, L]` (or `[C, L]`), `weight` `[O, C / groups, k]`,
 * optional `bias` `[O]`.
 *
 * @example
 * ```ts
 * conv1d(randn([4, 2, 100]), randn([8, 2, 5]), null, { dilation: 2 }).shape; // [4, 8, 92]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  const { geometry, batched } = planConv('conv1d', 1, input, weight, options);
  const b = checkBias('conv1d', bias, weight.shape[0]!, 'weight.shape[0]');
  return lifted(1, batched, input, weight, (x4, w4) => convOp(x4, w4, b, geometry));
}

/** Checks a transposed convolution's arguments and plans it in 2-D, with its output size. */
function planTranspose(fn: string, dims: 1 | 2, x: Tensor, w: Tensor, options: ConvTranspose2dOptions | ConvTranspose1dOptions): Plan & { outHW: [number, number] } {
  const layout = dims === 2 ? '(C, H, W) or (N, C, H, W)' : '(C, L) or (N, C, L)';
  floatInput(fn, 'input', x, [dims + 1, dims + 2], layout);
  floatInput(fn, 'weight', w, [dims + 2], dims === 2 ? '(in, out / groups, kH, kW)' : '(in, out / groups, kW)');
  const groups = checkGroups(fn, options.groups ?? 1);
  const batched = x.ndim === dims + 2;
  const c = x.shape[batched ? 1 : 0]!;
  const cArg = batched ? 'input.shape[1]' : 'input.shape[0]';
  if (w.shape[0] !== c) throw new ShapeError(`${fn}(): ${cArg} (${c}) must equal weight.shape[0] (${w.shape[0]}) (input shape ${fmtShape(x.shape)}, weight shape ${fmtShape(w.shape)})`);
  if (c % groups !== 0) throw new ShapeError(`${fn}(): weight.shape[0] (${c}) must be divisible by groups (${groups})`);
  const stride = tuple(fn, 'stride', options.stride ?? 1, dims, 1);
  const padding = tuple(fn, 'padding', options.padding ?? 0, dims, 0);
  const outputPadding = tuple(fn, 'outputPadding', options.outputPadding ?? 0, dims, 0);
  const dilation = tuple(fn, 'dilation', options.dilation ?? 1, dims, 1);
  outputPadding.forEach((op, i) => {
    if (op >= stride[i]! && op >= dilation[i]!) {
      throw new ArgumentError(`${fn}(): outputPadding (${fmtShape(outputPadding)}) must be smaller than either stride (${fmtShape(stride)}) or dilation (${fmtShape(dilation)})`);
    }
  });
  const kernel = w.shape.slice(2);
  const size = x.shape.slice(-dims);
  const out = size.map((s, i) => (s - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (kernel[i]! - 1) + outputPadding[i]! + 1);
  if (out.some((s) => s < 1)) {
    throw new ShapeError(`${fn}(): the output would have spatial size ${fmtShape(out)} for an input of spatial size ${fmtShape(size)}; reduce padding (${fmtShape(padding)})`);
  }
  const lift = (v: number[], one: number): [number, number] => (dims === 2 ? [v[0]!, v[1]!] : [one, v[0]!]);
  const [pt, pl] = lift(padding, 0);
  return {
    geometry: { stride: lift(stride, 1), padding: [pt, pt, pl, pl], dilation: lift(dilation, 1), groups },
    batched,
    outHW: lift(out, 1),
  };
}

/**
 * 2-D transposed convolution (`F.conv_transpose2d`, "deconvolution"): the gradient of
 * {@link conv2d} with respect to its input. `input` `[N, Cin, H, W]`, `weight`
 * `[Cin, Cout / groups, kH, kW]`, optional `bias` `[Cout]`. The output size is
 * `(H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * const x = randn([1, 16, 8, 8]);
 * convTranspose2d(x, randn([16, 3, 4, 4]), null, { stride: 2, padding: 1 }).shape; // [1, 3, 16, 16]
 * ```
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  const { geometry, batched, outHW } = planTranspose('convTranspose2d', 2, input, weight, options);
  const b = checkBias('convTranspose2d', bias, weight.shape[1]! * geometry.groups, 'weight.shape[1] * groups');
  return lifted(2, batched, input, weight, (x4, w4) => convTransposeOp(x4, w4, b, geometry, outHW));
}

/**
 * 1-D transposed convolution (`F.conv_transpose1d`): `input` `[N, Cin, L]`, `weight`
 * `[Cin, Cout / groups, k]`, optional `bias` `[Cout]`.
 *
 * @example
 * ```ts
 * convTranspose1d(randn([2, 4, 10]), randn([4, 2, 3]), null, { stride: 2 }).shape; // [2, 2, 21]
 * ```
 */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose1dOptions = {}): Tensor {
  const { geometry, batched, outHW } = planTranspose('convTranspose1d', 1, input, weight, options);
  const b = checkBias('convTranspose1d', bias, weight.shape[1]! * geometry.groups, 'weight.shape[1] * groups');
  return lifted(1, batched, input, weight, (x4, w4) => convTransposeOp(x4, w4, b, geometry, outHW));
}

