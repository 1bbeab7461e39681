/**
 * `AmplitudeToDB` (`torchaudio.transforms.AmplitudeToDB`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { amplitudeToDB } from '../functional/amplitude.js';
import { checkChoice } from '../util.js';

/** Options of {@link AmplitudeToDB}. */
export interface AmplitudeToDBTransformOptions {
  /** `'power'` (default, 10 log10) or `'magnitude'` (20 log10). */
  stype?: 'power' | 'magnitude';
  /** Clip to this many dB below each example's maximum (default none). */
  topDb?: number | null;
}

/**
 * Converts a power or magnitude spectrogram to decibels.
 *
 * @example
 * ```ts
 * const db = new AmplitudeToDB({ stype: 'power', topDb: 80 })(melSpec);
 * ```
 */
export class AmplitudeToDB extends nn.Module {
  readonly stype: 'power' | 'magnitude';
  readonly topDb: number | null;
  readonly multiplier: number;
  readonly amin = 1e-10;
  readonly refValue = 1;
  readonly dbMultiplier: number;
  constructor(options: AmplitudeToDBTransformOptions = {}) {
    super();
    this.stype = checkChoice('AmplitudeToDB', 'stype', options.stype ?? 'power', ['power', 'magnitude']);
    this.topDb = options.topDb ?? null;
    this.multiplier = this.stype === 'power' ? 10 : 20;
    this.dbMultiplier = Math.log10(Math.max(this.amin, this.refValue));
  }
  forward(x: Tensor): Tensor {
    return amplitudeToDB(x, this.multiplier, this.amin, this.dbMultiplier, { topDb: this.topDb });
  }
}
