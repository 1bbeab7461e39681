/**
 * Argument checks shared by the `SummaryWriter` methods: each error names the method and the
 * argument.
 * @internal
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { nowSeconds } from './event-file-writer.js';

/** The `walltime` option every `add*` method takes: seconds since the epoch, default now. */
export interface WalltimeOption {
  walltime?: number;
}

/** A tag (or `arg`) that must be a string. */
export function checkTag(fn: string, tag: unknown, arg = 'tag'): string {
  if (typeof tag !== 'string') throw new ArgumentError(`${fn}(): ${arg} must be a string (got ${describe(tag)})`);
  return tag;
}

/** A step: an integer (fractions truncated, as PyTorch's `int()`), or undefined. */
export function checkStep(fn: string, step: unknown): number | undefined {
  if (step === undefined || step === null) return undefined;
  if (typeof step === 'bigint') return Number(step);
  if (typeof step !== 'number' || !Number.isFinite(step)) throw new ArgumentError(`${fn}(): globalStep must be an integer (got ${describe(step)})`);
  return Math.trunc(step);
}

/** The wall time of an event: `walltime` or now. */
export function checkWalltime(fn: string, o: WalltimeOption | undefined): number {
  const w = o?.walltime;
  if (w === undefined) return nowSeconds();
  if (typeof w !== 'number' || !Number.isFinite(w)) throw new ArgumentError(`${fn}(): walltime must be seconds since the epoch as a finite number (got ${describe(w)})`);
  return w;
}

/** The trailing options object, when given. */
export function checkOptions<T>(fn: string, o: T | undefined): T | undefined {
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw new ArgumentError(`${fn}(): options must be an object (got ${describe(o)}); the step is the argument before it`);
  return o;
}

/** A PR curve's threshold count, capped at 127 as PyTorch caps it. */
export function checkThresholds(fn: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2) throw new ArgumentError(`${fn}(): numThresholds must be an integer >= 2 (got ${describe(n)})`);
  return Math.min(n, 127);
}
