/**
 * The spectral centroid (`torchaudio.functional.spectral_centroid`).
 * @module
 */
import { linspace, type Tensor } from '@flint/core';
import { checkInt, checkTensor } from '../util.js';
import { spectrogram } from './spectrogram.js';

/** Options of {@link spectralCentroid}. */
export interface SpectralCentroidOptions {
  pad?: number;
  window?: Tensor | null;
  hopLength?: number;
  winLength?: number;
}

/**
 * The magnitude-weighted mean frequency of each frame: `[..., time]` -> `[..., frames]` in Hz.
 *
 * @example
 * ```ts
 * const centroid = spectralCentroid(waveform, 16000, 400, { window: hannWindow(400), hopLength: 200 });
 * ```
 */
export function spectralCentroid(waveform: Tensor, sampleRate: number, nFft: number, options: SpectralCentroidOptions = {}): Tensor {
  checkTensor('spectralCentroid', 'waveform', waveform);
  checkInt('spectralCentroid', 'sampleRate', sampleRate, 1);
  const spec = spectrogram(waveform, nFft, { ...options, power: 1, normalized: false });
  const freqs = linspace(0, Math.floor(sampleRate / 2), 1 + Math.floor(nFft / 2)).reshape([-1, 1]);
  return freqs.mul(spec).sum(-2).div(spec.sum(-2));
}
