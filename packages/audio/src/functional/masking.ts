/**
 * SpecAugment masking (`torchaudio.functional.mask_along_axis`, `mask_along_axis_iid`).
 * @module
 */
import { ArgumentError, arange, rand, type Generator, type Tensor } from '@flint/core';
import { checkTensor, describe } from '../util.js';

/** Options of the masking functions. */
export interface MaskOptions {
  /** Cap the mask width at `p` times the axis length (default 1: no cap). */
  p?: number;
  /** Generator for the mask positions. */
  generator?: Generator;
}

function maskParam(fn: string, param: number, p: number, length: number): number {
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`${fn}(): p must be in [0, 1] (got ${describe(p)})`);
  if (!Number.isInteger(param) || param < 0) throw new ArgumentError(`${fn}(): maskParam must be an integer >= 0 (got ${describe(param)})`);
  return p === 1 ? param : Math.min(param, Math.floor(length * p));
}

/**
 * Masks one band of `[0, maskParam)` consecutive bins along `axis` (1: frequency, 2: time of the
 * `[batch, freq, time]` packing of `[..., freq, time]`) with `maskValue`, the same band for every
 * spectrogram in the input.
 *
 * @example
 * ```ts
 * const masked = maskAlongAxis(spec, 10, 0, 2); // up to 9 time frames set to 0
 * ```
 */
export function maskAlongAxis(specgram: Tensor, maskParamIn: number, maskValue: number, axis: 1 | 2, options: MaskOptions = {}): Tensor {
  checkTensor('maskAlongAxis', 'specgram', specgram, 2);
  if (axis !== 1 && axis !== 2) throw new ArgumentError(`maskAlongAxis(): axis must be 1 (frequency) or 2 (time) (got ${describe(axis)})`);
  const shape = specgram.shape;
  const size = shape[shape.length - (axis === 1 ? 2 : 1)]!;
  const param = maskParam('maskAlongAxis', maskParamIn, options.p ?? 1, size);
  if (param < 1) return specgram;
  const r = rand([2], options.generator !== undefined ? { generator: options.generator } : {}).dataSync();
  const value = r[0]! * param;
  const minValue = r[1]! * (size - value);
  const start = Math.floor(minValue);
  const end = start + Math.floor(value);
  const idx = arange(size);
  let mask = idx.ge(start).logicalAnd(idx.lt(end));
  if (axis === 1) mask = mask.unsqueeze(-1);
  return specgram.maskedFill(mask, maskValue);
}

/**
 * Masks an independent band per example and channel of `[batch, channel, freq, time]` along
 * `axis` (2: frequency, 3: time).
 *
 * @example
 * ```ts
 * const masked = maskAlongAxisIid(batchSpec, 10, 0, 3);
 * ```
 */
export function maskAlongAxisIid(specgrams: Tensor, maskParamIn: number, maskValue: number, axis: 2 | 3, options: MaskOptions = {}): Tensor {
  checkTensor('maskAlongAxisIid', 'specgrams', specgrams, 4);
  if (specgrams.ndim !== 4) throw new ArgumentError(`maskAlongAxisIid(): specgrams must be [batch, channel, freq, time] (got ${describe(specgrams)})`);
  if (axis !== 2 && axis !== 3) throw new ArgumentError(`maskAlongAxisIid(): axis must be 2 (frequency) or 3 (time) (got ${describe(axis)})`);
  const [B, C] = specgrams.shape as [number, number, number, number];
  const size = specgrams.shape[axis]!;
  const param = maskParam('maskAlongAxisIid', maskParamIn, options.p ?? 1, size);
  if (param < 1) return specgrams;
  const gen = options.generator !== undefined ? { generator: options.generator } : {};
  const value = rand([B, C], gen).mul(param);
  const minValue = rand([B, C], gen).mul(value.neg().add(size));
  const start = minValue.floor().reshape([B, C, 1]);
  const end = minValue.floor().add(value.floor()).reshape([B, C, 1]);
  const idx = arange(size).float();
  let mask = idx.ge(start).logicalAnd(idx.lt(end)); // [B, C, size]
  mask = axis === 2 ? mask.unsqueeze(-1) : mask.unsqueeze(2);
  return specgrams.maskedFill(mask, maskValue);
}
