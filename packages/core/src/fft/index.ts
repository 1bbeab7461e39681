/**
 * `flint.fft`: discrete Fourier transforms (`torch.fft`) on every backend. Complex tensors are
 * stored as their real view, a trailing dimension of size 2 (real, imaginary).
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@flint/core';
 * const spec = fft.rfft(tensor([1, 2, 3, 4])); // shape [3, 2]
 * const back = fft.irfft(spec);                // [1, 2, 3, 4]
 * ```
 * @module
 */
export { rfft, irfft, fft, ifft } from './fft.js';
export type { FftOptions, FftNorm } from './fft.js';
