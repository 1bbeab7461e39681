/**
 * Pitch shifting (`torchaudio.functional.pitch_shift`): a phase-vocoder time stretch followed by
 * resampling back to the original duration.
 * @module
 */
import { linspace, nn, type Tensor } from '@flint/core';
import { checkInt, checkNumber, checkTensor } from '../util.js';
import { phaseVocoder } from './phase-vocoder.js';
import { resample } from './resample.js';
import { istft, stft } from './stft.js';
import { hannWindow } from './window.js';

/** Options of {@link pitchShift}. */
export interface PitchShiftOptions {
  /** Steps per octave (default 12: semitones). */
  binsPerOctave?: number;
  /** FFT size (default 512). */
  nFft?: number;
  /** Window length (default nFft). */
  winLength?: number;
  /** Hop (default nFft / 4). */
  hopLength?: number;
  /** Window (default `hannWindow(winLength)`). */
  window?: Tensor | null;
}

/**
 * Shifts the pitch of `[..., time]` by `nSteps` steps (semitones by default) keeping its length.
 * The resampling runs from `trunc(sampleRate / rate)` to `sampleRate` Hz with
 * `rate = 2^(-nSteps / binsPerOctave)`, as torchaudio does: steps whose rates share a large
 * divisor with `sampleRate` (octaves, for example) keep the kernel small. Not differentiable.
 *
 * @example
 * ```ts
 * const octaveUp = pitchShift(waveform, 16000, 12);
 * ```
 */
export function pitchShift(waveform: Tensor, sampleRate: number, nSteps: number, options: PitchShiftOptions = {}): Tensor {
  checkTensor('pitchShift', 'waveform', waveform);
  checkInt('pitchShift', 'sampleRate', sampleRate, 1);
  checkNumber('pitchShift', 'nSteps', nSteps);
  const bins = checkNumber('pitchShift', 'binsPerOctave', options.binsPerOctave ?? 12, true);
  const nFft = checkInt('pitchShift', 'nFft', options.nFft ?? 512, 1);
  const hop = options.hopLength ?? Math.floor(nFft / 4);
  const win = options.winLength ?? nFft;
  const window = options.window ?? hannWindow(win);
  const shape = waveform.shape;
  const length = shape[shape.length - 1]!;
  const x = waveform.reshape([-1, length]);
  const rate = 2 ** (-nSteps / bins);
  const spec = stft(x, nFft, { hopLength: hop, winLength: win, window, center: true, padMode: 'reflect', normalized: false, onesided: true });
  const advance = linspace(0, Math.PI * hop, spec.shape[1]!).reshape([-1, 1]);
  const stretched = istft(phaseVocoder(spec, rate, advance), nFft, { hopLength: hop, winLength: win, window, length: Math.round(length / rate) });
  let shifted = resample(stretched, Math.trunc(sampleRate / rate), sampleRate);
  const got = shifted.shape[1]!;
  shifted = got > length ? shifted.narrow(1, 0, length) : nn.functional.pad(shifted, [0, length - got]);
  return shifted.reshape(shape);
}
