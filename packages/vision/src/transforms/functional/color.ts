/**
 * Color operations of torchvision's tensor path: grayscale, brightness, contrast, saturation,
 * hue, gamma, invert, posterize, solarize, sharpness, autocontrast, equalize. Uint8-semantics
 * images follow torchvision's casts (a blend truncates, a convolution rounds).
 * @module
 */
import { ArgumentError, DTypeError } from '@flint/core';
import { alloc, castOut, dims, mapPixels, maxValue, truncOut, type ImageInput, type Planar } from './pixels.js';

function checkChannels(fn: string, p: Planar, allowed: number[]): void {
  const { c } = dims(p);
  if (!allowed.includes(c)) {
    throw new ArgumentError(`${fn}(): img must have ${allowed.join(' or ')} channels (got ${c}, shape [${p.shape.join(', ')}])`);
  }
}

function checkFactor(fn: string, name: string, v: number): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new ArgumentError(`${fn}(): ${name} must be a number >= 0 (got ${v})`);
}

/** Gray values `0.2989 r + 0.587 g + 0.114 b` per image, as float (not yet cast). */
function luma(p: Planar): Float32Array {
  const { n, h, w } = dims(p);
  const hw = h * w;
  const out = new Float32Array(n * hw);
  for (let b = 0; b < n; b++) {
    const base = b * 3 * hw;
    for (let i = 0; i < hw; i++) {
      out[b * hw + i] = 0.2989 * p.data[base + i]! + 0.587 * p.data[base + hw + i]! + 0.114 * p.data[base + 2 * hw + i]!;
    }
  }
  return out;
}

/** Grayscale planar pixels with 1 or 3 output channels (`F_t.rgb_to_grayscale`). @internal */
export function grayscalePlanar(fn: string, p: Planar, numOutputChannels: number): Planar {
  checkChannels(fn, p, [1, 3]);
  const { n, c, h, w } = dims(p);
  const hw = h * w;
  let gray: Planar;
  if (c === 1) gray = p;
  else gray = truncOut(luma(p), [...p.shape.slice(0, -3), 1, h, w], p.float);
  if (numOutputChannels === 1) return gray;
  const out = alloc([...p.shape.slice(0, -3), 3, h, w], p.float);
  for (let b = 0; b < n; b++) for (let k = 0; k < 3; k++) out.data.set(gray.data.subarray(b * hw, (b + 1) * hw), (b * 3 + k) * hw);
  return out;
}

/**
 * Converts RGB to grayscale with weights (0.2989, 0.587, 0.114), 1 or 3 output channels
 * (`F.rgb_to_grayscale`).
 *
 * @example
 * ```ts
 * rgbToGrayscale(img);     // [1, H, W]
 * rgbToGrayscale(img, 3);  // gray in three channels
 * ```
 */
export function rgbToGrayscale<T extends ImageInput>(img: T, numOutputChannels: 1 | 3 = 1): T {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) {
    throw new ArgumentError(`rgbToGrayscale(): numOutputChannels must be 1 or 3 (got ${numOutputChannels})`);
  }
  return mapPixels('rgbToGrayscale', img, (p) => grayscalePlanar('rgbToGrayscale', p, numOutputChannels));
}

/** `ratio * a + (1 - ratio) * b`, clamped to the dtype's range and cast (`_blend`). `b` broadcasts per image when shorter. */
function blend(p: Planar, other: ArrayLike<number>, ratio: number, otherPer: number): Planar {
  const bound = maxValue(p);
  const out = new Float32Array(p.data.length);
  // float32 arithmetic, as PyTorch's kernels do it (it decides uint8 truncation at the edges).
  const r1 = Math.fround(ratio);
  const r2 = Math.fround(1 - ratio);
  for (let i = 0; i < out.length; i++) {
    const v = Math.fround(Math.fround(r1 * p.data[i]!) + Math.fround(r2 * other[otherPer === 0 ? i : Math.floor(i / otherPer)]!));
    out[i] = v < 0 ? 0 : v > bound ? bound : v;
  }
  return truncOut(out, p.shape, p.float);
}

/**
 * Brightness: blends with black (`F.adjust_brightness`); 0 gives black, 1 the original.
 *
 * @example
 * ```ts
 * adjustBrightness(img, 1.5);
 * ```
 */
export function adjustBrightness<T extends ImageInput>(img: T, brightnessFactor: number): T {
  checkFactor('adjustBrightness', 'brightnessFactor', brightnessFactor);
  return mapPixels('adjustBrightness', img, (p) => {
    checkChannels('adjustBrightness', p, [1, 3]);
    return blend(p, [0], brightnessFactor, p.data.length);
  });
}

/** Contrast on planar pixels. @internal */
export function contrastPlanar(p: Planar, factor: number): Planar {
  checkChannels('adjustContrast', p, [3, 1]);
  const { n, c, h, w } = dims(p);
  const gray = c === 3 ? truncOut(luma(p), [n, 1, h, w], p.float).data : p.data;
  const per = c * h * w;
  const grayPer = gray.length / n;
  const means = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    let s = 0;
    for (let i = 0; i < grayPer; i++) s += gray[b * grayPer + i]!;
    means[b] = s / grayPer;
  }
  return blend(p, means, factor, per);
}

/**
 * Contrast: blends with the mean gray level (`F.adjust_contrast`).
 *
 * @example
 * ```ts
 * adjustContrast(img, 0.5);
 * ```
 */
export function adjustContrast<T extends ImageInput>(img: T, contrastFactor: number): T {
  checkFactor('adjustContrast', 'contrastFactor', contrastFactor);
  return mapPixels('adjustContrast', img, (p) => contrastPlanar(p, contrastFactor));
}

/**
 * Saturation: blends with the grayscale image (`F.adjust_saturation`); 0 gives gray.
 *
 * @example
 * ```ts
 * adjustSaturation(img, 2);
 * ```
 */
export function adjustSaturation<T extends ImageInput>(img: T, saturationFactor: number): T {
  checkFactor('adjustSaturation', 'saturationFactor', saturationFactor);
  return mapPixels('adjustSaturation', img, (p) => {
    checkChannels('adjustSaturation', p, [1, 3]);
    const { c, h, w } = dims(p);
    if (c === 1) return p;
    const gray = grayscalePlanar('adjustSaturation', p, 1).data;
    const hw = h * w;
    const expanded = new Float32Array(p.data.length);
    for (let i = 0; i < expanded.length; i++) expanded[i] = gray[Math.floor(i / (3 * hw)) * hw + (i % hw)]!;
    return blend(p, expanded, saturationFactor, 0);
  });
}

/**
 * Hue: rotates the hue by `hueFactor` in [-0.5, 0.5] of a full turn, through HSV
 * (`F.adjust_hue`).
 *
 * @example
 * ```ts
 * adjustHue(img, 0.1);
 * ```
 */
export function adjustHue<T extends ImageInput>(img: T, hueFactor: number): T {
  if (typeof hueFactor !== 'number' || !(hueFactor >= -0.5 && hueFactor <= 0.5)) {
    throw new ArgumentError(`adjustHue(): hueFactor must be in [-0.5, 0.5] (got ${hueFactor})`);
  }
  return mapPixels('adjustHue', img, (p) => {
    checkChannels('adjustHue', p, [1, 3]);
    const { n, c, h, w } = dims(p);
    if (c === 1) return p;
    const hw = h * w;
    const out = new Float32Array(p.data.length);
    const f = Math.fround;
    for (let b = 0; b < n; b++) {
      const base = b * 3 * hw;
      for (let i = 0; i < hw; i++) {
        const scale = p.float ? 1 : 255;
        const r = f(p.data[base + i]! / scale);
        const g = f(p.data[base + hw + i]! / scale);
        const bl = f(p.data[base + 2 * hw + i]! / scale);
        // _rgb2hsv
        const maxc = Math.max(r, g, bl);
        const minc = Math.min(r, g, bl);
        const eqc = maxc === minc;
        const cr = f(maxc - minc);
        const s = f(cr / (eqc ? 1 : maxc));
        const div = eqc ? 1 : cr;
        const rc = f(f(maxc - r) / div);
        const gc = f(f(maxc - g) / div);
        const bc = f(f(maxc - bl) / div);
        const hr = maxc === r ? f(bc - gc) : 0;
        const hg = maxc === g && maxc !== r ? f(f(2 + rc) - bc) : 0;
        const hb = maxc !== g && maxc !== r ? f(f(4 + gc) - rc) : 0;
        let hh = f(f(hr + hg) + hb);
        hh = f(f(hh / 6) + 1) % 1;
        // shift
        hh = f(f(hh + f(hueFactor)) % 1);
        if (hh < 0) hh = f(hh + 1);
        // _hsv2rgb
        const v = maxc;
        const i6 = Math.floor(f(hh * 6));
        const fr = f(f(hh * 6) - i6);
        const pp = Math.min(1, Math.max(0, f(v * f(1 - s))));
        const q = Math.min(1, Math.max(0, f(v * f(1 - f(s * fr)))));
        const t = Math.min(1, Math.max(0, f(v * f(1 - f(s * f(1 - fr))))));
        const k = ((i6 % 6) + 6) % 6;
        const rgb = [
          [v, t, pp],
          [q, v, pp],
          [pp, v, t],
          [pp, q, v],
          [t, pp, v],
          [v, pp, q],
        ][k]!;
        out[base + i] = rgb[0]!;
        out[base + hw + i] = rgb[1]!;
        out[base + 2 * hw + i] = rgb[2]!;
      }
    }
    if (p.float) return { data: out, shape: p.shape, float: true };
    // torchvision 0.14 casts back with (img * 255).to(uint8): truncation.
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]! * 255);
    return truncOut(out, p.shape, false);
  });
}

/**
 * Gamma correction `gain * img ** gamma` on [0, 1] values (`F.adjust_gamma`).
 *
 * @example
 * ```ts
 * adjustGamma(img, 2.2);
 * ```
 */
export function adjustGamma<T extends ImageInput>(img: T, gamma: number, gain = 1): T {
  checkFactor('adjustGamma', 'gamma', gamma);
  return mapPixels('adjustGamma', img, (p) => {
    const out = new Float32Array(p.data.length);
    for (let i = 0; i < out.length; i++) {
      const x = p.float ? p.data[i]! : Math.fround(p.data[i]! / 255);
      const v = Math.min(1, Math.max(0, gain * Math.pow(x, gamma)));
      out[i] = p.float ? v : Math.fround(v * Math.fround(255 + 1 - 1e-3));
    }
    return truncOut(out, p.shape, p.float);
  });
}

/**
 * Inverts colors: `1 - x` for float, `255 - x` for uint8-semantics images (`F.invert`).
 *
 * @example
 * ```ts
 * invert(img);
 * ```
 */
export function invert<T extends ImageInput>(img: T): T {
  return mapPixels('invert', img, (p) => {
    checkChannels('invert', p, [1, 3]);
    const out = alloc(p.shape, p.float);
    const m = maxValue(p);
    for (let i = 0; i < out.data.length; i++) out.data[i] = m - p.data[i]!;
    return out;
  });
}

function requireUint8(fn: string, p: Planar): void {
  if (p.float) {
    throw new DTypeError(`${fn}(): img must be an int32 image of 0..255, the uint8 analog (got float32); use convertImageDtype(img, 'int32')`);
  }
}

/**
 * Keeps the top `bits` bits of each channel (`F.posterize`, uint8 images only).
 *
 * @example
 * ```ts
 * posterize(img, 4);
 * ```
 */
export function posterize<T extends ImageInput>(img: T, bits: number): T {
  if (!Number.isInteger(bits) || bits < 0 || bits > 8) throw new ArgumentError(`posterize(): bits must be an integer in 0..8 (got ${bits})`);
  return mapPixels('posterize', img, (p) => {
    requireUint8('posterize', p);
    checkChannels('posterize', p, [1, 3]);
    const mask = -(2 ** (8 - bits)) & 0xff;
    const out = alloc(p.shape, false);
    for (let i = 0; i < out.data.length; i++) out.data[i] = p.data[i]! & mask;
    return out;
  });
}

/**
 * Inverts pixels at or above `threshold` (`F.solarize`).
 *
 * @example
 * ```ts
 * solarize(img, 128);
 * ```
 */
export function solarize<T extends ImageInput>(img: T, threshold: number): T {
  return mapPixels('solarize', img, (p) => {
    checkChannels('solarize', p, [1, 3]);
    const m = maxValue(p);
    if (typeof threshold !== 'number' || threshold > m) {
      throw new ArgumentError(`solarize(): threshold must be a number <= ${m}, the image's maximum value (got ${threshold})`);
    }
    const out = alloc(p.shape, p.float);
    for (let i = 0; i < out.data.length; i++) {
      const v = p.data[i]!;
      out.data[i] = v >= threshold ? m - v : v;
    }
    return out;
  });
}

/**
 * Sharpness: blends with a smoothed copy (3x3 kernel, 5 in the middle); 0 blurs, 2 sharpens
 * (`F.adjust_sharpness`).
 *
 * @example
 * ```ts
 * adjustSharpness(img, 2);
 * ```
 */
export function adjustSharpness<T extends ImageInput>(img: T, sharpnessFactor: number): T {
  checkFactor('adjustSharpness', 'sharpnessFactor', sharpnessFactor);
  return mapPixels('adjustSharpness', img, (p) => {
    checkChannels('adjustSharpness', p, [1, 3]);
    const { n, c, h, w } = dims(p);
    if (h <= 2 || w <= 2) return p;
    const smooth = new Float32Array(p.data.length);
    const k = [1 / 13, 1 / 13, 1 / 13, 1 / 13, 5 / 13, 1 / 13, 1 / 13, 1 / 13, 1 / 13].map(Math.fround);
    for (let pl = 0; pl < n * c; pl++) {
      const b = pl * h * w;
      for (let i = 0; i < h * w; i++) smooth[b + i] = p.data[b + i]!;
      for (let y = 1; y < h - 1; y++) {
        for (let x = 1; x < w - 1; x++) {
          let s = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += k[(dy + 1) * 3 + dx + 1]! * p.data[b + (y + dy) * w + x + dx]!;
          smooth[b + y * w + x] = s;
        }
      }
    }
    const degenerate = castOut(smooth, p.shape, p.float).data;
    return blend(p, degenerate, sharpnessFactor, 0);
  });
}

/**
 * Stretches each channel to the full range: its minimum becomes 0 and its maximum the dtype's
 * maximum (`F.autocontrast`).
 *
 * @example
 * ```ts
 * autocontrast(img);
 * ```
 */
export function autocontrast<T extends ImageInput>(img: T): T {
  return mapPixels('autocontrast', img, (p) => {
    checkChannels('autocontrast', p, [1, 3]);
    const { n, c, h, w } = dims(p);
    const bound = maxValue(p);
    const hw = h * w;
    const out = new Float32Array(p.data.length);
    for (let pl = 0; pl < n * c; pl++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < hw; i++) {
        const v = p.data[pl * hw + i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      // `bound / t` on a tensor is `t.reciprocal() * bound` in PyTorch.
      let scale = Math.fround(Math.fround(1 / Math.fround(hi - lo)) * bound);
      if (!Number.isFinite(scale)) {
        lo = 0;
        scale = 1;
      }
      for (let i = 0; i < hw; i++) out[pl * hw + i] = Math.min(bound, Math.max(0, Math.fround(Math.fround(p.data[pl * hw + i]! - lo) * scale)));
    }
    return truncOut(out, p.shape, p.float);
  });
}

/**
 * Equalizes each channel's histogram (`F.equalize`, uint8 images only).
 *
 * @example
 * ```ts
 * equalize(img);
 * ```
 */
export function equalize<T extends ImageInput>(img: T): T {
  return mapPixels('equalize', img, (p) => {
    requireUint8('equalize', p);
    checkChannels('equalize', p, [1, 3]);
    const { n, c, h, w } = dims(p);
    const hw = h * w;
    const out = alloc(p.shape, false);
    for (let pl = 0; pl < n * c; pl++) {
      const hist = new Float64Array(256);
      for (let i = 0; i < hw; i++) hist[p.data[pl * hw + i]!]!++;
      let last = 255;
      while (last > 0 && hist[last] === 0) last--;
      let total = 0;
      for (let v = 0; v < 256; v++) if (hist[v] !== 0 && v !== last) total += hist[v]!;
      const step = Math.floor(total / 255);
      if (step === 0) {
        out.data.set(p.data.subarray(pl * hw, (pl + 1) * hw), pl * hw);
        continue;
      }
      const lut = new Int32Array(256);
      let cum = 0;
      for (let v = 0; v < 256; v++) {
        // lut[v] = (cumsum[v - 1] + step // 2) // step, clamped to 0..255
        lut[v] = Math.min(255, Math.max(0, Math.floor((cum + Math.floor(step / 2)) / step)));
        cum += hist[v]!;
      }
      for (let i = 0; i < hw; i++) out.data[pl * hw + i] = lut[p.data[pl * hw + i]!]!;
    }
    return out;
  });
}
