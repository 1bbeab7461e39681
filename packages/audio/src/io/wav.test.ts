import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { AudioFileError } from '../errors.js';
import { decode, loadFixture } from '../../test/golden.js';
import { info, load, loadSync, save, saveSync } from './wav.js';

interface Enc {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}
interface IoFixture {
  files: { file: string; sampleRate: number; normalized: Enc; raw?: Enc; rawDtype?: string; offset10_frames7: Enc; info: Record<string, unknown> }[];
  pocketsphinx: { path: string; sampleRate: number; shape: number[]; head: Enc; frames1000to1032: Enc; sum: number; absSum: number; info: Record<string, unknown> };
}

const fx = loadFixture<IoFixture>('audio_io');
const wavDir = fileURLToPath(new URL('../../fixtures/wav/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'flint-audio-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('load / info match torchaudio on files torchaudio wrote', () => {
  for (const f of fx.files) {
    it(f.file, async () => {
      const path = join(wavDir, f.file);
      const { waveform, sampleRate } = await load(path);
      expect(sampleRate).toBe(f.sampleRate);
      flint.testing.assertClose(waveform, decode(f.normalized), { atol: 1e-7, rtol: 0 });
      if (f.raw !== undefined) {
        const raw = loadSync(path, { normalize: false }).waveform;
        expect(raw.dtype).toBe('int32');
        expect(Array.from(raw.dataSync())).toEqual(f.raw.data);
      }
      const part = loadSync(path, { frameOffset: 10, numFrames: 7 }).waveform;
      flint.testing.assertClose(part, decode(f.offset10_frames7), { atol: 1e-7, rtol: 0 });
      const framesFirst = loadSync(path, { channelsFirst: false }).waveform;
      expect(framesFirst.shape).toEqual([48, 2]);
      flint.testing.assertClose(framesFirst.t(), waveform, { atol: 0, rtol: 0 });
      expect(info(path)).toEqual(f.info);
    });
  }

  it('real speech from pocketsphinx-testdata', () => {
    const p = fx.pocketsphinx;
    const { waveform, sampleRate } = loadSync(p.path);
    expect(sampleRate).toBe(p.sampleRate);
    expect(waveform.shape).toEqual(p.shape);
    flint.testing.assertClose(waveform.narrow(1, 0, 64), decode(p.head), { atol: 1e-7, rtol: 0 });
    flint.testing.assertClose(waveform.narrow(1, 1000, 32), decode(p.frames1000to1032), { atol: 1e-7, rtol: 0 });
    let sum = 0;
    let absSum = 0;
    for (const v of waveform.dataSync()) {
      sum += v;
      absSum += Math.abs(v);
    }
    expect(sum).toBeCloseTo(p.sum, 4);
    expect(absSum).toBeCloseTo(p.absSum, 3);
    expect(info(p.path)).toEqual(p.info);
  });
});

describe('save', () => {
  const wave = flint.tensor([
    [0, 0.5, -0.5, 1, -1, 0.25, 0.999, -0.3],
    [0.1, -0.1, 0.2, -0.2, 0.7, -0.7, 0.05, 0],
  ]);
  for (const [encoding, bits, tol] of [
    ['PCM_U', 8, 1 / 128],
    ['PCM_S', 16, 1 / 32768],
    ['PCM_S', 24, 2 ** -23],
    ['PCM_S', 32, 2 ** -30],
    ['PCM_F', 32, 0],
    ['PCM_F', 64, 0],
  ] as const) {
    it(`round-trips ${encoding} ${bits}-bit through a file with torchaudio's scaling`, async () => {
      const path = join(dir, `rt_${encoding}_${bits}.wav`);
      await save(path, wave, 22050, { encoding, bitsPerSample: bits });
      const meta = info(path);
      expect(meta).toEqual({ sampleRate: 22050, numFrames: 8, numChannels: 2, bitsPerSample: bits, encoding });
      const back = loadSync(path).waveform;
      flint.testing.assertClose(back, wave.clamp(-1, encoding === 'PCM_F' ? 1 : 1 - tol), { atol: tol, rtol: 0 });
    });
  }

  it('writes 16-bit values exactly as torchaudio does (round, clip at 32767)', () => {
    const path = join(dir, 's16.wav');
    saveSync(path, flint.tensor([[0, 0.5, -0.5, 1, -1, 0.34441513]]), 8000, { bitsPerSample: 16 });
    expect(Array.from(loadSync(path, { normalize: false }).waveform.dataSync())).toEqual([0, 16384, -16384, 32767, -32768, 11286]);
  });

  it('defaults to 32-bit float for float input and accepts [frames, channels]', () => {
    const path = join(dir, 'default.wav');
    saveSync(path, wave.t(), 16000, { channelsFirst: false });
    expect(info(path).encoding).toBe('PCM_F');
    flint.testing.assertClose(loadSync(path).waveform, wave, { atol: 0, rtol: 0 });
  });

  it('rejects bad arguments with errors naming save() and the argument', () => {
    expect(() => saveSync(join(dir, 'x.wav'), flint.zeros([4]), 8000)).toThrow(/save\(\): waveform must be 2-D, \[channels, frames\] \(got shape \[4\]\)/);
    expect(() => saveSync(join(dir, 'x.wav'), wave, 0)).toThrow(/save\(\): sampleRate must be a positive integer \(got 0\)/);
    expect(() => saveSync(join(dir, 'x.wav'), wave, 8000, { encoding: 'PCM_U', bitsPerSample: 16 })).toThrow(/save\(\): encoding 'PCM_U' with bitsPerSample 16 is not a WAV format/);
  });
});

describe('load errors name the file', () => {
  it('missing file', async () => {
    const path = join(dir, 'nope.wav');
    await expect(load(path)).rejects.toThrow(new RegExp(`load\\(\\): cannot read '${path}': ENOENT`));
    expect(() => loadSync(path)).toThrow(AudioFileError);
  });

  it('a text file is not a WAV file', () => {
    const path = join(dir, 'notes.wav');
    writeFileSync(path, 'these are not audio samples, just text');
    expect(() => loadSync(path)).toThrow(new RegExp(`load\\(\\): '${path}' is not a WAV file Flint can read`));
  });

  it('a truncated file', () => {
    const path = join(dir, 'cut.wav');
    writeFileSync(path, readFileSync(join(wavDir, 'stereo_s16.wav')).subarray(0, 100));
    expect(() => info(path)).toThrow(new RegExp(`'${path}' is truncated: its header promises 192 bytes of audio but the file holds 56`));
  });

  it('bad frameOffset / numFrames', () => {
    const path = join(wavDir, 'stereo_s16.wav');
    expect(() => loadSync(path, { frameOffset: -1 })).toThrow(/load\(\): frameOffset must be an integer >= 0 \(got -1\)/);
    expect(() => loadSync(path, { numFrames: 0 })).toThrow(/load\(\): numFrames must be a positive integer or -1 \(got 0\)/);
    expect(loadSync(path, { frameOffset: 40, numFrames: 100 }).waveform.shape).toEqual([2, 8]);
  });
});
