/**
 * Delta coefficients (`torchaudio.functional.compute_deltas`).
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { checkTensor } from '../util.js';

/**
 * The local slope along the last (time) dimension:
 * `d_t = sum_{k=1..N} k (c_{t+k} - c_{t-k}) / (2 sum_{k=1..N} k^2)`, `N = (winLength - 1) / 2`,
 * with the edges padded by `mode` (default `'replicate'`).
 *
 * @example
 * ```ts
 * const deltas = computeDeltas(mfcc, { winLength: 5 }); // same shape as mfcc
 * ```
 */
export function computeDeltas(specgram: Tensor, options: { winLength?: number; mode?: 'replicate' | 'reflect' | 'circular' | 'constant' } = {}): Tensor {
  checkTensor('computeDeltas', 'specgram', specgram);
  const win = options.winLength ?? 5;
  if (!Number.isInteger(win) || win < 3) throw new ArgumentError(`computeDeltas(): winLength must be an integer >= 3 (got ${win})`);
  const n = Math.floor((win - 1) / 2);
  const denom = (n * (n + 1) * (2 * n + 1)) / 3;
  const shape = specgram.shape;
  const T = shape[shape.length - 1]!;
  const mode = options.mode ?? 'replicate';
  const padded = nn.functional.pad(specgram.reshape([1, -1, T]), [n, n], { mode });
  let acc: Tensor | null = null;
  for (let k = 1; k <= n; k++) {
    const term = padded.narrow(2, n + k, T).sub(padded.narrow(2, n - k, T)).mul(k);
    acc = acc === null ? term : acc.add(term);
  }
  return acc!.div(denom).reshape(shape);
}
