/**
 * A spoken-digit dataset synthesised with Debian's `espeak-ng` and converted with `sox`:
 * deterministic (the same bytes on every run), several voices, speeds and pitches.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';

/**
 * The words spoken, by digit (the class index of a clip is its digit).
 *
 * @example
 * ```ts
 * const [, label] = new AudioFolder('digits').getItem(0);
 * console.log(DIGIT_WORDS[label]); // 'zero'
 * ```
 */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** Options of {@link buildSpokenDigits}. */
export interface SpokenDigitsOptions {
  /** espeak-ng voices (default `['en-us', 'en-gb', 'en-us+f3', 'en-gb-scotland']`). */
  voices?: readonly string[];
  /** Words per minute (default `[120, 160, 200]`). */
  speeds?: readonly number[];
  /** Pitch, 0-99 (default `[35, 65]`). */
  pitches?: readonly number[];
  /** Output sample rate (default 16000). */
  sampleRate?: number;
  /** Digits to synthesise (default 0-9). */
  digits?: readonly number[];
}

/** What {@link buildSpokenDigits} made. */
export interface SpokenDigitsResult {
  root: string;
  /** Files written now (existing files are kept). */
  written: number;
  /** All files of the set. */
  files: string[];
}

function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new DatasetError(`buildSpokenDigits(): the '${cmd}' command is missing; install it (apt-get install espeak-ng sox)`);
    throw new DatasetError(`buildSpokenDigits(): ${cmd} ${args.join(' ')} failed: ${String(err.stderr ?? err.message).trim()}`);
  }
}

/**
 * Writes `root/<digit>/<voice>_s<speed>_p<pitch>.wav` (16-bit mono) for every digit, voice,
 * speed and pitch, ready for {@link AudioFolder} (class index = digit). Files already present are
 * kept, so a second call is cheap. The default set is 10 x 4 x 3 x 2 = 240 clips.
 *
 * @example
 * ```ts
 * buildSpokenDigits('data/spoken-digits');
 * const ds = new AudioFolder('data/spoken-digits');
 * ```
 */
export function buildSpokenDigits(root: string, options: SpokenDigitsOptions = {}): SpokenDigitsResult {
  const voices = options.voices ?? ['en-us', 'en-gb', 'en-us+f3', 'en-gb-scotland'];
  const speeds = options.speeds ?? [120, 160, 200];
  const pitches = options.pitches ?? [35, 65];
  const sampleRate = options.sampleRate ?? 16000;
  const digits = options.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const d of digits) if (!Number.isInteger(d) || d < 0 || d > 9) throw new ArgumentError(`buildSpokenDigits(): digits must be integers 0-9 (got ${d})`);
  for (const v of voices) if (!/^[a-z0-9+-]+$/i.test(v)) throw new ArgumentError(`buildSpokenDigits(): voice '${v}' is not an espeak-ng voice name`);
  for (const s of speeds) if (!Number.isInteger(s) || s < 80 || s > 450) throw new ArgumentError(`buildSpokenDigits(): speeds must be integers in [80, 450] words per minute (got ${s})`);
  for (const p of pitches) if (!Number.isInteger(p) || p < 0 || p > 99) throw new ArgumentError(`buildSpokenDigits(): pitches must be integers in [0, 99] (got ${p})`);
  const files: string[] = [];
  let written = 0;
  const tmp = join(root, '.tmp');
  mkdirSync(tmp, { recursive: true });
  try {
    for (const d of digits) {
      const dir = join(root, String(d));
      mkdirSync(dir, { recursive: true });
      for (const voice of voices) {
        for (const speed of speeds) {
          for (const pitch of pitches) {
            const name = `${voice.replace('+', '-')}_s${speed}_p${pitch}.wav`;
            const out = join(dir, name);
            files.push(out);
            if (existsSync(out)) continue;
            const raw = join(tmp, 'espeak.wav');
            const part = join(tmp, name);
            run('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', raw, DIGIT_WORDS[d]!]);
            // -D: no dither, so the output is the same on every run.
            run('sox', ['-D', raw, '-r', String(sampleRate), '-c', '1', '-b', '16', part]);
            renameSync(part, out);
            written++;
          }
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { root, written, files };
}
