/**
 * `globalStepFromEngine`: the step to log or save at, taken from another engine (PyTorch-Ignite's
 * `global_step_from_engine`).
 * @module
 */
import type { Engine } from '../engine.js';
import { Events } from '../events.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEngine = Engine<any, any>;

/**
 * Turns an engine and the name of the event being logged into the step to log at.
 *
 * @example
 * ```ts
 * const byEpoch: GlobalStepTransform = (engine) => engine.state.epoch;
 * ```
 */
export type GlobalStepTransform = (engine: AnyEngine, eventName: string) => number;

/** The counter the event's filters use: the iteration for iteration events, else the epoch. @internal */
export function counterOf(engine: AnyEngine, eventName: string): number {
  const builtin = (Events as Record<string, { counter: string }>)[eventName];
  return builtin?.counter === 'iteration' ? engine.state.iteration : engine.state.epoch;
}

/**
 * A step taken from another engine, usually the trainer, so that an evaluator's metrics line up
 * with the training curves (Ignite's `global_step_from_engine`): the trainer's epoch for epoch and
 * run events, its iteration for iteration events (or the counter of `customEventName`).
 *
 * @example
 * ```ts
 * logger.attachOutputHandler(evaluator, { event: Events.COMPLETED, tag: 'validation', metricNames: 'all',
 *   globalStepTransform: globalStepFromEngine(trainer) });
 * ```
 */
export function globalStepFromEngine(engine: AnyEngine, customEventName?: string): GlobalStepTransform {
  return (_e, eventName) => counterOf(engine, customEventName ?? eventName);
}

