/**
 * Window functions (`torch.hann_window`, `hamming_window`, `blackman_window`, `kaiser_window`),
 * computed in float64 and returned as float32 tensors. `periodic: true` (the default, as in
 * PyTorch) gives the window for spectral analysis: the symmetric window of `n + 1` points
 * without its last point.
 * @module
 */
import type { Tensor } from '@flint/core';
import { checkInt, checkNumber, fromArray } from '../util.js';

/** Options of the window functions. */
export interface WindowOptions {
  /** Periodic (default, for STFT) or symmetric (for filter design). */
  periodic?: boolean;
}

function build(fn: string, n: number, periodic: boolean | undefined, f: (i: number, N: number) => number): Tensor {
  checkInt(fn, 'windowLength', n, 0);
  const out = new Float64Array(n);
  if (n === 1) out[0] = 1;
  else {
    const N = (periodic ?? true) ? n : n - 1;
    for (let i = 0; i < n; i++) out[i] = f(i, N);
  }
  return fromArray(out, [n]);
}

/**
 * The Hann window `0.5 - 0.5 cos(2 pi i / N)` (`torch.hann_window`).
 *
 * @example
 * ```ts
 * hannWindow(4).tolist(); // [0, 0.5, 1, 0.5]
 * ```
 */
export function hannWindow(windowLength: number, options: WindowOptions = {}): Tensor {
  return build('hannWindow', windowLength, options.periodic, (i, N) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
}

/**
 * The Hamming window `alpha - beta cos(2 pi i / N)` (`torch.hamming_window`).
 *
 * @example
 * ```ts
 * hammingWindow(400).shape; // [400]
 * ```
 */
export function hammingWindow(windowLength: number, options: WindowOptions & { alpha?: number; beta?: number } = {}): Tensor {
  const a = options.alpha ?? 0.54;
  const b = options.beta ?? 0.46;
  return build('hammingWindow', windowLength, options.periodic, (i, N) => a - b * Math.cos((2 * Math.PI * i) / N));
}

/**
 * The Blackman window (`torch.blackman_window`).
 *
 * @example
 * ```ts
 * blackmanWindow(8, { periodic: false }).shape; // [8]
 * ```
 */
export function blackmanWindow(windowLength: number, options: WindowOptions = {}): Tensor {
  return build('blackmanWindow', windowLength, options.periodic, (i, N) => 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / N) + 0.08 * Math.cos((4 * Math.PI * i) / N));
}

/** The modified Bessel function of the first kind, order 0 (power series). @internal */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * The Kaiser window `I0(beta sqrt(1 - (2i/N - 1)^2)) / I0(beta)` (`torch.kaiser_window`).
 *
 * @example
 * ```ts
 * kaiserWindow(12, { beta: 8 }).shape; // [12]
 * ```
 */
export function kaiserWindow(windowLength: number, options: WindowOptions & { beta?: number } = {}): Tensor {
  const beta = checkNumber('kaiserWindow', 'beta', options.beta ?? 12);
  const d = besselI0(beta);
  return build('kaiserWindow', windowLength, options.periodic, (i, N) => {
    const r = (2 * i) / N - 1;
    return besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / d;
  });
}
