/**
 * `LFCC` (`torchaudio.transforms.LFCC`).
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { amplitudeToDB } from '../functional/amplitude.js';
import { createDct, linearFbanks } from '../functional/filterbanks.js';
import { checkInt, describe } from '../util.js';
import { Spectrogram, type SpectrogramTransformOptions } from './spectrogram.js';

/** Options of {@link LFCC}. */
export interface LFCCOptions {
  sampleRate?: number;
  /** Linear filters (default 128). */
  nFilter?: number;
  fMin?: number;
  fMax?: number | null;
  /** Coefficients kept (default 40). */
  nLfcc?: number;
  dctType?: 2;
  norm?: 'ortho' | null;
  /** Use `log(x + 1e-6)` instead of decibels (default false). */
  logLf?: boolean;
  /** Options of the inner {@link Spectrogram}. */
  speckwargs?: SpectrogramTransformOptions;
}

/**
 * Linear-frequency cepstral coefficients: spectrogram, linear triangular filters, decibels
 * (top 80 dB), DCT: `[..., time]` -> `[..., nLfcc, frames]`.
 *
 * @example
 * ```ts
 * const lfcc = new LFCC({ sampleRate: 16000, nFilter: 40, nLfcc: 20, speckwargs: { nFft: 400, hopLength: 160 } });
 * ```
 */
export class LFCC extends nn.Module {
  readonly nLfcc: number;
  readonly logLf: boolean;
  readonly Spectrogram: Spectrogram;
  declare readonly filter_mat: Tensor;
  declare readonly dct_mat: Tensor;
  constructor(options: LFCCOptions = {}) {
    super();
    if ((options.dctType ?? 2) !== 2) throw new ArgumentError(`LFCC(): dctType must be 2 (got ${describe(options.dctType)})`);
    const sr = options.sampleRate ?? 16000;
    const nFilter = checkInt('LFCC', 'nFilter', options.nFilter ?? 128, 1);
    this.nLfcc = checkInt('LFCC', 'nLfcc', options.nLfcc ?? 40, 1);
    if (this.nLfcc > nFilter) throw new ArgumentError(`LFCC(): nLfcc (${this.nLfcc}) must be <= nFilter (${nFilter})`);
    this.logLf = options.logLf ?? false;
    this.Spectrogram = new Spectrogram(options.speckwargs ?? {});
    const nFreqs = Math.floor(this.Spectrogram.nFft / 2) + 1;
    this.registerBuffer('filter_mat', linearFbanks(nFreqs, options.fMin ?? 0, options.fMax ?? Math.floor(sr / 2), nFilter, sr));
    this.registerBuffer('dct_mat', createDct(this.nLfcc, nFilter, options.norm === undefined ? 'ortho' : options.norm));
  }
  forward(waveform: Tensor): Tensor {
    const spec = this.Spectrogram(waveform);
    const lin = spec.transpose(-1, -2).matmul(this.filter_mat).transpose(-1, -2);
    const logLin = this.logLf ? lin.add(1e-6).log() : amplitudeToDB(lin, 10, 1e-10, 0, { topDb: 80 });
    return logLin.transpose(-1, -2).matmul(this.dct_mat).transpose(-1, -2);
  }
}
