import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { data } from '@flint/core';
import { DatasetError } from '../errors.js';
import { saveSync } from '../io/wav.js';
import { AudioFolder, GTZAN, LIBRISPEECH, LJSPEECH, SPEECHCOMMANDS, VCTK_092, YESNO, buildSpokenDigits, gtzanSplit, type GTZANSplit } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'flint-audio-ds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a short 16-bit WAV whose first sample encodes `tag` (so items can be told apart). */
function wav(path: string, tag: number, sampleRate = 16000, frames = 64): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const values = Array.from({ length: frames }, (_, i) => (i === 0 ? tag / 100 : 0.1 * Math.sin(i)));
  saveSync(path, flint.tensor([values]), sampleRate, { bitsPerSample: 16 });
}
function flac(path: string, tag: number, sampleRate: number): void {
  const tmp = `${path}.src.wav`;
  wav(tmp, tag, sampleRate);
  execFileSync('sox', [tmp, path]);
  rmSync(tmp);
}
const first = (w: flint.Tensor): number => Math.round(w.dataSync()[0]! * 100);
const OFFLINE = 'http://127.0.0.1:59999/archive.tar.gz'; // nothing listens there

describe('YESNO', () => {
  const r = join(root, 'yesno');
  it('reads root/waves_yesno/*.wav sorted, labels from the name', () => {
    wav(join(r, 'waves_yesno', '1_0_1_1_0_0_1_0.wav'), 7, 8000);
    wav(join(r, 'waves_yesno', '0_0_1_0_1_0_1_1.wav'), 3, 8000);
    const ds = new YESNO(r);
    expect(ds.len()).toBe(2);
    const [w, sr, labels] = ds.getItem(0);
    expect([first(w), sr, labels]).toEqual([3, 8000, [0, 0, 1, 0, 1, 0, 1, 1]]);
    expect(ds.getItem(1)[2]).toEqual([1, 0, 1, 1, 0, 0, 1, 0]);
  });
  it('works with core DataLoader', () => {
    const loader = new data.DataLoader(new YESNO(r), { batchSize: 2 });
    const batches = [...loader] as unknown as [flint.Tensor, flint.Tensor, flint.Tensor][];
    expect(batches.length).toBe(1);
    expect(batches[0]![0].shape).toEqual([2, 1, 64]);
  });
  it('loads in DataLoader worker threads (rebuilt from its worker descriptor)', async () => {
    const loader = new data.DataLoader(new YESNO(r), { batchSize: 1, numWorkers: 1 });
    const labels: number[][] = [];
    for await (const batch of loader as AsyncIterable<[flint.Tensor, flint.Tensor, unknown]>) labels.push(Array.from(batch[0].dataSync()).slice(0, 1).map((v) => Math.round(v * 100)));
    expect(labels).toEqual([[3], [7]]);
  });
  it('missing files: says where to put them; download: true fails offline with the same advice', () => {
    expect(() => new YESNO(join(root, 'empty'))).toThrow(/YESNO\(\): dataset not found at .*waves_yesno; pass download: true, or download http:\/\/www\.openslr\.org\/resources\/1\/waves_yesno\.tar\.gz/);
    let err: unknown;
    try {
      new YESNO(join(root, 'offline'), { download: true, url: OFFLINE });
    } catch (e) {
      err = e;
    }
    expect(DatasetError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/^YESNO\(\): download failed \(fetch failed \(ECONNREFUSED\)\); download it from http:\/\/127\.0\.0\.1:59999\/archive\.tar\.gz and unpack it so that .*offline\/waves_yesno holds the 60 files/);
  });
});

describe('SPEECHCOMMANDS', () => {
  const r = join(root, 'sc');
  const base = join(r, 'SpeechCommands', 'speech_commands_v0.02');
  wav(join(base, 'yes', 'aaa_nohash_0.wav'), 1);
  wav(join(base, 'yes', 'bbb_nohash_1.wav'), 2);
  wav(join(base, 'no', 'aaa_nohash_0.wav'), 3);
  wav(join(base, 'no', 'ccc_nohash_2.wav'), 4);
  wav(join(base, '_background_noise_', 'white_noise.wav'), 5);
  writeFileSync(join(base, 'validation_list.txt'), 'yes/bbb_nohash_1.wav\n');
  writeFileSync(join(base, 'testing_list.txt'), 'no/ccc_nohash_2.wav\n');
  it('reads every label folder except _background_noise_, sorted by path', () => {
    const ds = new SPEECHCOMMANDS(r);
    expect(ds.len()).toBe(4);
    const [w, sr, label, speaker, utt] = ds.getItem(0);
    expect([first(w), sr, label, speaker, utt]).toEqual([3, 16000, 'no', 'aaa', 0]);
  });
  it('splits by validation_list.txt and testing_list.txt', () => {
    const label = (ds: SPEECHCOMMANDS) => Array.from({ length: ds.len() }, (_, i) => first(ds.getItem(i)[0]));
    expect(label(new SPEECHCOMMANDS(r, { subset: 'validation' }))).toEqual([2]);
    expect(label(new SPEECHCOMMANDS(r, { subset: 'testing' }))).toEqual([4]);
    expect(label(new SPEECHCOMMANDS(r, { subset: 'training' }))).toEqual([3, 1]);
    expect(() => new SPEECHCOMMANDS(r, { subset: 'train' as never })).toThrow(/SPEECHCOMMANDS\(\): subset must be 'training', 'validation', 'testing' or null \(got 'train'\)/);
  });
  it('download: true fails offline with where to put the files', () => {
    expect(() => new SPEECHCOMMANDS(join(root, 'sc-off'), { download: true, url: OFFLINE })).toThrow(/SPEECHCOMMANDS\(\): download failed .*unpack it so that .*SpeechCommands\/archive holds <label>\/<speaker>_nohash_<n>\.wav/);
  });
});

describe('LIBRISPEECH (FLAC through sox)', () => {
  const r = join(root, 'ls');
  const dir = join(r, 'LibriSpeech', 'dev-clean', '84', '121123');
  flac(join(dir, '84-121123-0001.flac'), 11, 16000);
  flac(join(dir, '84-121123-0000.flac'), 10, 16000);
  writeFileSync(join(dir, '84-121123.trans.txt'), '84-121123-0000 GO DO YOU HEAR\n84-121123-0001 BUT IN LESS THAN FIVE MINUTES\n');
  it('reads <speaker>/<chapter>/*.flac with transcripts', () => {
    const ds = new LIBRISPEECH(r, { url: 'dev-clean' });
    expect(ds.len()).toBe(2);
    const [w, sr, text, speaker, chapter, utt] = ds.getItem(1);
    expect([first(w), sr, text, speaker, chapter, utt]).toEqual([11, 16000, 'BUT IN LESS THAN FIVE MINUTES', 84, 121123, 1]);
  });
  it('missing subset names the folder', () => {
    expect(() => new LIBRISPEECH(r, { url: 'test-other' })).toThrow(/LIBRISPEECH\(\): dataset not found at .*LibriSpeech\/test-other/);
  });
});

describe('VCTK_092', () => {
  const r = join(root, 'vctk');
  const p = join(r, 'VCTK-Corpus-0.92');
  for (const [spk, utt, tag] of [
    ['p225', '001', 1],
    ['p225', '002', 2],
    ['p280', '001', 3],
  ] as const) {
    mkdirSync(join(p, 'txt', spk), { recursive: true });
    writeFileSync(join(p, 'txt', spk, `${spk}_${utt}.txt`), `Please call Stella ${tag}.\n`);
    flac(join(p, 'wav48_silence_trimmed', spk, `${spk}_${utt}_mic1.flac`), tag, 48000);
    flac(join(p, 'wav48_silence_trimmed', spk, `${spk}_${utt}_mic2.flac`), tag + 50, 48000);
  }
  it('reads txt/ and wav48_silence_trimmed/ per mic; p280 is left out for mic2', () => {
    const mic2 = new VCTK_092(r);
    expect(mic2.len()).toBe(2);
    const [w, sr, text, speaker, utt] = mic2.getItem(1);
    expect([first(w), sr, text, speaker, utt]).toEqual([52, 48000, 'Please call Stella 2.\n', 'p225', '002']);
    const mic1 = new VCTK_092(r, { micId: 'mic1' });
    expect(mic1.len()).toBe(3);
    expect(first(mic1.getItem(2)[0])).toBe(3);
  });
});

describe('LJSPEECH', () => {
  const r = join(root, 'lj');
  it('reads metadata.csv and wavs/', () => {
    const p = join(r, 'LJSpeech-1.1');
    wav(join(p, 'wavs', 'LJ001-0001.wav'), 21, 22050);
    wav(join(p, 'wavs', 'LJ001-0002.wav'), 22, 22050);
    writeFileSync(join(p, 'metadata.csv'), 'LJ001-0001|Printing, in the only sense|Printing, in the only sense\nLJ001-0002|in being "comparatively modern."|in being "comparatively modern."\n');
    const ds = new LJSPEECH(r);
    expect(ds.len()).toBe(2);
    const [w, sr, t, n] = ds.getItem(1);
    expect([first(w), sr, t, n]).toEqual([22, 22050, 'in being "comparatively modern."', 'in being "comparatively modern."']);
  });
});

describe('GTZAN', () => {
  const r = join(root, 'gtzan');
  it('reads genres/<genre>/<genre>.NNNNN.wav in genre order, ignoring other files', () => {
    wav(join(r, 'genres', 'rock', 'rock.00000.wav'), 31, 22050);
    wav(join(r, 'genres', 'blues', 'blues.00001.wav'), 32, 22050);
    wav(join(r, 'genres', 'blues', 'blues.00000.wav'), 33, 22050);
    wav(join(r, 'genres', 'blues', 'notes.wav'), 34, 22050);
    const ds = new GTZAN(r);
    expect(ds.len()).toBe(3);
    expect(Array.from({ length: 3 }, (_, i) => ds.getItem(i)[2])).toEqual(['blues', 'blues', 'rock']);
    expect(first(ds.getItem(0)[0])).toBe(33);
    const sub = new GTZAN(r, { subset: ['rock.00000'] });
    expect(sub.len()).toBe(1);
    expect(() => new GTZAN(r, { subset: ['jazz.00003'] })).toThrow(/GTZAN\(\): subset names 1 files missing under .*genres \(first: jazz\.00003\)/);
  });
  it("has torchaudio's fault-filtered training / validation / testing lists built in", () => {
    const golden = JSON.parse(readFileSync(new URL('../../fixtures/audio_gtzan_splits.json', import.meta.url), 'utf8')) as Record<GTZANSplit, string[]>;
    for (const split of ['training', 'validation', 'testing'] as const) expect(gtzanSplit(split)).toEqual(golden[split]);
    expect([gtzanSplit('training').length, gtzanSplit('validation').length, gtzanSplit('testing').length]).toEqual([443, 197, 290]);
    const v = join(root, 'gtzan-valid');
    gtzanSplit('validation').forEach((id, i) => wav(join(v, 'genres', id.split('.')[0]!, `${id}.wav`), i % 100, 22050, 4));
    wav(join(v, 'genres', 'blues', 'blues.00099.wav'), 99, 22050, 4); // in no split
    expect(new GTZAN(v).len()).toBe(198);
    const ds = new GTZAN(v, { subset: 'validation' });
    expect(ds.len()).toBe(197);
    expect([ds.getItem(0)[2], first(ds.getItem(5)[0]), ds.getItem(196)[2]]).toEqual(['blues', 5, 'rock']);
    expect(() => new GTZAN(v, { subset: 'training' })).toThrow(/GTZAN\(\): subset names 443 files missing under .*genres \(first: blues\.00029\)/);
    expect(() => new GTZAN(v, { subset: 'train' as never })).toThrow(/GTZAN\(\): subset must be null, 'training', 'validation', 'testing' or an array of file ids like 'blues\.00012' \(got 'train'\)/);
  });
});

describe('AudioFolder and the spoken-digit builder', () => {
  it('builds deterministic espeak-ng digits and reads them with labels from folder names', () => {
    const a = join(root, 'digits-a');
    const b = join(root, 'digits-b');
    const opts = { voices: ['en-us', 'en-gb'], speeds: [160], pitches: [50], digits: [3, 7] };
    const ra = buildSpokenDigits(a, opts);
    expect(ra.written).toBe(4);
    expect(buildSpokenDigits(a, opts).written).toBe(0); // kept
    buildSpokenDigits(b, opts);
    const ds = new AudioFolder(a);
    expect(ds.classes).toEqual(['3', '7']);
    expect(ds.len()).toBe(4);
    const [w, label] = ds.getItem(2);
    expect(label).toBe(1);
    expect(w.shape[0]).toBe(1);
    expect(w.shape[1]).toBeGreaterThan(4000); // about half a second at 16 kHz
    const other = new AudioFolder(b).getItem(2)[0];
    expect(Array.from(other.dataSync())).toEqual(Array.from(w.dataSync()));
  });
  it('applies transforms and reports empty folders clearly', () => {
    const ds = new AudioFolder(join(root, 'digits-a'), { transform: (w) => w.abs().amax(), targetTransform: (l) => `digit ${l}` });
    const [peak, label] = ds.getItem(0);
    expect(peak.item()).toBeGreaterThan(0.05);
    expect(label).toBe('digit 0');
    mkdirSync(join(root, 'nothing', 'cls'), { recursive: true });
    expect(() => new AudioFolder(join(root, 'nothing'))).toThrow(/AudioFolder\(\): found no files with extensions \.wav under .*nothing/);
    expect(() => new AudioFolder(join(root, 'absent'))).toThrow(/AudioFolder\(\): root '.*absent' is not a folder/);
  });
});
