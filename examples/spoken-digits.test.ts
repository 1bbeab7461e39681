import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogdir } from '@flint/board';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeArgs = ['--conditions=source', '--import', 'tsx', 'spoken-digits.ts'];
const work = mkdtempSync(join(tmpdir(), 'flint-spoken-digits-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('examples/spoken-digits', () => {
  it('synthesises the digits, trains the CNN at a tiny size, prints the accuracy and logs audio and spectrograms', async () => {
    const logdir = join(work, 'runs');
    const out = execFileSync(process.execPath, [...nodeArgs, '--limit', '80', '--epochs', '10', '--test-every', '4', '--data', join(work, 'data'), '--logdir', logdir, '--seed', '1'], {
      cwd: here,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/^spoken digits \(espeak-ng, 240 clips in .*, 240 built now\): 60 training and 20 test clips; backend \w+;/m);
    const losses = [...out.matchAll(/^epoch \d+: train loss ([\d.]+), test accuracy [\d.]+%$/gm)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(10);
    expect(losses[9]!).toBeLessThan(losses[0]!);
    const m = /^test accuracy: ([\d.]+)% \((\d+)\/20\), wall time [\d.]+ s, logs in /m.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(30); // chance is 10%

    const reader = await readLogdir(logdir);
    const run = reader.runs()[0]!;
    expect(reader.scalars(run, 'accuracy/test')).toHaveLength(10);
    const audioTags = Object.keys(reader.tags('audio')[run] ?? {});
    const imageTags = Object.keys(reader.tags('images')[run] ?? {});
    expect(audioTags.length).toBe(3);
    expect(imageTags.length).toBe(3);
    const clip = reader.audio(run, audioTags[0]!)[0]!;
    expect([clip.sampleRate, clip.lengthFrames]).toEqual([16000, 16000]);
    const img = reader.images(run, imageTags[0]!)[0]!;
    expect([img.width, img.height, img.contentType]).toEqual([101, 40, 'image/png']);
  }, 300_000);

  it('rejects bad options with exit code 2', () => {
    for (const bad of [['--limit', '5'], ['--epochs', 'many'], ['--nope']]) {
      const r = spawnSync(process.execPath, [...nodeArgs, ...bad], { cwd: here, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^spoken-digits: .*; see --help$/m);
    }
  }, 60_000);
});
