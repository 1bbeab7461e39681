/**
 * Gaussian blur (`F.gaussian_blur`): a separable Gaussian kernel over a reflect-padded image.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { padPlanar } from './geometry.js';
import { castOut, dims, mapPixels, type ImageInput } from './pixels.js';

/** The normalized 1-D Gaussian kernel of torchvision's `_get_gaussian_kernel1d`. @internal */
export function gaussianKernel1d(kernelSize: number, sigma: number): Float32Array {
  const half = (kernelSize - 1) * 0.5;
  const pdf = new Float32Array(kernelSize);
  let sum = 0;
  for (let i = 0; i < kernelSize; i++) {
    const x = Math.fround(-half + i * (kernelSize === 1 ? 0 : (2 * half) / (kernelSize - 1)));
    pdf[i] = Math.exp(-0.5 * Math.fround(x / sigma) ** 2);
    sum += pdf[i]!;
  }
  const s = Math.fround(sum);
  for (let i = 0; i < kernelSize; i++) pdf[i] = pdf[i]! / s;
  return pdf;
}

/**
 * Blurs with a Gaussian kernel of `kernelSize` (odd, int or `[x, y]`) and `sigma` (`[x, y]`,
 * default `0.3 * ((k - 1) * 0.5 - 1) + 0.8`); borders are reflect-padded (`F.gaussian_blur`).
 *
 * @example
 * ```ts
 * gaussianBlur(img, 5, 1.5);
 * gaussianBlur(img, [3, 5]);
 * ```
 */
export function gaussianBlur<T extends ImageInput>(img: T, kernelSize: number | readonly number[], sigma?: number | readonly number[]): T {
  const ks = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize.length === 1 ? [kernelSize[0]!, kernelSize[0]!] : [...kernelSize];
  if (ks.length !== 2 || ks.some((k) => !Number.isInteger(k) || k <= 0 || k % 2 === 0)) {
    throw new ArgumentError(`gaussianBlur(): kernelSize must be an odd positive integer or two of them (got ${JSON.stringify(kernelSize)})`);
  }
  let sg: number[];
  if (sigma === undefined) sg = ks.map((k) => (k - 1) * 0.5 * 0.3 - 0.3 + 0.8);
  else if (typeof sigma === 'number') sg = [sigma, sigma];
  else sg = sigma.length === 1 ? [sigma[0]!, sigma[0]!] : [...sigma];
  if (sg.length !== 2 || sg.some((s) => typeof s !== 'number' || !(s > 0))) {
    throw new ArgumentError(`gaussianBlur(): sigma must be a positive number or two of them (got ${JSON.stringify(sigma)})`);
  }
  const [kx, ky] = ks as [number, number];
  const kernX = gaussianKernel1d(kx, sg[0]!);
  const kernY = gaussianKernel1d(ky, sg[1]!);
  return mapPixels('gaussianBlur', img, (p0) => {
    const p = padPlanar('gaussianBlur', p0, [kx >> 1, ky >> 1, kx >> 1, ky >> 1], 0, 'reflect');
    const { n, c, h, w } = dims(p);
    const oh = h - ky + 1;
    const ow = w - kx + 1;
    const out = new Float32Array(n * c * oh * ow);
    for (let pl = 0; pl < n * c; pl++) {
      const b = pl * h * w;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let s = 0;
          for (let i = 0; i < ky; i++) {
            const row = b + (y + i) * w + x;
            const wy = kernY[i]!;
            for (let j = 0; j < kx; j++) s += Math.fround(wy * kernX[j]!) * p.data[row + j]!;
          }
          out[pl * oh * ow + y * ow + x] = s;
        }
      }
    }
    return castOut(out, p0.shape, p0.float);
  });
}
