/**
 * `SpectralCentroid` and `ComputeDeltas` (`torchaudio.transforms`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { computeDeltas } from '../functional/deltas.js';
import { spectralCentroid } from '../functional/spectral-centroid.js';
import { specGeometry } from './spectrogram.js';
import { makeWindow, type WindowFn } from './window-fn.js';

/**
 * The spectral centroid of each frame in Hz: `[..., time]` -> `[..., frames]`.
 *
 * @example
 * ```ts
 * const c = new SpectralCentroid(16000, { nFft: 400 })(waveform);
 * ```
 */
export class SpectralCentroid extends nn.Module {
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  declare readonly window: Tensor;
  constructor(
    readonly sampleRate: number,
    readonly options: { nFft?: number; winLength?: number; hopLength?: number; pad?: number; windowFn?: WindowFn; wkwargs?: Record<string, unknown> } = {},
  ) {
    super();
    ({ nFft: this.nFft, winLength: this.winLength, hopLength: this.hopLength } = specGeometry('SpectralCentroid', options));
    this.registerBuffer('window', makeWindow(options.windowFn, this.winLength, options.wkwargs));
  }
  forward(waveform: Tensor): Tensor {
    return spectralCentroid(waveform, this.sampleRate, this.nFft, { pad: this.options.pad ?? 0, window: this.window, hopLength: this.hopLength, winLength: this.winLength });
  }
}

/**
 * Delta coefficients of a spectrogram or MFCCs along time (see `functional.computeDeltas`).
 *
 * @example
 * ```ts
 * const d = new ComputeDeltas({ winLength: 5 })(mfcc);
 * ```
 */
export class ComputeDeltas extends nn.Module {
  readonly winLength: number;
  readonly mode: 'replicate';
  constructor(options: { winLength?: number; mode?: 'replicate' } = {}) {
    super();
    this.winLength = options.winLength ?? 5;
    this.mode = options.mode ?? 'replicate';
  }
  forward(specgram: Tensor): Tensor {
    return computeDeltas(specgram, { winLength: this.winLength, mode: this.mode });
  }
}
