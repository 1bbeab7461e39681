/**
 * Filter banks and the DCT matrix (`torchaudio.functional.melscale_fbanks`, `linear_fbanks`,
 * `create_dct`), and the Hz/mel conversions (HTK and Slaney scales). Computed in float64,
 * returned as float32 tensors.
 * @module
 */
import { ArgumentError, type Tensor } from '@flint/core';
import { checkChoice, checkInt, checkNumber, describe, fromArray } from '../util.js';

/** The mel scale formula: `'htk'` (`2595 log10(1 + f/700)`) or `'slaney'` (linear below 1 kHz, log above). */
export type MelScaleType = 'htk' | 'slaney';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/**
 * Hertz to mels.
 *
 * @example
 * ```ts
 * hzToMel(1000, 'slaney'); // 15
 * ```
 */
export function hzToMel(freq: number, melScale: MelScaleType = 'htk'): number {
  checkChoice('hzToMel', 'melScale', melScale, ['htk', 'slaney']);
  if (melScale === 'htk') return 2595 * Math.log10(1 + freq / 700);
  return freq >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(freq / MIN_LOG_HZ) / LOGSTEP : freq / F_SP;
}

/**
 * Mels to hertz.
 *
 * @example
 * ```ts
 * melToHz(15, 'slaney'); // 1000
 * ```
 */
export function melToHz(mel: number, melScale: MelScaleType = 'htk'): number {
  checkChoice('melToHz', 'melScale', melScale, ['htk', 'slaney']);
  if (melScale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}

/** Triangles with corners at `fPts`, sampled at `allFreqs`: `[nFreqs, fPts.length - 2]`. */
function triangles(allFreqs: Float64Array, fPts: Float64Array, enorm: ((m: number) => number) | null): Tensor {
  const nFreqs = allFreqs.length;
  const nFilter = fPts.length - 2;
  const out = new Float64Array(nFreqs * nFilter);
  for (let i = 0; i < nFreqs; i++) {
    for (let m = 0; m < nFilter; m++) {
      const down = (allFreqs[i]! - fPts[m]!) / (fPts[m + 1]! - fPts[m]!);
      const up = (fPts[m + 2]! - allFreqs[i]!) / (fPts[m + 2]! - fPts[m + 1]!);
      const v = Math.max(0, Math.min(down, up));
      out[i * nFilter + m] = enorm === null ? v : v * enorm(m);
    }
  }
  return fromArray(out, [nFreqs, nFilter]);
}

/** Options of {@link melscaleFbanks}. */
export interface MelscaleFbanksOptions {
  /** `'slaney'` scales each triangle to unit area (default none). */
  norm?: 'slaney' | null;
  melScale?: MelScaleType;
}

/**
 * Triangular mel filter banks (`torchaudio.functional.melscale_fbanks`): `[nFreqs, nMels]`, so
 * that `spec.transpose(-1, -2).matmul(fb)` maps a spectrogram to mel bins.
 *
 * @example
 * ```ts
 * const fb = melscaleFbanks(201, 0, 8000, 64, 16000); // [201, 64]
 * ```
 */
export function melscaleFbanks(nFreqs: number, fMin: number, fMax: number, nMels: number, sampleRate: number, options: MelscaleFbanksOptions = {}): Tensor {
  const fn = 'melscaleFbanks';
  checkInt(fn, 'nFreqs', nFreqs, 1);
  checkInt(fn, 'nMels', nMels, 1);
  checkNumber(fn, 'fMin', fMin);
  checkNumber(fn, 'fMax', fMax);
  checkNumber(fn, 'sampleRate', sampleRate, true);
  const norm = options.norm ?? null;
  if (norm !== null && norm !== 'slaney') throw new ArgumentError(`${fn}(): norm must be null or 'slaney' (got ${describe(norm)})`);
  const scale = checkChoice(fn, 'melScale', options.melScale ?? 'htk', ['htk', 'slaney']);
  const allFreqs = linspace(0, Math.floor(sampleRate / 2), nFreqs);
  const mPts = linspace(hzToMel(fMin, scale), hzToMel(fMax, scale), nMels + 2);
  const fPts = mPts.map((m) => melToHz(m, scale));
  return triangles(allFreqs, fPts, norm === 'slaney' ? (m) => 2 / (fPts[m + 2]! - fPts[m]!) : null);
}

/**
 * Triangular filter banks evenly spaced in hertz (`torchaudio.functional.linear_fbanks`):
 * `[nFreqs, nFilter]`.
 *
 * @example
 * ```ts
 * const fb = linearFbanks(201, 0, 8000, 40, 16000); // [201, 40]
 * ```
 */
export function linearFbanks(nFreqs: number, fMin: number, fMax: number, nFilter: number, sampleRate: number): Tensor {
  const fn = 'linearFbanks';
  checkInt(fn, 'nFreqs', nFreqs, 1);
  checkInt(fn, 'nFilter', nFilter, 1);
  checkNumber(fn, 'sampleRate', sampleRate, true);
  return triangles(linspace(0, Math.floor(sampleRate / 2), nFreqs), linspace(checkNumber(fn, 'fMin', fMin), checkNumber(fn, 'fMax', fMax), nFilter + 2), null);
}

/**
 * The DCT-II matrix (`torchaudio.functional.create_dct`): `[nMels, nMfcc]`, so that
 * `melSpec.transpose(-1, -2).matmul(dct)` gives cepstral coefficients. `norm: 'ortho'` makes it
 * orthonormal; `null` scales by 2.
 *
 * @example
 * ```ts
 * const dct = createDct(13, 40, 'ortho'); // [40, 13]
 * ```
 */
export function createDct(nMfcc: number, nMels: number, norm: 'ortho' | null): Tensor {
  checkInt('createDct', 'nMfcc', nMfcc, 1);
  checkInt('createDct', 'nMels', nMels, 1);
  if (norm !== null && norm !== 'ortho') throw new ArgumentError(`createDct(): norm must be 'ortho' or null (got ${describe(norm)})`);
  const out = new Float64Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === null) v *= 2;
      else v *= (k === 0 ? 1 / Math.SQRT2 : 1) * Math.sqrt(2 / nMels);
      out[n * nMfcc + k] = v;
    }
  }
  return fromArray(out, [nMels, nMfcc]);
}
