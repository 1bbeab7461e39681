/**
 * Argument checks shared by the datasets and samplers.
 * @internal
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../errors.js';

/** An index in `[-n, n)`, made non-negative, or a ShapeError naming `fn`. */
export function checkIndex(fn: string, index: number, n: number): number {
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new ShapeError(`${fn}(): index must be an integer in [${-n}, ${n - 1}] (got ${describe(index)})`);
  }
  return index < 0 ? index + n : index;
}

/** An integer >= `min`, or an ArgumentError naming `fn` and `arg`. */
export function checkInt(fn: string, arg: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${fn}(): ${arg} must be an integer >= ${min} (got ${describe(v)})`);
  }
  return v;
}

/** A boolean, or an ArgumentError naming `fn` and `arg`. */
export function checkBool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}(): ${arg} must be true or false (got ${describe(v)})`);
  return v;
}

/** The length of a dataset or sampler, via its `len()`, or an ArgumentError. */
export function lengthOf(fn: string, arg: string, v: unknown): number {
  const len = (v as { len?: unknown } | null)?.len;
  if (typeof len !== 'function') {
    throw new ArgumentError(`${fn}(): ${arg} must have a len() method (got ${describe(v)})`);
  }
  return (len as () => number).call(v);
}
