/**
 * Mu-law companding (`torchaudio.functional.mu_law_encoding`, `mu_law_decoding`).
 * @module
 */
import type { Tensor } from '@flint/core';
import { checkInt, checkTensor } from '../util.js';

/**
 * Encodes a waveform in [-1, 1] to integers in `[0, quantizationChannels)` by mu-law
 * companding (int32).
 *
 * @example
 * ```ts
 * muLawEncoding(tensor([-1, 0, 1]), 256).tolist(); // [0, 128, 255]
 * ```
 */
export function muLawEncoding(x: Tensor, quantizationChannels: number): Tensor {
  checkTensor('muLawEncoding', 'x', x, 0);
  checkInt('muLawEncoding', 'quantizationChannels', quantizationChannels, 2);
  const mu = quantizationChannels - 1;
  const xf = x.dtype === 'float32' ? x : x.float();
  const xmu = xf.sign().mul(xf.abs().mul(mu).log1p()).div(Math.log1p(mu));
  // (x_mu + 1) / 2 * mu + 0.5, truncated toward zero as `.to(int64)` does (the value is >= 0).
  return xmu.add(1).div(2).mul(mu).add(0.5).floor().int();
}

/**
 * Decodes mu-law integers back to a float waveform in [-1, 1].
 *
 * @example
 * ```ts
 * muLawDecoding(tensor([0, 255], { dtype: 'int32' }), 256).tolist(); // [-1, 1]
 * ```
 */
export function muLawDecoding(xMu: Tensor, quantizationChannels: number): Tensor {
  checkTensor('muLawDecoding', 'xMu', xMu, 0);
  checkInt('muLawDecoding', 'quantizationChannels', quantizationChannels, 2);
  const mu = quantizationChannels - 1;
  const x = xMu.float().div(mu).mul(2).sub(1);
  return x.sign().mul(x.abs().mul(Math.log1p(mu)).exp().sub(1)).div(mu);
}
