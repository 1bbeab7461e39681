/**
 * Convolution layers: `Conv1d`, `Conv2d`, `ConvTranspose1d`, `ConvTranspose2d` (`torch.nn`).
 * Parameters `weight` and `bias` carry PyTorch's names and shapes, so state dicts converted from
 * PyTorch load by name, and are initialised as PyTorch 1.13 does: `weight` by
 * `kaimingUniform_(w, { a: sqrt(5) })`, `bias` from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), drawn from
 * Flint's generators (pass `generator` for a private stream).
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { Generator } from '../../random/generator.js';
import { zeros } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { tuple, type Size1, type Size2 } from '../functional/conv-args.js';
import { conv1d, conv2d, convTranspose1d, convTranspose2d } from '../functional/conv.js';
import { pad } from '../functional/padding.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** How a convolution layer pads its input: with zeros, or as `pad()`'s modes. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** What every convolution layer accepts besides its sizes. */
interface LayerOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** The generator the initial values are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Options of {@link Conv2d}. */
export interface Conv2dModuleOptions extends LayerOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Padding on both sides, `'valid'` (none) or `'same'` (output as large as the input; stride 1). Default 0. */
  padding?: Size2 | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** What the padding is filled with (default `'zeros'`). */
  paddingMode?: PaddingMode;
}

/** Options of {@link Conv1d}. */
export interface Conv1dModuleOptions extends LayerOptions {
  stride?: Size1;
  padding?: Size1 | 'same' | 'valid';
  dilation?: Size1;
  groups?: number;
  paddingMode?: PaddingMode;
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dModuleOptions extends LayerOptions {
  /** Stride of the convolution this transposes (default 1). */
  stride?: Size2;
  /** Padding removed from both sides of the output (default 0). */
  padding?: Size2;
  /** Extra size added to one side of the output (default 0). */
  outputPadding?: Size2;
  /** Number of blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Size2;
  /** Only `'zeros'`, as in PyTorch. */
  paddingMode?: 'zeros';
}

/** Options of {@link ConvTranspose1d}. */
export interface ConvTranspose1dModuleOptions extends LayerOptions {
  stride?: Size1;
  padding?: Size1;
  outputPadding?: Size1;
  groups?: number;
  dilation?: Size1;
  paddingMode?: 'zeros';
}

function positive(cls: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${cls}(): ${arg} must be a positive integer (got ${describe(v)})`);
  return v;
}

/** Checks channels and groups as PyTorch's `_ConvNd` does. */
function checkChannels(cls: string, inChannels: unknown, outChannels: unknown, groups: unknown): [number, number, number] {
  const i = positive(cls, 'inChannels', inChannels);
  const o = positive(cls, 'outChannels', outChannels);
  const g = positive(cls, 'groups', groups);
  if (i % g !== 0) throw new ArgumentError(`${cls}(): inChannels (${i}) must be divisible by groups (${g})`);
  if (o % g !== 0) throw new ArgumentError(`${cls}(): outChannels (${o}) must be divisible by groups (${g})`);
  return [i, o, g];
}

function param(shape: readonly number[]): Parameter {
  const t = zeros(shape);
  const p = new Parameter(t);
  t.dispose();
  return p;
}

/** PyTorch's `reset_parameters` of `_ConvNd`. */
function initConv(weight: Parameter, bias: Parameter | null, generator?: Generator): void {
  const fanIn = weight.shape.slice(1).reduce((a, b) => a * b, 1);
  if (weight.numel() > 0) kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias !== null) {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}

const fmt = (v: readonly number[]): string => `[${v.join(', ')}]`;

/** PyTorch's `extra_repr` of `_ConvNd`, in Flint's names. */
function convRepr(m: {
  inChannels: number;
  outChannels: number;
  kernelSize: readonly number[];
  stride: readonly number[];
  padding: readonly number[] | string;
  dilation: readonly number[];
  groups: number;
  bias: Parameter | null;
  paddingMode: string;
  outputPadding?: readonly number[];
}): string {
  let s = `${m.inChannels}, ${m.outChannels}, kernelSize=${fmt(m.kernelSize)}, stride=${fmt(m.stride)}`;
  if (typeof m.padding === 'string') s += `, padding=${m.padding}`;
  else if (m.padding.some((p) => p !== 0)) s += `, padding=${fmt(m.padding)}`;
  if (m.dilation.some((d) => d !== 1)) s += `, dilation=${fmt(m.dilation)}`;
  if (m.outputPadding !== undefined && m.outputPadding.some((p) => p !== 0)) s += `, outputPadding=${fmt(m.outputPadding)}`;
  if (m.groups !== 1) s += `, groups=${m.groups}`;
  if (m.bias === null) s += ', bias=false';
  if (m.paddingMode !== 'zeros') s += `, paddingMode=${m.paddingMode}`;
  return s;
}

/** The sizes a forward convolution layer keeps, checked. */
function convSizes(cls: string, dims: 1 | 2, kernelSize: unknown, o: Conv2dModuleOptions | Conv1dModuleOptions) {
  const kernel = tuple(cls, 'kernelSize', kernelSize, dims, 1);
  const stride = tuple(cls, 'stride', o.stride ?? 1, dims, 1);
  const dilation = tuple(cls, 'dilation', o.dilation ?? 1, dims, 1);
  const p = o.padding ?? 0;
  let padding: number[] | 'same' | 'valid';
  if (p === 'same' || p === 'valid') {
    if (p === 'same' && stride.some((s) => s !== 1)) throw new ArgumentError(`${cls}(): padding='same' is not supported for strided convolutions (got stride ${fmt(stride)})`);
    padding = p;
  } else if (typeof p === 'string') {
    throw new ArgumentError(`${cls}(): padding must be a number, a tuple, 'same' or 'valid' (got ${describe(p)})`);
  } else {
    padding = tuple(cls, 'padding', p, dims, 0);
  }
  const mode = o.paddingMode ?? 'zeros';
  if (!['zeros', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new ArgumentError(`${cls}(): paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular' (got ${describe(mode)})`);
  }
  // What pad() gets for the non-zeros modes: last dimension first, PyTorch's
  // `_reversed_padding_repeated_twice` ('same' puts the odd one after).
  const padList: number[] = [];
  for (let i = dims - 1; i >= 0; i--) {
    if (padding === 'valid') padList.push(0, 0);
    else if (padding === 'same') {
      const total = dilation[i]! * (kernel[i]! - 1);
      padList.push(Math.floor(total / 2), total - Math.floor(total / 2));
    } else padList.push(padding[i]!, padding[i]!);
  }
  return { kernel, stride, dilation, padding, mode: mode as PaddingMode, padList };
}

/** Runs `conv` on `x`, first padding it in a non-zeros mode (a missing batch is added for `pad`). */
function padThen(x: Tensor, mode: PaddingMode, padList: readonly number[], dims: 1 | 2, conv: (x: Tensor, padding: 0 | undefined) => Tensor): Tensor {
  if (mode === 'zeros') return conv(x, undefined);
  const unbatched = x.ndim === dims + 1;
  const x4 = unbatched ? x.unsqueeze(0) : x;
  const padded = pad(x4, padList, { mode });
  const y = conv(padded, 0);
  const out = unbatched ? y.squeeze(0) : y;
  if (!out.requiresGrad) for (const t of [x4, padded, y]) if (t !== x && t !== out) t.dispose();
  return out;
}

/**
 * 2-D convolution layer (`nn.Conv2d`): `weight` `[outChannels, inChannels / groups, kH, kW]`,
 * `bias` `[outChannels]`. Inputs `[N, C, H, W]` or `[C, H, W]`.
 *
 * @example
 * ```ts
 * const conv = new Conv2d(3, 16, 3, { stride: 2, padding: 1 });
 * conv(randn([8, 3, 32, 32])).shape; // [8, 16, 16, 16]
 * conv.toString(); // 'Conv2d(3, 16, kernelSize=[3, 3], stride=[2, 2], padding=[1, 1])'
 * new Conv2d(3, 8, 3, { padding: 'same', paddingMode: 'reflect', bias: false });
 * ```
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** `[outChannels, inChannels / groups, kH, kW]`. */
  weight: Parameter;
  /** `[outChannels]`, or null with `bias: false`. */
  bias: Parameter | null;
  /** @internal */ private readonly padList: number[];

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dModuleOptions = {}) {
    super();
    [this.inChannels, this.outChannels, this.groups] = checkChannels('Conv2d', inChannels, outChannels, options.groups ?? 1);
    const s = convSizes('Conv2d', 2, kernelSize, options);
    this.kernelSize = s.kernel as [number, number];
    this.stride = s.stride as [number, number];
    this.padding = s.padding as [number, number] | 'same' | 'valid';
    this.dilation = s.dilation as [number, number];
    this.paddingMode = s.mode;
    this.padList = s.padList;
    this.weight = param([this.outChannels, this.inChannels / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : param([this.outChannels]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    initConv(this.weight, this.bias, generator);
  }
  forward(input: Tensor): Tensor {
    return padThen(input, this.paddingMode, this.padList, 2, (x, p) =>
      conv2d(x, this.weight, this.bias, { stride: this.stride, padding: p ?? this.padding, dilation: this.dilation, groups: this.groups }),
    );
  }
  override extraRepr(): string {
    return convRepr(this);
  }
}

/**
 * 1-D convolution layer (`nn.Conv1d`): `weight` `[outChannels, inChannels / groups, k]`, `bias`
 * `[outChannels]`. Inputs `[N, C, L]` or `[C, L]`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(2, 8, 5, { padding: 2 });
 * conv(randn([4, 2, 100])).shape; // [4, 8, 100]
 * ```
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number];
  readonly stride: [number];
  readonly padding: [number] | 'same' | 'valid';
  readonly dilation: [number];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** `[outChannels, inChannels / groups, k]`. */
  weight: Parameter;
  /** `[outChannels]`, or null with `bias: false`. */
  bias: Parameter | null;
  /** @internal */ private readonly padList: number[];

  constructor(inChannels: number, outChannels: number, kernelSize: Size1, options: Conv1dModuleOptions = {}) {
    super();
    [this.inChannels, this.outChannels, this.groups] = checkChannels('Conv1d', inChannels, outChannels, options.groups ?? 1);
    const s = convSizes('Conv1d', 1, kernelSize, options);
    this.kernelSize = s.kernel as [number];
    this.stride = s.stride as [number];
    this.padding = s.padding as [number] | 'same' | 'valid';
    this.dilation = s.dilation as [number];
    this.paddingMode = s.mode;
    this.padList = s.padList;
    this.weight = param([this.outChannels, this.inChannels / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : param([this.outChannels]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    initConv(this.weight, this.bias, generator);
  }
  forward(input: Tensor): Tensor {
    return padThen(input, this.paddingMode, this.padList, 1, (x, p) =>
      conv1d(x, this.weight, this.bias, { stride: this.stride, padding: p ?? this.padding, dilation: this.dilation, groups: this.groups }),
    );
  }
  override extraRepr(): string {
    return convRepr(this);
  }
}

/** The sizes a transposed convolution layer keeps, checked. */
function transposeSizes(cls: string, dims: 1 | 2, kernelSize: unknown, o: ConvTranspose2dModuleOptions | ConvTranspose1dModuleOptions) {
  if ((o.paddingMode ?? 'zeros') !== 'zeros') throw new ArgumentError(`${cls}(): only paddingMode 'zeros' is supported (got ${describe(o.paddingMode)})`);
  return {
    kernel: tuple(cls, 'kernelSize', kernelSize, dims, 1),
    stride: tuple(cls, 'stride', o.stride ?? 1, dims, 1),
    padding: tuple(cls, 'padding', o.padding ?? 0, dims, 0),
    outputPadding: tuple(cls, 'outputPadding', o.outputPadding ?? 0, dims, 0),
    dilation: tuple(cls, 'dilation', o.dilation ?? 1, dims, 1),
  };
}

/**
 * The output padding that makes a transposed convolution's output `outputSize` (PyTorch's
 * `_output_padding`); `outputSize` may include the batch and channel dimensions.
 */
function outputPaddingFor(cls: string, input: Tensor, outputSize: readonly number[], m: { stride: readonly number[]; padding: readonly number[]; kernelSize: readonly number[]; dilation: readonly number[] }): number[] {
  const dims = m.kernelSize.length;
  const size = outputSize.length > dims ? outputSize.slice(-dims) : [...outputSize];
  if (size.length !== dims) throw new ArgumentError(`${cls}(): outputSize must have ${dims} or ${dims + 2} entries (got ${describe(outputSize)})`);
  const inSize = input.shape.slice(-dims);
  const min = inSize.map((n, d) => (n - 1) * m.stride[d]! - 2 * m.padding[d]! + m.dilation[d]! * (m.kernelSize[d]! - 1) + 1);
  const max = min.map((v, d) => v + m.stride[d]! - 1);
  if (size.some((s, d) => !Number.isInteger(s) || s < min[d]! || s > max[d]!)) {
    throw new ShapeError(`${cls}(): requested an output size of ${fmt(size)}, but valid sizes range from ${fmt(min)} to ${fmt(max)} (for an input of shape ${fmt(input.shape)})`);
  }
  return size.map((s, d) => s - min[d]!);
}

/**
 * 2-D transposed convolution layer (`nn.ConvTranspose2d`): `weight`
 * `[inChannels, outChannels / groups, kH, kW]`, `bias` `[outChannels]`. `forward(x, outputSize)`
 * picks the output padding that gives `outputSize`, as in PyTorch.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 });
 * up(randn([1, 16, 8, 8])).shape;                    // [1, 8, 16, 16]
 * up(randn([1, 16, 8, 8]), [17, 17]).shape;          // [1, 8, 17, 17]
 * ```
 */
export class ConvTranspose2d extends Module<[input: Tensor, outputSize?: readonly number[]], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode = 'zeros' as const;
  /** `[inChannels, outChannels / groups, kH, kW]`. */
  weight: Parameter;
  /** `[outChannels]`, or null with `bias: false`. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: ConvTranspose2dModuleOptions = {}) {
    super();
    [this.inChannels, this.outChannels, this.groups] = checkChannels('ConvTranspose2d', inChannels, outChannels, options.groups ?? 1);
    const s = transposeSizes('ConvTranspose2d', 2, kernelSize, options);
    this.kernelSize = s.kernel as [number, number];
    this.stride = s.stride as [number, number];
    this.padding = s.padding as [number, number];
    this.outputPadding = s.outputPadding as [number, number];
    this.dilation = s.dilation as [number, number];
    this.weight = param([this.inChannels, this.outChannels / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : param([this.outChannels]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    initConv(this.weight, this.bias, generator);
  }
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const outputPadding = outputSize === undefined ? this.outputPadding : (outputPaddingFor('ConvTranspose2d', input, outputSize, this) as [number, number]);
    return convTranspose2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation });
  }
  override extraRepr(): string {
    return convRepr(this);
  }
}

/**
 * 1-D transposed convolution layer (`nn.ConvTranspose1d`): `weight`
 * `[inChannels, outChannels / groups, k]`, `bias` `[outChannels]`.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose1d(4, 2, 3, { stride: 2 });
 * up(randn([2, 4, 10])).shape; // [2, 2, 21]
 * ```
 */
export class ConvTranspose1d extends Module<[input: Tensor, outputSize?: readonly number[]], Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number];
  readonly stride: [number];
  readonly padding: [number];
  readonly outputPadding: [number];
  readonly dilation: [number];
  readonly groups: number;
  readonly paddingMode = 'zeros' as const;
  /** `[inChannels, outChannels / groups, k]`. */
  weight: Parameter;
  /** `[outChannels]`, or null with `bias: false`. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size1, options: ConvTranspose1dModuleOptions = {}) {
    super();
    [this.inChannels, this.outChannels, this.groups] = checkChannels('ConvTranspose1d', inChannels, outChannels, options.groups ?? 1);
    const s = transposeSizes('ConvTranspose1d', 1, kernelSize, options);
    this.kernelSize = s.kernel as [number];
    this.stride = s.stride as [number];
    this.padding = s.padding as [number];
    this.outputPadding = s.outputPadding as [number];
    this.dilation = s.dilation as [number];
    this.weight = param([this.inChannels, this.outChannels / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : param([this.outChannels]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    initConv(this.weight, this.bias, generator);
  }
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const outputPadding = outputSize === undefined ? this.outputPadding : (outputPaddingFor('ConvTranspose1d', input, outputSize, this) as [number]);
    return convTranspose1d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation });
  }
  override extraRepr(): string {
    return convRepr(this);
  }
}
