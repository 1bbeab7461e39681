/**
 * Errors raised by Flint. Every error Flint throws is a {@link FlintError}; the subclasses say
 * which kind of mistake it was. Checks work across two installed copies of `@flint/core`
 * through {@link FlintError.isInstance}.
 *
 * @example
 * ```ts
 * import { FlintError, ShapeError, tensor } from '@flint/core';
 * try {
 *   tensor([1, 2]).add(tensor([1, 2, 3]));
 * } catch (e) {
 *   if (ShapeError.isInstance(e)) console.log(e.message);
 * }
 * ```
 * @module
 */

const MARKER = Symbol.for('flint.error');

/** The base class of every error Flint throws. */
export class FlintError extends Error {
  /** @internal */
  readonly [MARKER]: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this[MARKER] = new.target.name;
  }
  /** True when `e` is a FlintError of this class (or a subclass), from any installed copy. */
  static isInstance(e: unknown): e is FlintError {
    if (typeof e !== 'object' || e === null || !(MARKER in e)) return false;
    if (this === FlintError) return true;
    return e instanceof this || (e as FlintError)[MARKER] === this.name;
  }
}

/** Shapes that do not fit: broadcasting, matmul, reshape, indices out of range. */
export class ShapeError extends FlintError {}
/** A dtype that an op does not accept, or one Flint cannot represent (float64, int64). */
export class DTypeError extends FlintError {}
/** Misuse of autograd: backward through a freed graph, in-place change of a leaf, ... */
export class AutogradError extends FlintError {}
/** A device that is not there, or tensors on two devices in one op. */
export class DeviceError extends FlintError {}
/** A backend that cannot be loaded or lacks what an op needs. */
export class BackendError extends FlintError {}
/** Use of a tensor after its memory was freed. */
export class DisposedError extends FlintError {}
/** An argument of the wrong type or value. */
export class ArgumentError extends FlintError {}

/** Shorthand for the `fn(): arg ... (got ...)` message shape used across Flint. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return value.length > 8 ? `array of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    if (ctor === 'Tensor') {
      const t = value as { shape: number[]; dtype: string };
      return `Tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
    }
    return ctor ? `${ctor}` : 'object';
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
