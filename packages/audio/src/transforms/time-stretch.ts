/**
 * `TimeStretch` (`torchaudio.transforms.TimeStretch`).
 * @module
 */
import { ArgumentError, linspace, nn, type Tensor } from '@flint/core';
import { phaseVocoder } from '../functional/phase-vocoder.js';

/**
 * Stretches a complex spectrogram `[..., freq, frames, 2]` in time without changing pitch by a
 * phase vocoder (buffer `phase_advance`, `[nFreq, 1]`).
 *
 * @example
 * ```ts
 * const spec = new Spectrogram({ nFft: 400, hopLength: 200, power: null })(waveform);
 * const faster = new TimeStretch({ hopLength: 200, nFreq: 201 })(spec, 1.2);
 * ```
 */
export class TimeStretch extends nn.Module<[Tensor, number?], Tensor> {
  readonly fixedRate: number | null;
  declare readonly phase_advance: Tensor;
  constructor(options: { hopLength?: number; nFreq?: number; fixedRate?: number | null } = {}) {
    super();
    const nFreq = options.nFreq ?? 201;
    const nFft = (nFreq - 1) * 2;
    const hop = options.hopLength ?? Math.floor(nFft / 2);
    this.fixedRate = options.fixedRate ?? null;
    this.registerBuffer('phase_advance', linspace(0, Math.PI * hop, nFreq).reshape([-1, 1]));
  }
  forward(complexSpecgrams: Tensor, overridingRate?: number): Tensor {
    const rate = overridingRate ?? this.fixedRate;
    if (rate === null) throw new ArgumentError('TimeStretch(): give a rate, either fixedRate in the constructor or overridingRate in the call');
    return phaseVocoder(complexSpecgrams, rate, this.phase_advance);
  }
}
