/**
 * `GTZAN` (`torchaudio.datasets.GTZAN`): 1,000 30-second music clips in ten genres.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, type Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { loadSync } from '../io/wav.js';
import { describe } from '../util.js';
import { ensureDataset } from './download.js';
import { gtzanSplit, type GTZANSplit } from './gtzan-splits.js';

/**
 * The ten GTZAN genres, in torchaudio's order (the label order of a classifier).
 *
 * @example
 * ```ts
 * const labelIndex = GTZAN_GENRES.indexOf('jazz'); // 5
 * ```
 */
export const GTZAN_GENRES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'] as const;

/** Options of {@link GTZAN}. */
export interface GTZANOptions {
  url?: string;
  /** Default `'genres'`. */
  folderInArchive?: string;
  download?: boolean;
  /**
   * `null` (default): every `<genre>.<5 digits>.wav` found. `'training'`, `'validation'` or
   * `'testing'`: torchaudio's fault-filtered split of Kereliuk et al. (443 / 197 / 290 clips, see
   * {@link gtzanSplit}). Or your own split: a list of file ids (`'blues.00012'`).
   */
  subset?: GTZANSplit | readonly string[] | null;
  /**
   * SHA-256 (hex) the downloaded archive must match. Default: torchaudio's hash of the official
   * archive at `url` (none for other URLs); `null` skips the check. A mismatch deletes the file
   * and throws before anything is unpacked.
   */
  checksum?: string | null;
}

/** `[waveform, sampleRate, label]`. */
export type GTZANItem = [waveform: Tensor, sampleRate: number, label: string];

/**
 * GTZAN read from `root/genres/<genre>/<genre>.<00000-00099>.wav`.
 *
 * @example
 * ```ts
 * const train = new GTZAN('data', { subset: 'training' }); // the fault-filtered split
 * const [waveform, sampleRate, genre] = train.getItem(0);
 * ```
 */
export class GTZAN extends Dataset<GTZANItem> {
  readonly path: string;
  private readonly walker: string[];
  constructor(
    readonly root: string,
    readonly options: GTZANOptions = {},
  ) {
    super();
    this.path = join(root, options.folderInArchive ?? 'genres');
    const subsetIn = options.subset ?? null;
    const splits: readonly unknown[] = ['training', 'validation', 'testing'];
    if (subsetIn !== null && !Array.isArray(subsetIn) && !splits.includes(subsetIn)) {
      throw new ArgumentError(`GTZAN(): subset must be null, 'training', 'validation', 'testing' or an array of file ids like 'blues.00012' (got ${describe(subsetIn)})`);
    }
    const subset = typeof subsetIn === 'string' ? gtzanSplit(subsetIn as GTZANSplit) : (subsetIn as readonly string[] | null);
    const scan = (): string[] => {
      const out: string[] = [];
      for (const genre of GTZAN_GENRES) {
        const dir = join(this.path, genre);
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir).sort()) {
          const m = /^([a-z]+)\.(\d{5})\.wav$/i.exec(f);
          if (m !== null && (GTZAN_GENRES as readonly string[]).includes(m[1]!)) out.push(f.slice(0, -4));
        }
      }
      return out;
    };
    ensureDataset(() => scan().length > 0, options.download ?? false, {
      dataset: 'GTZAN',
      checksum: options.checksum,
      url: options.url ?? 'http://opihi.cs.uvic.ca/sound/genres.tar.gz',
      root,
      expected: this.path,
      layout: '<genre>/<genre>.<00000-00099>.wav folders',
    });
    const found = scan();
    if (subset === null) this.walker = found;
    else {
      const have = new Set(found);
      const missing = subset.filter((id) => !have.has(id));
      if (missing.length > 0) throw new ArgumentError(`GTZAN(): subset names ${missing.length} files missing under ${this.path} (first: ${missing[0]})`);
      this.walker = [...subset];
    }
  }
  getItem(index: number): GTZANItem {
    const id = this.walker[index]!;
    const genre = id.split('.')[0]!;
    const { waveform, sampleRate } = loadSync(join(this.path, genre, `${id}.wav`));
    return [waveform, sampleRate, genre];
  }
  len(): number {
    return this.walker.length;
  }
  workerDescriptor() {
    return { module: import.meta.url, exportName: 'GTZAN', args: [this.root, this.options] };
  }
}
