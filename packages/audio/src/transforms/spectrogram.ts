/**
 * `Spectrogram` and `InverseSpectrogram` (`torchaudio.transforms`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { inverseSpectrogram, spectrogram, type SpecNormalized } from '../functional/spectrogram.js';
import type { StftPadMode } from '../functional/stft.js';
import { checkInt } from '../util.js';
import { makeWindow, type WindowFn } from './window-fn.js';

/** Options of {@link Spectrogram}. */
export interface SpectrogramTransformOptions {
  /** FFT size (default 400). */
  nFft?: number;
  /** Window length (default nFft). */
  winLength?: number;
  /** Hop between frames (default winLength / 2). */
  hopLength?: number;
  /** Zeros padded on both sides (default 0). */
  pad?: number;
  /** Window constructor (default `hannWindow`). */
  windowFn?: WindowFn;
  /** Options for `windowFn`. */
  wkwargs?: Record<string, unknown>;
  /** Magnitude exponent (default 2); `null` for the complex spectrogram. */
  power?: number | null;
  normalized?: SpecNormalized;
  center?: boolean;
  padMode?: StftPadMode;
  onesided?: boolean;
}

/** Resolved STFT geometry of a spectral transform. @internal */
export function specGeometry(fn: string, options: { nFft?: number; winLength?: number; hopLength?: number }): { nFft: number; winLength: number; hopLength: number } {
  const nFft = checkInt(fn, 'nFft', options.nFft ?? 400, 1);
  const winLength = checkInt(fn, 'winLength', options.winLength ?? nFft, 1);
  const hopLength = checkInt(fn, 'hopLength', options.hopLength ?? Math.floor(winLength / 2), 1);
  return { nFft, winLength, hopLength };
}

/**
 * A spectrogram from a waveform (`torchaudio.transforms.Spectrogram`): `[..., time]` ->
 * `[..., nFft/2+1, frames]`. The window is a buffer.
 *
 * @example
 * ```ts
 * const spec = new Spectrogram({ nFft: 512, hopLength: 128 })(waveform);
 * ```
 */
export class Spectrogram extends nn.Module {
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  declare readonly window: Tensor;
  constructor(readonly options: SpectrogramTransformOptions = {}) {
    super();
    ({ nFft: this.nFft, winLength: this.winLength, hopLength: this.hopLength } = specGeometry('Spectrogram', options));
    this.registerBuffer('window', makeWindow(options.windowFn, this.winLength, options.wkwargs));
  }
  forward(waveform: Tensor): Tensor {
    const o = this.options;
    return spectrogram(waveform, this.nFft, {
      pad: o.pad ?? 0,
      window: this.window,
      hopLength: this.hopLength,
      winLength: this.winLength,
      power: o.power === undefined ? 2 : o.power,
      normalized: o.normalized ?? false,
      center: o.center ?? true,
      padMode: o.padMode ?? 'reflect',
      onesided: o.onesided ?? true,
    });
  }
  override extraRepr(): string {
    return `nFft=${this.nFft}, winLength=${this.winLength}, hopLength=${this.hopLength}`;
  }
}

/** Options of {@link InverseSpectrogram}. */
export type InverseSpectrogramTransformOptions = Omit<SpectrogramTransformOptions, 'power' | 'padMode'>;

/**
 * A complex spectrogram `[..., freq, frames, 2]` back to a waveform
 * (`torchaudio.transforms.InverseSpectrogram`).
 *
 * @example
 * ```ts
 * const spec = new Spectrogram({ nFft: 400, power: null })(x);
 * const y = new InverseSpectrogram({ nFft: 400 })(spec, x.shape[1]);
 * ```
 */
export class InverseSpectrogram extends nn.Module<[Tensor, number?], Tensor> {
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  declare readonly window: Tensor;
  constructor(readonly options: InverseSpectrogramTransformOptions = {}) {
    super();
    ({ nFft: this.nFft, winLength: this.winLength, hopLength: this.hopLength } = specGeometry('InverseSpectrogram', options));
    this.registerBuffer('window', makeWindow(options.windowFn, this.winLength, options.wkwargs));
  }
  forward(spectrogramIn: Tensor, length?: number): Tensor {
    const o = this.options;
    return inverseSpectrogram(spectrogramIn, this.nFft, {
      pad: o.pad ?? 0,
      window: this.window,
      hopLength: this.hopLength,
      winLength: this.winLength,
      normalized: o.normalized ?? false,
      center: o.center ?? true,
      onesided: o.onesided ?? true,
      ...(length !== undefined ? { length } : {}),
    });
  }
}
