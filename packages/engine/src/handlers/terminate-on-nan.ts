/**
 * `TerminateOnNan`: stops the run when the output holds NaN or infinity (PyTorch-Ignite's `TerminateOnNan`).
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import type { Engine } from '../engine.js';
import { CallableHandler } from './callable.js';

function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v instanceof Tensor) return v.dtype !== 'float32' || Boolean(v.isfinite().all().item());
  if (Array.isArray(v)) return v.every(allFinite);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(allFinite);
  return true;
}

/**
 * Attach to ITERATION_COMPLETED: when the (transformed) output, a number, a tensor, or arrays and
 * objects of them, holds a NaN or an infinity, it warns and calls `engine.terminate()`.
 *
 * @example
 * ```ts
 * trainer.on(Events.ITERATION_COMPLETED, new TerminateOnNan());
 * ```
 */
export class TerminateOnNan extends CallableHandler {
  readonly outputTransform: (output: unknown) => unknown;

  constructor(outputTransform: (output: any) => unknown = (x) => x) { // eslint-disable-line @typescript-eslint/no-explicit-any
    super();
    if (typeof outputTransform !== 'function') throw new ArgumentError(`TerminateOnNan(): outputTransform must be a function; received ${typeof outputTransform}`);
    this.outputTransform = outputTransform;
  }

  call(engine: Engine<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const out = this.outputTransform(engine.state.output);
    if (!allFinite(out)) {
      process.emitWarning(`TerminateOnNan: the output at iteration ${engine.state.iteration} is NaN or infinite; stopping the run.`);
      engine.terminate();
    }
  }
}
