/**
 * Argument checks shared by the package: every message names the function, the argument, what
 * was expected and what was received.
 * @internal
 * @module
 */
import { ArgumentError, ShapeError, Tensor, tensor } from '@flint/core';

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Tensor) return `a ${value.dtype} Tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return value.length > 8 ? `an array of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return String(value);
}

/** Throws unless `x` is a Tensor with at least `minDims` dimensions. */
export function checkTensor(fn: string, arg: string, x: unknown, minDims = 1): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): ${arg} must be a Tensor (got ${describe(x)})`);
  if (x.ndim < minDims) throw new ShapeError(`${fn}(): ${arg} must have at least ${minDims} dimension(s) (got shape [${x.shape.join(', ')}])`);
  return x;
}

/** Throws unless `v` is an integer >= `min`. */
export function checkInt(fn: string, arg: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ArgumentError(`${fn}(): ${arg} must be an integer >= ${min} (got ${describe(v)})`);
  return v;
}

/** Throws unless `v` is a finite number (and > 0 when `positive`). */
export function checkNumber(fn: string, arg: string, v: unknown, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) {
    throw new ArgumentError(`${fn}(): ${arg} must be a ${positive ? 'positive' : 'finite'} number (got ${describe(v)})`);
  }
  return v;
}

/** Throws unless `v` is one of `choices`. */
export function checkChoice<T extends string>(fn: string, arg: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) throw new ArgumentError(`${fn}(): ${arg} must be one of ${choices.map((c) => `'${c}'`).join(', ')} (got ${describe(v)})`);
  return v as T;
}

/** A tensor of `shape` from a flat typed array (the flat handle is released). */
export function fromArray(data: ArrayLike<number>, shape: readonly number[], dtype: 'float32' | 'int32' = 'float32'): Tensor {
  const flat = tensor(data, { dtype });
  const t = flat.reshape([...shape]);
  if (t !== flat) flat.dispose();
  return t;
}
