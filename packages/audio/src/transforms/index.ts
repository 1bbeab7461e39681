/**
 * `transforms`: `nn.Module`s over the functional layer (`torchaudio.transforms`); compose them
 * with `nn.Sequential`.
 * @module
 */
export { Spectrogram, InverseSpectrogram } from './spectrogram.js';
export type { SpectrogramTransformOptions, InverseSpectrogramTransformOptions } from './spectrogram.js';
export { GriffinLim } from './griffin-lim.js';
export type { GriffinLimTransformOptions } from './griffin-lim.js';
export { MelScale } from './mel-scale.js';
export type { MelScaleOptions } from './mel-scale.js';
export { InverseMelScale } from './inverse-mel-scale.js';
export type { InverseMelScaleOptions } from './inverse-mel-scale.js';
export { MelSpectrogram } from './mel-spectrogram.js';
export type { MelSpectrogramOptions } from './mel-spectrogram.js';
export { MFCC } from './mfcc.js';
export type { MFCCOptions } from './mfcc.js';
export { LFCC } from './lfcc.js';
export type { LFCCOptions } from './lfcc.js';
export { AmplitudeToDB } from './amplitude-to-db.js';
export type { AmplitudeToDBTransformOptions } from './amplitude-to-db.js';
export { Resample } from './resample.js';
export { MuLawEncoding, MuLawDecoding } from './mu-law.js';
export { Vol } from './vol.js';
export { Fade } from './fade.js';
export type { FadeShape } from './fade.js';
export { FrequencyMasking, TimeMasking } from './masking.js';
export type { AxisMaskingOptions } from './masking.js';
export { TimeStretch } from './time-stretch.js';
export { SpectralCentroid, ComputeDeltas } from './spectral.js';
export type { WindowFn } from './window-fn.js';
export { PitchShift } from './pitch-shift.js';
export type { PitchShiftTransformOptions } from './pitch-shift.js';
export { Vad } from './vad.js';
