/**
 * `LRScheduler`: steps a `@flint/core` learning-rate scheduler on an event (PyTorch-Ignite's
 * `LRScheduler` / `ReduceLROnPlateauScheduler`).
 * @module
 */
import { ArgumentError, optim } from '@flint/core';
import type { Engine } from '../engine.js';
import { CallableHandler } from './callable.js';

/**
 * What the handler needs of a scheduler: `step()` (or `step(metric)`), `getLastLr()`, state dicts.
 *
 * @example
 * ```ts
 * const s: SchedulerLike = new optim.lrScheduler.ExponentialLR(optimizer, { gamma: 0.9 });
 * ```
 */
export interface SchedulerLike {
  step(metric?: any): void; // eslint-disable-line @typescript-eslint/no-explicit-any
  getLastLr(): number[];
  stateDict?(): unknown;
  loadStateDict?(stateDict: any): void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Options of {@link LRScheduler}.
 *
 * @example
 * ```ts
 * const options: LRSchedulerOptions = { saveHistory: true };
 * ```
 */
export interface LRSchedulerOptions {
  /** Append each step's learning rates to `engine.state.paramHistory.lr` (default false). */
  saveHistory?: boolean;
  /** For `ReduceLROnPlateau`: the `engine.state.metrics` entry to step with (required for it). */
  metricName?: string;
}

/**
 * Calls `scheduler.step()` each time its event fires; for a `ReduceLROnPlateau`,
 * `scheduler.step(engine.state.metrics[metricName])`. Attach to ITERATION_COMPLETED for
 * per-iteration schedules (after the optimizer step, as PyTorch orders them) or EPOCH_COMPLETED
 * for per-epoch ones; a `ReduceLROnPlateau` goes on the evaluator's COMPLETED.
 *
 * @example
 * ```ts
 * const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 3, gamma: 0.1 });
 * trainer.on(Events.EPOCH_COMPLETED, new LRScheduler(scheduler));
 * const plateau = new optim.lrScheduler.ReduceLROnPlateau(optimizer, { mode: 'max' });
 * evaluator.on(Events.COMPLETED, new LRScheduler(plateau, { metricName: 'accuracy' }));
 * ```
 */
export class LRScheduler extends CallableHandler {
  readonly scheduler: SchedulerLike;
  readonly saveHistory: boolean;
  readonly metricName: string | null;

  constructor(scheduler: SchedulerLike, options: LRSchedulerOptions = {}) {
    super();
    const fn = 'LRScheduler()';
    if (scheduler === null || typeof scheduler !== 'object' || typeof scheduler.step !== 'function' || typeof scheduler.getLastLr !== 'function') {
      throw new ArgumentError(`${fn}: scheduler must be an optim.lrScheduler scheduler (with step() and getLastLr()); received ${scheduler === null ? 'null' : typeof scheduler}`);
    }
    const plateau = scheduler instanceof optim.lrScheduler.ReduceLROnPlateau;
    if (plateau && options.metricName === undefined) {
      throw new ArgumentError(`${fn}: a ReduceLROnPlateau scheduler needs options.metricName, the engine.state.metrics entry it steps with`);
    }
    this.scheduler = scheduler;
    this.saveHistory = options.saveHistory ?? false;
    this.metricName = options.metricName ?? null;
  }

  /** Steps the scheduler (with the metric, for a plateau scheduler). */
  call(engine: Engine<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (this.metricName !== null) {
      const value = engine.state.metrics[this.metricName];
      if (typeof value !== 'number' && !(value !== null && typeof value === 'object' && typeof (value as { item?: unknown }).item === 'function')) {
        throw new ArgumentError(
          `LRScheduler: engine.state.metrics.${this.metricName} must be a number; received ${value === undefined ? 'undefined (is the metric attached to this engine?)' : typeof value}`,
        );
      }
      this.scheduler.step(value);
    } else {
      this.scheduler.step();
    }
    if (this.saveHistory) {
      const history = ((engine.state.paramHistory as Record<string, number[][]> | undefined) ??= {});
      (history.lr ??= []).push([...this.scheduler.getLastLr()]);
    }
  }

  /** The scheduler's state dict. */
  stateDict(): unknown {
    return this.scheduler.stateDict?.() ?? {};
  }

  /** Restores the scheduler's state dict. */
  loadStateDict(stateDict: unknown): void {
    this.scheduler.loadStateDict?.(stateDict);
  }
}

/**
 * A param scheduler: sets `paramName` (default `'lr'`) of every param group by linear
 * interpolation between `[eventIndex, value]` milestones, holding the first value before the first
 * milestone and the last after the last (PyTorch-Ignite's `PiecewiseLinear`). The event index
 * counts the handler's calls from 0.
 *
 * @example
 * ```ts
 * // warm up over 100 iterations to 0.1, then decay linearly to 0 at iteration 1000
 * trainer.on(Events.ITERATION_STARTED, new PiecewiseLinear(optimizer, 'lr', [[0, 0], [100, 0.1], [1000, 0]]));
 * ```
 */
export class PiecewiseLinear extends CallableHandler {
  readonly optimizer: { paramGroups: Array<Record<string, unknown>> };
  readonly paramName: string;
  readonly milestones: ReadonlyArray<readonly [number, number]>;
  /** Calls so far. */
  eventIndex = 0;

  constructor(optimizer: { paramGroups: Array<Record<string, unknown>> }, paramName: string, milestonesValues: Array<[number, number]>) {
    super();
    const fn = 'PiecewiseLinear()';
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new ArgumentError(`${fn}: optimizer must have paramGroups (an optim.Optimizer); received ${optimizer === null ? 'null' : typeof optimizer}`);
    }
    if (typeof paramName !== 'string' || paramName === '') throw new ArgumentError(`${fn}: paramName must be a non-empty string such as 'lr'`);
    if (!Array.isArray(milestonesValues) || milestonesValues.length < 2) {
      throw new ArgumentError(`${fn}: milestonesValues must list at least two [eventIndex, value] pairs; received ${Array.isArray(milestonesValues) ? milestonesValues.length : typeof milestonesValues}`);
    }
    for (const [i, mv] of milestonesValues.entries()) {
      if (!Array.isArray(mv) || mv.length !== 2 || !Number.isInteger(mv[0]) || mv[0] < 0 || typeof mv[1] !== 'number') {
        throw new ArgumentError(`${fn}: milestonesValues[${i}] must be [eventIndex (integer >= 0), value]; received ${JSON.stringify(mv)}`);
      }
      if (i > 0 && mv[0] <= milestonesValues[i - 1]![0]) throw new ArgumentError(`${fn}: milestones must increase; milestonesValues[${i}][0] = ${mv[0]}`);
    }
    this.optimizer = optimizer;
    this.paramName = paramName;
    this.milestones = milestonesValues.map(([m, v]) => [m, v] as const);
  }

  /** The value at `eventIndex`. */
  getParam(eventIndex = this.eventIndex): number {
    const ms = this.milestones;
    if (eventIndex <= ms[0]![0]) return ms[0]![1];
    for (let i = 1; i < ms.length; i++) {
      const [m1, v1] = ms[i]!;
      if (eventIndex <= m1) {
        const [m0, v0] = ms[i - 1]!;
        return v0 + ((v1 - v0) * (eventIndex - m0)) / (m1 - m0);
      }
    }
    return ms[ms.length - 1]![1];
  }

  /** Sets the parameter of every group and advances the event index. */
  call(_engine: Engine<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const value = this.getParam();
    for (const g of this.optimizer.paramGroups) g[this.paramName] = value;
    this.eventIndex += 1;
  }

  /** The event index. */
  stateDict(): { eventIndex: number } {
    return { eventIndex: this.eventIndex };
  }

  /** Restores the event index. */
  loadStateDict(stateDict: { eventIndex: number }): void {
    if (!Number.isInteger(stateDict?.eventIndex)) throw new ArgumentError('PiecewiseLinear.loadStateDict(): stateDict must be { eventIndex } from stateDict()');
    this.eventIndex = stateDict.eventIndex;
  }
}
