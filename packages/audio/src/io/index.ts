/**
 * Audio file io (`torchaudio.load` / `save` / `info`) for WAV files.
 * @module
 */
export { load, loadSync, save, saveSync, info } from './wav.js';
export type { AudioData, AudioEncoding, AudioMetaData, LoadOptions, SaveOptions } from './wav.js';
