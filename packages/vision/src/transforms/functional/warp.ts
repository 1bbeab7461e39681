/**
 * Warps through a sampling grid (`F.affine`, `F.rotate`, `F.perspective`): each output pixel
 * reads the input at a computed point with `grid_sample` semantics (align_corners false, zeros
 * outside), nearest (round half to even) or bilinear. With a `fill`, torchvision samples a mask
 * of ones beside the image and blends the fill in where the mask is below 1; without one
 * (`fill: null`), the outside is zeros. Grid arithmetic follows PyTorch's float32 steps.
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { InterpolationMode } from './interpolate.js';
import { castOut, dims, fillPerChannel, mapPixels, rint, shapeOf, type ImageInput, type Planar } from './pixels.js';

const f32 = Math.fround;

/** Maps output pixel (x, y) to input grid coordinates in [-1, 1]; writes into `out`. */
type GridFn = (x: number, y: number, out: Float64Array) => void;

function checkWarpMode(fn: string, mode: InterpolationMode): 'nearest' | 'bilinear' {
  if (mode !== 'nearest' && mode !== 'bilinear') {
    throw new ArgumentError(`${fn}(): interpolation must be 'nearest' or 'bilinear' (got ${JSON.stringify(mode)})`);
  }
  return mode;
}

/** Samples planar pixels at grid points: `grid_sample(..., padding_mode='zeros', align_corners=False)`. */
function gridSample(p: Planar, oh: number, ow: number, grid: GridFn, mode: 'nearest' | 'bilinear', fill: number[] | null): Planar {
  const { n, c, h, w } = dims(p);
  const out = new Float32Array(n * c * oh * ow);
  const g = new Float64Array(2);
  const src = p.data;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      grid(x, y, g);
      const ix = f32(f32(f32(g[0]! + 1) * w - 1) / 2);
      const iy = f32(f32(f32(g[1]! + 1) * h - 1) / 2);
      const o = y * ow + x;
      if (mode === 'nearest') {
        const nx = rint(ix);
        const ny = rint(iy);
        const inside = nx >= 0 && nx < w && ny >= 0 && ny < h;
        for (let pl = 0; pl < n * c; pl++) {
          out[pl * oh * ow + o] = inside ? src[pl * h * w + ny * w + nx]! : fill === null ? 0 : fill[pl % c]!;
        }
        continue;
      }
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const x1 = x0 + 1;
      const y1 = y0 + 1;
      const wnw = f32(f32(x1 - ix) * f32(y1 - iy));
      const wne = f32(f32(ix - x0) * f32(y1 - iy));
      const wsw = f32(f32(x1 - ix) * f32(iy - y0));
      const wse = f32(f32(ix - x0) * f32(iy - y0));
      const inX0 = x0 >= 0 && x0 < w;
      const inX1 = x1 >= 0 && x1 < w;
      const inY0 = y0 >= 0 && y0 < h;
      const inY1 = y1 >= 0 && y1 < h;
      let mask = 0;
      if (inX0 && inY0) mask += wnw;
      if (inX1 && inY0) mask += wne;
      if (inX0 && inY1) mask += wsw;
      if (inX1 && inY1) mask += wse;
      mask = f32(mask);
      for (let pl = 0; pl < n * c; pl++) {
        const b = pl * h * w;
        let v = 0;
        if (inX0 && inY0) v += src[b + y0 * w + x0]! * wnw;
        if (inX1 && inY0) v += src[b + y0 * w + x1]! * wne;
        if (inX0 && inY1) v += src[b + y1 * w + x0]! * wsw;
        if (inX1 && inY1) v += src[b + y1 * w + x1]! * wse;
        v = f32(v);
        out[pl * oh * ow + o] = fill === null ? v : v * mask + (1 - mask) * fill[pl % c]!;
      }
    }
  }
  return castOut(out, [...p.shape.slice(0, -2), oh, ow], p.float);
}

/** The inverse affine matrix of torchvision's `_get_inverse_affine_matrix` (6 numbers). @internal */
export function inverseAffineMatrix(
  center: [number, number],
  angle: number,
  translate: [number, number],
  scale: number,
  shear: [number, number],
): number[] {
  const rot = (angle * Math.PI) / 180;
  const sx = (shear[0] * Math.PI) / 180;
  const sy = (shear[1] * Math.PI) / 180;
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((v) => v / scale);
  m[2]! += m[0]! * (-cx - tx) + m[1]! * (-cy - ty);
  m[5]! += m[3]! * (-cx - tx) + m[4]! * (-cy - ty);
  m[2]! += cx;
  m[5]! += cy;
  return m;
}

/** The grid of `_gen_affine_grid` for a 2x3 matrix. */
function affineGrid(matrix: number[], w: number, h: number, ow: number, oh: number): GridFn {
  const t = matrix.map(f32);
  const r = [f32(t[0]! / f32(0.5 * w)), f32(t[1]! / f32(0.5 * w)), f32(t[2]! / f32(0.5 * w)), f32(t[3]! / f32(0.5 * h)), f32(t[4]! / f32(0.5 * h)), f32(t[5]! / f32(0.5 * h))];
  return (x, y, out) => {
    const bx = f32(-ow * 0.5 + 0.5 + x);
    const by = f32(-oh * 0.5 + 0.5 + y);
    out[0] = f32(f32(f32(bx * r[0]!) + f32(by * r[1]!)) + r[2]!);
    out[1] = f32(f32(f32(bx * r[3]!) + f32(by * r[4]!)) + r[5]!);
  };
}

/** Output size of a rotation with `expand` (`_compute_affine_output_size`). */
function expandedSize(matrix: number[], w: number, h: number): [number, number] {
  const pts = [
    [-0.5 * w, -0.5 * h],
    [-0.5 * w, 0.5 * h],
    [0.5 * w, 0.5 * h],
    [0.5 * w, -0.5 * h],
  ];
  const m = matrix.map(f32);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity; // prettier-ignore
  for (const [px, py] of pts) {
    const nx = f32(f32(f32(px! * m[0]!) + f32(py! * m[1]!)) + m[2]!);
    const ny = f32(f32(f32(px! * m[3]!) + f32(py! * m[4]!)) + m[5]!);
    minX = Math.min(minX, nx);
    maxX = Math.max(maxX, nx);
    minY = Math.min(minY, ny);
    maxY = Math.max(maxY, ny);
  }
  const tol = 1e-4;
  const cmaxX = Math.ceil(f32(Math.trunc(f32(f32(maxX + w * 0.5) / tol)) * tol));
  const cmaxY = Math.ceil(f32(Math.trunc(f32(f32(maxY + h * 0.5) / tol)) * tol));
  const cminX = Math.floor(f32(Math.trunc(f32(f32(minX + w * 0.5) / tol)) * tol));
  const cminY = Math.floor(f32(Math.trunc(f32(f32(minY + h * 0.5) / tol)) * tol));
  return [cmaxX - cminX, cmaxY - cminY];
}

function resolveFill(fn: string, fill: number | readonly number[] | null | undefined, c: number): number[] | null {
  return fill === null || fill === undefined ? null : fillPerChannel(fn, fill, c);
}

/** Options of {@link affine} and {@link rotate}. */
export interface WarpOptions {
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: InterpolationMode;
  /** Value for pixels outside the input, per channel or one for all; `null` (default) is zeros. */
  fill?: number | readonly number[] | null;
  /** Center of rotation `[x, y]` in pixels (default: the image center). */
  center?: readonly [number, number];
}

function centerOffset(center: readonly [number, number] | undefined, w: number, h: number): [number, number] {
  return center === undefined ? [0, 0] : [center[0] - w * 0.5, center[1] - h * 0.5];
}

/**
 * Rotates an image by `angle` degrees counter-clockwise (`F.rotate`); `expand` grows the output
 * to hold the whole rotated image.
 *
 * @example
 * ```ts
 * rotate(img, 30, { interpolation: 'bilinear', fill: 0 });
 * ```
 */
export function rotate<T extends ImageInput>(img: T, angle: number, options: WarpOptions & { expand?: boolean } = {}): T {
  if (typeof angle !== 'number' || !Number.isFinite(angle)) throw new ArgumentError(`rotate(): angle must be a finite number (got ${angle})`);
  const mode = checkWarpMode('rotate', options.interpolation ?? 'nearest');
  const [c, h, w] = shapeOf('rotate', img);
  const fill = resolveFill('rotate', options.fill, c);
  const matrix = inverseAffineMatrix(centerOffset(options.center, w, h), -angle, [0, 0], 1, [0, 0]);
  const [ow, oh] = options.expand ? expandedSize(matrix, w, h) : [w, h];
  return mapPixels('rotate', img, (p) => gridSample(p, oh, ow, affineGrid(matrix, w, h, ow, oh), mode, fill));
}

/** Options of {@link affine}. */
export interface AffineOptions extends WarpOptions {
  /** Rotation in degrees (counter-clockwise in the image as seen). */
  angle?: number;
  /** Translation `[dx, dy]` in pixels. */
  translate?: readonly [number, number];
  /** Scale factor. */
  scale?: number;
  /** Shear in degrees: `x`, or `[x, y]`. */
  shear?: number | readonly number[];
}

/**
 * An affine transform keeping the image center fixed (`F.affine`): rotation `angle`, then
 * `translate`, `scale`, `shear`.
 *
 * @example
 * ```ts
 * affine(img, { angle: 15, translate: [2, -3], scale: 1.1, shear: [5, 0] });
 * ```
 */
export function affine<T extends ImageInput>(img: T, options: AffineOptions): T {
  const { angle = 0, translate = [0, 0], scale = 1 } = options;
  if (typeof scale !== 'number' || !(scale > 0)) throw new ArgumentError(`affine(): scale must be a positive number (got ${scale})`);
  if (!Array.isArray(translate) || translate.length !== 2) {
    throw new ArgumentError(`affine(): translate must be [dx, dy] (got ${JSON.stringify(translate)})`);
  }
  const sh = options.shear ?? 0;
  const shear: [number, number] =
    typeof sh === 'number' ? [sh, 0] : sh.length === 1 ? [sh[0]!, sh[0]!] : sh.length === 2 ? [sh[0]!, sh[1]!] : [NaN, NaN];
  if (!shear.every(Number.isFinite)) throw new ArgumentError(`affine(): shear must be a number, [x] or [x, y] (got ${JSON.stringify(sh)})`);
  const mode = checkWarpMode('affine', options.interpolation ?? 'nearest');
  const [c, h, w] = shapeOf('affine', img);
  const fill = resolveFill('affine', options.fill, c);
  const matrix = inverseAffineMatrix(centerOffset(options.center, w, h), angle, [translate[0], translate[1]], scale, shear);
  return mapPixels('affine', img, (p) => gridSample(p, h, w, affineGrid(matrix, w, h, w, h), mode, fill));
}

/** Solves the 8x8 system of `_get_perspective_coeffs` (Gaussian elimination, partial pivoting). @internal */
export function perspectiveCoeffs(startpoints: readonly (readonly number[])[], endpoints: readonly (readonly number[])[]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = endpoints[i]!;
    const [u, v] = startpoints[i]!;
    a.push([x!, y!, 1, 0, 0, 0, -u! * x!, -u! * y!]);
    a.push([0, 0, 0, x!, y!, 1, -v! * x!, -v! * y!]);
    b.push(u!, v!);
  }
  for (let col = 0; col < 8; col++) {
    let piv = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    if (Math.abs(a[piv]![col]!) < 1e-12) throw new ArgumentError('perspective(): the four points are degenerate (three on one line?)');
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    [b[col], b[piv]] = [b[piv]!, b[col]!];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      if (f === 0) continue;
      for (let k = col; k < 8; k++) a[r]![k]! -= f * a[col]![k]!;
      b[r]! -= f * b[col]!;
    }
  }
  return b.map((v, i) => f32(v / a[i]![i]!));
}

function checkPoints(fn: string, name: string, pts: readonly (readonly number[])[]): void {
  if (!Array.isArray(pts) || pts.length !== 4 || pts.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => typeof v !== 'number'))) {
    throw new ArgumentError(`${fn}(): ${name} must be four [x, y] points (got ${JSON.stringify(pts)})`);
  }
}

/**
 * A perspective transform mapping `startpoints` (corners `[tl, tr, br, bl]` of the original) to
 * `endpoints` (`F.perspective`).
 *
 * @example
 * ```ts
 * perspective(img, [[0, 0], [31, 0], [31, 31], [0, 31]], [[3, 2], [29, 0], [31, 28], [1, 31]]);
 * ```
 */
export function perspective<T extends ImageInput>(
  img: T,
  startpoints: readonly (readonly number[])[],
  endpoints: readonly (readonly number[])[],
  options: { interpolation?: InterpolationMode; fill?: number | readonly number[] | null } = {},
): T {
  checkPoints('perspective', 'startpoints', startpoints);
  checkPoints('perspective', 'endpoints', endpoints);
  const mode = checkWarpMode('perspective', options.interpolation ?? 'bilinear');
  const [c, h, w] = shapeOf('perspective', img);
  const fill = resolveFill('perspective', options.fill, c);
  const k = perspectiveCoeffs(startpoints, endpoints);
  const hw = f32(0.5 * w);
  const hh = f32(0.5 * h);
  const t1 = [f32(k[0]! / hw), f32(k[1]! / hw), f32(k[2]! / hw), f32(k[3]! / hh), f32(k[4]! / hh), f32(k[5]! / hh)];
  const grid: GridFn = (x, y, out) => {
    const bx = x + 0.5;
    const by = y + 0.5;
    const den = f32(f32(f32(bx * k[6]!) + f32(by * k[7]!)) + 1);
    out[0] = f32(f32(f32(f32(f32(bx * t1[0]!) + f32(by * t1[1]!)) + t1[2]!) / den) - 1);
    out[1] = f32(f32(f32(f32(f32(bx * t1[3]!) + f32(by * t1[4]!)) + t1[5]!) / den) - 1);
  };
  return mapPixels('perspective', img, (p) => gridSample(p, h, w, grid, mode, fill));
}
