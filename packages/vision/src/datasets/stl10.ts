/**
 * STL-10 from its binary version (`torchvision.datasets.STL10`).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { Image } from '../image.js';
import { downloadResources, type Resource } from './download.js';
import { VisionDataset, type DownloadOptions, type VisionDatasetOptions } from './vision-dataset.js';

/** The STL-10 splits. */
export type STL10Split = 'train' | 'train+unlabeled' | 'unlabeled' | 'test';
const SPLITS: readonly STL10Split[] = ['train', 'train+unlabeled', 'unlabeled', 'test'];
const SIZE = 96 * 96 * 3;

/** Options of {@link STL10}. */
export interface STL10Options<X, Y> extends VisionDatasetOptions<X, Y, Image, number>, DownloadOptions {
  /** `'train'` (default), `'train+unlabeled'`, `'unlabeled'` or `'test'`. */
  split?: STL10Split;
  /** One of the 10 predefined training folds (0-9) of 1,000 images; all when absent. */
  folds?: number;
}

/**
 * STL-10 (`torchvision.datasets.STL10`): 96x96 RGB images, 10 classes, plus 100,000 unlabeled
 * ones (target -1), read from `root/stl10_binary/{train,test,unlabeled}_X.bin` and `*_y.bin`.
 *
 * @example
 * ```ts
 * const ds = new STL10('data', { split: 'train', folds: 0 });
 * ```
 */
export class STL10<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  static baseFolder = 'stl10_binary';
  static mirrors: readonly string[] = ['http://ai.stanford.edu/~acoates/stl10/'];
  static resource: Resource = { filename: 'stl10_binary.tar.gz', md5: '91f7769df0f17e558f3565bffb0c7dfb' };

  readonly split: STL10Split;
  readonly folds: number | undefined;
  /** All images, HWC bytes (`[N, 96, 96, 3]`). */
  readonly data: Uint8Array;
  /** Targets 0-9, or -1 for unlabeled images. */
  readonly targets: Int32Array;
  readonly classes: readonly string[];

  constructor(root: string, options: STL10Options<X, Y> = {}) {
    super(root, options, [root, options]);
    this.split = options.split ?? 'train';
    if (!SPLITS.includes(this.split)) {
      throw new ArgumentError(`STL10(): split must be one of ${SPLITS.map((s) => `'${s}'`).join(', ')} (got ${JSON.stringify(this.split)})`);
    }
    this.folds = options.folds;
    if (this.folds !== undefined && (!Number.isInteger(this.folds) || this.folds < 0 || this.folds > 9)) {
      throw new ArgumentError(`STL10(): folds must be an integer in [0, 10) (got ${JSON.stringify(this.folds)})`);
    }
    const folder = join(root, STL10.baseFolder);
    const need = {
      train: ['train_X.bin', 'train_y.bin'],
      'train+unlabeled': ['train_X.bin', 'train_y.bin', 'unlabeled_X.bin'],
      unlabeled: ['unlabeled_X.bin'],
      test: ['test_X.bin', 'test_y.bin'],
    }[this.split];
    const missing = () => need.filter((f) => !existsSync(join(folder, f)));
    if (missing().length > 0 && options.download) downloadResources('STL10', root, [STL10.resource], options.mirrors ?? STL10.mirrors);
    if (missing().length > 0) {
      throw new DatasetError(`STL10: dataset not found or incomplete in ${folder} (missing ${missing().join(', ')}). Use download: true, or unpack stl10_binary.tar.gz into ${root}`);
    }
    const parts: { x: Uint8Array; y: Int32Array }[] = [];
    const load = (xFile: string, yFile?: string) => {
      const x = readFileSync(join(folder, xFile));
      if (x.length % SIZE !== 0) throw new DatasetError(`STL10: ${join(folder, xFile)} has ${x.length} bytes, not a whole number of ${SIZE}-byte images`);
      const n = x.length / SIZE;
      let y = new Int32Array(n).fill(-1);
      if (yFile) {
        const raw = readFileSync(join(folder, yFile));
        if (raw.length !== n) throw new DatasetError(`STL10: ${yFile} has ${raw.length} labels for ${n} images in ${xFile}`);
        y = Int32Array.from(raw, (v) => v - 1);
      }
      parts.push({ x, y });
    };
    if (this.split === 'test') load('test_X.bin', 'test_y.bin');
    if (this.split === 'train' || this.split === 'train+unlabeled') {
      load('train_X.bin', 'train_y.bin');
      if (this.folds !== undefined) {
        const foldFile = join(folder, 'fold_indices.txt');
        if (!existsSync(foldFile)) throw new DatasetError(`STL10: folds needs ${foldFile}`);
        const line = readFileSync(foldFile, 'utf8').split(/\r?\n/)[this.folds] ?? '';
        const idx = line.trim().split(/\s+/).filter((s) => s !== '').map(Number);
        const p = parts[0]!;
        const x = new Uint8Array(idx.length * SIZE);
        idx.forEach((j, k) => x.set(p.x.subarray(j * SIZE, (j + 1) * SIZE), k * SIZE));
        parts[0] = { x, y: Int32Array.from(idx, (j) => p.y[j]!) };
      }
    }
    if (this.split === 'unlabeled' || this.split === 'train+unlabeled') load('unlabeled_X.bin');
    const n = parts.reduce((a, p) => a + p.y.length, 0);
    this.targets = new Int32Array(n);
    this.data = new Uint8Array(n * SIZE);
    let k = 0;
    for (const p of parts) {
      for (let i = 0; i < p.y.length; i++, k++) {
        this.targets[k] = p.y[i]!;
        // Stored per channel, column-major (MATLAB order): pixel (r, c) of channel ch is at ch * 9216 + c * 96 + r.
        const src = i * SIZE;
        const dst = k * SIZE;
        for (let r = 0; r < 96; r++) for (let c = 0; c < 96; c++) for (let ch = 0; ch < 3; ch++) this.data[dst + (r * 96 + c) * 3 + ch] = p.x[src + ch * 9216 + c * 96 + r]!;
      }
    }
    const namesFile = join(folder, 'class_names.txt');
    this.classes = existsSync(namesFile)
      ? readFileSync(namesFile, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '')
      : ['airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse', 'monkey', 'ship', 'truck'];
  }

  /** Image `index` (96x96 RGB) and its class (-1 when unlabeled). */
  getItem(index: number): [X, Y] {
    const i = this.index(index);
    return this.finish(new Image(this.data.slice(i * SIZE, (i + 1) * SIZE), 96, 96, 'RGB'), this.targets[i]!);
  }

  len(): number {
    return this.targets.length;
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.split}`];
  }
}
