import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { BACKENDS } from '../../test/golden.js';
import * as F from '../functional/index.js';
import * as T from './index.js';

describe.each(BACKENDS)('transforms [%s]', (backendName) => {
  beforeAll(async () => {
    await flint.setBackend(backendName);
  });

  it('InverseMelScale recovers a non-negative spectrogram whose mel projection matches', () => {
    flint.scope(() => {
      flint.manualSeed(0);
      const spec = flint.rand([1, 33, 6]);
      const mel = new T.MelScale({ nMels: 8, sampleRate: 16000, nStft: 33 });
      const target = mel(spec);
      const inv = new T.InverseMelScale(33, { nMels: 8, sampleRate: 16000, maxIter: 300, generator: new flint.Generator(1) });
      const est = inv(target);
      expect(est.shape).toEqual([1, 33, 6]);
      expect(est.min().item()).toBeGreaterThanOrEqual(0);
      const err = mel(est).sub(target).abs().max().item();
      expect(err).toBeLessThan(0.05 * target.abs().max().item());
    });
  });

  it('FrequencyMasking and TimeMasking mask one band of width < maskParam, the same for every channel', () => {
    flint.scope(() => {
      const spec = flint.ones([2, 20, 30]);
      const g = new flint.Generator(3);
      for (let trial = 0; trial < 5; trial++) {
        const t = new T.TimeMasking(10, { generator: g })(spec);
        const masked = t.eq(0).index(0, 0).tolist() as boolean[];
        const n = masked.filter(Boolean).length;
        expect(n).toBeLessThan(10);
        const first = masked.indexOf(true);
        if (n > 0) expect(masked.slice(first, first + n).every(Boolean)).toBe(true);
        flint.testing.assertClose(t.index(0), t.index(1), { atol: 0, rtol: 0 });
        const f = new T.FrequencyMasking(6, { generator: g })(spec, -1);
        const rows = (f.index(1, ':', 0).tolist() as number[]).filter((v) => v === -1).length;
        expect(rows).toBeLessThan(6);
        expect(f.eq(-1).sum().item()).toBe(2 * 30 * rows);
      }
    });
  });

  it('iid masks differ per example of a 4-D batch', () => {
    flint.scope(() => {
      const spec = flint.ones([8, 1, 10, 40]);
      const out = new T.TimeMasking(30, { iidMasks: true, generator: new flint.Generator(5) })(spec);
      const counts = Array.from({ length: 8 }, (_, i) => out.index(i).eq(0).sum().item());
      expect(new Set(counts).size).toBeGreaterThan(1);
      for (const c of counts) expect(c % 10).toBe(0);
    });
  });

  it('GriffinLim with random phases is reproducible with a generator and reduces spectral error', () => {
    flint.scope(() => {
      const t = flint.arange(2000).float().div(16000);
      const x = t.mul(2 * Math.PI * 440).sin().unsqueeze(0);
      const spec = new T.Spectrogram({ nFft: 256, hopLength: 64 })(x);
      const run = (nIter: number) => new T.GriffinLim({ nFft: 256, hopLength: 64, nIter, generator: new flint.Generator(7), length: 2000 })(spec);
      flint.testing.assertClose(run(4), run(4), { atol: 0, rtol: 0 });
      const err = (y: flint.Tensor) => new T.Spectrogram({ nFft: 256, hopLength: 64 })(y).sqrt().sub(spec.sqrt()).abs().mean().item();
      expect(err(run(16))).toBeLessThan(err(run(1)));
    });
  });

  it('MelSpectrogram keeps its window and filter banks as buffers with torchaudio names', () => {
    const m = new T.MelSpectrogram({ nFft: 64, nMels: 10 });
    expect(Object.keys(m.stateDict()).sort()).toEqual(['melScale.fb', 'spectrogram.window']);
    expect(m.melScale.fb.shape).toEqual([33, 10]);
    const mfcc = new T.MFCC({ nMfcc: 5, melkwargs: { nFft: 64, nMels: 10 } });
    expect(Object.keys(mfcc.stateDict()).sort()).toEqual(['MelSpectrogram.melScale.fb', 'MelSpectrogram.spectrogram.window', 'dct_mat']);
    m.dispose();
    mfcc.dispose();
  });

  it('stft round-trips through istft and is differentiable end to end', () => {
    flint.scope(() => {
      const x = flint.randn([2, 300]).requiresGrad_();
      const w = F.hannWindow(64);
      const y = F.istft(F.stft(x, 64, { hopLength: 16, window: w }), 64, { hopLength: 16, window: w, length: 300 });
      flint.testing.assertClose(y, x, { atol: 1e-4 });
      y.mul(x).sum().backward();
      flint.testing.assertClose(x.grad!, x.mul(2), { atol: 1e-3 });
    });
  });

  it('leaves no tensors behind: forward and backward through MelSpectrogram, MFCC and Resample in a scope', () => {
    const mel = new T.MelSpectrogram({ nFft: 128, hopLength: 32, nMels: 16 });
    const mfcc = new T.MFCC({ nMfcc: 8, melkwargs: { nFft: 128, hopLength: 32, nMels: 16 } });
    const rs = new T.Resample(16000, 12000);
    const x = flint.randn([2, 1000]);
    flint.testing.expectNoLeak(() =>
      flint.scope(() => {
        const w = x.clone().requiresGrad_();
        mel(w).sum().add(mfcc(w).sum()).add(rs(w).sum()).backward();
        expect(w.grad!.shape).toEqual([2, 1000]);
      }),
    );
    flint.testing.expectNoLeak(() =>
      flint.scope(() => {
        F.vad(x, 16000);
        F.phaseVocoder(F.stft(x, 64, { window: F.hannWindow(64) }), 1.5, flint.linspace(0, Math.PI * 16, 33).reshape([-1, 1]));
      }),
    );
    for (const m of [mel, mfcc, rs]) m.dispose();
    x.dispose();
  });

  it('rejects bad arguments with clear errors', () => {
    const x = flint.randn([1, 100]);
    expect(() => F.stft(x, 64, { winLength: 80 })).toThrow(/stft\(\): winLength \(80\) must be <= nFft \(64\)/);
    expect(() => F.stft(x, 64, { window: F.hannWindow(32) })).toThrow(/stft\(\): window must be 1-D with winLength \(64\) samples \(got a float32 Tensor of shape \[32\]\)/);
    expect(() => F.stft(x, 256)).toThrow(/stft\(\): reflect padding of 128 samples needs a signal longer than 128 \(got 100 samples\)/);
    expect(() => F.istft(flint.zeros([10, 3, 2]), 64)).toThrow(/istft\(\): a onesided spectrogram for nFft 64 has 33 frequency bins \(got 10\)/);
    expect(() => F.istft(flint.zeros([33, 3, 2]), 64, { hopLength: 64, window: flint.zeros([64]) })).toThrow(/istft\(\): the window's overlap-add is zero at sample 0 \(the NOLA condition fails\)/);
    expect(() => F.resample(x, 44100.5, 16000)).toThrow(/resample\(\): origFreq must be an integer >= 1 \(got 44100\.5\)/);
    expect(() => F.melscaleFbanks(201, 0, 8000, 40, 16000, { norm: 'area' as never })).toThrow(/melscaleFbanks\(\): norm must be null or 'slaney' \(got 'area'\)/);
    expect(() => new T.AmplitudeToDB({ stype: 'energy' as never })).toThrow(/AmplitudeToDB\(\): stype must be one of 'power', 'magnitude' \(got 'energy'\)/);
    expect(() => new T.MelScale({ nStft: 33 })(flint.zeros([1, 20, 5]))).toThrow(/MelScale\(\): specgram must have 33 frequency bins in dim -2 \(nStft\) \(got shape \[1, 20, 5\]\)/);
    expect(() => new T.TimeStretch({ nFreq: 33 })(flint.zeros([33, 4, 2]))).toThrow(/TimeStretch\(\): give a rate/);
    expect(() => new T.Fade(10, 10, 'cubic' as never)).toThrow(/Fade\(\): fadeShape must be one of/);
    expect(() => F.computeDeltas(x, { winLength: 2 })).toThrow(/computeDeltas\(\): winLength must be an integer >= 3 \(got 2\)/);
    expect(() => new T.MFCC({ nMfcc: 50, melkwargs: { nMels: 40 } })).toThrow(/MFCC\(\): nMfcc \(50\) must be <= nMels \(40\)/);
    expect(() => F.spectrogram(x, 64, { normalized: 'peak' as never })).toThrow(/spectrogram\(\): normalized must be a boolean, 'window' or 'frame_length' \(got 'peak'\)/);
  });
});
