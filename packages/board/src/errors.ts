/**
 * Errors raised by `@flint/board`. They follow `@flint/core`'s error contract without importing
 * core: each carries the `Symbol.for('flint.error')` marker with its class name, so
 * `FlintError.isInstance(e)` and `ArgumentError.isInstance(e)` from either package recognise them.
 *
 * @example
 * ```ts
 * import { SummaryWriter, ArgumentError } from '@flint/board';
 * const writer = new SummaryWriter('runs/demo');
 * try {
 *   writer.addScalar('loss', 'high' as never);
 * } catch (e) {
 *   if (ArgumentError.isInstance(e)) console.log(e.message);
 * }
 * ```
 * @module
 */

const MARKER = Symbol.for('flint.error');

/**
 * The base class of every error `@flint/board` throws (marker-compatible with `@flint/core`'s).
 *
 * @example
 * ```ts
 * try { new SummaryWriter('runs/x').addScalar(1 as never, 0); } catch (e) { FlintError.isInstance(e); }
 * ```
 */
export class FlintError extends Error {
  /** @internal */
  readonly [MARKER]: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this[MARKER] = new.target.name;
  }
  /** True when `e` is a Flint error of this class (or a subclass), from any installed copy. */
  static isInstance(e: unknown): e is FlintError {
    if (typeof e !== 'object' || e === null || !(MARKER in e)) return false;
    if (this === FlintError) return true;
    return e instanceof this || (e as FlintError)[MARKER] === this.name;
  }
}

/**
 * An argument of the wrong type or value (a non-string tag, a step that is not an integer).
 *
 * @example
 * ```ts
 * try { writer.addScalar('loss', 'x' as never); } catch (e) { ArgumentError.isInstance(e); }
 * ```
 */
export class ArgumentError extends FlintError {}

/**
 * Data of the wrong shape (an image whose shape does not fit its `dataformats`).
 *
 * @example
 * ```ts
 * try { await writer.addImage('img', new Float32Array(5)); } catch (e) { ShapeError.isInstance(e); }
 * ```
 */
export class ShapeError extends FlintError {}

/**
 * Data of a dtype a method cannot take (strings where numbers are needed, bigint arrays).
 *
 * @example
 * ```ts
 * try { writer.addHistogram('w', ['a'] as never); } catch (e) { DTypeError.isInstance(e); }
 * ```
 */
export class DTypeError extends FlintError {}

/**
 * Use of a `SummaryWriter` after `close()`.
 *
 * @example
 * ```ts
 * await writer.close();
 * try { writer.addScalar('loss', 1); } catch (e) { WriterClosedError.isInstance(e); }
 * ```
 */
export class WriterClosedError extends FlintError {}

/** Short description of a received value for error messages. @internal */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return value.length > 8 ? `array of length ${value.length}` : safeJson(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (typeof value === 'object') {
    const v = value as { shape?: unknown; dtype?: unknown; constructor?: { name?: string } };
    if (Array.isArray(v.shape)) return `${v.constructor?.name ?? 'object'}(shape=[${v.shape.join(', ')}]${v.dtype ? `, dtype=${String(v.dtype)}` : ''})`;
    return v.constructor?.name ?? 'object';
  }
  return String(value);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return 'array';
  }
}
