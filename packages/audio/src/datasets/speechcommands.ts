/**
 * `SPEECHCOMMANDS` (`torchaudio.datasets.SPEECHCOMMANDS`): one-second keyword recordings.
 * @module
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ArgumentError, type Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { loadSync } from '../io/wav.js';
import { describe } from '../util.js';
import { ensureDataset } from './download.js';

/** Options of {@link SPEECHCOMMANDS}. */
export interface SPEECHCOMMANDSOptions {
  /** `'speech_commands_v0.02'` (default) or `'speech_commands_v0.01'`, or a full archive URL. */
  url?: string;
  /** Default `'SpeechCommands'`. */
  folderInArchive?: string;
  download?: boolean;
  /** `'training'`, `'validation'`, `'testing'` (by the archive's list files) or all (default). */
  subset?: 'training' | 'validation' | 'testing' | null;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** `[waveform, sampleRate, label, speakerId, utteranceNumber]`. */
export type SPEECHCOMMANDSItem = [waveform: Tensor, sampleRate: number, label: string, speakerId: string, utteranceNumber: number];

/**
 * Speech Commands read from `root/SpeechCommands/speech_commands_v0.02/<label>/<speaker>_nohash_<n>.wav`;
 * `subset` uses `validation_list.txt` and `testing_list.txt` as torchaudio does (training is the
 * rest). `_background_noise_` is left out.
 *
 * @example
 * ```ts
 * const test = new SPEECHCOMMANDS('data', { subset: 'testing' });
 * const [waveform, sampleRate, label] = test.getItem(0);
 * ```
 */
export class SPEECHCOMMANDS extends Dataset<SPEECHCOMMANDSItem> {
  readonly path: string;
  private readonly walker: string[];
  constructor(
    readonly root: string,
    readonly options: SPEECHCOMMANDSOptions = {},
  ) {
    super();
    const subset = options.subset ?? null;
    if (subset !== null && !['training', 'validation', 'testing'].includes(subset)) {
      throw new ArgumentError(`SPEECHCOMMANDS(): subset must be 'training', 'validation', 'testing' or null (got ${describe(subset)})`);
    }
    const urlIn = options.url ?? 'speech_commands_v0.02';
    const version = urlIn.includes('://') ? urlIn.split('/').pop()!.replace(/\.tar\.gz$/, '') : urlIn;
    const url = urlIn.includes('://') ? urlIn : `http://download.tensorflow.org/data/${urlIn}.tar.gz`;
    const base = join(root, options.folderInArchive ?? 'SpeechCommands');
    this.path = join(base, version);
    const wavs = (): string[] => {
      if (!existsSync(this.path)) return [];
      const out: string[] = [];
      for (const d of readdirSync(this.path)) {
        const full = join(this.path, d);
        if (d === '_background_noise_' || !statSync(full).isDirectory()) continue;
        for (const f of readdirSync(full)) if (f.endsWith('.wav')) out.push(join(full, f));
      }
      return out.sort();
    };
    ensureDataset(() => wavs().length > 0, options.download ?? false, {
      dataset: 'SPEECHCOMMANDS',
      checksum: options.checksum,
      url,
      root: this.path,
      expected: this.path,
      layout: '<label>/<speaker>_nohash_<n>.wav folders plus validation_list.txt and testing_list.txt',
    });
    const all = wavs();
    const list = (name: string): Set<string> => {
      const file = join(this.path, name);
      if (!existsSync(file)) throw new ArgumentError(`SPEECHCOMMANDS(): subset '${subset}' needs ${file}, which is missing`);
      return new Set(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.length > 0)
          .map((l) => join(this.path, l)),
      );
    };
    if (subset === 'validation') this.walker = [...list('validation_list.txt')].filter((p) => existsSync(p)).sort();
    else if (subset === 'testing') this.walker = [...list('testing_list.txt')].filter((p) => existsSync(p)).sort();
    else if (subset === 'training') {
      const excluded = new Set([...list('validation_list.txt'), ...list('testing_list.txt')]);
      this.walker = all.filter((p) => !excluded.has(p));
    } else this.walker = all;
  }
  getItem(index: number): SPEECHCOMMANDSItem {
    const file = this.walker[index]!;
    const [label, name] = relative(this.path, file).split(sep) as [string, string];
    const [speaker, utt] = name.slice(0, -4).split('_nohash_') as [string, string];
    const { waveform, sampleRate } = loadSync(file);
    return [waveform, sampleRate, label, speaker, Number(utt)];
  }
  len(): number {
    return this.walker.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'SPEECHCOMMANDS', args: [this.root, this.options] };
  }
}
