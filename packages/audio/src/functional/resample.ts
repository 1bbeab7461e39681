/**
 * Band-limited resampling by windowed sinc interpolation (`torchaudio.functional.resample`):
 * the same kernel as torchaudio (Hann-squared `'sinc_interpolation'` or `'kaiser_window'`,
 * `lowpassFilterWidth` zero crossings, `rolloff` of the Nyquist frequency), applied as a strided
 * 1-D convolution, so gradients flow to the waveform.
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { checkChoice, checkInt, checkNumber, checkTensor, fromArray } from '../util.js';
import { besselI0 } from './window.js';

/** The interpolation window. */
export type ResamplingMethod = 'sinc_interpolation' | 'kaiser_window';

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (default 6): sharper filter, slower. */
  lowpassFilterWidth?: number;
  /** The filter's cutoff as a fraction of the lower Nyquist frequency (default 0.99). */
  rolloff?: number;
  resamplingMethod?: ResamplingMethod;
  /** Kaiser window shape (default 14.769656459379492). */
  beta?: number | null;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A precomputed kernel: `[newFreq, 1, 2 width + origFreq]` for the reduced rates. */
export interface ResampleKernel {
  kernel: Tensor;
  width: number;
  orig: number;
  next: number;
}

/** torchaudio's `_get_sinc_resample_kernel`, in float64. @internal */
export function resampleKernel(fn: string, origFreq: number, newFreq: number, options: ResampleOptions): ResampleKernel {
  checkInt(fn, 'origFreq', origFreq, 1);
  checkInt(fn, 'newFreq', newFreq, 1);
  const width0 = checkInt(fn, 'lowpassFilterWidth', options.lowpassFilterWidth ?? 6, 1);
  const rolloff = checkNumber(fn, 'rolloff', options.rolloff ?? 0.99, true);
  const method = checkChoice(fn, 'resamplingMethod', options.resamplingMethod ?? 'sinc_interpolation', ['sinc_interpolation', 'kaiser_window']);
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const next = newFreq / g;
  const base = Math.min(orig, next) * rolloff;
  const width = Math.ceil((width0 * orig) / base);
  const size = 2 * width + orig;
  const beta = options.beta ?? 14.769656459379492;
  const i0b = besselI0(beta);
  const out = new Float64Array(next * size);
  for (let j = 0; j < next; j++) {
    for (let i = 0; i < size; i++) {
      let t = (-j / next + (i - width) / orig) * base;
      t = Math.max(-width0, Math.min(width0, t));
      const w = method === 'sinc_interpolation' ? Math.cos((t * Math.PI) / width0 / 2) ** 2 : besselI0(beta * Math.sqrt(Math.max(0, 1 - (t / width0) ** 2))) / i0b;
      const tp = t * Math.PI;
      out[j * size + i] = (tp === 0 ? 1 : Math.sin(tp) / tp) * w * (base / orig);
    }
  }
  return { kernel: fromArray(out, [next, 1, size]), width, orig, next };
}

/** Applies a kernel from {@link resampleKernel} to `[..., time]`. @internal */
export function applyResampleKernel(waveform: Tensor, k: ResampleKernel): Tensor {
  const shape = waveform.shape;
  const length = shape[shape.length - 1]!;
  const x = nn.functional.pad(waveform.reshape([-1, length]), [k.width, k.width + k.orig]).unsqueeze(1);
  const y = nn.functional.conv1d(x, k.kernel, null, { stride: k.orig }); // [B, next, frames]
  const flat = y.transpose(1, 2).reshape([y.shape[0]!, -1]);
  const target = Math.ceil((k.next * length) / k.orig);
  return flat.narrow(1, 0, target).reshape([...shape.slice(0, -1), target]);
}

/**
 * Resamples `[..., time]` from `origFreq` to `newFreq` Hz (`torchaudio.functional.resample`);
 * the output has `ceil(newFreq * time / origFreq)` samples. Rates must be integers.
 *
 * @example
 * ```ts
 * const y = resample(waveform, 44100, 16000);
 * ```
 */
export function resample(waveform: Tensor, origFreq: number, newFreq: number, options: ResampleOptions = {}): Tensor {
  checkTensor('resample', 'waveform', waveform);
  if (waveform.dtype !== 'float32') throw new ArgumentError(`resample(): waveform must be float32 (got ${waveform.dtype}); load with normalize: true or call .float()`);
  if (origFreq === newFreq) {
    checkInt('resample', 'origFreq', origFreq, 1);
    return waveform;
  }
  const k = resampleKernel('resample', origFreq, newFreq, options);
  try {
    return applyResampleKernel(waveform, k);
  } finally {
    k.kernel.dispose();
  }
}
