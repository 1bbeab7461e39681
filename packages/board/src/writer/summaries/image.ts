/**
 * Images as PyTorch's `add_image` / `add_images` / `add_image_with_boxes` make them: any
 * `dataformats` layout to HWC, batches gridded like `make_grid` (8 columns), floats in [0, 1]
 * scaled to 0..255, integers taken as 0..255, PNG through `sharp`.
 * @module
 */
import sharp from 'sharp';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { NdArray } from '../../util/ndarray.js';

/** An 8-bit image, row-major HWC. */
export interface RawImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

const FORMATS: Record<number, string> = { 2: 'HW', 3: 'CHW', 4: 'NCHW' };

/** Checks `dataformats` against the data's rank; returns it upper-cased. */
export function checkDataformats(fn: string, arg: string, nd: NdArray, dataformats: string): string {
  if (typeof dataformats !== 'string') throw new ArgumentError(`${fn}(): dataformats must be a string like 'CHW' (got ${describe(dataformats)})`);
  const f = dataformats.toUpperCase();
  const want = FORMATS[f.length];
  if (!want || new Set(f).size !== f.length || [...f].some((c) => !want.includes(c))) {
    throw new ArgumentError(`${fn}(): dataformats must be a permutation of HW, CHW or NCHW, like 'HWC' or 'NHWC' (got ${describe(dataformats)})`);
  }
  if (nd.shape.length !== f.length) {
    const hint = nd.shape.length === 4 && f.length === 3 ? "; a batch of images goes to addImages, or pass dataformats: 'NCHW'" : `; pass dataformats with ${nd.shape.length} letters, e.g. '${FORMATS[nd.shape.length] ?? 'CHW'}'`;
    throw new ShapeError(`${fn}(): ${arg} has shape [${nd.shape.join(', ')}] (rank ${nd.shape.length}) but dataformats '${f}' needs rank ${f.length}${hint}`);
  }
  if (nd.shape.some((d) => d === 0)) throw new ShapeError(`${fn}(): ${arg} has shape [${nd.shape.join(', ')}]: an image cannot be empty`);
  return f;
}

/** Scales a value to 0..255 the way PyTorch does for floats, or clips an integer. */
function toByte(v: number, isFloat: boolean): number {
  const x = isFloat ? v * 255 : v;
  if (!(x > 0)) return 0;
  return x >= 255 ? 255 : Math.trunc(x);
}

/** Reads element (n, c, h, w) of `nd` laid out as `fmt`, via strides. */
function strides(shape: number[], fmt: string, letters: string): number[] {
  const st: number[] = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) (st[i] = s), (s *= shape[i]!);
  return [...letters].map((c) => (fmt.includes(c) ? st[fmt.indexOf(c)]! : 0));
}

/**
 * Converts data in any `dataformats` to an 8-bit HWC image; batches (N...) are gridded with
 * `ncols` columns. One channel becomes three (gray to RGB, as PyTorch does); 3 (RGB) and 4 (RGBA)
 * are kept.
 *
 * @example
 * ```ts
 * toRawImage('addImage', 'imgTensor', toNdArray('addImage', 'imgTensor', chw), 'CHW');
 * ```
 */
export function toRawImage(fn: string, arg: string, nd: NdArray, dataformats: string, ncols = 8): RawImage {
  const f = checkDataformats(fn, arg, nd, dataformats);
  const dim = (c: string) => (f.includes(c) ? nd.shape[f.indexOf(c)]! : 1);
  const [n, c, h, w] = [dim('N'), dim('C'), dim('H'), dim('W')];
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new ShapeError(`${fn}(): ${arg} has ${c} channels (shape [${nd.shape.join(', ')}], dataformats '${f}'); images need 1 (gray), 3 (RGB) or 4 (RGBA)`);
  }
  const [sn, sc, sh, sw] = strides(nd.shape, f, 'NCHW');
  const isFloat = nd.kind === 'float32' || nd.kind === 'float64' || nd.kind === 'bool';
  const outC = c === 1 ? 3 : c;
  const cols = f.length === 4 ? Math.min(n, ncols) : 1;
  const rows = Math.ceil(n / cols);
  const H = h * rows;
  const W = w * cols;
  const out = new Uint8Array(H * W * outC);
  const data = nd.data;
  for (let i = 0; i < n; i++) {
    const oy = Math.floor(i / cols) * h;
    const ox = (i % cols) * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = ((oy + y) * W + ox + x) * outC;
        const base = i * sn! + y * sh! + x * sw!;
        for (let k = 0; k < outC; k++) out[o + k] = toByte(Number(data[base + (c === 1 ? 0 : k) * sc!]), isFloat);
      }
    }
  }
  return { data: out, height: H, width: W, channels: outC };
}

/**
 * PNG-encodes an 8-bit image with sharp.
 *
 * @example
 * ```ts
 * const png = await encodePng({ data: new Uint8Array(12), height: 2, width: 2, channels: 3 });
 * ```
 */
export async function encodePng(img: RawImage): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } }).png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Checks boxes `[N, 4]` (x1, y1, x2, y2 in pixels) and labels; returns the boxes as rows. */
export function checkBoxes(fn: string, boxes: NdArray, labels: readonly string[] | undefined): number[][] {
  const shape = boxes.shape.length === 1 && boxes.shape[0] === 4 ? [1, 4] : boxes.shape;
  if (shape.length !== 2 || shape[1] !== 4) throw new ShapeError(`${fn}(): boxTensor must have shape [N, 4] as (xmin, ymin, xmax, ymax) (got [${boxes.shape.join(', ')}])`);
  const rows = Array.from({ length: shape[0]! }, (_, i) => Array.from({ length: 4 }, (_, k) => Number(boxes.data[i * 4 + k])));
  if (labels !== undefined) {
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new ArgumentError(`${fn}(): labels must be an array of strings (got ${describe(labels)})`);
    if (labels.length !== rows.length) throw new ShapeError(`${fn}(): labels must have one label per box (${rows.length} boxes, got ${labels.length} labels)`);
  }
  return rows;
}

/** Draws red box outlines, 2 pixels wide, into `img` in place. */
export function drawBoxes(img: RawImage, boxes: number[][]): void {
  const { data, width, height, channels } = img;
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * channels;
    data[o] = 255;
    data[o + 1] = 0;
    data[o + 2] = 0;
    if (channels === 4) data[o + 3] = 255;
  };
  for (const [x1, y1, x2, y2] of boxes) {
    const [l, t, r, b] = [Math.round(x1!), Math.round(y1!), Math.round(x2!), Math.round(y2!)];
    for (let d = 0; d < 2; d++) {
      for (let x = l; x <= r; x++) (put(x, t + d), put(x, b - d));
      for (let y = t; y <= b; y++) (put(l + d, y), put(r - d, y));
    }
  }
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * PNG-encodes `img` with labels drawn above their boxes (black text on red, as PyTorch draws them),
 * scaled by `rescale`.
 */
export async function encodePngWithLabels(img: RawImage, boxes: number[][], labels: readonly string[] | undefined, rescale: number): Promise<{ png: Uint8Array; width: number; height: number; channels: number }> {
  let channels = img.channels;
  let pipeline = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 3 | 4 } });
  if (labels && labels.length > 0) {
    const size = 10;
    const parts = boxes.map(([x1, y1], i) => {
      const text = labels[i]!;
      const tw = Math.ceil(text.length * size * 0.6) + 2;
      const top = Math.max(0, Math.round(y1!) - size - 2);
      return `<rect x="${Math.round(x1!)}" y="${top}" width="${tw}" height="${size + 2}" fill="red"/><text x="${Math.round(x1!) + 1}" y="${top + size}" font-family="sans-serif" font-size="${size}" fill="black">${escapeXml(text)}</text>`;
    });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${img.width}" height="${img.height}">${parts.join('')}</svg>`;
    const { data, info } = await pipeline.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).raw().toBuffer({ resolveWithObject: true });
    pipeline = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    if (img.channels === 3 && info.channels === 4) pipeline = pipeline.removeAlpha();
    channels = img.channels;
  }
  let width = img.width;
  let height = img.height;
  if (rescale !== 1) {
    width = Math.max(1, Math.trunc(img.width * rescale));
    height = Math.max(1, Math.trunc(img.height * rescale));
    pipeline = pipeline.resize(width, height, { kernel: 'lanczos3', fit: 'fill' });
  }
  const buf = await pipeline.png().toBuffer();
  return { png: new Uint8Array(buf.buffer, buf.byteOffset, buf.length), width, height, channels };
}
