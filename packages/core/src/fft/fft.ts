/**
 * Discrete Fourier transforms (`torch.fft`): `rfft`, `irfft`, `fft`, `ifft`, computed on every
 * backend by flint's own host FFT (mixed radix, Bluestein for large prime factors).
 *
 * Flint tensors are real, so a complex tensor is stored as its real view, as
 * `torch.view_as_real` gives it: a trailing dimension of size 2 holding (real, imaginary).
 * `rfft(x)` of shape `[..., n]` returns `[..., n/2+1, 2]`; `fft`, `ifft` and `irfft` take that
 * layout. `dim` counts the complex dimensions (the trailing 2 is not one of them).
 *
 * All four are linear, and each one's gradient is another of them, so they differentiate to
 * any order.
 * @module
 */
import { apply } from '../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import { cast } from '../ops/cast.js';
import { narrow } from '../ops/shape.js';
import { permute } from '../ops/shape.js';
import { checkTensor, normDim } from '../ops/util.js';
import { pad } from '../nn/functional/padding.js';
import type { Tensor } from '../tensor/tensor.js';
import { complexRows, inverseRealRows, realRows } from './plan.js';

/** How a transform is scaled, as in `torch.fft`. */
export type FftNorm = 'backward' | 'forward' | 'ortho';

/** Options of the `fft` functions. */
export interface FftOptions {
  /** Signal length: the input is zero-padded or trimmed to it (irfft: the output length). */
  n?: number;
  /** The dimension to transform (default -1). */
  dim?: number;
  /** `'backward'` (default: forward unscaled, inverse by 1/n), `'ortho'` (1/sqrt(n) both), `'forward'`. */
  norm?: FftNorm;
}

function scaleOf(fn: string, norm: FftNorm | undefined, n: number, inverse: boolean): number {
  const mode = norm ?? 'backward';
  if (mode !== 'backward' && mode !== 'forward' && mode !== 'ortho') {
    throw new ArgumentError(`${fn}(): norm must be 'backward', 'forward' or 'ortho' (got ${describe(norm)})`);
  }
  if (mode === 'ortho') return 1 / Math.sqrt(n);
  return (mode === 'backward') === inverse ? 1 / n : 1;
}

function checkN(fn: string, n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
    throw new ArgumentError(`${fn}(): n must be a positive integer (got ${describe(n)})`);
  }
}

const rowsOf = (shape: readonly number[], inner: number): number => shape.slice(0, shape.length - inner).reduce((a, b) => a * b, 1);

/** Real `[..., n]` -> one-sided `[..., n/2+1, 2]`; gradient {@link rfftAdjoint}. */
function rfftOp(x: Tensor, scale: number): Tensor {
  const shape = x.shape;
  const n = shape[shape.length - 1]!;
  const h = x._handle;
  return apply({
    name: 'fft_r2c',
    inputs: [x],
    forward: () => {
      const data = realRows(h.dataSync() as Float32Array, rowsOf(shape, 1), n, scale);
      return tf.tensor(data, [...shape.slice(0, -1), Math.floor(n / 2) + 1, 2], 'float32');
    },
    backward: (g) => [rfftAdjoint(g, n, scale)],
  });
}

/** The adjoint of {@link rfftOp}: `[..., n/2+1, 2] -> [..., n]`, `scale * Re(sum_k G_k e^{+2 pi i k t / n})`. */
function rfftAdjoint(g: Tensor, n: number, scale: number): Tensor {
  const shape = g.shape;
  const m = shape[shape.length - 2]!;
  const h = g._handle;
  return apply({
    name: 'fft_r2c_backward',
    inputs: [g],
    forward: () => {
      // Bins 1..m-1 of a Hermitian spectrum appear twice in the inverse: halve them.
      const src = h.dataSync() as Float32Array;
      const half = new Float32Array(src.length);
      const rows = rowsOf(shape, 2);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < m; k++) {
          const c = k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : 0.5;
          const o = (r * m + k) * 2;
          half[o] = src[o]! * c;
          half[o + 1] = src[o + 1]! * c;
        }
      }
      return tf.tensor(inverseRealRows(half, rows, n, scale), [...shape.slice(0, -2), n], 'float32');
    },
    backward: (gg) => [rfftOp(gg, scale)],
  });
}

/** One-sided `[..., n/2+1, 2]` -> real `[..., n]`; gradient {@link irfftAdjoint}. */
function irfftOp(x: Tensor, n: number, scale: number): Tensor {
  const shape = x.shape;
  const h = x._handle;
  return apply({
    name: 'fft_c2r',
    inputs: [x],
    forward: () => tf.tensor(inverseRealRows(h.dataSync() as Float32Array, rowsOf(shape, 2), n, scale), [...shape.slice(0, -2), n], 'float32'),
    backward: (g) => [irfftAdjoint(g, scale)],
  });
}

/** The adjoint of {@link irfftOp}: `scale * c_k * rfft(g)_k`, `c_k = 2` for bins that appear twice. */
function irfftAdjoint(g: Tensor, scale: number): Tensor {
  const shape = g.shape;
  const n = shape[shape.length - 1]!;
  const m = Math.floor(n / 2) + 1;
  const h = g._handle;
  return apply({
    name: 'fft_c2r_backward',
    inputs: [g],
    forward: () => {
      const rows = rowsOf(shape, 1);
      const out = realRows(h.dataSync() as Float32Array, rows, n, scale);
      for (let r = 0; r < rows; r++) {
        for (let k = 1; k < m; k++) {
          if (n % 2 === 0 && k === n / 2) continue;
          out[(r * m + k) * 2] *= 2;
          out[(r * m + k) * 2 + 1] *= 2;
        }
      }
      return tf.tensor(out, [...shape.slice(0, -1), m, 2], 'float32');
    },
    backward: (gg) => [irfftOp(gg, n, scale)],
  });
}

/** Complex `[..., n, 2]` -> `[..., n, 2]`; its adjoint is the opposite sign at the same scale. */
function c2cOp(x: Tensor, sign: 1 | -1, scale: number): Tensor {
  const shape = x.shape;
  const n = shape[shape.length - 2]!;
  const h = x._handle;
  return apply({
    name: sign < 0 ? 'fft_c2c' : 'fft_c2c_inverse',
    inputs: [x],
    forward: () => tf.tensor(complexRows(h.dataSync() as Float32Array, rowsOf(shape, 2), n, sign, scale), shape, 'float32'),
    backward: (g) => [c2cOp(g, sign === 1 ? -1 : 1, scale)],
  });
}

/** `x` with dimension `d` cut or zero-padded to `size` (differentiable). */
function fitDim(x: Tensor, d: number, size: number): Tensor {
  const have = x.shape[d]!;
  if (have === size) return x;
  if (have > size) return narrow(x, d, 0, size);
  const padding = new Array<number>(2 * (x.ndim - d)).fill(0);
  padding[2 * (x.ndim - 1 - d) + 1] = size - have;
  return pad(x, padding);
}

/** Moves dimension `from` to position `to` (and back with the arguments swapped). */
function moveDim(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const order = [...Array(x.ndim).keys()].filter((i) => i !== from);
  order.splice(to, 0, from);
  return permute(x, order);
}

function floatInput(fn: string, x: Tensor, complex: boolean): Tensor {
  checkTensor(fn, 'input', x);
  if (complex && (x.ndim < 2 || x.shape[x.ndim - 1] !== 2)) {
    throw new ShapeError(`${fn}(): input must be a complex tensor in real view, shape [..., n, 2] (got shape [${x.shape.join(', ')}]); make one with stack([re, im], -1)`);
  }
  if (!complex && x.ndim < 1) throw new ShapeError(`${fn}(): input must have at least 1 dimension (got a 0-d tensor)`);
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}

/**
 * The one-sided DFT of a real signal (`torch.fft.rfft`): `[..., n]` -> `[..., n/2+1, 2]`
 * (real, imaginary) along `dim`.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@flint/core';
 * fft.rfft(tensor([1, 2, 3, 4])).tolist(); // [[10, 0], [-2, 2], [-2, 0]]
 * ```
 */
export function rfft(input: Tensor, options: FftOptions = {}): Tensor {
  const x = floatInput('rfft', input, false);
  const d = normDim('rfft', options.dim ?? -1, x.ndim);
  checkN('rfft', options.n);
  const n = options.n ?? x.shape[d]!;
  if (n < 1) throw new ShapeError(`rfft(): the signal along dim ${d} is empty; give n >= 1`);
  const last = x.ndim - 1;
  const y = rfftOp(fitDim(moveDim(x, d, last), last, n), scaleOf('rfft', options.norm, n, false));
  return moveDim(y, last, d);
}

/**
 * The inverse of {@link rfft} (`torch.fft.irfft`): `[..., m, 2]` -> real `[..., n]` with
 * `n = 2 (m - 1)` unless given.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@flint/core';
 * fft.irfft(fft.rfft(tensor([1, 2, 3, 4]))).tolist(); // [1, 2, 3, 4]
 * ```
 */
export function irfft(input: Tensor, options: FftOptions = {}): Tensor {
  const x = floatInput('irfft', input, true);
  const d = normDim('irfft', options.dim ?? -1, x.ndim - 1);
  checkN('irfft', options.n);
  const n = options.n ?? 2 * (x.shape[d]! - 1);
  if (n < 1) throw new ShapeError(`irfft(): output length would be ${n}; give n >= 1 or more than one bin (input shape [${x.shape.join(', ')}])`);
  const last = x.ndim - 2;
  const y = irfftOp(fitDim(moveDim(x, d, last), last, Math.floor(n / 2) + 1), n, scaleOf('irfft', options.norm, n, true));
  return moveDim(y, last, d);
}

function c2c(fn: string, input: Tensor, options: FftOptions, sign: 1 | -1): Tensor {
  const x = floatInput(fn, input, true);
  const d = normDim(fn, options.dim ?? -1, x.ndim - 1);
  checkN(fn, options.n);
  const n = options.n ?? x.shape[d]!;
  if (n < 1) throw new ShapeError(`${fn}(): the signal along dim ${d} is empty; give n >= 1`);
  const last = x.ndim - 2;
  const y = c2cOp(fitDim(moveDim(x, d, last), last, n), sign, scaleOf(fn, options.norm, n, sign === 1));
  return moveDim(y, last, d);
}

/**
 * The DFT of a complex signal (`torch.fft.fft`), input and output as `[..., n, 2]`.
 * For a real signal, stack a zero imaginary part or use {@link rfft}.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@flint/core';
 * fft.fft(tensor([[1, 0], [0, 1]])).tolist(); // [[1, 1], [1, -1]]
 * ```
 */
export function fft(input: Tensor, options: FftOptions = {}): Tensor {
  return c2c('fft', input, options, -1);
}

/**
 * The inverse DFT of a complex signal (`torch.fft.ifft`), input and output as `[..., n, 2]`.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@flint/core';
 * fft.ifft(fft.fft(tensor([[1, 0], [0, 1]]))).tolist(); // [[1, 0], [0, 1]]
 * ```
 */
export function ifft(input: Tensor, options: FftOptions = {}): Tensor {
  return c2c('ifft', input, options, 1);
}
