/**
 * `YESNO` (`torchaudio.datasets.YESNO`): 60 recordings of eight Hebrew "yes"/"no" words, 8 kHz.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset } from '@flint/core/data';
import type { Tensor } from '@flint/core';
import { loadSync } from '../io/wav.js';
import { ensureDataset } from './download.js';

/** Options of {@link YESNO}. */
export interface YESNOOptions {
  /** Archive URL (default the OpenSLR one; set it to use a mirror). */
  url?: string;
  /** Folder inside root (default `'waves_yesno'`). */
  folderInArchive?: string;
  /** Download and unpack the archive when the files are missing (default false). */
  download?: boolean;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** One YESNO sample: `[waveform, sampleRate, labels]` (labels: 1 = yes, 0 = no). */
export type YESNOItem = [waveform: Tensor, sampleRate: number, labels: number[]];

/**
 * The YESNO dataset read from `root/waves_yesno/0_1_0_0_1_0_1_1.wav` (the labels are the name).
 *
 * @example
 * ```ts
 * const ds = new YESNO('data', { download: true });
 * const [waveform, sampleRate, labels] = ds.getItem(0);
 * ```
 */
export class YESNO extends Dataset<YESNOItem> {
  readonly path: string;
  private readonly walker: string[];
  constructor(
    readonly root: string,
    readonly options: YESNOOptions = {},
  ) {
    super();
    this.path = join(root, options.folderInArchive ?? 'waves_yesno');
    const url = options.url ?? 'http://www.openslr.org/resources/1/waves_yesno.tar.gz';
    const list = (): string[] => (existsSync(this.path) ? readdirSync(this.path).filter((f) => f.endsWith('.wav')) : []);
    ensureDataset(() => list().length > 0, options.download ?? false, { dataset: 'YESNO', checksum: options.checksum, url, root, expected: this.path, layout: 'the 60 files like 0_1_0_0_1_0_1_1.wav' });
    this.walker = list()
      .map((f) => f.slice(0, -4))
      .sort();
  }
  getItem(index: number): YESNOItem {
    const id = this.walker[index]!;
    const { waveform, sampleRate } = loadSync(join(this.path, `${id}.wav`));
    return [waveform, sampleRate, id.split('_').map(Number)];
  }
  len(): number {
    return this.walker.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'YESNO', args: [this.root, this.options] };
  }
}
