/**
 * `SerializationError`: what {@link save} and {@link load} throw when a value can't be written or
 * a file can't be read back.
 * @module
 */
import { FlintError } from '../errors.js';

/**
 * A value that `save()` can't write, or a file that `load()` can't read: truncated, corrupted, not
 * a safetensors file, or written with a dtype Flint does not know. The message names the function,
 * the file and the problem; an underlying file-system error is kept as `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await load('ckpt.safetensors');
 * } catch (e) {
 *   if (SerializationError.isInstance(e)) console.error(e.message);
 * }
 * ```
 */
export class SerializationError extends FlintError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message);
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
