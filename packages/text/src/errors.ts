/**
 * Errors of `@flint/text`, subclasses of core's {@link FlintError} (so `FlintError.isInstance`
 * catches them too). Bad arguments throw core's `ArgumentError`.
 * @module
 */
import { FlintError } from '@flint/core';

/**
 * A dataset or vectors file that is missing, malformed or could not be downloaded; the message
 * names the files and where to put them.
 *
 * @example
 * ```ts
 * try { await AG_NEWS({ root: 'data' }); } catch (e) { if (DatasetError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class DatasetError extends FlintError {}
