/**
 * `PitchShift` (`torchaudio.transforms.PitchShift`).
 * @module
 */
import { nn, type Tensor } from '@flint/core';
import { pitchShift } from '../functional/pitch-shift.js';
import { checkInt } from '../util.js';
import { makeWindow, type WindowFn } from './window-fn.js';

/** Options of {@link PitchShift}. */
export interface PitchShiftTransformOptions {
  binsPerOctave?: number;
  nFft?: number;
  winLength?: number;
  hopLength?: number;
  windowFn?: WindowFn;
  wkwargs?: Record<string, unknown>;
}

/**
 * Shifts the pitch of a waveform by `nSteps` semitones (see `functional.pitchShift`).
 *
 * @example
 * ```ts
 * const up = new PitchShift(16000, 12)(waveform); // one octave up, same length
 * ```
 */
export class PitchShift extends nn.Module {
  readonly nFft: number;
  readonly winLength: number;
  readonly hopLength: number;
  declare readonly window: Tensor;
  constructor(
    readonly sampleRate: number,
    readonly nSteps: number,
    readonly options: PitchShiftTransformOptions = {},
  ) {
    super();
    this.nFft = checkInt('PitchShift', 'nFft', options.nFft ?? 512, 1);
    this.winLength = checkInt('PitchShift', 'winLength', options.winLength ?? this.nFft, 1);
    this.hopLength = checkInt('PitchShift', 'hopLength', options.hopLength ?? Math.floor(this.nFft / 4), 1);
    this.registerBuffer('window', makeWindow(options.windowFn, this.winLength, options.wkwargs));
  }
  forward(waveform: Tensor): Tensor {
    return pitchShift(waveform, this.sampleRate, this.nSteps, {
      binsPerOctave: this.options.binsPerOctave ?? 12,
      nFft: this.nFft,
      winLength: this.winLength,
      hopLength: this.hopLength,
      window: this.window,
    });
  }
}
