/**
 * `MelScale` (`torchaudio.transforms.MelScale`).
 * @module
 */
import { ShapeError, nn, type Tensor } from '@flint/core';
import { melscaleFbanks, type MelScaleType } from '../functional/filterbanks.js';
import { checkInt, checkTensor } from '../util.js';

/** Options of {@link MelScale}. */
export interface MelScaleOptions {
  /** Mel bins (default 128). */
  nMels?: number;
  /** Default 16000. */
  sampleRate?: number;
  /** Default 0. */
  fMin?: number;
  /** Default sampleRate / 2. */
  fMax?: number | null;
  /** Frequency bins of the input, nFft / 2 + 1 (default 201). */
  nStft?: number;
  norm?: 'slaney' | null;
  melScale?: MelScaleType;
}

/**
 * Maps a spectrogram `[..., nStft, frames]` to mel bins `[..., nMels, frames]` with triangular
 * filter banks (buffer `fb`, `[nStft, nMels]`).
 *
 * @example
 * ```ts
 * const mel = new MelScale({ nMels: 64, sampleRate: 16000, nStft: 201 })(powerSpec);
 * ```
 */
export class MelScale extends nn.Module {
  readonly nMels: number;
  readonly sampleRate: number;
  readonly fMin: number;
  readonly fMax: number;
  declare readonly fb: Tensor;
  constructor(options: MelScaleOptions = {}) {
    super();
    this.nMels = checkInt('MelScale', 'nMels', options.nMels ?? 128, 1);
    this.sampleRate = options.sampleRate ?? 16000;
    this.fMin = options.fMin ?? 0;
    this.fMax = options.fMax ?? Math.floor(this.sampleRate / 2);
    const nStft = checkInt('MelScale', 'nStft', options.nStft ?? 201, 1);
    this.registerBuffer('fb', melscaleFbanks(nStft, this.fMin, this.fMax, this.nMels, this.sampleRate, { norm: options.norm ?? null, melScale: options.melScale ?? 'htk' }));
  }
  forward(specgram: Tensor): Tensor {
    checkTensor('MelScale', 'specgram', specgram, 2);
    const nStft = this.fb.shape[0]!;
    if (specgram.shape[specgram.ndim - 2] !== nStft) {
      throw new ShapeError(`MelScale(): specgram must have ${nStft} frequency bins in dim -2 (nStft) (got shape [${specgram.shape.join(', ')}])`);
    }
    return specgram.transpose(-1, -2).matmul(this.fb).transpose(-1, -2);
  }
  override extraRepr(): string {
    return `nMels=${this.nMels}, sampleRate=${this.sampleRate}, fMin=${this.fMin}, fMax=${this.fMax}`;
  }
}
