/**
 * `EarlyStopping`: stops training when a score stops improving (PyTorch-Ignite's `EarlyStopping`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Engine } from '../engine.js';
import { CallableHandler } from './callable.js';

/**
 * Options of {@link EarlyStopping}.
 *
 * @example
 * ```ts
 * const options: EarlyStoppingOptions = { minDelta: 0.001, cumulativeDelta: true };
 * ```
 */
export interface EarlyStoppingOptions {
  /** A score must beat the best by more than this to count as an improvement (default 0). */
  minDelta?: number;
  /** Compare with the best score from the last improvement instead of the best seen (default false). */
  cumulativeDelta?: boolean;
}

/**
 * Calls `trainer.terminate()` when `scoreFunction` (higher is better) has not improved by more
 * than `minDelta` for `patience` calls in a row. Attach it where the score is fresh, typically an
 * evaluator's COMPLETED.
 *
 * @example
 * ```ts
 * const stopper = new EarlyStopping(5, (e) => -(e.state.metrics.loss as number), trainer);
 * evaluator.on(Events.COMPLETED, stopper);
 * ```
 */
export class EarlyStopping extends CallableHandler {
  readonly patience: number;
  readonly scoreFunction: (engine: Engine<any, any>) => number; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly trainer: Engine<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly minDelta: number;
  readonly cumulativeDelta: boolean;
  /** Calls in a row without improvement. */
  counter = 0;
  /** The best score so far (null before the first call). */
  bestScore: number | null = null;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(patience: number, scoreFunction: (engine: Engine<any, any>) => number, trainer: Engine<any, any>, options: EarlyStoppingOptions = {}) {
    super();
    const fn = 'EarlyStopping()';
    if (!Number.isInteger(patience) || patience < 1) throw new ArgumentError(`${fn}: patience must be a positive integer; received ${String(patience)}`);
    if (typeof scoreFunction !== 'function') throw new ArgumentError(`${fn}: scoreFunction must be a function (engine) => number; received ${typeof scoreFunction}`);
    if (!(trainer instanceof Engine)) throw new ArgumentError(`${fn}: trainer must be an Engine; received ${typeof trainer}`);
    const minDelta = options.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !(minDelta >= 0)) throw new ArgumentError(`${fn}: options.minDelta must be a number >= 0; received ${String(minDelta)}`);
    this.patience = patience;
    this.scoreFunction = scoreFunction;
    this.trainer = trainer;
    this.minDelta = minDelta;
    this.cumulativeDelta = options.cumulativeDelta ?? false;
  }

  /** Reads the score and counts, or resets the count on an improvement; terminates the trainer at `patience`. */
  call(engine: Engine<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const score = this.scoreFunction(engine);
    if (typeof score !== 'number' || Number.isNaN(score)) throw new ArgumentError(`EarlyStopping: scoreFunction must return a number; received ${String(score)}`);
    if (this.bestScore === null) {
      this.bestScore = score;
    } else if (score <= this.bestScore + this.minDelta) {
      if (!this.cumulativeDelta && score > this.bestScore) this.bestScore = score;
      this.counter += 1;
      if (this.counter >= this.patience) this.trainer.terminate();
    } else {
      this.bestScore = score;
      this.counter = 0;
    }
  }

  /**
   * The counter and best score, to checkpoint with the trainer.
   *
   * @example
   * ```ts
   * new Checkpoint({ model, trainer, stopper }, 'ckpt');
   * ```
   */
  stateDict(): { counter: number; bestScore: number | null } {
    return { counter: this.counter, bestScore: this.bestScore };
  }

  /** Restores what {@link stateDict} saved. */
  loadStateDict(stateDict: { counter: number; bestScore: number | null }): void {
    if (stateDict === null || typeof stateDict !== 'object' || typeof stateDict.counter !== 'number') {
      throw new ArgumentError('EarlyStopping.loadStateDict(): stateDict must be { counter, bestScore } from stateDict()');
    }
    this.counter = stateDict.counter;
    this.bestScore = stateDict.bestScore ?? null;
  }
}
