/**
 * `Fade` (`torchaudio.transforms.Fade`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { checkChoice, checkInt, checkTensor, fromArray } from '../util.js';

/** The fade curve. */
export type FadeShape = 'linear' | 'exponential' | 'logarithmic' | 'quarter_sine' | 'half_sine';

function curve(shape: FadeShape, r: number): number {
  return Math.min(1, Math.max(0, raw(shape, r)));
}

function raw(shape: FadeShape, r: number): number {
  switch (shape) {
    case 'linear':
      return r;
    case 'exponential':
      return 2 ** (r - 1) * r;
    case 'logarithmic':
      return Math.log10(0.1 + r) + 1;
    case 'quarter_sine':
      return Math.sin((r * Math.PI) / 2);
    case 'half_sine':
      return Math.sin(r * Math.PI - Math.PI / 2) / 2 + 0.5;
  }
}

/**
 * Fades the first `fadeInLen` samples in and the last `fadeOutLen` samples out.
 *
 * @example
 * ```ts
 * const faded = new Fade(1600, 3200, 'half_sine')(waveform);
 * ```
 */
export class Fade extends nn.Module {
  readonly fadeShape: FadeShape;
  constructor(
    readonly fadeInLen = 0,
    readonly fadeOutLen = 0,
    fadeShape: FadeShape = 'linear',
  ) {
    super();
    checkInt('Fade', 'fadeInLen', fadeInLen, 0);
    checkInt('Fade', 'fadeOutLen', fadeOutLen, 0);
    this.fadeShape = checkChoice('Fade', 'fadeShape', fadeShape, ['linear', 'exponential', 'logarithmic', 'quarter_sine', 'half_sine']);
  }
  forward(waveform: Tensor): Tensor {
    checkTensor('Fade', 'waveform', waveform);
    const n = waveform.shape[waveform.ndim - 1]!;
    const env = new Float32Array(n).fill(1);
    // torchaudio: fade in over linspace(0, 1, fadeInLen), fade out over linspace(1, 0, fadeOutLen)
    // (a float32 ramp; the curve of the ramp for non-linear shapes).
    const ramp = (len: number, i: number): number => Math.fround(len === 1 ? 0 : i / (len - 1));
    for (let i = 0; i < Math.min(this.fadeInLen, n); i++) env[i] = curve(this.fadeShape, ramp(this.fadeInLen, i));
    for (let i = 0; i < Math.min(this.fadeOutLen, n); i++) {
      const j = n - this.fadeOutLen + i;
      if (j >= 0) env[j]! *= curve(this.fadeShape, 1 - ramp(this.fadeOutLen, i));
    }
    return waveform.mul(fromArray(env, [n]));
  }
}
