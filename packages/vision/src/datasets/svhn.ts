/**
 * SVHN (`torchvision.datasets.SVHN`) from its MATLAB files, read with the built-in
 * {@link readMat} (no scipy analog needed).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { Image } from '../image.js';
import { downloadResources } from './download.js';
import { readMat } from './mat.js';
import { VisionDataset, type DownloadOptions, type VisionDatasetOptions } from './vision-dataset.js';

/** The SVHN splits. */
export type SVHNSplit = 'train' | 'test' | 'extra';
const FILES: Record<SVHNSplit, { filename: string; md5: string }> = {
  train: { filename: 'train_32x32.mat', md5: 'e26dedcc434d2e4c54c9b2d4a06d8373' },
  test: { filename: 'test_32x32.mat', md5: 'eb5a983be6a315427106f1b164d9cef3' },
  extra: { filename: 'extra_32x32.mat', md5: 'a93ce644f1a588dc4d68dda5feec44a7' },
};

/** Options of {@link SVHN}. */
export interface SVHNOptions<X, Y> extends VisionDatasetOptions<X, Y, Image, number>, DownloadOptions {
  /** `'train'` (default), `'test'` or `'extra'`. */
  split?: SVHNSplit;
}

/**
 * Street View House Numbers (`torchvision.datasets.SVHN`): 32x32 RGB digits, label 10 mapped to
 * 0 as torchvision does, read from `root/{train,test,extra}_32x32.mat`.
 *
 * @example
 * ```ts
 * const ds = new SVHN('data', { split: 'test', download: true });
 * ```
 */
export class SVHN<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  static mirrors: readonly string[] = ['http://ufldl.stanford.edu/housenumbers/'];
  readonly split: SVHNSplit;
  /** All images, HWC bytes (`[N, 32, 32, 3]`). */
  readonly data: Uint8Array;
  readonly targets: Int32Array;

  constructor(root: string, options: SVHNOptions<X, Y> = {}) {
    super(root, options, [root, options]);
    this.split = options.split ?? 'train';
    const file = FILES[this.split];
    if (file === undefined) throw new ArgumentError(`SVHN(): split must be 'train', 'test' or 'extra' (got ${JSON.stringify(this.split)})`);
    const path = join(root, file.filename);
    if (!existsSync(path) && options.download) downloadResources('SVHN', root, [file], options.mirrors ?? SVHN.mirrors, { extract: false });
    if (!existsSync(path)) {
      throw new DatasetError(`SVHN: dataset not found: ${path}. Use download: true to download it, or place ${file.filename} (md5 ${file.md5}) there`);
    }
    const vars = readMat(readFileSync(path), path);
    const X = vars['X'];
    const y = vars['y'];
    if (!X || !y || X.shape.length !== 4 || X.shape[2] !== 3) {
      throw new DatasetError(`SVHN: ${path} must hold X [H, W, 3, N] and y [N, 1] (found ${Object.entries(vars).map(([k, v]) => `${k} [${v.shape.join(', ')}]`).join(', ') || 'no numeric variables'})`);
    }
    const [h, w, , n] = X.shape as [number, number, number, number];
    if (y.data.length !== n) throw new DatasetError(`SVHN: ${path} has ${n} images but ${y.data.length} labels`);
    this.targets = Int32Array.from(y.data as ArrayLike<number>, (v) => (v === 10 ? 0 : v));
    this.data = new Uint8Array(n * h * w * 3);
    const src = X.data;
    // Column-major X[r, c, ch, i] is at r + h * (c + w * (ch + 3 * i)).
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) for (let ch = 0; ch < 3; ch++) this.data[((i * h + r) * w + c) * 3 + ch] = src[r + h * (c + w * (ch + 3 * i))]!;
    }
    Object.defineProperty(this, 'imageSize', { value: [h, w] });
  }

  /** Image `index` (32x32 RGB) and its digit. */
  getItem(index: number): [X, Y] {
    const i = this.index(index);
    const [h, w] = (this as unknown as { imageSize: [number, number] }).imageSize;
    const n = h * w * 3;
    return this.finish(new Image(this.data.slice(i * n, (i + 1) * n), w, h, 'RGB'), this.targets[i]!);
  }

  len(): number {
    return this.targets.length;
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.split}`];
  }
}
