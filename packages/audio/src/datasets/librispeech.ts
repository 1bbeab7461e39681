/**
 * `LIBRISPEECH` (`torchaudio.datasets.LIBRISPEECH`): read English audiobooks, 16 kHz FLAC.
 * @module
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { DatasetError } from '../errors.js';
import { loadSync } from '../io/wav.js';
import { ensureDataset } from './download.js';

/** Options of {@link LIBRISPEECH}. */
export interface LIBRISPEECHOptions {
  /** The subset: `'train-clean-100'` (default), `'dev-clean'`, `'test-other'`..., or a full archive URL. */
  url?: string;
  /** Default `'LibriSpeech'`. */
  folderInArchive?: string;
  download?: boolean;
  /** Audio file extension (default `'.flac'`, read through sox). */
  ext?: string;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** `[waveform, sampleRate, transcript, speakerId, chapterId, utteranceId]`. */
export type LIBRISPEECHItem = [waveform: Tensor, sampleRate: number, transcript: string, speakerId: number, chapterId: number, utteranceId: number];

/**
 * LibriSpeech read from `root/LibriSpeech/<subset>/<speaker>/<chapter>/<speaker>-<chapter>-<utt>.flac`
 * with transcripts from `<speaker>-<chapter>.trans.txt`. FLAC is decoded by the sox command.
 *
 * @example
 * ```ts
 * const ds = new LIBRISPEECH('data', { url: 'dev-clean' });
 * const [waveform, sampleRate, transcript] = ds.getItem(0);
 * ```
 */
export class LIBRISPEECH extends Dataset<LIBRISPEECHItem> {
  readonly path: string;
  private readonly walker: string[];
  private readonly ext: string;
  constructor(
    readonly root: string,
    readonly options: LIBRISPEECHOptions = {},
  ) {
    super();
    const urlIn = options.url ?? 'train-clean-100';
    const subset = urlIn.includes('://') ? urlIn.split('/').pop()!.replace(/\.tar\.gz$/, '') : urlIn;
    const url = urlIn.includes('://') ? urlIn : `http://www.openslr.org/resources/12/${urlIn}.tar.gz`;
    const base = options.folderInArchive ?? 'LibriSpeech';
    this.path = join(root, base, subset);
    this.ext = options.ext ?? '.flac';
    const scan = (): string[] => {
      if (!existsSync(this.path)) return [];
      const ids: string[] = [];
      for (const spk of readdirSync(this.path)) {
        const sp = join(this.path, spk);
        for (const ch of safeList(sp)) for (const f of safeList(join(sp, ch))) if (f.endsWith(this.ext)) ids.push(f.slice(0, -this.ext.length));
      }
      return ids.sort();
    };
    ensureDataset(() => scan().length > 0, options.download ?? false, {
      dataset: 'LIBRISPEECH',
      checksum: options.checksum,
      url,
      root,
      expected: this.path,
      layout: `<speaker>/<chapter>/<speaker>-<chapter>-<utterance>${this.ext} and <speaker>-<chapter>.trans.txt`,
    });
    this.walker = scan();
  }
  getItem(index: number): LIBRISPEECHItem {
    const fileid = this.walker[index]!;
    const [speaker, chapter, utt] = fileid.split('-') as [string, string, string];
    const dir = join(this.path, speaker, chapter);
    const transFile = join(dir, `${speaker}-${chapter}.trans.txt`);
    let transcript: string | undefined;
    if (existsSync(transFile)) {
      for (const line of readFileSync(transFile, 'utf8').split('\n')) {
        const sp = line.indexOf(' ');
        if (sp > 0 && line.slice(0, sp) === fileid) transcript = line.slice(sp + 1).trim();
      }
    }
    if (transcript === undefined) throw new DatasetError(`LIBRISPEECH(): no transcript for ${fileid} in ${transFile}`);
    const { waveform, sampleRate } = loadSync(join(dir, fileid + this.ext));
    return [waveform, sampleRate, transcript, Number(speaker), Number(chapter), Number(utt)];
  }
  len(): number {
    return this.walker.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'LIBRISPEECH', args: [this.root, this.options] };
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
