/**
 * `GriffinLim` (`torchaudio.transforms.GriffinLim`).
 * @module
 */
import { nn, type Generator, type Tensor } from '@flint/core';
import { griffinlim } from '../functional/spectrogram.js';
import { specGeometry } from './spectrogram.js';
import { makeWindow, type WindowFn } from './window-fn.js';

/** Options of {@link GriffinLim}. */
export interface GriffinLimTransformOptions {
  nFft?: number;
  /** Iterations (default 32). */
  nIter?: number;
  winLength?: number;
  hopLength?: number;
  windowFn?: WindowFn;
  wkwargs?: Record<string, unknown>;
  /** The exponent the spectrogram was raised to (default 2). */
  power?: number;
  /** Fast Griffin-Lim momentum (default 0.99). */
  momentum?: number;
  length?: number;
  /** Random initial phases (default true). */
  randInit?: boolean;
  generator?: Generator;
}

/**
 * A waveform from a magnitude spectrogram by fast Griffin-Lim phase reconstruction.
 *
 * @example
 * ```ts
 * const spec = new Spectrogram({ nFft: 400 })(x);
 * const y = new GriffinLim({ nFft: 400, nIter: 32 })(spec);
 * ```
 */
export class GriffinLim extends nn.Module {
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  declare readonly window: Tensor;
  constructor(readonly options: GriffinLimTransformOptions = {}) {
    super();
    ({ nFft: this.nFft, winLength: this.winLength, hopLength: this.hopLength } = specGeometry('GriffinLim', options));
    this.registerBuffer('window', makeWindow(options.windowFn, this.winLength, options.wkwargs));
  }
  forward(specgram: Tensor): Tensor {
    const o = this.options;
    return griffinlim(specgram, this.nFft, {
      window: this.window,
      hopLength: this.hopLength,
      winLength: this.winLength,
      power: o.power ?? 2,
      nIter: o.nIter ?? 32,
      momentum: o.momentum ?? 0.99,
      randInit: o.randInit ?? true,
      ...(o.length !== undefined ? { length: o.length } : {}),
      ...(o.generator !== undefined ? { generator: o.generator } : {}),
    });
  }
}
