/**
 * `AudioFolder`: a labelled audio dataset from `root/<class>/<file>` (the audio analog of
 * torchvision's `ImageFolder`).
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Tensor } from '@flint/core';
import { Dataset } from '@flint/core/data';
import { DatasetError } from '../errors.js';
import { loadSync, type LoadOptions } from '../io/wav.js';

/** Options of {@link AudioFolder}. */
export interface AudioFolderOptions<W = Tensor, L = number> {
  /** Applied to each waveform (e.g. a `MelSpectrogram`). */
  transform?: (waveform: Tensor) => W;
  /** Applied to each class index. */
  targetTransform?: (label: number) => L;
  /** Accepted extensions, lower case (default `['.wav']`; others are read through sox). */
  extensions?: readonly string[];
  /** Options for `loadSync`. */
  loadOptions?: LoadOptions;
}

/**
 * Audio files in one folder per class: `getItem(i)` is `[waveform, classIndex]`, classes sorted
 * by folder name. `samples` lists `[path, classIndex]`, `sampleRates` is filled as files are read.
 *
 * @example
 * ```ts
 * const ds = new AudioFolder('digits', { transform: (w) => mel(w) });
 * ds.classes; // ['0', '1', ..., '9']
 * const [features, label] = ds.getItem(0);
 * ```
 */
export class AudioFolder<W = Tensor, L = number> extends Dataset<[W, L]> {
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  readonly samples: [string, number][];
  readonly extensions: readonly string[];
  constructor(
    readonly root: string,
    readonly options: AudioFolderOptions<W, L> = {},
  ) {
    super();
    this.extensions = options.extensions ?? ['.wav'];
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new DatasetError(`AudioFolder(): root '${root}' is not a folder; expected one sub-folder of audio files per class`);
    this.classes = readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory())
      .sort();
    if (this.classes.length === 0) throw new DatasetError(`AudioFolder(): no class folders in '${root}'; expected ${root}/<class>/<file>${this.extensions[0]}`);
    this.classToIdx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
    this.samples = [];
    for (const c of this.classes) {
      const dir = join(root, c);
      for (const f of readdirSync(dir).sort()) {
        if (this.extensions.includes(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile()) this.samples.push([join(dir, f), this.classToIdx[c]!]);
      }
    }
    if (this.samples.length === 0) {
      throw new DatasetError(`AudioFolder(): found no files with extensions ${this.extensions.join(', ')} under '${root}' (classes: ${this.classes.join(', ')})`);
    }
  }
  getItem(index: number): [W, L] {
    const [path, label] = this.samples[index]!;
    const { waveform } = loadSync(path, this.options.loadOptions ?? {});
    const w = this.options.transform ? this.options.transform(waveform) : (waveform as unknown as W);
    if (this.options.transform && (w as unknown) !== waveform) waveform.dispose();
    const l = this.options.targetTransform ? this.options.targetTransform(label) : (label as unknown as L);
    return [w, l];
  }
  len(): number {
    return this.samples.length;
  }
}
