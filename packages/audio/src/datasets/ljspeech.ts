/**
 * `LJSPEECH` (`torchaudio.datasets.LJSPEECH`): 13,100 clips of one reader, 22.05 kHz.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { loadSync } from '../io/wav.js';
import { ensureDataset } from './download.js';

/** Options of {@link LJSPEECH}. */
export interface LJSPEECHOptions {
  /** Archive URL. */
  url?: string;
  /** Folder of the wav files inside `LJSpeech-1.1` (default `'wavs'`). */
  folderInArchive?: string;
  download?: boolean;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** `[waveform, sampleRate, transcript, normalizedTranscript]`. */
export type LJSPEECHItem = [waveform: Tensor, sampleRate: number, transcript: string, normalizedTranscript: string];

/**
 * LJSpeech read from `root/LJSpeech-1.1/metadata.csv` (`id|transcript|normalized`, `|`-separated,
 * no quoting) and `root/LJSpeech-1.1/wavs/<id>.wav`.
 *
 * @example
 * ```ts
 * const ds = new LJSPEECH('data');
 * const [waveform, sampleRate, transcript, normalized] = ds.getItem(0);
 * ```
 */
export class LJSPEECH extends Dataset<LJSPEECHItem> {
  readonly path: string;
  private readonly rows: string[][];
  private readonly wavDir: string;
  constructor(
    readonly root: string,
    readonly options: LJSPEECHOptions = {},
  ) {
    super();
    this.path = join(root, 'LJSpeech-1.1');
    this.wavDir = join(this.path, options.folderInArchive ?? 'wavs');
    const metadata = join(this.path, 'metadata.csv');
    ensureDataset(() => existsSync(metadata), options.download ?? false, {
      dataset: 'LJSPEECH',
      checksum: options.checksum,
      url: options.url ?? 'https://data.keithito.com/data/speech/LJSpeech-1.1.tar.bz2',
      root,
      expected: this.path,
      layout: 'metadata.csv and wavs/<id>.wav',
    });
    this.rows = readFileSync(metadata, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.replace(/\r$/, '').split('|'));
  }
  getItem(index: number): LJSPEECHItem {
    const [id, transcript, normalized] = this.rows[index]!;
    const { waveform, sampleRate } = loadSync(join(this.wavDir, `${id}.wav`));
    return [waveform, sampleRate, transcript ?? '', normalized ?? ''];
  }
  len(): number {
    return this.rows.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'LJSPEECH', args: [this.root, this.options] };
  }
}
