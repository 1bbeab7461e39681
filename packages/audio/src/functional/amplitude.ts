/**
 * Decibel conversions (`torchaudio.functional.amplitude_to_DB`, `DB_to_amplitude`).
 * @module
 */
import { maximum, type Tensor } from '@flint/core';
import { checkNumber, checkTensor } from '../util.js';

/** Options of {@link amplitudeToDB}. */
export interface AmplitudeToDBOptions {
  /** Clip to at most this many dB below the loudest value of each spectrogram (per example). */
  topDb?: number | null;
}

/**
 * `multiplier * log10(max(x, amin)) - multiplier * dbMultiplier`, optionally clipped to `topDb`
 * below the maximum of each example (`torchaudio.functional.amplitude_to_DB`). Use multiplier 10
 * for power spectrograms and 20 for amplitudes. For inputs of 3 or more dimensions the maximum is
 * taken over the last three (channels, freq, time), as torchaudio does.
 *
 * @example
 * ```ts
 * const db = amplitudeToDB(powerSpec, 10, 1e-10, 0, { topDb: 80 });
 * ```
 */
export function amplitudeToDB(x: Tensor, multiplier: number, amin: number, dbMultiplier: number, options: AmplitudeToDBOptions = {}): Tensor {
  checkTensor('amplitudeToDB', 'x', x);
  checkNumber('amplitudeToDB', 'multiplier', multiplier);
  checkNumber('amplitudeToDB', 'amin', amin, true);
  checkNumber('amplitudeToDB', 'dbMultiplier', dbMultiplier);
  let db = x.clamp(amin).log().mul(multiplier / Math.LN10);
  if (dbMultiplier !== 0) db = db.sub(multiplier * dbMultiplier);
  const topDb = options.topDb ?? null;
  if (topDb === null) return db;
  checkNumber('amplitudeToDB', 'topDb', topDb);
  const shape = db.shape;
  if (shape.length < 2) {
    return maximum(db, db.amax().sub(topDb));
  }
  const packed = shape.length > 2 ? shape[shape.length - 3]! : 1;
  const r = db.reshape([-1, packed, shape[shape.length - 2]!, shape[shape.length - 1]!]);
  const floor = r.amax([-3, -2, -1], { keepdim: true }).sub(topDb);
  return maximum(r, floor).reshape(shape);
}

/**
 * `ref * (10^(x / 10))^power`, the inverse of {@link amplitudeToDB}
 * (`torchaudio.functional.DB_to_amplitude`): power 1 for power spectrograms, 0.5 for amplitudes.
 *
 * @example
 * ```ts
 * DBToAmplitude(tensor([20]), 1, 1).item(); // 100
 * ```
 */
export function DBToAmplitude(x: Tensor, ref: number, power: number): Tensor {
  checkTensor('DBToAmplitude', 'x', x, 0);
  checkNumber('DBToAmplitude', 'ref', ref);
  checkNumber('DBToAmplitude', 'power', power);
  return x.mul((0.1 * Math.LN10 * power)).exp().mul(ref);
}
