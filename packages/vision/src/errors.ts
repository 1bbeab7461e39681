/**
 * Errors of `@flint/vision`, subclasses of core's {@link FlintError} (so `FlintError.isInstance`
 * catches them too). Bad arguments throw core's `ArgumentError`, wrong shapes `ShapeError`,
 * wrong dtypes `DTypeError`.
 * @module
 */
import { FlintError } from '@flint/core';

/**
 * An image file that is missing or cannot be decoded; the message names the file.
 *
 * @example
 * ```ts
 * try { await readImage('missing.png'); } catch (e) { if (ImageFileError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class ImageFileError extends FlintError {}

/**
 * A dataset whose files are missing, corrupt (md5 mismatch, bad header) or could not be
 * downloaded; the message names the files and where to put them.
 *
 * @example
 * ```ts
 * try { new MNIST('data'); } catch (e) { if (DatasetError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class DatasetError extends FlintError {}
