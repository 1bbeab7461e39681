/**
 * The short-time Fourier transform and its inverse with `torch.stft` / `torch.istft`'s options:
 * window, hop, centring with a pad mode, `normalized` and `onesided`. Spectrograms use flint's
 * complex layout: `[..., freq, frames, 2]` (real, imaginary). Both are built from differentiable
 * ops (pad, slices, concatenation, `fft.rfft`), so gradients flow through them.
 * @module
 */
import { ArgumentError, ShapeError, Tensor, cat, fft, nn, ones, stack, zerosLike } from '@flint/core';
import { checkInt, checkTensor, describe, fromArray } from '../util.js';

/** How `center` pads the signal (`torch.stft`'s `pad_mode`). */
export type StftPadMode = 'reflect' | 'constant' | 'replicate' | 'circular';

/** Options of {@link stft}. */
export interface StftOptions {
  /** Samples between frames (default `floor(nFft / 4)`). */
  hopLength?: number;
  /** Window length, <= nFft (default nFft); the window is centred in the frame. */
  winLength?: number;
  /** Window of `winLength` samples (default: rectangular, all ones). */
  window?: Tensor | null;
  /** Pad `nFft / 2` samples on both sides so that frame t is centred at `t * hopLength` (default true). */
  center?: boolean;
  /** Padding mode when centring (default `'reflect'`). */
  padMode?: StftPadMode;
  /** Scale by `nFft^-0.5` (default false). */
  normalized?: boolean;
  /** Keep only the `nFft / 2 + 1` non-negative frequencies (default true). */
  onesided?: boolean;
}

/** Options of {@link istft}. */
export interface IstftOptions extends Omit<StftOptions, 'padMode'> {
  /** Trim or zero-pad the output to this many samples. */
  length?: number;
}

interface Geometry {
  hop: number;
  win: number;
  window: Tensor | null;
}

function geometry(fn: string, nFft: number, options: StftOptions): Geometry {
  checkInt(fn, 'nFft', nFft, 1);
  const hop = options.hopLength ?? Math.floor(nFft / 4);
  checkInt(fn, 'hopLength', hop, 1);
  const win = options.winLength ?? nFft;
  checkInt(fn, 'winLength', win, 1);
  if (win > nFft) throw new ArgumentError(`${fn}(): winLength (${win}) must be <= nFft (${nFft})`);
  const w = options.window ?? null;
  if (w !== null) {
    checkTensor(fn, 'window', w);
    if (w.ndim !== 1 || w.shape[0] !== win) {
      throw new ShapeError(`${fn}(): window must be 1-D with winLength (${win}) samples (got ${describe(w)})`);
    }
  }
  return { hop, win, window: w };
}

/** The window zero-padded to nFft, centred (or ones when absent). */
function fullWindow(g: Geometry, nFft: number): Tensor {
  const left = Math.floor((nFft - g.win) / 2);
  if (g.window === null) {
    if (g.win === nFft) return ones([nFft]);
    return nn.functional.pad(ones([g.win]), [left, nFft - g.win - left]);
  }
  return g.win === nFft ? g.window : nn.functional.pad(g.window, [left, nFft - g.win - left]);
}

/**
 * Frames `[B, length]` -> `[B, frames, nFft]`, frame t starting at `t * hop`, from slices and
 * concatenations (cheap and differentiable): the signal is cut into blocks of `hop` samples,
 * and frame t is blocks t, t+1, ... laid side by side, cut to nFft.
 */
function frame(x: Tensor, frames: number, nFft: number, hop: number): Tensor {
  const q = Math.ceil(nFft / hop);
  const need = (frames - 1 + q) * hop;
  const length = x.shape[1]!;
  const fitted = need > length ? nn.functional.pad(x, [0, need - length]) : need < length ? x.narrow(1, 0, need) : x;
  const blocks = fitted.reshape([x.shape[0]!, frames - 1 + q, hop]);
  // The last block is cut so that the concatenation is exactly nFft wide (no second copy).
  const parts = Array.from({ length: q }, (_, j) => {
    const part = blocks.narrow(1, j, frames);
    return j === q - 1 && q * hop !== nFft ? part.narrow(2, 0, nFft - j * hop) : part;
  });
  return q === 1 ? parts[0]! : cat(parts, 2);
}

/** Overlap-add `[B, frames, nFft]` -> `[B, (frames - 1) * hop + nFft]`, the adjoint of {@link frame}. */
function overlapAdd(frames: Tensor, hop: number): Tensor {
  const [B, T, nFft] = frames.shape as [number, number, number];
  const q = Math.ceil(nFft / hop);
  const full = q * hop === nFft ? frames : nn.functional.pad(frames, [0, q * hop - nFft]);
  const parts = full.reshape([B, T, q, hop]);
  let acc: Tensor | null = null;
  for (let j = 0; j < q; j++) {
    // Part j of frame t lands in block t + j.
    const shifted = nn.functional.pad(parts.narrow(2, j, 1).squeeze(2), [0, 0, j, q - 1 - j]); // [B, T + q - 1, hop]
    acc = acc === null ? shifted : acc.add(shifted);
  }
  return acc!.reshape([B, (T + q - 1) * hop]).narrow(1, 0, (T - 1) * hop + nFft);
}

/**
 * Short-time Fourier transform (`torch.stft(..., return_complex=True)` in flint's real view):
 * `[..., time]` -> `[..., freq, frames, 2]` with `freq = nFft / 2 + 1` when onesided.
 *
 * @example
 * ```ts
 * const spec = stft(waveform, 400, { hopLength: 160, window: hannWindow(400) }); // [1, 201, frames, 2]
 * ```
 */
export function stft(input: Tensor, nFft: number, options: StftOptions = {}): Tensor {
  const spec = stftFrameMajor(input, nFft, options); // [..., frames, freq, 2]
  return spec.transpose(-3, -2);
}

/**
 * {@link stft} with frames before frequencies: `[..., frames, freq, 2]`, the layout the FFT
 * produces (`spectrogram` takes magnitudes before transposing, moving half the data).
 * @internal
 */
export function stftFrameMajor(input: Tensor, nFft: number, options: StftOptions = {}): Tensor {
  checkTensor('stft', 'input', input);
  const g = geometry('stft', nFft, options);
  const shape = input.shape;
  let x = input.dtype === 'float32' ? input : input.float();
  x = x.reshape([-1, shape[shape.length - 1]!]);
  if (options.center ?? true) {
    const mode = options.padMode ?? 'reflect';
    if (!['reflect', 'constant', 'replicate', 'circular'].includes(mode)) {
      throw new ArgumentError(`stft(): padMode must be 'reflect', 'constant', 'replicate' or 'circular' (got ${describe(mode)})`);
    }
    const p = Math.floor(nFft / 2);
    if (mode === 'reflect' && p >= x.shape[1]!) {
      throw new ShapeError(`stft(): reflect padding of ${p} samples needs a signal longer than ${p} (got ${x.shape[1]} samples); use a smaller nFft or padMode 'constant'`);
    }
    x = mode === 'constant' ? nn.functional.pad(x, [p, p]) : nn.functional.pad(x.unsqueeze(1), [p, p], { mode }).squeeze(1);
  }
  const length = x.shape[1]!;
  if (length < nFft) throw new ShapeError(`stft(): nFft (${nFft}) must be <= the (padded) signal length (${length})`);
  const frames = 1 + Math.floor((length - nFft) / g.hop);
  const framed = frame(x, frames, nFft, g.hop).mul(fullWindow(g, nFft));
  const norm = options.normalized ? 'ortho' : 'backward';
  let spec: Tensor;
  if (options.onesided ?? true) spec = fft.rfft(framed, { norm });
  else spec = fft.fft(stack([framed, zerosLike(framed)], -1), { norm });
  return spec.reshape([...shape.slice(0, -1), frames, spec.shape[2]!, 2]);
}

/**
 * Inverse short-time Fourier transform by windowed overlap-add (`torch.istft`):
 * `[..., freq, frames, 2]` -> `[..., time]`. The window's squared overlap-add must not vanish
 * where samples are kept (the NOLA condition), as PyTorch requires.
 *
 * @example
 * ```ts
 * const w = hannWindow(400);
 * const y = istft(stft(x, 400, { hopLength: 100, window: w }), 400, { hopLength: 100, window: w, length: x.shape[1] });
 * ```
 */
export function istft(input: Tensor, nFft: number, options: IstftOptions = {}): Tensor {
  checkTensor('istft', 'input', input, 3);
  if (input.shape[input.ndim - 1] !== 2) {
    throw new ShapeError(`istft(): input must be a complex spectrogram [..., freq, frames, 2] (got shape [${input.shape.join(', ')}])`);
  }
  const g = geometry('istft', nFft, options);
  const onesided = options.onesided ?? true;
  const shape = input.shape;
  const nFreq = shape[shape.length - 3]!;
  const frames = shape[shape.length - 2]!;
  const wantFreq = onesided ? Math.floor(nFft / 2) + 1 : nFft;
  if (nFreq !== wantFreq) {
    throw new ShapeError(`istft(): ${onesided ? 'a onesided' : 'a twosided'} spectrogram for nFft ${nFft} has ${wantFreq} frequency bins (got ${nFreq})`);
  }
  const spec = input.reshape([-1, nFreq, frames, 2]).permute(0, 2, 1, 3); // [B, frames, freq, 2]
  const norm = options.normalized ? 'ortho' : 'backward';
  const framesT = onesided ? fft.irfft(spec, { n: nFft, norm }) : fft.ifft(spec, { norm }).index('...', 0);
  const w = fullWindow(g, nFft);
  const windowed = framesT.mul(w); // [B, frames, nFft]
  const total = nFft + g.hop * (frames - 1);
  const y = overlapAdd(windowed, g.hop);
  // The window's squared overlap-add (no gradient: it depends on the window only).
  const w2 = Array.from(w.dataSync());
  const env = new Float64Array(total);
  for (let t = 0; t < frames; t++) for (let k = 0; k < nFft; k++) env[t * g.hop + k] += w2[k]! * w2[k]!;
  const center = options.center ?? true;
  const start = center ? Math.floor(nFft / 2) : 0;
  let end = options.length !== undefined ? start + checkInt('istft', 'length', options.length, 0) : center ? total - Math.floor(nFft / 2) : total;
  end = Math.min(end, total);
  for (let i = start; i < end; i++) {
    if (env[i]! < 1e-11) {
      throw new ArgumentError(`istft(): the window's overlap-add is zero at sample ${i - start} (the NOLA condition fails); use a larger window or a smaller hopLength`);
    }
  }
  const inv = new Float32Array(end - start);
  for (let i = start; i < end; i++) inv[i - start] = 1 / env[i]!;
  let out = y.narrow(1, start, end - start).mul(fromArray(inv, [end - start]));
  if (options.length !== undefined && out.shape[1]! < options.length) {
    out = nn.functional.pad(out, [0, options.length - out.shape[1]!]);
  }
  return out.reshape([...shape.slice(0, -3), out.shape[1]!]);
}
