/**
 * `Vad` (`torchaudio.transforms.Vad`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { vad, type VadOptions } from '../functional/vad.js';

/**
 * Trims the silence before the first speech (see `functional.vad`, sox's `vad` effect).
 *
 * @example
 * ```ts
 * const trimmed = new Vad(16000, { triggerLevel: 7 })(waveform);
 * ```
 */
export class Vad extends nn.Module {
  constructor(
    readonly sampleRate: number,
    readonly options: VadOptions = {},
  ) {
    super();
  }
  forward(waveform: Tensor): Tensor {
    return vad(waveform, this.sampleRate, this.options);
  }
}
