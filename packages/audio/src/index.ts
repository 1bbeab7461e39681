/**
 * `@flint/audio`: the torchaudio analog. WAV io (`load`, `save`, `info`), spectral transforms
 * (`transforms`, over the pure functions in `functional`), and datasets for the DataLoader.
 *
 * @example
 * ```ts
 * import { load, transforms } from '@flint/audio';
 * const { waveform, sampleRate } = await load('speech.wav');
 * const mel = new transforms.MelSpectrogram({ sampleRate, nFft: 400, hopLength: 160, nMels: 64 });
 * const features = mel(waveform); // [channels, 64, frames]
 * ```
 * @module
 */
export { load, loadSync, save, saveSync, info } from './io/index.js';
export type { AudioData, AudioEncoding, AudioMetaData, LoadOptions, SaveOptions } from './io/index.js';
export * as functional from './functional/index.js';
export * as transforms from './transforms/index.js';
export * as datasets from './datasets/index.js';
export { AudioFileError, DatasetError } from './errors.js';
