/**
 * `MFCC` (`torchaudio.transforms.MFCC`).
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { amplitudeToDB } from '../functional/amplitude.js';
import { createDct } from '../functional/filterbanks.js';
import { checkInt, describe } from '../util.js';
import { MelSpectrogram, type MelSpectrogramOptions } from './mel-spectrogram.js';

/** Options of {@link MFCC}. */
export interface MFCCOptions {
  /** Default 16000. */
  sampleRate?: number;
  /** Coefficients kept (default 40). */
  nMfcc?: number;
  /** Only type 2 is supported, as in torchaudio. */
  dctType?: 2;
  /** `'ortho'` (default) or `null`. */
  norm?: 'ortho' | null;
  /** Use `log(mel + 1e-6)` instead of decibels (default false). */
  logMels?: boolean;
  /** Options of the inner {@link MelSpectrogram}. */
  melkwargs?: Omit<MelSpectrogramOptions, 'sampleRate'>;
}

/**
 * Mel-frequency cepstral coefficients: mel spectrogram, decibels (top 80 dB), then a DCT:
 * `[..., time]` -> `[..., nMfcc, frames]`. Buffer `dct_mat` (`[nMels, nMfcc]`).
 *
 * @example
 * ```ts
 * const mfcc = new MFCC({ sampleRate: 16000, nMfcc: 13, melkwargs: { nFft: 400, hopLength: 160, nMels: 40 } });
 * const coeffs = mfcc(waveform); // [channels, 13, frames]
 * ```
 */
export class MFCC extends nn.Module {
  readonly nMfcc: number;
  readonly logMels: boolean;
  readonly MelSpectrogram: MelSpectrogram;
  declare readonly dct_mat: Tensor;
  constructor(options: MFCCOptions = {}) {
    super();
    if ((options.dctType ?? 2) !== 2) throw new ArgumentError(`MFCC(): dctType must be 2 (got ${describe(options.dctType)})`);
    this.nMfcc = checkInt('MFCC', 'nMfcc', options.nMfcc ?? 40, 1);
    this.logMels = options.logMels ?? false;
    this.MelSpectrogram = new MelSpectrogram({ ...(options.melkwargs ?? {}), sampleRate: options.sampleRate ?? 16000 });
    if (this.nMfcc > this.MelSpectrogram.nMels) {
      throw new ArgumentError(`MFCC(): nMfcc (${this.nMfcc}) must be <= nMels (${this.MelSpectrogram.nMels})`);
    }
    this.registerBuffer('dct_mat', createDct(this.nMfcc, this.MelSpectrogram.nMels, options.norm === undefined ? 'ortho' : options.norm));
  }
  forward(waveform: Tensor): Tensor {
    const mel = this.MelSpectrogram(waveform);
    const logMel = this.logMels ? mel.add(1e-6).log() : amplitudeToDB(mel, 10, 1e-10, 0, { topDb: 80 });
    return logMel.transpose(-1, -2).matmul(this.dct_mat).transpose(-1, -2);
  }
}
