/**
 * `FrequencyMasking` and `TimeMasking` (`torchaudio.transforms`), SpecAugment.
 * @module
 */
import { nn, type Generator, type Tensor } from '@flint/core';
import { maskAlongAxis, maskAlongAxisIid } from '../functional/masking.js';
import { checkInt } from '../util.js';

/** Options of the masking transforms. */
export interface AxisMaskingOptions {
  /** Independent masks per example and channel of a 4-D batch (default false). */
  iidMasks?: boolean;
  /** Cap the mask width at `p` times the axis length (TimeMasking; default 1). */
  p?: number;
  generator?: Generator;
}

abstract class AxisMasking extends nn.Module<[Tensor, number?], Tensor> {
  constructor(
    readonly maskParam: number,
    private readonly axis: 1 | 2,
    readonly options: AxisMaskingOptions,
  ) {
    super();
    checkInt(new.target.name, 'maskParam', maskParam, 0);
  }
  forward(specgram: Tensor, maskValue = 0): Tensor {
    const opts = { p: this.options.p ?? 1, ...(this.options.generator !== undefined ? { generator: this.options.generator } : {}) };
    if ((this.options.iidMasks ?? false) && specgram.ndim === 4) return maskAlongAxisIid(specgram, this.maskParam, maskValue, (this.axis + 1) as 2 | 3, opts);
    return maskAlongAxis(specgram, this.maskParam, maskValue, this.axis, opts);
  }
}

/**
 * Masks a random band of up to `freqMaskParam - 1` frequency bins of `[..., freq, time]`.
 *
 * @example
 * ```ts
 * const masked = new FrequencyMasking(15)(spec);
 * ```
 */
export class FrequencyMasking extends AxisMasking {
  constructor(freqMaskParam: number, options: Omit<AxisMaskingOptions, 'p'> = {}) {
    super(freqMaskParam, 1, options);
  }
}

/**
 * Masks a random span of up to `timeMaskParam - 1` frames of `[..., freq, time]`.
 *
 * @example
 * ```ts
 * const masked = new TimeMasking(30, { p: 0.2 })(spec);
 * ```
 */
export class TimeMasking extends AxisMasking {
  constructor(timeMaskParam: number, options: AxisMaskingOptions = {}) {
    super(timeMaskParam, 2, options);
  }
}
