/**
 * `drawBoundingBoxes` (`torchvision.utils.draw_bounding_boxes`).
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, tensor } from '@flint/core';

/** A color: `[r, g, b]`, `'#rrggbb'`, `'#rgb'`, `'rgb(r, g, b)'` or a common CSS name. */
export type Color = readonly [number, number, number] | string;

const NAMED: Record<string, [number, number, number]> = {
  black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], lime: [0, 255, 0], green: [0, 128, 0],
  blue: [0, 0, 255], yellow: [255, 255, 0], cyan: [0, 255, 255], aqua: [0, 255, 255], magenta: [255, 0, 255],
  fuchsia: [255, 0, 255], orange: [255, 165, 0], purple: [128, 0, 128], pink: [255, 192, 203], brown: [165, 42, 42],
  gray: [128, 128, 128], grey: [128, 128, 128], silver: [192, 192, 192], navy: [0, 0, 128], teal: [0, 128, 128],
  olive: [128, 128, 0], maroon: [128, 0, 0], gold: [255, 215, 0], violet: [238, 130, 238], indigo: [75, 0, 130],
}; // prettier-ignore

/** `[r, g, b]` of a color, as PIL's `ImageColor.getrgb` for the forms it supports. @internal */
export function parseColor(fn: string, color: Color): [number, number, number] {
  if (Array.isArray(color)) {
    const c = color as readonly number[];
    if (c.length >= 3 && c.slice(0, 3).every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return [c[0]!, c[1]!, c[2]!];
  } else if (typeof color === 'string') {
    const s = color.trim().toLowerCase();
    if (s in NAMED) return NAMED[s]!;
    let m = /^#([0-9a-f]{6})$/.exec(s);
    if (m) return [parseInt(m[1]!.slice(0, 2), 16), parseInt(m[1]!.slice(2, 4), 16), parseInt(m[1]!.slice(4, 6), 16)];
    m = /^#([0-9a-f]{3})$/.exec(s);
    if (m) return [...m[1]!].map((ch) => parseInt(ch + ch, 16)) as [number, number, number];
    m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
    if (m && [m[1], m[2], m[3]].every((v) => Number(v) <= 255)) return [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  throw new ArgumentError(
    `${fn}(): unknown color ${JSON.stringify(color)}; give [r, g, b], '#rrggbb', 'rgb(r, g, b)' or one of ${Object.keys(NAMED).join(', ')}`,
  );
}

/** torchvision's `_generate_color_palette`: `(i * [2^25 - 1, 2^15 - 1, 2^21 - 1]) % 255`. @internal */
export function colorPalette(n: number): [number, number, number][] {
  const palette = [2 ** 25 - 1, 2 ** 15 - 1, 2 ** 21 - 1];
  return Array.from({ length: n }, (_, i) => palette.map((p) => (i * p) % 255) as [number, number, number]);
}

/** Options of {@link drawBoundingBoxes}. */
export interface DrawBoundingBoxesOptions {
  /**
   * One label per box. Checked, but not drawn: Flint has no synchronous font rasterizer, so label
   * text is not rendered (torchvision draws it with PIL's default font).
   */
  labels?: readonly string[];
  /** One color for all boxes or one per box (default: torchvision's generated palette). */
  colors?: Color | readonly Color[];
  /** Fill the boxes with their color at alpha 100/255 (default false). */
  fill?: boolean;
  /** Outline width in pixels (default 1). */
  width?: number;
}

/**
 * Draws `xyxy` boxes `[N, 4]` onto an int32 image `[C, H, W]` of 0..255 (C = 1 or 3) and returns
 * a new int32 `[3, H, W]` image, pixel for pixel as PIL's `ImageDraw.rectangle` draws them for
 * torchvision (`utils.draw_bounding_boxes`). Labels are not rendered (see
 * {@link DrawBoundingBoxesOptions.labels}).
 *
 * @example
 * ```ts
 * const out = drawBoundingBoxes(img, tensor([[10, 10, 50, 40]]), { colors: 'red', width: 2 });
 * ```
 */
export function drawBoundingBoxes(image: Tensor, boxes: Tensor, options: DrawBoundingBoxesOptions = {}): Tensor {
  if (!(image instanceof Tensor)) throw new ArgumentError(`drawBoundingBoxes(): image must be a Tensor (got ${typeof image})`);
  if (image.dtype !== 'int32') throw new DTypeError(`drawBoundingBoxes(): image must be int32 holding 0..255, the uint8 analog (got ${image.dtype})`);
  if (image.ndim !== 3 || (image.shape[0] !== 1 && image.shape[0] !== 3)) {
    throw new ShapeError(`drawBoundingBoxes(): image must be [C, H, W] with C = 1 or 3 (got [${image.shape.join(', ')}])`);
  }
  if (!(boxes instanceof Tensor) || boxes.ndim !== 2 || boxes.shape[1] !== 4) {
    throw new ShapeError(`drawBoundingBoxes(): boxes must be a Tensor [N, 4] of (xmin, ymin, xmax, ymax) (got ${boxes instanceof Tensor ? `[${boxes.shape.join(', ')}]` : typeof boxes})`);
  }
  const { labels, fill = false, width = 1 } = options;
  const n = boxes.shape[0]!;
  const b = boxes.dataSync();
  for (let i = 0; i < n; i++) {
    if (b[4 * i]! > b[4 * i + 2]! || b[4 * i + 1]! > b[4 * i + 3]!) {
      throw new ArgumentError(`drawBoundingBoxes(): boxes need xmin <= xmax and ymin <= ymax (box ${i} is [${Array.from(b.subarray(4 * i, 4 * i + 4)).join(', ')}])`);
    }
  }
  if (labels !== undefined && labels.length !== n) {
    throw new ArgumentError(`drawBoundingBoxes(): number of boxes (${n}) and labels (${labels.length}) mismatch`);
  }
  if (!Number.isInteger(width) || width < 0) throw new ArgumentError(`drawBoundingBoxes(): width must be an integer >= 0 (got ${width})`);
  let colors: [number, number, number][];
  const given = options.colors;
  if (given === undefined) colors = colorPalette(n);
  else if (Array.isArray(given) && (given.length === 0 || typeof given[0] !== 'number')) {
    if (given.length < n) throw new ArgumentError(`drawBoundingBoxes(): number of colors (${given.length}) is less than number of boxes (${n})`);
    colors = (given as readonly Color[]).map((c) => parseColor('drawBoundingBoxes', c));
  } else colors = new Array(n).fill(parseColor('drawBoundingBoxes', given as Color));

  const [c, h, w] = image.shape as [number, number, number];
  const src = image.dataSync();
  const hw = h * w;
  const out = new Int32Array(3 * hw);
  for (let k = 0; k < 3; k++) out.set(src.subarray((c === 1 ? 0 : k) * hw, (c === 1 ? 1 : k + 1) * hw), k * hw);
  const div255 = (a: number) => {
    const t = a + 128;
    return ((t >> 8) + t) >> 8;
  };
  const put = (x: number, y: number, rgb: readonly number[], alpha: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    for (let k = 0; k < 3; k++) {
      const o = k * hw + y * w + x;
      out[o] = alpha === 255 ? rgb[k]! : div255(out[o]! * (255 - alpha) + rgb[k]! * alpha);
    }
  };
  for (let i = 0; i < n; i++) {
    const [x0, y0, x1, y1] = [Math.trunc(b[4 * i]!), Math.trunc(b[4 * i + 1]!), Math.trunc(b[4 * i + 2]!), Math.trunc(b[4 * i + 3]!)];
    const color = colors[i]!;
    if (fill) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) put(x, y, color, 100);
    // PIL's ImagingDrawRectangle outline: per ring i, two full-width rows and two columns
    // between the rows (which can cross over in boxes thinner than 2 * width).
    const hline = (y: number) => {
      for (let x = x0; x <= x1; x++) put(x, y, color, 255);
    };
    const vline = (x: number) => {
      const [a, b] = [Math.min(y0 + width, y1 - width), Math.max(y0 + width, y1 - width)];
      for (let y = a; y <= b; y++) put(x, y, color, 255);
    };
    for (let k = 0; k < width; k++) {
      hline(y0 + k);
      hline(y1 - k);
      vline(x1 - k);
      vline(x0 + k);
    }
  }
  const flat = tensor(out, { dtype: 'int32' });
  const t = flat.reshape([3, h, w]);
  if (t !== flat) flat.dispose();
  return t;
}
