/**
 * Spectrograms (`torchaudio.functional.spectrogram`, `inverse_spectrogram`, `griffinlim`):
 * `|STFT|^power` of a waveform, the complex spectrogram back to a waveform, and phase
 * reconstruction from magnitudes by fast Griffin-Lim.
 * @module
 */
import { ArgumentError, Tensor, nn, noGrad, ones, rand, stack, zeros, type Generator } from '@flint/core';
import { checkInt, checkNumber, checkTensor, describe } from '../util.js';
import { complexAbs, complexAbs2 } from './complex.js';
import { istft, stft, stftFrameMajor, type StftPadMode } from './stft.js';

/** `true`/`'window'` divides by the window's L2 norm, `'frame_length'` by `sqrt(nFft)` (torchaudio). */
export type SpecNormalized = boolean | 'window' | 'frame_length';

/** Options of {@link spectrogram}. */
export interface SpectrogramOptions {
  /** Zeros added to both ends of the signal (default 0). */
  pad?: number;
  /** Window of `winLength` samples (default rectangular). */
  window?: Tensor | null;
  hopLength?: number;
  winLength?: number;
  /** Exponent of the magnitude (default 2: power); `null` returns the complex spectrogram `[..., 2]`. */
  power?: number | null;
  normalized?: SpecNormalized;
  center?: boolean;
  padMode?: StftPadMode;
  onesided?: boolean;
}

function specNorms(fn: string, normalized: SpecNormalized | undefined): { frameLength: boolean; window: boolean } {
  const v = normalized ?? false;
  if (v === 'frame_length') return { frameLength: true, window: false };
  if (v === 'window' || v === true) return { frameLength: false, window: true };
  if (v === false) return { frameLength: false, window: false };
  throw new ArgumentError(`${fn}(): normalized must be a boolean, 'window' or 'frame_length' (got ${describe(v)})`);
}

function windowNorm(window: Tensor | null | undefined, winLength: number): number {
  if (window === null || window === undefined) return Math.sqrt(winLength);
  let s = 0;
  for (const v of window.dataSync()) s += v * v;
  return Math.sqrt(s);
}

/**
 * A spectrogram `|STFT(x)|^power` (`torchaudio.functional.spectrogram`): `[..., time]` ->
 * `[..., nFft/2+1, frames]`, or complex `[..., freq, frames, 2]` with `power: null`.
 *
 * @example
 * ```ts
 * const spec = spectrogram(waveform, 400, { window: hannWindow(400), hopLength: 200 }); // power 2
 * ```
 */
export function spectrogram(waveform: Tensor, nFft: number, options: SpectrogramOptions = {}): Tensor {
  checkTensor('spectrogram', 'waveform', waveform);
  const pad = checkInt('spectrogram', 'pad', options.pad ?? 0, 0);
  const norms = specNorms('spectrogram', options.normalized);
  let x = waveform;
  if (pad > 0) x = nn.functional.pad(x, [pad, pad]);
  // Frame-major [..., frames, freq, 2]: magnitudes first, then one transpose of half the data.
  let spec = stftFrameMajor(x, nFft, {
    ...(options.hopLength !== undefined ? { hopLength: options.hopLength } : {}),
    ...(options.winLength !== undefined ? { winLength: options.winLength } : {}),
    window: options.window ?? null,
    center: options.center ?? true,
    padMode: options.padMode ?? 'reflect',
    normalized: norms.frameLength,
    onesided: options.onesided ?? true,
  });
  if (norms.window) spec = spec.div(windowNorm(options.window, options.winLength ?? nFft));
  const power = options.power === undefined ? 2 : options.power;
  if (power === null) return spec.transpose(-3, -2);
  checkNumber('spectrogram', 'power', power, true);
  const mag = power === 2 ? complexAbs2(spec) : power === 1 ? complexAbs(spec) : complexAbs(spec).pow(power);
  return mag.transpose(-2, -1);
}

/** Options of {@link inverseSpectrogram}. */
export interface InverseSpectrogramOptions extends Omit<SpectrogramOptions, 'power' | 'padMode'> {
  /** Output length in samples (before removing `pad`). */
  length?: number;
}

/**
 * A complex spectrogram `[..., freq, frames, 2]` back to a waveform
 * (`torchaudio.functional.inverse_spectrogram`).
 *
 * @example
 * ```ts
 * const wave = inverseSpectrogram(spectrogram(x, 400, { power: null, window: w }), 400, { window: w, length: x.shape[1] });
 * ```
 */
export function inverseSpectrogram(spec: Tensor, nFft: number, options: InverseSpectrogramOptions = {}): Tensor {
  checkTensor('inverseSpectrogram', 'spectrogram', spec, 3);
  const pad = checkInt('inverseSpectrogram', 'pad', options.pad ?? 0, 0);
  const norms = specNorms('inverseSpectrogram', options.normalized);
  let s = spec;
  if (norms.window) s = s.mul(windowNorm(options.window, options.winLength ?? nFft));
  let y = istft(s, nFft, {
    ...(options.hopLength !== undefined ? { hopLength: options.hopLength } : {}),
    ...(options.winLength !== undefined ? { winLength: options.winLength } : {}),
    window: options.window ?? null,
    center: options.center ?? true,
    normalized: norms.frameLength,
    onesided: options.onesided ?? true,
    ...(options.length !== undefined ? { length: options.length + 2 * pad } : {}),
  });
  if (options.length !== undefined && pad > 0) y = y.narrow(-1, pad, options.length);
  return y;
}

/** Options of {@link griffinlim}. */
export interface GriffinLimOptions {
  window?: Tensor | null;
  hopLength?: number;
  winLength?: number;
  /** The exponent the spectrogram was raised to (default 2). */
  power?: number;
  /** Iterations (default 32). */
  nIter?: number;
  /** Fast Griffin-Lim momentum in [0, 1) (default 0.99). */
  momentum?: number;
  /** Output length in samples. */
  length?: number;
  /** Start from random phases (default true) or from zero phase. */
  randInit?: boolean;
  /** Generator for the random initial phases. */
  generator?: Generator;
}

/**
 * Waveform from a magnitude spectrogram by fast Griffin-Lim (`torchaudio.functional.griffinlim`):
 * `[..., freq, frames]` -> `[..., time]`. Not differentiable (runs under `noGrad`).
 *
 * @example
 * ```ts
 * const wave = griffinlim(spec, 400, { window: hannWindow(400), hopLength: 100, nIter: 32 });
 * ```
 */
export function griffinlim(specgram: Tensor, nFft: number, options: GriffinLimOptions = {}): Tensor {
  checkTensor('griffinlim', 'specgram', specgram, 2);
  const momentumIn = options.momentum ?? 0.99;
  if (!(momentumIn >= 0 && momentumIn < 1)) throw new ArgumentError(`griffinlim(): momentum must be in [0, 1) (got ${describe(momentumIn)})`);
  const momentum = momentumIn / (1 + momentumIn);
  const power = checkNumber('griffinlim', 'power', options.power ?? 2, true);
  const nIter = checkInt('griffinlim', 'nIter', options.nIter ?? 32, 0);
  const stftOpts = {
    ...(options.hopLength !== undefined ? { hopLength: options.hopLength } : {}),
    ...(options.winLength !== undefined ? { winLength: options.winLength } : {}),
    window: options.window ?? null,
  };
  return noGrad(() => {
    const shape = specgram.shape;
    const mag = specgram.reshape([-1, ...shape.slice(-2)]).pow(1 / power).unsqueeze(-1);
    let angles: Tensor;
    if (options.randInit ?? true) {
      // torch.rand with a complex dtype: uniform [0, 1) real and imaginary parts.
      angles = rand([...mag.shape.slice(0, -1), 2], options.generator !== undefined ? { generator: options.generator } : {});
    } else {
      angles = stack([ones(mag.shape.slice(0, -1)), zeros(mag.shape.slice(0, -1))], -1);
    }
    let tprev: Tensor | null = null;
    const len = options.length !== undefined ? { length: options.length } : {};
    for (let i = 0; i < nIter; i++) {
      const inverse = istft(mag.mul(angles), nFft, { ...stftOpts, ...len });
      const rebuilt = stft(inverse, nFft, { ...stftOpts, center: true, padMode: 'reflect', normalized: false, onesided: true });
      angles = rebuilt;
      if (momentum !== 0 && tprev !== null) angles = angles.sub(tprev.mul(momentum));
      angles = angles.div(complexAbs(angles).add(1e-16).unsqueeze(-1));
      tprev = rebuilt;
    }
    const wave = istft(mag.mul(angles), nFft, { ...stftOpts, ...len });
    return wave.reshape([...shape.slice(0, -2), wave.shape[wave.shape.length - 1]!]);
  });
}
