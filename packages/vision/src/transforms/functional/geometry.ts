/**
 * Flips, crops and padding (`torchvision.transforms.functional` hflip, vflip, crop, center_crop,
 * pad, five_crop, ten_crop), exact as torchvision's tensor path.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Image } from '../../image.js';
import { alloc, dims, mapPixels, pyRound, read, shapeOf, write, type ImageInput, type Planar } from './pixels.js';

/**
 * Flips an image left to right (`F.hflip`).
 *
 * @example
 * ```ts
 * const flipped = hflip(img); // works on [C, H, W], [N, C, H, W] and Image
 * ```
 */
export function hflip<T extends ImageInput>(img: T): T {
  if (img instanceof Image) {
    const { width: w, height: h, channels: c, data: src } = img;
    const out = new Uint8Array(src.length);
    for (let y = 0; y < h; y++) {
      const row = y * w * c;
      for (let x = 0; x < w; x++) {
        const o = row + x * c;
        const i = row + (w - 1 - x) * c;
        for (let k = 0; k < c; k++) out[o + k] = src[i + k]!;
      }
    }
    return new Image(out, w, h, img.mode) as T;
  }
  return mapPixels('hflip', img, (p) => {
    const { n, c, h, w } = dims(p);
    const out = alloc(p.shape, p.float);
    const src = p.data;
    const dst = out.data;
    const rows = n * c * h;
    for (let r = 0; r < rows; r++) {
      const o = r * w;
      for (let x = 0; x < w; x++) dst[o + x] = src[o + w - 1 - x]!;
    }
    return out;
  });
}

/**
 * Flips an image top to bottom (`F.vflip`).
 *
 * @example
 * ```ts
 * const flipped = vflip(img);
 * ```
 */
export function vflip<T extends ImageInput>(img: T): T {
  return mapPixels('vflip', img, (p) => {
    const { n, c, h, w } = dims(p);
    const out = alloc(p.shape, p.float);
    for (let pl = 0; pl < n * c; pl++) {
      const base = pl * h * w;
      for (let y = 0; y < h; y++) out.data.set(p.data.subarray(base + (h - 1 - y) * w, base + (h - y) * w), base + y * w);
    }
    return out;
  });
}

/** How {@link pad} fills the border: a constant, the edge pixel, a reflection without or with the edge. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** `[left, top, right, bottom]` from an int, `[lr, tb]` or `[l, t, r, b]` (`_parse_pad_padding`). @internal */
export function parsePadding(fn: string, padding: number | readonly number[]): [number, number, number, number] {
  const p = typeof padding === 'number' ? [padding] : padding;
  if (!Array.isArray(p) || ![1, 2, 4].includes(p.length) || p.some((v) => !Number.isInteger(v))) {
    throw new ArgumentError(`${fn}(): padding must be an integer or an array of 1, 2 or 4 integers (got ${JSON.stringify(padding)})`);
  }
  if (p.length === 1) return [p[0], p[0], p[0], p[0]];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return [p[0], p[1], p[2], p[3]];
}

/** Source index for an out-of-range index `i` in [0, n) under a padding mode. */
function padIndex(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'edge') return i < 0 ? 0 : n - 1;
  if (mode === 'reflect') {
    const period = 2 * (n - 1);
    if (period === 0) return 0;
    let k = ((i % period) + period) % period;
    if (k >= n) k = period - k;
    return k;
  }
  // symmetric: the edge pixel repeats.
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

/** Pads (or, with negative amounts, crops) planar pixels. @internal */
export function padPlanar(fn: string, p: Planar, [l, t, r, b]: [number, number, number, number], fill: number, mode: PaddingMode): Planar {
  const { n, c, h, w } = dims(p);
  if (mode === 'reflect' && (Math.max(l, r) >= w || Math.max(t, b) >= h)) {
    throw new ArgumentError(`${fn}(): reflect padding must be smaller than the image (padding [${l}, ${t}, ${r}, ${b}], image ${h}x${w})`);
  }
  if (mode !== 'constant' && (l < 0 || t < 0 || r < 0 || b < 0)) {
    throw new ArgumentError(`${fn}(): negative padding is only allowed with padding_mode 'constant' (got [${l}, ${t}, ${r}, ${b}])`);
  }
  const oh = h + t + b;
  const ow = w + l + r;
  if (oh <= 0 || ow <= 0) throw new ArgumentError(`${fn}(): padding [${l}, ${t}, ${r}, ${b}] leaves no pixels of a ${h}x${w} image`);
  const out = alloc([...p.shape.slice(0, -2), oh, ow], p.float);
  const v = p.float ? fill : Math.trunc(fill);
  const xs = new Int32Array(ow);
  for (let x = 0; x < ow; x++) xs[x] = mode === 'constant' ? (x - l >= 0 && x - l < w ? x - l : -1) : padIndex(x - l, w, mode);
  for (let pl = 0; pl < n * c; pl++) {
    const src = pl * h * w;
    const dst = pl * oh * ow;
    for (let y = 0; y < oh; y++) {
      const sy = mode === 'constant' ? (y - t >= 0 && y - t < h ? y - t : -1) : padIndex(y - t, h, mode);
      const row = dst + y * ow;
      for (let x = 0; x < ow; x++) {
        const sx = xs[x]!;
        out.data[row + x] = sy < 0 || sx < 0 ? v : p.data[src + sy * w + sx]!;
      }
    }
  }
  return out;
}

/**
 * Pads every side of an image (`F.pad`): `padding` is an int, `[leftRight, topBottom]` or
 * `[left, top, right, bottom]`; `paddingMode` `'constant'` (with `fill`), `'edge'`, `'reflect'` or
 * `'symmetric'`. Negative padding crops (constant mode).
 *
 * @example
 * ```ts
 * pad(img, [2, 4], 0, 'reflect'); // 2 columns left and right, 4 rows top and bottom
 * ```
 */
export function pad<T extends ImageInput>(img: T, padding: number | readonly number[], fill = 0, paddingMode: PaddingMode = 'constant'): T {
  const ltrb = parsePadding('pad', padding);
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(paddingMode)) {
    throw new ArgumentError(`pad(): paddingMode must be 'constant', 'edge', 'reflect' or 'symmetric' (got ${JSON.stringify(paddingMode)})`);
  }
  if (typeof fill !== 'number') throw new ArgumentError(`pad(): fill must be a number (got ${JSON.stringify(fill)})`);
  return mapPixels('pad', img, (p) => padPlanar('pad', p, ltrb, fill, paddingMode));
}

/** Crops planar pixels; regions outside the image are zeros (torchvision's `F_t.crop`). @internal */
export function cropPlanar(p: Planar, top: number, left: number, height: number, width: number): Planar {
  const { n, c, h, w } = dims(p);
  const out = alloc([...p.shape.slice(0, -2), height, width], p.float);
  for (let pl = 0; pl < n * c; pl++) {
    const src = pl * h * w;
    const dst = pl * height * width;
    for (let y = 0; y < height; y++) {
      const sy = top + y;
      if (sy < 0 || sy >= h) continue;
      const x0 = Math.max(0, -left);
      const x1 = Math.min(width, w - left);
      if (x1 > x0) out.data.set(p.data.subarray(src + sy * w + left + x0, src + sy * w + left + x1), dst + y * width + x0);
    }
  }
  return out;
}

function checkBox(fn: string, top: number, left: number, height: number, width: number): void {
  if (![top, left, height, width].every(Number.isInteger) || height <= 0 || width <= 0) {
    throw new ArgumentError(
      `${fn}(): top, left must be integers and height, width integers > 0 (got ${top}, ${left}, ${height}, ${width})`,
    );
  }
}

/**
 * The `height x width` region whose top-left corner is (`top`, `left`) (`F.crop`). Parts outside
 * the image are zeros.
 *
 * @example
 * ```ts
 * crop(img, 10, 20, 64, 64);
 * ```
 */
export function crop<T extends ImageInput>(img: T, top: number, left: number, height: number, width: number): T {
  checkBox('crop', top, left, height, width);
  if (img instanceof Image) {
    // Rows of interleaved bytes; the parts outside the image stay zero.
    const { width: w, height: h, channels: c, data: src } = img;
    const out = new Uint8Array(height * width * c);
    const x0 = Math.max(0, -left);
    const x1 = Math.min(width, w - left);
    for (let y = 0; y < height; y++) {
      const sy = top + y;
      if (sy < 0 || sy >= h || x1 <= x0) continue;
      out.set(src.subarray((sy * w + left + x0) * c, (sy * w + left + x1) * c), (y * width + x0) * c);
    }
    return new Image(out, width, height, img.mode) as T;
  }
  return mapPixels('crop', img, (p) => cropPlanar(p, top, left, height, width));
}

/** `[h, w]` from an int or `[h]` or `[h, w]`. @internal */
export function parseSize(fn: string, name: string, size: number | readonly number[]): [number, number] {
  const s = typeof size === 'number' ? [size, size] : size.length === 1 ? [size[0]!, size[0]!] : size;
  if (!Array.isArray(s) || s.length !== 2 || s.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new ArgumentError(`${fn}(): ${name} must be an integer > 0 or [height, width] (got ${JSON.stringify(size)})`);
  }
  return [s[0]!, s[1]!];
}

/** Center crop of planar pixels, padding with zeros when the crop is larger. @internal */
export function centerCropPlanar(p: Planar, th: number, tw: number): Planar {
  let { h, w } = dims(p);
  if (tw > w || th > h) {
    const ltrb: [number, number, number, number] = [
      tw > w ? (tw - w) >> 1 : 0,
      th > h ? (th - h) >> 1 : 0,
      tw > w ? (tw - w + 1) >> 1 : 0,
      th > h ? (th - h + 1) >> 1 : 0,
    ];
    p = padPlanar('centerCrop', p, ltrb, 0, 'constant');
    ({ h, w } = dims(p));
    if (tw === w && th === h) return p;
  }
  const top = pyRound((h - th) / 2);
  const left = pyRound((w - tw) / 2);
  return cropPlanar(p, top, left, th, tw);
}

/**
 * The central `size` region (`F.center_crop`); an image smaller than `size` is padded with zeros.
 *
 * @example
 * ```ts
 * centerCrop(img, 224);
 * centerCrop(img, [32, 48]);
 * ```
 */
export function centerCrop<T extends ImageInput>(img: T, outputSize: number | readonly number[]): T {
  const [th, tw] = parseSize('centerCrop', 'outputSize', outputSize);
  if (img instanceof Image && th <= img.height && tw <= img.width) {
    return crop(img, pyRound((img.height - th) / 2), pyRound((img.width - tw) / 2), th, tw);
  }
  return mapPixels('centerCrop', img, (p) => centerCropPlanar(p, th, tw));
}

/**
 * The four corner crops and the central crop, in torchvision's order
 * `[topLeft, topRight, bottomLeft, bottomRight, center]` (`F.five_crop`).
 *
 * @example
 * ```ts
 * const [tl, tr, bl, br, center] = fiveCrop(img, 24);
 * ```
 */
export function fiveCrop<T extends ImageInput>(img: T, size: number | readonly number[]): [T, T, T, T, T] {
  const [ch, cw] = parseSize('fiveCrop', 'size', size);
  const [, h, w] = shapeOf('fiveCrop', img);
  if (ch > h || cw > w) {
    throw new ArgumentError(`fiveCrop(): requested crop size [${ch}, ${cw}] is bigger than input size [${h}, ${w}]`);
  }
  const p = read('fiveCrop', img);
  const out = [
    cropPlanar(p, 0, 0, ch, cw),
    cropPlanar(p, 0, w - cw, ch, cw),
    cropPlanar(p, h - ch, 0, ch, cw),
    cropPlanar(p, h - ch, w - cw, ch, cw),
    centerCropPlanar(p, ch, cw),
  ];
  return out.map((q) => write('fiveCrop', q, img)) as [T, T, T, T, T];
}

/**
 * The five crops of {@link fiveCrop} and the five of the flipped image (horizontally, or
 * vertically with `verticalFlip`) (`F.ten_crop`).
 *
 * @example
 * ```ts
 * const crops = tenCrop(img, 24); // 10 images
 * ```
 */
export function tenCrop<T extends ImageInput>(img: T, size: number | readonly number[], verticalFlip = false): T[] {
  const first = fiveCrop(img, size);
  const flipped = verticalFlip ? vflip(img) : hflip(img);
  const second = fiveCrop(flipped, size);
  if (flipped !== img && typeof (flipped as { dispose?: () => void }).dispose === 'function') (flipped as { dispose(): void }).dispose();
  return [...first, ...second];
}
