/**
 * `VCTK_092` (`torchaudio.datasets.VCTK_092`): 110 English speakers, 48 kHz FLAC, two mics.
 * @module
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, type Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { loadSync } from '../io/wav.js';
import { describe } from '../util.js';
import { ensureDataset } from './download.js';

/** Options of {@link VCTK_092}. */
export interface VCTKOptions {
  /** `'mic1'` or `'mic2'` (default). */
  micId?: 'mic1' | 'mic2';
  download?: boolean;
  /** Archive URL. */
  url?: string;
  /** Audio extension (default `'.flac'`, read through sox). */
  audioExt?: string;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** `[waveform, sampleRate, transcript, speakerId, utteranceId]`. */
export type VCTKItem = [waveform: Tensor, sampleRate: number, transcript: string, speakerId: string, utteranceId: string];

/**
 * VCTK 0.92 read from `root/VCTK-Corpus-0.92/wav48_silence_trimmed/<speaker>/<speaker>_<utt>_<mic>.flac`
 * with texts from `txt/<speaker>/<speaker>_<utt>.txt`. As in torchaudio, speaker p280 is left out
 * for mic2 and p362's utterances without audio are skipped.
 *
 * @example
 * ```ts
 * const ds = new VCTK_092('data', { micId: 'mic1' });
 * const [waveform, sampleRate, transcript, speakerId] = ds.getItem(0);
 * ```
 */
export class VCTK_092 extends Dataset<VCTKItem> {
  readonly path: string;
  private readonly samples: [string, string][];
  private readonly micId: 'mic1' | 'mic2';
  private readonly audioExt: string;
  constructor(
    readonly root: string,
    readonly options: VCTKOptions = {},
  ) {
    super();
    this.micId = options.micId ?? 'mic2';
    if (this.micId !== 'mic1' && this.micId !== 'mic2') throw new ArgumentError(`VCTK_092(): micId must be 'mic1' or 'mic2' (got ${describe(this.micId)})`);
    this.audioExt = options.audioExt ?? '.flac';
    this.path = join(root, 'VCTK-Corpus-0.92');
    const txtDir = join(this.path, 'txt');
    const audioDir = join(this.path, 'wav48_silence_trimmed');
    const url = options.url ?? 'https://datashare.is.ed.ac.uk/bitstream/handle/10283/3443/VCTK-Corpus-0.92.zip';
    ensureDataset(() => existsSync(txtDir) && existsSync(audioDir), options.download ?? false, {
      dataset: 'VCTK_092',
      checksum: options.checksum,
      url,
      root: this.path,
      expected: this.path,
      layout: `txt/<speaker>/<speaker>_<utt>.txt and wav48_silence_trimmed/<speaker>/<speaker>_<utt>_<mic>${this.audioExt}`,
    });
    this.samples = [];
    for (const speaker of readdirSync(txtDir).sort()) {
      if (speaker === 'p280' && this.micId === 'mic2') continue;
      const dir = join(txtDir, speaker);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
        const utteranceId = f.slice(0, -4);
        if (speaker === 'p362' && !existsSync(this.audioPath(speaker, utteranceId))) continue;
        const [s, u] = utteranceId.split('_') as [string, string];
        this.samples.push([s, u]);
      }
    }
  }
  private audioPath(speaker: string, utteranceId: string): string {
    return join(this.path, 'wav48_silence_trimmed', speaker, `${utteranceId}_${this.micId}${this.audioExt}`);
  }
  getItem(index: number): VCTKItem {
    const [speaker, utt] = this.samples[index]!;
    const id = `${speaker}_${utt}`;
    // torchaudio returns the text file's first line as read (with its newline).
    const text = readFileSync(join(this.path, 'txt', speaker, `${id}.txt`), 'utf8');
    const nl = text.indexOf('\n');
    const transcript = nl === -1 ? text : text.slice(0, nl + 1);
    const { waveform, sampleRate } = loadSync(this.audioPath(speaker, id));
    return [waveform, sampleRate, transcript, speaker, utt];
  }
  len(): number {
    return this.samples.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'VCTK_092', args: [this.root, this.options] };
  }
}
