/**
 * Pooling layers (`torch.nn`): `MaxPool1d`, `MaxPool2d`, `AvgPool1d`, `AvgPool2d`,
 * `AdaptiveAvgPool1d`, `AdaptiveAvgPool2d`, `AdaptiveMaxPool1d`, `AdaptiveMaxPool2d`. Each keeps
 * its arguments and calls the function of the same name in `functional`; none has parameters.
 * @module
 */
import type { Tensor } from '../../tensor/tensor.js';
import { tuple, type Size1, type Size2 } from '../functional/conv-args.js';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  avgPool1d,
  avgPool2d,
  maxPool1d,
  maxPool2d,
  type AdaptiveSize2,
  type AvgPool1dOptions,
  type AvgPool2dOptions,
  type MaxPool1dOptions,
  type MaxPool2dOptions,
} from '../functional/pooling.js';
import { Module } from '../module.js';

/** A size as PyTorch prints it in a module's repr: a number, or a tuple as `[a, b]`. */
function show(v: unknown): string {
  return Array.isArray(v) ? `[${v.map((x) => (x === null ? 'null' : String(x))).join(', ')}]` : String(v);
}

/** What a max pool returns: the output, or `[output, indices]` with `returnIndices: true`. */
export type MaxPoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/**
 * 2-D max pooling layer (`nn.MaxPool2d`); `stride` defaults to `kernelSize`. With
 * `returnIndices: true` it returns `[output, indices]`.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * pool(randn([8, 16, 32, 32])).shape; // [8, 16, 16, 16]
 * pool.toString(); // 'MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)'
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], MaxPoolResult<R>> {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly dilation: Size2;
  readonly ceilMode: boolean;
  readonly returnIndices: R;
  constructor(kernelSize: Size2, options: Omit<MaxPool2dOptions, 'returnIndices'> & { returnIndices?: R } = {}) {
    super();
    tuple('MaxPool2d', 'kernelSize', kernelSize, 2, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = (options.returnIndices ?? false) as R;
  }
  forward(input: Tensor): MaxPoolResult<R> {
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices };
    return maxPool2d(input, this.kernelSize, o) as unknown as MaxPoolResult<R>;
  }
  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 1-D max pooling layer (`nn.MaxPool1d`) over `[N, C, L]` or `[C, L]`.
 *
 * @example
 * ```ts
 * new MaxPool1d(3, { stride: 2 })(randn([4, 8, 100])).shape; // [4, 8, 49]
 * ```
 */
export class MaxPool1d<R extends boolean = false> extends Module<[Tensor], MaxPoolResult<R>> {
  readonly kernelSize: Size1;
  readonly stride: Size1;
  readonly padding: Size1;
  readonly dilation: Size1;
  readonly ceilMode: boolean;
  readonly returnIndices: R;
  constructor(kernelSize: Size1, options: Omit<MaxPool1dOptions, 'returnIndices'> & { returnIndices?: R } = {}) {
    super();
    tuple('MaxPool1d', 'kernelSize', kernelSize, 1, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = (options.returnIndices ?? false) as R;
  }
  forward(input: Tensor): MaxPoolResult<R> {
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices };
    return maxPool1d(input, this.kernelSize, o) as unknown as MaxPoolResult<R>;
  }
  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 2-D average pooling layer (`nn.AvgPool2d`); `stride` defaults to `kernelSize`.
 *
 * @example
 * ```ts
 * const pool = new AvgPool2d(3, { stride: 2, padding: 1 });
 * pool(randn([8, 16, 32, 32])).shape; // [8, 16, 16, 16]
 * pool.toString(); // 'AvgPool2d(kernelSize=3, stride=2, padding=1)'
 * ```
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Size2;
  readonly stride: Size2;
  readonly padding: Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    tuple('AvgPool2d', 'kernelSize', kernelSize, 2, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }
  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }
  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * 1-D average pooling layer (`nn.AvgPool1d`) over `[N, C, L]` or `[C, L]`.
 *
 * @example
 * ```ts
 * new AvgPool1d(4)(randn([4, 8, 100])).shape; // [4, 8, 25]
 * new AvgPool1d(4).toString(); // 'AvgPool1d(kernelSize=[4], stride=[4], padding=[0])'
 * ```
 */
export class AvgPool1d extends Module {
  readonly kernelSize: [number];
  readonly stride: [number];
  readonly padding: [number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: Size1, options: AvgPool1dOptions = {}) {
    super();
    // PyTorch keeps AvgPool1d's sizes as one-element tuples.
    this.kernelSize = tuple('AvgPool1d', 'kernelSize', kernelSize, 1, 1) as [number];
    this.stride = tuple('AvgPool1d', 'stride', options.stride ?? kernelSize, 1, 1) as [number];
    this.padding = tuple('AvgPool1d', 'padding', options.padding ?? 0, 1, 0) as [number];
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }
  forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * 2-D adaptive average pooling layer (`nn.AdaptiveAvgPool2d`): any input size to `outputSize`;
 * `null` keeps that dimension's size.
 *
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool2d(1);
 * gap(randn([8, 512, 7, 7])).shape; // [8, 512, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize2) {
    super();
  }
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}

/**
 * 1-D adaptive average pooling layer (`nn.AdaptiveAvgPool1d`).
 *
 * @example
 * ```ts
 * new AdaptiveAvgPool1d(7)(randn([4, 8, 100])).shape; // [4, 8, 7]
 * ```
 */
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: Size1) {
    super();
  }
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }
  override extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}

/**
 * 2-D adaptive max pooling layer (`nn.AdaptiveMaxPool2d`); `returnIndices: true` also returns
 * the positions of the maxima.
 *
 * @example
 * ```ts
 * new AdaptiveMaxPool2d([3, 3])(randn([2, 8, 9, 9])).shape; // [2, 8, 3, 3]
 * const [y, indices] = new AdaptiveMaxPool2d(2, { returnIndices: true })(x);
 * ```
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends Module<[Tensor], MaxPoolResult<R>> {
  readonly returnIndices: R;
  constructor(
    readonly outputSize: AdaptiveSize2,
    options: { returnIndices?: R } = {},
  ) {
    super();
    this.returnIndices = (options.returnIndices ?? false) as R;
  }
  forward(input: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool2d(input, this.outputSize, { returnIndices: this.returnIndices }) as unknown as MaxPoolResult<R>;
  }
  override extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}

/**
 * 1-D adaptive max pooling layer (`nn.AdaptiveMaxPool1d`).
 *
 * @example
 * ```ts
 * new AdaptiveMaxPool1d(10)(randn([4, 8, 100])).shape; // [4, 8, 10]
 * ```
 */
export class AdaptiveMaxPool1d<R extends boolean = false> extends Module<[Tensor], MaxPoolResult<R>> {
  readonly returnIndices: R;
  constructor(
    readonly outputSize: Size1,
    options: { returnIndices?: R } = {},
  ) {
    super();
    this.returnIndices = (options.returnIndices ?? false) as R;
  }
  forward(input: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool1d(input, this.outputSize, { returnIndices: this.returnIndices }) as unknown as MaxPoolResult<R>;
  }
  override extraRepr(): string {
    return `outputSize=${show(this.outputSize)}`;
  }
}
