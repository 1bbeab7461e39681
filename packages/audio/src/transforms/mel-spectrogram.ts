/**
 * `MelSpectrogram` (`torchaudio.transforms.MelSpectrogram`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import type { MelScaleType } from '../functional/filterbanks.js';
import { MelScale } from './mel-scale.js';
import { Spectrogram, type SpectrogramTransformOptions } from './spectrogram.js';

/** Options of {@link MelSpectrogram}. */
export interface MelSpectrogramOptions extends Omit<SpectrogramTransformOptions, 'power'> {
  /** Default 16000. */
  sampleRate?: number;
  fMin?: number;
  fMax?: number | null;
  /** Mel bins (default 128). */
  nMels?: number;
  /** Magnitude exponent (default 2). */
  power?: number;
  norm?: 'slaney' | null;
  melScale?: MelScaleType;
}

/**
 * A mel spectrogram: {@link Spectrogram} then {@link MelScale}: `[..., time]` ->
 * `[..., nMels, frames]`. Submodules `spectrogram` and `melScale`.
 *
 * @example
 * ```ts
 * const mel = new MelSpectrogram({ sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 64 });
 * const features = mel(waveform); // [channels, 64, frames]
 * ```
 */
export class MelSpectrogram extends nn.Module {
  readonly spectrogram: Spectrogram;
  readonly melScale: MelScale;
  readonly sampleRate: number;
  readonly nMels: number;
  constructor(options: MelSpectrogramOptions = {}) {
    super();
    this.sampleRate = options.sampleRate ?? 16000;
    this.nMels = options.nMels ?? 128;
    const { sampleRate: _s, fMin, fMax, nMels: _n, norm, melScale, ...spec } = options;
    this.spectrogram = new Spectrogram({ ...spec, power: options.power ?? 2 });
    this.melScale = new MelScale({
      nMels: this.nMels,
      sampleRate: this.sampleRate,
      fMin: fMin ?? 0,
      fMax: fMax ?? null,
      nStft: Math.floor(this.spectrogram.nFft / 2) + 1,
      norm: norm ?? null,
      melScale: melScale ?? 'htk',
    });
  }
  forward(waveform: Tensor): Tensor {
    return this.melScale(this.spectrogram(waveform));
  }
}
