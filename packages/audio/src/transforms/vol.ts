/**
 * `Vol` (`torchaudio.transforms.Vol`).
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { checkChoice, checkNumber, checkTensor } from '../util.js';

/**
 * Scales a waveform's volume and clamps it to [-1, 1]. `gainType` `'amplitude'` (default)
 * multiplies by `gain`; `'db'` by `10^(gain/20)`; `'power'` by `10^(10 log10(gain) / 20)`.
 *
 * @example
 * ```ts
 * const quieter = new Vol(-6, 'db')(waveform);
 * ```
 */
export class Vol extends nn.Module {
  readonly gainType: 'amplitude' | 'power' | 'db';
  constructor(
    readonly gain: number,
    gainType: 'amplitude' | 'power' | 'db' = 'amplitude',
  ) {
    super();
    checkNumber('Vol', 'gain', gain);
    this.gainType = checkChoice('Vol', 'gainType', gainType, ['amplitude', 'power', 'db']);
    if (this.gainType !== 'db' && gain < 0) throw new ArgumentError(`Vol(): gain must be >= 0 for gainType '${this.gainType}' (got ${gain})`);
  }
  forward(waveform: Tensor): Tensor {
    checkTensor('Vol', 'waveform', waveform, 0);
    let factor: number;
    if (this.gainType === 'amplitude') factor = this.gain;
    else if (this.gainType === 'db') factor = 10 ** (this.gain / 20);
    else factor = 10 ** ((10 * Math.log10(this.gain)) / 20);
    return waveform.mul(factor).clamp(-1, 1);
  }
}
