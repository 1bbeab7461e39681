/**
 * `Timer`: measures time between events (PyTorch-Ignite's `Timer`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Engine } from '../engine.js';
import { Events, type EventLike } from '../events.js';

/**
 * Options of {@link Timer.attach}: the events that reset (`start`), pause, resume and step it.
 *
 * @example
 * ```ts
 * const events: TimerEvents = { start: Events.EPOCH_STARTED, resume: Events.ITERATION_STARTED, pause: Events.ITERATION_COMPLETED, step: Events.ITERATION_COMPLETED };
 * ```
 */
export interface TimerEvents {
  /** Resets and starts the timer (default STARTED). */
  start?: EventLike;
  /** Pauses it (default COMPLETED). */
  pause?: EventLike;
  /** Resumes it after a pause (default none). */
  resume?: EventLike;
  /** Counts a step, the denominator of the average (default none). */
  step?: EventLike;
}

/**
 * A stopwatch driven by events. `value()` is the running time in seconds, divided by the number
 * of steps when `average` is true (the time per iteration, say).
 *
 * @example
 * ```ts
 * const timer = new Timer({ average: true });
 * timer.attach(trainer, { start: Events.EPOCH_STARTED, resume: Events.ITERATION_STARTED,
 *   pause: Events.ITERATION_COMPLETED, step: Events.ITERATION_COMPLETED });
 * trainer.on(Events.EPOCH_COMPLETED, () => console.log(`${timer.value().toFixed(3)} s/iteration`));
 * ```
 */
export class Timer {
  readonly average: boolean;
  private readonly clock: () => number;
  private t0 = 0;
  private total = 0;
  private stepCount = 0;
  private running = true;

  /**
   * @param options `average`: divide by the step count; `clock`: seconds from some origin (default `performance.now() / 1000`)
   */
  constructor(options: { average?: boolean; clock?: () => number } = {}) {
    this.average = options.average ?? false;
    if (options.clock !== undefined && typeof options.clock !== 'function') throw new ArgumentError('Timer(): options.clock must be a function returning seconds');
    this.clock = options.clock ?? (() => performance.now() / 1000);
    this.reset();
  }

  /**
   * Wires the timer to `engine`'s events. Returns `this`.
   *
   * @example
   * ```ts
   * const total = new Timer().attach(trainer); // from STARTED to COMPLETED
   * ```
   */
  attach(engine: Engine<any, any>, events: TimerEvents = {}): this { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { start = Events.STARTED, pause = Events.COMPLETED, resume, step } = events;
    engine.on(start, () => this.reset());
    engine.on(pause, () => this.pause());
    if (resume !== undefined) engine.on(resume, () => this.resume());
    if (step !== undefined) engine.on(step, () => this.step());
    return this;
  }

  /** Zeroes the time and steps and starts running. */
  reset(): this {
    this.t0 = this.clock();
    this.total = 0;
    this.stepCount = 0;
    this.running = true;
    return this;
  }

  /** Stops counting time (no effect when paused). */
  pause(): void {
    if (!this.running) return;
    this.total += this.clock() - this.t0;
    this.running = false;
  }

  /** Counts time again (no effect when running). */
  resume(): void {
    if (this.running) return;
    this.running = true;
    this.t0 = this.clock();
  }

  /** Counts one step. */
  step(): void {
    this.stepCount += 1;
  }

  /** Seconds counted so far, per step when `average`. */
  value(): number {
    let total = this.total;
    if (this.running) total += this.clock() - this.t0;
    return total / (this.average ? Math.max(this.stepCount, 1) : 1);
  }
}
