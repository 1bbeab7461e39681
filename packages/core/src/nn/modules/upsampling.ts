/**
 * Resizing layers (`torch.nn`): `Upsample`, `UpsamplingNearest2d`, `UpsamplingBilinear2d`,
 * `PixelShuffle`, `PixelUnshuffle`. Each keeps its arguments and calls `functional`.
 * @module
 */
import { ArgumentError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { interpolate, pixelShuffle, pixelUnshuffle, type InterpolateMode, type InterpolateOptions } from '../functional/upsampling.js';
import { Module } from '../module.js';

const show = (v: number | readonly number[]): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** PyTorch's `Upsample.extra_repr`: the scale factor (or else the size) and the mode. */
function resizeRepr(m: { size: number | readonly number[] | null; scaleFactor: number | readonly number[] | null; mode: string }): string {
  const what = m.scaleFactor !== null ? `scaleFactor=${show(m.scaleFactor)}` : `size=${show(m.size!)}`;
  return `${what}, mode=${m.mode}`;
}

function sizeOrScale(cls: string, o: { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null }): void {
  const hasSize = o.size !== undefined && o.size !== null;
  const hasScale = o.scaleFactor !== undefined && o.scaleFactor !== null;
  if (hasSize === hasScale) throw new ArgumentError(`${cls}(): exactly one of size and scaleFactor must be given`);
}

/**
 * Resizes its input (`nn.Upsample`) with {@link interpolate}: `[N, C, L]` or `[N, C, H, W]`,
 * by `size` or `scaleFactor`, in mode `'nearest'` (default), `'nearest-exact'`, `'linear'`,
 * `'bilinear'` or `'area'`.
 *
 * @example
 * ```ts
 * const up = new Upsample({ scaleFactor: 2, mode: 'bilinear' });
 * up(randn([1, 3, 16, 16])).shape; // [1, 3, 32, 32]
 * up.toString(); // 'Upsample(scaleFactor=2, mode=bilinear)'
 * ```
 */
export class Upsample extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;
  constructor(options: InterpolateOptions) {
    super();
    sizeOrScale('Upsample', options);
    this.size = options.size ?? null;
    this.scaleFactor = options.scaleFactor ?? null;
    this.mode = options.mode ?? 'nearest';
    this.alignCorners = options.alignCorners ?? null;
    this.recomputeScaleFactor = options.recomputeScaleFactor ?? null;
  }
  forward(input: Tensor): Tensor {
    return interpolate(input, {
      size: this.size ?? undefined,
      scaleFactor: this.scaleFactor ?? undefined,
      mode: this.mode,
      alignCorners: this.alignCorners ?? undefined,
      recomputeScaleFactor: this.recomputeScaleFactor ?? undefined,
    });
  }
  override extraRepr(): string {
    return resizeRepr(this);
  }
}

/** The resizing a fixed-mode layer does: by `size` or by `scaleFactor`. */
export interface ResizeOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
}

/**
 * Nearest-neighbour upsampling of `[N, C, H, W]` (`nn.UpsamplingNearest2d`).
 *
 * @example
 * ```ts
 * new UpsamplingNearest2d({ scaleFactor: 2 })(randn([1, 3, 8, 8])).shape; // [1, 3, 16, 16]
 * ```
 */
export class UpsamplingNearest2d extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode = 'nearest' as const;
  constructor(options: ResizeOptions) {
    super();
    sizeOrScale('UpsamplingNearest2d', options);
    this.size = options.size ?? null;
    this.scaleFactor = options.scaleFactor ?? null;
  }
  forward(input: Tensor): Tensor {
    return interpolate(input, { size: this.size ?? undefined, scaleFactor: this.scaleFactor ?? undefined });
  }
  override extraRepr(): string {
    return resizeRepr(this);
  }
}

/**
 * Bilinear upsampling of `[N, C, H, W]` with aligned corners (`nn.UpsamplingBilinear2d`).
 *
 * @example
 * ```ts
 * new UpsamplingBilinear2d({ size: [20, 30] })(randn([1, 3, 8, 8])).shape; // [1, 3, 20, 30]
 * ```
 */
export class UpsamplingBilinear2d extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode = 'bilinear' as const;
  constructor(options: ResizeOptions) {
    super();
    sizeOrScale('UpsamplingBilinear2d', options);
    this.size = options.size ?? null;
    this.scaleFactor = options.scaleFactor ?? null;
  }
  forward(input: Tensor): Tensor {
    return interpolate(input, { size: this.size ?? undefined, scaleFactor: this.scaleFactor ?? undefined, mode: 'bilinear', alignCorners: true });
  }
  override extraRepr(): string {
    return resizeRepr(this);
  }
}

/**
 * Rearranges `[..., C * r^2, H, W]` into `[..., C, H * r, W * r]` (`nn.PixelShuffle`).
 *
 * @example
 * ```ts
 * new PixelShuffle(3)(randn([1, 9, 4, 4])).shape; // [1, 1, 12, 12]
 * ```
 */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }
  forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/**
 * Rearranges `[..., C, H * r, W * r]` into `[..., C * r^2, H, W]` (`nn.PixelUnshuffle`).
 *
 * @example
 * ```ts
 * new PixelUnshuffle(2)(randn([1, 1, 8, 8])).shape; // [1, 4, 4, 4]
 * ```
 */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
  }
  forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}
