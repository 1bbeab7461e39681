/**
 * `MuLawEncoding` and `MuLawDecoding` (`torchaudio.transforms`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { muLawDecoding, muLawEncoding } from '../functional/mu-law.js';

/**
 * Mu-law companding of a waveform in [-1, 1] to int32 codes in `[0, quantizationChannels)`.
 *
 * @example
 * ```ts
 * const codes = new MuLawEncoding(256)(waveform);
 * ```
 */
export class MuLawEncoding extends nn.Module {
  constructor(readonly quantizationChannels = 256) {
    super();
  }
  forward(x: Tensor): Tensor {
    return muLawEncoding(x, this.quantizationChannels);
  }
}

/**
 * Mu-law codes back to a float waveform in [-1, 1].
 *
 * @example
 * ```ts
 * const wave = new MuLawDecoding(256)(codes);
 * ```
 */
export class MuLawDecoding extends nn.Module {
  constructor(readonly quantizationChannels = 256) {
    super();
  }
  forward(xMu: Tensor): Tensor {
    return muLawDecoding(xMu, this.quantizationChannels);
  }
}
