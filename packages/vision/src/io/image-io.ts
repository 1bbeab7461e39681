/**
 * Reading and writing PNG and JPEG files (`torchvision.io`) through `sharp` (libvips), which
 * installs from npm with prebuilt binaries and decodes PNG, JPEG, WebP, GIF, TIFF and AVIF.
 *
 * Flint has no uint8 dtype: decoded images are **int32** tensors of shape `[C, H, W]` holding
 * 0..255, the analog of torchvision's uint8 tensors. Every transform treats an int32 image as
 * a uint8 one (rounding and clamping to 0..255), and `convertImageDtype(img, 'float32')` divides
 * by 255.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { ImageFileError } from '../errors.js';
import { Image, type ImageMode } from '../image.js';

/**
 * How to read an image's channels (`torchvision.io.ImageReadMode`): `'UNCHANGED'` keeps the
 * file's own (gray, gray + alpha, RGB or RGBA), the others convert. Gray from color uses the
 * ITU-R 601-2 luma weights (0.299, 0.587, 0.114), as PIL and libjpeg do.
 *
 * @example
 * ```ts
 * const img = await readImage('cat.jpg', ImageReadMode.RGB); // or just 'RGB'
 * ```
 */
export type ImageReadMode = 'UNCHANGED' | 'GRAY' | 'GRAY_ALPHA' | 'RGB' | 'RGB_ALPHA';

/**
 * The values of {@link ImageReadMode}, written as in torchvision: `ImageReadMode.RGB`.
 *
 * @example
 * ```ts
 * await readImage('a.png', ImageReadMode.GRAY);
 * ```
 */
export const ImageReadMode = {
  UNCHANGED: 'UNCHANGED',
  GRAY: 'GRAY',
  GRAY_ALPHA: 'GRAY_ALPHA',
  RGB: 'RGB',
  RGB_ALPHA: 'RGB_ALPHA',
} as const satisfies Record<ImageReadMode, ImageReadMode>;

const READ_MODES: Record<ImageReadMode, ImageMode | null> = {
  UNCHANGED: null,
  GRAY: 'L',
  GRAY_ALPHA: 'LA',
  RGB: 'RGB',
  RGB_ALPHA: 'RGBA',
};

function checkMode(fn: string, mode: unknown): ImageReadMode {
  if (typeof mode !== 'string' || !(mode in READ_MODES)) {
    throw new ArgumentError(
      `${fn}(): mode must be one of 'UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA' (got ${JSON.stringify(mode)})`,
    );
  }
  return mode as ImageReadMode;
}

/** Decodes bytes to an {@link Image} in the file's own mode; `source` names the file in errors. @internal */
export async function decodeToImage(fn: string, bytes: Uint8Array, source: string): Promise<Image> {
  let raw: { data: Buffer; info: OutputInfo };
  let gray: boolean;
  try {
    const s = sharp(bytes, { failOn: 'error' });
    const meta = await s.metadata();
    gray = meta.space === 'b-w' || meta.space === 'grey16' || (meta.channels !== undefined && meta.channels <= 2);
    raw = await s.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new ImageFileError(`${fn}(): cannot decode ${source}: ${(e as Error).message} (supported: PNG, JPEG, WebP, GIF, TIFF, AVIF)`);
  }
  const { width, height, channels } = raw.info;
  const src = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  if (!gray) return Image.fromChannels(src.slice(), width, height, channels);
  // libvips hands gray images over as sRGB (R = G = B): keep one channel and the alpha.
  const alpha = channels === 2 || channels === 4;
  const out = new Uint8Array(width * height * (alpha ? 2 : 1));
  for (let i = 0, n = width * height; i < n; i++) {
    if (alpha) {
      out[2 * i] = src[i * channels]!;
      out[2 * i + 1] = src[i * channels + channels - 1]!;
    } else out[i] = src[i * channels]!;
  }
  return new Image(out, width, height, alpha ? 'LA' : 'L');
}

/** An {@link Image} as an int32 `[C, H, W]` tensor of 0..255. @internal */
export function imageToTensor(img: Image): Tensor {
  const { width: w, height: h } = img;
  const c = img.channels;
  const n = w * h;
  const out = new Int32Array(c * n);
  const src = img.data;
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[k * n + i] = src[i * c + k]!;
  const flat = tensor(out, { dtype: 'int32' });
  const t = flat.reshape([c, h, w]);
  if (t !== flat) flat.dispose();
  return t;
}

/**
 * Decodes PNG, JPEG (and WebP, GIF, TIFF, AVIF) bytes to an int32 `[C, H, W]` tensor of 0..255
 * (`torchvision.io.decode_image`; int32 stands in for uint8, which Flint lacks).
 *
 * @example
 * ```ts
 * const img = await decodeImage(await readFile('cat.png'), 'RGB'); // Tensor [3, H, W], int32
 * ```
 */
export async function decodeImage(data: Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const m = checkMode('decodeImage', mode);
  if (!(data instanceof Uint8Array)) {
    throw new ArgumentError(`decodeImage(): data must be a Uint8Array or Buffer of encoded bytes (got ${typeof data})`);
  }
  const img = await decodeToImage('decodeImage', data, `the given ${data.length} bytes`);
  const want = READ_MODES[m];
  return imageToTensor(want === null || want === img.mode ? img : img.convert(want));
}

const SIGNATURES = { PNG: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], JPEG: [0xff, 0xd8, 0xff] } as const;

async function decodeFormat(fn: string, format: keyof typeof SIGNATURES, data: Uint8Array, mode: ImageReadMode): Promise<Tensor> {
  checkMode(fn, mode);
  if (!(data instanceof Uint8Array)) throw new ArgumentError(`${fn}(): data must be a Uint8Array or Buffer of ${format} bytes (got ${typeof data})`);
  const sig = SIGNATURES[format];
  if (data.length < sig.length || sig.some((b, i) => data[i] !== b)) {
    const head = Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageFileError(`${fn}(): the ${data.length} bytes are not a ${format} image (they start with ${head || 'nothing'}); decodeImage() reads any format`);
  }
  return decodeImage(data, mode);
}

/**
 * Decodes PNG bytes to an int32 `[C, H, W]` tensor of 0..255 (`torchvision.io.decode_png`);
 * bytes of another format are an {@link ImageFileError}.
 *
 * @example
 * ```ts
 * const img = await decodePng(await readFile('a.png'), ImageReadMode.RGB);
 * ```
 */
export async function decodePng(data: Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  return decodeFormat('decodePng', 'PNG', data, mode);
}

/**
 * Decodes JPEG bytes to an int32 `[C, H, W]` tensor of 0..255 (`torchvision.io.decode_jpeg`);
 * bytes of another format are an {@link ImageFileError}.
 *
 * @example
 * ```ts
 * const img = await decodeJpeg(await readFile('a.jpg'));
 * ```
 */
export async function decodeJpeg(data: Uint8Array, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  return decodeFormat('decodeJpeg', 'JPEG', data, mode);
}

async function readBytes(fn: string, path: string): Promise<Uint8Array> {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`${fn}(): path must be a non-empty string (got ${JSON.stringify(path)})`);
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new ImageFileError(`${fn}(): cannot read image file ${path}: ${why}`);
  }
}

/**
 * Reads an image file into an int32 `[C, H, W]` tensor of 0..255 (`torchvision.io.read_image`).
 * A missing or undecodable file is an {@link ImageFileError} naming the file.
 *
 * @example
 * ```ts
 * const img = await readImage('cat.jpg', ImageReadMode.RGB);
 * const x = convertImageDtype(img, 'float32'); // [3, H, W] in [0, 1]
 * ```
 */
export async function readImage(path: string, mode: ImageReadMode = 'UNCHANGED'): Promise<Tensor> {
  const m = checkMode('readImage', mode);
  const bytes = await readBytes('readImage', path);
  const img = await decodeToImage('readImage', bytes, path);
  const want = READ_MODES[m];
  return imageToTensor(want === null || want === img.mode ? img : img.convert(want));
}

/**
 * Reads an image file into an {@link Image} (PIL's `Image.open(path).convert(mode)`); without
 * `mode` the file's own mode. The default loader of {@link ImageFolder} reads RGB.
 *
 * @example
 * ```ts
 * const img = await loadImage('cat.jpg', 'RGB'); // Image, 8-bit, interleaved
 * ```
 */
export async function loadImage(path: string, mode?: ImageMode): Promise<Image> {
  const bytes = await readBytes('loadImage', path);
  const img = await decodeToImage('loadImage', bytes, path);
  return mode === undefined || mode === img.mode ? img : img.convert(mode);
}

/** Interleaved bytes of an image tensor [C, H, W] (C 1-4) or an Image, checked. @internal */
export function interleaved(fn: string, input: Tensor | Image): { data: Uint8Array; width: number; height: number; channels: number } {
  if (input instanceof Image) return { data: input.data, width: input.width, height: input.height, channels: input.channels };
  if (!(input instanceof Tensor)) {
    throw new ArgumentError(`${fn}(): input must be an image Tensor [C, H, W] or an Image (got ${typeof input})`);
  }
  if (input.ndim !== 3 || input.shape[0]! < 1 || input.shape[0]! > 4) {
    throw new ShapeError(`${fn}(): input must have shape [C, H, W] with C in 1..4 (got [${input.shape.join(', ')}])`);
  }
  if (input.dtype !== 'int32') {
    throw new DTypeError(
      `${fn}(): input must be an int32 image of 0..255, the uint8 analog (got ${input.dtype}); convert with convertImageDtype(x, 'int32')`,
    );
  }
  const [c, h, w] = input.shape as [number, number, number];
  const src = input.dataSync();
  const n = h * w;
  const out = new Uint8Array(n * c);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) {
      const v = src[k * n + i]!;
      if (v < 0 || v > 255) {
        throw new ArgumentError(`${fn}(): input values must lie in 0..255 (got ${v} at channel ${k}, pixel ${i})`);
      }
      out[i * c + k] = v;
    }
  }
  return { data: out, width: w, height: h, channels: c };
}

function encoder(fn: string, input: Tensor | Image): Sharp {
  const { data, width, height, channels } = interleaved(fn, input);
  const s = sharp(data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
  // Without this libvips writes a gray image as RGB.
  return channels <= 2 ? s.toColourspace('b-w') : s;
}

/**
 * Encodes an int32 `[C, H, W]` image of 0..255 (C = 1, 2, 3 or 4) or an {@link Image} as PNG
 * bytes (`torchvision.io.encode_png`; a Buffer rather than a uint8 tensor).
 *
 * @example
 * ```ts
 * const png = await encodePng(img, 6);
 * ```
 */
export async function encodePng(input: Tensor | Image, compressionLevel = 6): Promise<Buffer> {
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9) {
    throw new ArgumentError(`encodePng(): compressionLevel must be an integer in 0..9 (got ${compressionLevel})`);
  }
  return encoder('encodePng', input).png({ compressionLevel }).toBuffer();
}

/**
 * Encodes an int32 `[C, H, W]` image of 0..255 (C = 1 or 3) or an {@link Image} as JPEG bytes
 * (`torchvision.io.encode_jpeg`).
 *
 * @example
 * ```ts
 * const jpg = await encodeJpeg(img, 90);
 * ```
 */
export async function encodeJpeg(input: Tensor | Image, quality = 75): Promise<Buffer> {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new ArgumentError(`encodeJpeg(): quality must be an integer in 1..100 (got ${quality})`);
  }
  const c = input instanceof Image ? input.channels : input instanceof Tensor ? input.shape[0] : undefined;
  if (c !== 1 && c !== 3) {
    throw new ShapeError(`encodeJpeg(): JPEG holds 1 or 3 channels (got ${String(c)}); drop the alpha channel first`);
  }
  return encoder('encodeJpeg', input).jpeg({ quality }).toBuffer();
}

async function writeBytes(fn: string, path: string, bytes: Buffer): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new ImageFileError(`${fn}(): cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * Writes an int32 `[C, H, W]` image or an {@link Image} as a PNG file (`torchvision.io.write_png`).
 *
 * @example
 * ```ts
 * await writePng(img, 'out.png');
 * ```
 */
export async function writePng(input: Tensor | Image, path: string, compressionLevel = 6): Promise<void> {
  await writeBytes('writePng', path, await encodePng(input, compressionLevel));
}

/**
 * Writes an int32 `[C, H, W]` image or an {@link Image} as a JPEG file (`torchvision.io.write_jpeg`).
 *
 * @example
 * ```ts
 * await writeJpeg(img, 'out.jpg', 90);
 * ```
 */
export async function writeJpeg(input: Tensor | Image, path: string, quality = 75): Promise<void> {
  await writeBytes('writeJpeg', path, await encodeJpeg(input, quality));
}
