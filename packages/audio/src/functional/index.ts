/**
 * `functional`: the pure functions behind the transforms (`torchaudio.functional`).
 * @module
 */
export { stft, istft } from './stft.js';
export type { StftOptions, IstftOptions, StftPadMode } from './stft.js';
export { spectrogram, inverseSpectrogram, griffinlim } from './spectrogram.js';
export type { SpectrogramOptions, InverseSpectrogramOptions, GriffinLimOptions, SpecNormalized } from './spectrogram.js';
export { hannWindow, hammingWindow, blackmanWindow, kaiserWindow } from './window.js';
export type { WindowOptions } from './window.js';
export { complexAbs, complexAbs2, complexMul, polar } from './complex.js';
export { melscaleFbanks, linearFbanks, createDct, hzToMel, melToHz } from './filterbanks.js';
export type { MelScaleType, MelscaleFbanksOptions } from './filterbanks.js';
export { amplitudeToDB, DBToAmplitude } from './amplitude.js';
export type { AmplitudeToDBOptions } from './amplitude.js';
export { resample } from './resample.js';
export type { ResampleOptions, ResamplingMethod } from './resample.js';
export { muLawEncoding, muLawDecoding } from './mu-law.js';
export { computeDeltas } from './deltas.js';
export { spectralCentroid } from './spectral-centroid.js';
export type { SpectralCentroidOptions } from './spectral-centroid.js';
export { phaseVocoder } from './phase-vocoder.js';
export { maskAlongAxis, maskAlongAxisIid } from './masking.js';
export type { MaskOptions } from './masking.js';
export { pitchShift } from './pitch-shift.js';
export type { PitchShiftOptions } from './pitch-shift.js';
export { vad } from './vad.js';
export type { VadOptions } from './vad.js';
