import type { Tensor } from '@flint/core';
import { runGolden } from '../../test/golden.js';
import * as F from './index.js';
import * as T from '../transforms/index.js';

const hann = (n: number) => F.hannWindow(n);
const abs2 = F.complexAbs2;
const SR = 16000;

runGolden('audio_functional', {
  // stft / istft
  stft_default: (a) => F.stft(a, 128, { hopLength: 32, window: hann(128) }),
  stft_win_length_no_center: (a) => F.stft(a, 128, { hopLength: 50, winLength: 100, window: F.hammingWindow(100), center: false }),
  stft_twosided_normalized_constant: (a) => F.stft(a, 64, { hopLength: 16, window: hann(64), padMode: 'constant', normalized: true, onesided: false }),
  stft_no_window_1d: (a) => F.stft(a, 100),
  istft_default: (s) => F.istft(s, 128, { hopLength: 32, window: hann(128), length: 256 }),
  istft_win_length_no_length: (s) => F.istft(s, 128, { hopLength: 32, winLength: 96, window: hann(96) }),
  windows: () => [F.hannWindow(10), F.hannWindow(10, { periodic: false }), F.hammingWindow(9), F.blackmanWindow(8), F.kaiserWindow(12, { periodic: true, beta: 8 })],
  // Spectrogram
  spectrogram_power2: (a) => new T.Spectrogram({ nFft: 128, hopLength: 32 })(a),
  spectrogram_power1_normalized_pad: (a) => new T.Spectrogram({ nFft: 128, winLength: 100, hopLength: 40, pad: 3, power: 1, normalized: true })(a),
  spectrogram_complex: (a) => new T.Spectrogram({ nFft: 64, power: null })(a),
  spectrogram_default_args: (a) => new T.Spectrogram()(a),
  inverse_spectrogram: (s) => new T.InverseSpectrogram({ nFft: 128, hopLength: 32 })(s, 256),
  // filter banks, DCT
  melscale_fbanks_htk: () => F.melscaleFbanks(129, 0, 8000, 20, 16000),
  melscale_fbanks_slaney: () => F.melscaleFbanks(201, 50, 7000, 16, 16000, { norm: 'slaney', melScale: 'slaney' }),
  linear_fbanks: () => F.linearFbanks(129, 100, 7000, 12, 16000),
  create_dct_ortho: () => F.createDct(13, 20, 'ortho'),
  create_dct_none: () => F.createDct(8, 10, null),
  // mel, MFCC, LFCC
  mel_scale: (s) => new T.MelScale({ nMels: 20, sampleRate: SR, nStft: 65 })(s),
  mel_spectrogram: (a) => new T.MelSpectrogram({ sampleRate: SR, nFft: 128, hopLength: 32, nMels: 20 })(a),
  mel_spectrogram_slaney_power1: (a) =>
    new T.MelSpectrogram({ sampleRate: SR, nFft: 128, hopLength: 32, nMels: 12, fMin: 60, fMax: 6000, power: 1, norm: 'slaney', melScale: 'slaney', center: false })(a),
  mfcc: { fn: (a) => new T.MFCC({ sampleRate: SR, nMfcc: 13, melkwargs: { nFft: 128, hopLength: 32, nMels: 20 } })(a), atol: 2e-3 },
  mfcc_log_mels_no_norm: { fn: (a) => new T.MFCC({ sampleRate: SR, nMfcc: 8, norm: null, logMels: true, melkwargs: { nFft: 128, hopLength: 64, nMels: 16 } })(a), atol: 2e-3 },
  lfcc: { fn: (a) => new T.LFCC({ sampleRate: SR, nFilter: 20, nLfcc: 13, speckwargs: { nFft: 128, hopLength: 32 } })(a), atol: 2e-3 },
  lfcc_no_log: { fn: (a) => new T.LFCC({ sampleRate: SR, nFilter: 16, nLfcc: 10, logLf: true, norm: null, speckwargs: { nFft: 128, hopLength: 64 } })(a), atol: 2e-3 },
  // decibels
  amplitude_to_db_power_top80: { fn: (s) => new T.AmplitudeToDB({ stype: 'power', topDb: 80 })(s), atol: 1e-3 },
  amplitude_to_db_magnitude: { fn: (s) => new T.AmplitudeToDB({ stype: 'magnitude' })(s), atol: 1e-3 },
  amplitude_to_db_batched_top: { fn: (s) => F.amplitudeToDB(s, 10, 1e-10, 0, { topDb: 40 }), atol: 1e-3 },
  db_to_amplitude: (s) => F.DBToAmplitude(s, 1, 0.5),
  // resampling
  resample_16000_8000: (a) => F.resample(a, 16000, 8000),
  resample_8000_16000: (a) => F.resample(a, 8000, 16000),
  resample_16000_22050: (a) => F.resample(a, 16000, 22050),
  resample_44100_16000_width16: (a) => F.resample(a, 44100, 16000, { lowpassFilterWidth: 16, rolloff: 0.9 }),
  resample_16000_12000_kaiser: (a) => F.resample(a, 16000, 12000, { resamplingMethod: 'kaiser_window', beta: 14.769656459379492 }),
  resample_16000_16000: (a) => F.resample(a, 16000, 16000),
  resample_batched_3d: (a) => new T.Resample(48000, 16000)(a),
  // mu-law, deltas, centroid, volume, fades
  mu_law_encoding: (a) => new T.MuLawEncoding(256)(a),
  mu_law_decoding: (q) => new T.MuLawDecoding(256)(q),
  compute_deltas: (s) => F.computeDeltas(s, { winLength: 5 }),
  compute_deltas_win3: (s) => new T.ComputeDeltas({ winLength: 3 })(s),
  spectral_centroid: { fn: (a) => new T.SpectralCentroid(SR, { nFft: 128, hopLength: 32 })(a), atol: 1e-2, rtol: 1e-4 },
  vol_amplitude: (a) => new T.Vol(2.5)(a),
  vol_db: (a) => new T.Vol(-6, 'db')(a),
  vol_power: (a) => new T.Vol(4, 'power')(a),
  fade_linear: (a) => new T.Fade(100, 150, 'linear')(a),
  fade_exponential: (a) => new T.Fade(100, 150, 'exponential')(a),
  fade_logarithmic: (a) => new T.Fade(100, 150, 'logarithmic')(a),
  fade_quarter_sine: (a) => new T.Fade(100, 150, 'quarter_sine')(a),
  fade_half_sine: (a) => new T.Fade(100, 150, 'half_sine')(a),
  // phase reconstruction and stretching
  griffin_lim: { fn: (s) => new T.GriffinLim({ nFft: 128, nIter: 8, hopLength: 32, randInit: false, length: 256 })(s), atol: 1e-3 },
  griffin_lim_power1_no_momentum: { fn: (s) => new T.GriffinLim({ nFft: 128, nIter: 4, hopLength: 32, power: 1, momentum: 0, randInit: false })(s), atol: 1e-3 },
  time_stretch_fast: { fn: (s) => new T.TimeStretch({ hopLength: 32, nFreq: 65 })(s, 1.3), atol: 2e-3 },
  pitch_shift_octave_up: { fn: (a) => F.pitchShift(a, SR, 12, { nFft: 128 }), atol: 2e-3 },
  pitch_shift_octave_down_hop: { fn: (a) => new T.PitchShift(SR, -12, { nFft: 128, hopLength: 16, winLength: 100 })(a), atol: 2e-3 },
  time_stretch_slow: { fn: (s) => new T.TimeStretch({ hopLength: 32, nFreq: 65, fixedRate: 0.8 })(s), atol: 2e-3 },
} satisfies Record<string, ((...xs: Tensor[]) => Tensor | Tensor[]) | { fn: (...xs: Tensor[]) => Tensor | Tensor[]; atol?: number; rtol?: number }>, { atol: 1e-4, rtol: 1e-4 });
void abs2;
