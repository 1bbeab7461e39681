/**
 * Errors of `@flint/audio`, subclasses of core's {@link FlintError} (so `FlintError.isInstance`
 * catches them too). Bad arguments throw core's `ArgumentError`, wrong shapes `ShapeError`.
 * @module
 */
import { FlintError } from '@flint/core';

/**
 * An audio file that is missing, truncated, not a WAV file or in an encoding Flint cannot read;
 * the message names the file.
 *
 * @example
 * ```ts
 * try { loadSync('missing.wav'); } catch (e) { if (AudioFileError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class AudioFileError extends FlintError {}

/**
 * A dataset whose files are missing or could not be downloaded; the message names the files
 * and where to put them.
 *
 * @example
 * ```ts
 * try { new YESNO('data'); } catch (e) { if (DatasetError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class DatasetError extends FlintError {}
