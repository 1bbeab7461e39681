/**
 * Small internal helpers for error messages and argument checks.
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';

/** A short description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Tensor) return `Tensor(shape=[${value.shape.join(', ')}], dtype=${value.dtype})`;
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return value.length > 8 ? `array of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'function') {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: { name: string } } | null)?.constructor;
    if (ctor !== undefined && ctor !== Function && Object.getPrototypeOf(value) !== Function.prototype) return ctor.name; // a callable object (a Transform, a Vocab)
    return `function ${value.name || '(anonymous)'}`;
  }
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  return String(value);
}

/** Checks an integer argument >= min. */
export function checkInt(fn: string, arg: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${fn}: ${arg} must be an integer >= ${min} (got ${describe(v)})`);
  }
  return v;
}
