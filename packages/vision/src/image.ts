/**
 * `Image`: the analog of a PIL image, plain pixels in memory (no tensor, nothing to free).
 * Datasets return it, transforms accept it beside tensors, and {@link ToTensor} turns it into a
 * float32 CHW tensor. Pixels are 8-bit, interleaved (height x width x channels), as PIL keeps them.
 * @module
 */
import { ArgumentError } from '@flint/core';

/** A PIL image mode: `'L'` gray, `'LA'` gray + alpha, `'RGB'`, `'RGBA'`. */
export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA';

const CHANNELS: Record<ImageMode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };
const MODES: Record<number, ImageMode> = { 1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA' };

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * An 8-bit image held as interleaved bytes, the `PIL.Image.Image` analog. `size` is
 * `[width, height]` as in PIL.
 *
 * @example
 * ```ts
 * const img = new Image(new Uint8Array(28 * 28), 28, 28, 'L');
 * img.size;            // [28, 28]
 * img.getPixel(3, 4);  // [0]
 * const rgb = img.convert('RGB');
 * ```
 */
export class Image {
  /** Bytes, row by row, channels interleaved: `data[(y * width + x) * channels + c]`. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly mode: ImageMode;

  constructor(data: Uint8Array, width: number, height: number, mode: ImageMode) {
    if (!(mode in CHANNELS)) {
      throw new ArgumentError(`Image(): mode must be one of 'L', 'LA', 'RGB', 'RGBA' (got ${describeValue(mode)})`);
    }
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
      throw new ArgumentError(`Image(): width and height must be integers >= 0 (got ${describeValue(width)}, ${describeValue(height)})`);
    }
    if (!(data instanceof Uint8Array) || data.length !== width * height * CHANNELS[mode]) {
      throw new ArgumentError(
        `Image(): data must be a Uint8Array of width * height * channels = ${width * height * CHANNELS[mode]} bytes ` +
          `for mode '${mode}' (got ${data instanceof Uint8Array ? `${data.length} bytes` : describeValue(data)})`,
      );
    }
    this.data = data;
    this.width = width;
    this.height = height;
    this.mode = mode;
  }

  /** The image of `channels` (1-4) interleaved channels, its mode following the count. @internal */
  static fromChannels(data: Uint8Array, width: number, height: number, channels: number): Image {
    const mode = MODES[channels];
    if (mode === undefined) throw new ArgumentError(`Image(): an image has 1 to 4 channels (got ${channels})`);
    return new Image(data, width, height, mode);
  }

  /** `[width, height]`, as PIL's `Image.size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** The number of channels (1 for `'L'`, 3 for `'RGB'`...). */
  get channels(): number {
    return CHANNELS[this.mode];
  }

  /** The channel values at column `x`, row `y` (`Image.getpixel`). */
  getPixel(x: number, y: number): number[] {
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= this.width || y >= this.height) {
      throw new ArgumentError(`Image.getPixel(): (x, y) must lie inside ${this.width}x${this.height} (got (${x}, ${y}))`);
    }
    const c = this.channels;
    return Array.from(this.data.subarray((y * this.width + x) * c, (y * this.width + x) * c + c));
  }

  /**
   * A copy in another mode (`Image.convert`). RGB to L uses PIL's ITU-R 601-2 luma
   * `L = R * 299/1000 + G * 587/1000 + B * 114/1000` (rounded); adding alpha makes it opaque.
   */
  convert(mode: ImageMode): Image {
    if (!(mode in CHANNELS)) {
      throw new ArgumentError(`Image.convert(): mode must be one of 'L', 'LA', 'RGB', 'RGBA' (got ${describeValue(mode)})`);
    }
    if (mode === this.mode) return new Image(this.data.slice(), this.width, this.height, mode);
    const n = this.width * this.height;
    const cin = this.channels;
    const cout = CHANNELS[mode];
    const out = new Uint8Array(n * cout);
    const src = this.data;
    const inGray = cin <= 2;
    const inAlpha = cin === 2 || cin === 4;
    for (let i = 0; i < n; i++) {
      const p = i * cin;
      let r: number, g: number, b: number;
      if (inGray) r = g = b = src[p]!;
      else {
        r = src[p]!;
        g = src[p + 1]!;
        b = src[p + 2]!;
      }
      const a = inAlpha ? src[p + cin - 1]! : 255;
      const q = i * cout;
      if (cout <= 2) {
        out[q] = inGray ? r : (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
        if (cout === 2) out[q + 1] = a;
      } else {
        out[q] = r;
        out[q + 1] = g;
        out[q + 2] = b;
        if (cout === 4) out[q + 3] = a;
      }
    }
    return new Image(out, this.width, this.height, mode);
  }

  /** A short description: `Image(mode=RGB, size=32x32)`. */
  toString(): string {
    return `Image(mode=${this.mode}, size=${this.width}x${this.height})`;
  }
}
