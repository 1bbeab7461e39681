/**
 * MNIST and the datasets in its format (`torchvision.datasets.MNIST`, `FashionMNIST`, `KMNIST`,
 * `EMNIST`, `QMNIST`): idx files in `root/<ClassName>/raw/`, plain or gzipped.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { Image } from '../image.js';
import { downloadResources, extractArchive, type Resource } from './download.js';
import { readIdxFile, type IdxArray } from './idx.js';
import { VisionDataset, type DownloadOptions, type VisionDatasetOptions } from './vision-dataset.js';

/** Options of {@link MNIST} and the datasets built on it. */
export interface MNISTOptions<X, Y> extends VisionDatasetOptions<X, Y, Image, number>, DownloadOptions {
  /** The training set (default) or the test set. */
  train?: boolean;
}

function checkImages(dataset: string, idx: IdxArray, file: string): void {
  if (idx.type !== 'uint8' || idx.shape.length !== 3) {
    throw new DatasetError(`${dataset}: ${file} must hold uint8 images [N, H, W] (got ${idx.type} [${idx.shape.join(', ')}])`);
  }
}

/**
 * The MNIST digits (`torchvision.datasets.MNIST`): 60,000 training and 10,000 test images,
 * 28x28 gray, as {@link Image}s (mode `'L'`) with their digit. Files are read from
 * `root/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte` (or `.gz`).
 *
 * @example
 * ```ts
 * const train = new MNIST('data', { train: true, download: true, transform: new ToTensor() });
 * const [x, y] = train.getItem(0); // Tensor [1, 28, 28], 5
 * ```
 */
export class MNIST<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  /** Where torchvision's MNIST finds its files. */
  static mirrors: readonly string[] = ['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'];
  static resources: readonly Resource[] = [
    { filename: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
    { filename: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
    { filename: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
    { filename: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
  ];
  static classes: readonly string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];

  readonly train: boolean;
  /** All images, `len() * height * width` bytes, row-major. */
  readonly data: Uint8Array;
  /** All targets. */
  readonly targets: Int32Array;
  readonly height: number;
  readonly width: number;
  /** Class names, indexed by target. */
  readonly classes: readonly string[];

  /** `init` (internal) lets subclasses set their fields before the files are looked up. */
  constructor(root: string, options: MNISTOptions<X, Y> = {}, init?: (self: MNIST<X, Y>) => void) {
    super(root, options, [root, options]);
    const ctor = this.constructor as typeof MNIST;
    this.train = options.train ?? true;
    init?.(this);
    this.classes = this.classList();
    if (!this.checkExists()) {
      if (options.download) this.download(options.mirrors ?? ctor.mirrors);
      if (!this.checkExists()) {
        throw new DatasetError(
          `${ctor.name}: dataset not found in ${this.rawFolder}. Use download: true to download it, or place these files there (gzipped or not):\n` +
            this.expectedFiles().map((f) => `  ${join(this.rawFolder, f)}[.gz]`).join('\n'),
        );
      }
    }
    const { images, labels } = this.loadData();
    this.height = images.shape[1]!;
    this.width = images.shape[2]!;
    this.data = images.data as Uint8Array;
    this.targets = labels;
  }

  /** `root/<ClassName>/raw` (`raw_folder`). */
  get rawFolder(): string {
    return join(this.root, this.constructor.name, 'raw');
  }

  /** @internal */
  protected classList(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  /** The decompressed file names this split needs. @internal */
  protected expectedFiles(): string[] {
    const p = this.train ? 'train' : 't10k';
    return [`${p}-images-idx3-ubyte`, `${p}-labels-idx1-ubyte`];
  }

  /** @internal */
  protected checkExists(): boolean {
    return this.expectedFiles().every((f) => existsSync(join(this.rawFolder, f)) || existsSync(join(this.rawFolder, `${f}.gz`)));
  }

  /** @internal */
  protected download(mirrors: readonly string[]): void {
    const ctor = this.constructor as typeof MNIST;
    downloadResources(ctor.name, this.rawFolder, ctor.resources, mirrors);
  }

  /** @internal */
  protected loadData(): { images: IdxArray; labels: Int32Array } {
    const [imagesFile, labelsFile] = this.expectedFiles() as [string, string];
    const name = this.constructor.name;
    const images = readIdxFile(join(this.rawFolder, imagesFile));
    checkImages(name, images, imagesFile);
    const labels = readIdxFile(join(this.rawFolder, labelsFile));
    if (labels.type !== 'uint8' || labels.shape.length !== 1) {
      throw new DatasetError(`${name}: ${labelsFile} must hold uint8 labels [N] (got ${labels.type} [${labels.shape.join(', ')}])`);
    }
    if (labels.shape[0] !== images.shape[0]) {
      throw new DatasetError(`${name}: ${imagesFile} has ${images.shape[0]} images but ${labelsFile} has ${labels.shape[0]} labels`);
    }
    return { images, labels: Int32Array.from(labels.data) };
  }

  /** `{ className: index }` (`class_to_idx`). */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** The raw image `i` as an Image and its target, before transforms. @internal */
  protected sample(i: number): [Image, number] {
    const n = this.height * this.width;
    return [new Image(this.data.slice(i * n, (i + 1) * n), this.width, this.height, 'L'), this.targets[i]!];
  }

  /** Image `index` (an {@link Image}, or what `transform` makes of it) and its target. */
  getItem(index: number): [X, Y] {
    const [img, target] = this.sample(this.index(index));
    return this.finish(img, target);
  }

  len(): number {
    return this.targets.length;
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.train ? 'Train' : 'Test'}`];
  }
}

/**
 * Fashion-MNIST (`torchvision.datasets.FashionMNIST`): 28x28 gray images of 10 kinds of
 * clothing, in MNIST's format, from `root/FashionMNIST/raw/`. On Debian, `apt-get install
 * dataset-fashion-mnist` puts the files in /usr/share/datasets/fashion-mnist: link that folder
 * as `root/FashionMNIST/raw`.
 *
 * @example
 * ```ts
 * const train = new FashionMNIST('data', { train: true, transform: new Compose([new ToTensor(), new Normalize([0.286], [0.353])]) });
 * ```
 */
export class FashionMNIST<X = Image, Y = number> extends MNIST<X, Y> {
  static override mirrors: readonly string[] = ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'];
  static override resources: readonly Resource[] = [
    { filename: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
    { filename: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe' },
    { filename: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79' },
    { filename: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
  ];
  static override classes: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
}

/**
 * Kuzushiji-MNIST (`torchvision.datasets.KMNIST`): 28x28 cursive Japanese characters, 10
 * classes, from `root/KMNIST/raw/`.
 *
 * @example
 * ```ts
 * const ds = new KMNIST('data', { train: false });
 * ```
 */
export class KMNIST<X = Image, Y = number> extends MNIST<X, Y> {
  static override mirrors: readonly string[] = ['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'];
  static override resources: readonly Resource[] = [
    { filename: 'train-images-idx3-ubyte.gz', md5: 'bdb82020997e1d708af4cf47b453dcf7' },
    { filename: 'train-labels-idx1-ubyte.gz', md5: 'e144d726b3acfaa3e44228e80efcd344' },
    { filename: 't10k-images-idx3-ubyte.gz', md5: '5c965bf0a639b31b8f53240b1b52f4d7' },
    { filename: 't10k-labels-idx1-ubyte.gz', md5: '7320c461ea6c1c855c0b718fb2a4b134' },
  ];
  static override classes: readonly string[] = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];
}

/** The six EMNIST splits. */
export type EMNISTSplit = 'byclass' | 'bymerge' | 'balanced' | 'letters' | 'digits' | 'mnist';
const EMNIST_SPLITS: readonly EMNISTSplit[] = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'];
const DIGITS = '0123456789'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const UPPER = LOWER.map((c) => c.toUpperCase());
const MERGED = new Set('cijklmopsuvwxyz'.split(''));
const ALL = [...DIGITS, ...UPPER, ...LOWER]; // sorted as Python sorts strings
const EMNIST_CLASSES: Record<EMNISTSplit, string[]> = {
  byclass: ALL,
  bymerge: ALL.filter((c) => !MERGED.has(c)),
  balanced: ALL.filter((c) => !MERGED.has(c)),
  letters: ['N/A', ...LOWER],
  digits: DIGITS,
  mnist: DIGITS,
};

/**
 * EMNIST (`torchvision.datasets.EMNIST`): handwritten characters in six splits, from
 * `root/EMNIST/raw/emnist-<split>-<train|test>-{images-idx3,labels-idx1}-ubyte[.gz]`. The
 * download is torchvision's `gzip.zip` (535 MB), unpacked with a built-in zip reader.
 *
 * @example
 * ```ts
 * const letters = new EMNIST('data', 'letters', { train: true });
 * ```
 */
export class EMNIST<X = Image, Y = number> extends MNIST<X, Y> {
  static url = 'https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/gzip.zip';
  static md5 = '58c8d27c78d21e728a6bc7b3cc06412e';
  static splits = EMNIST_SPLITS;
  static override mirrors: readonly string[] = ['https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/'];
  static override resources: readonly Resource[] = [{ filename: 'gzip.zip', md5: '58c8d27c78d21e728a6bc7b3cc06412e' }];
  // Set before MNIST's constructor reads it (a field initializer would run too late).
  declare readonly split: EMNISTSplit;

  constructor(root: string, split: EMNISTSplit, options: MNISTOptions<X, Y> = {}) {
    if (!EMNIST_SPLITS.includes(split)) {
      throw new ArgumentError(`EMNIST(): split must be one of ${EMNIST_SPLITS.map((s) => `'${s}'`).join(', ')} (got ${JSON.stringify(split)})`);
    }
    super(root, options, (self) => Object.defineProperty(self, 'split', { value: split, enumerable: true }));
    Object.defineProperty(this, 'ctorArgs', { value: [root, split, options] });
  }

  protected override classList(): readonly string[] {
    return EMNIST_CLASSES[this.split];
  }

  protected override expectedFiles(): string[] {
    const p = `emnist-${this.split}-${this.train ? 'train' : 'test'}`;
    return [`${p}-images-idx3-ubyte`, `${p}-labels-idx1-ubyte`];
  }

  protected override download(mirrors: readonly string[]): void {
    downloadResources('EMNIST', this.rawFolder, (this.constructor as typeof EMNIST).resources, mirrors, { extract: false });
    extractArchive(join(this.rawFolder, 'gzip.zip'), this.rawFolder);
    const inner = join(this.rawFolder, 'gzip');
    for (const f of readdirSync(inner)) if (f.endsWith('.gz')) extractArchive(join(inner, f), this.rawFolder);
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.split}`, `Train: ${this.train}`];
  }
}

/** The QMNIST subsets. */
export type QMNISTWhat = 'train' | 'test' | 'test10k' | 'test50k' | 'nist';
const QMNIST_BASE = 'https://raw.githubusercontent.com/facebookresearch/qmnist/master/';
const QMNIST_FILES: Record<'train' | 'test' | 'nist', [Resource, Resource]> = {
  train: [
    { filename: 'qmnist-train-images-idx3-ubyte.gz', md5: 'ed72d4157d28c017586c42bc6afe6370' },
    { filename: 'qmnist-train-labels-idx2-int.gz', md5: '0058f8dd561b90ffdd0f734c6a30e5e4' },
  ],
  test: [
    { filename: 'qmnist-test-images-idx3-ubyte.gz', md5: '1394631089c404de565df7b7aeaf9412' },
    { filename: 'qmnist-test-labels-idx2-int.gz', md5: '5b5b05890a5e13444e108efe57b788aa' },
  ],
  nist: [
    { filename: 'xnist-images-idx3-ubyte.xz', md5: '7f124b3b8ab81486c9d8c2749c17f834' },
    { filename: 'xnist-labels-idx2-int.xz', md5: '5ed0e788978e45d4a8bd4b7caec3d79d' },
  ],
};
const QMNIST_SUBSETS: Record<QMNISTWhat, 'train' | 'test' | 'nist'> = { train: 'train', test: 'test', test10k: 'test', test50k: 'test', nist: 'nist' };

/** Options of {@link QMNIST}. */
export interface QMNISTOptions<X, Y> extends Omit<MNISTOptions<X, Y>, 'targetTransform'> {
  /** Which subset (default `'train'` or `'test'` following `train`). */
  what?: QMNISTWhat;
  /** Targets are the class number (default true) or the full 8-number QMNIST record. */
  compat?: boolean;
  targetTransform?: (target: number | number[]) => Y;
}

/**
 * QMNIST (`torchvision.datasets.QMNIST`): MNIST reconstructed with extended labels (an int32 idx
 * file [N, 8]), from `root/QMNIST/raw/`. The `'nist'` subset ships as .xz, which Node cannot
 * decompress: unpack it with `xz -d` into the raw folder.
 *
 * @example
 * ```ts
 * const ds = new QMNIST('data', { what: 'test10k' });
 * ```
 */
export class QMNIST<X = Image, Y = number> extends MNIST<X, Y> {
  static override mirrors: readonly string[] = [QMNIST_BASE];
  declare readonly what: QMNISTWhat;
  declare readonly compat: boolean;
  /** The full QMNIST records `[N, 8]`, row-major. */
  declare readonly extendedTargets: Int32Array;

  constructor(root: string, options: QMNISTOptions<X, Y> = {}) {
    const what = options.what ?? (options.train === false ? 'test' : 'train');
    if (!(what in QMNIST_SUBSETS)) {
      throw new ArgumentError(`QMNIST(): what must be one of ${Object.keys(QMNIST_SUBSETS).map((s) => `'${s}'`).join(', ')} (got ${JSON.stringify(what)})`);
    }
    super(root, options as MNISTOptions<X, Y>, (self) => {
      Object.defineProperty(self, 'what', { value: what, enumerable: true });
      Object.defineProperty(self, 'compat', { value: options.compat ?? true, enumerable: true });
    });
  }

  protected override classList(): readonly string[] {
    return MNIST.classes;
  }

  protected override expectedFiles(): string[] {
    return QMNIST_FILES[QMNIST_SUBSETS[this.what]].map((r) => r.filename.replace(/\.(gz|xz)$/, ''));
  }

  protected override checkExists(): boolean {
    const sub = QMNIST_SUBSETS[this.what];
    if (sub === 'nist' && !super.checkExists() && QMNIST_FILES.nist.some((r) => existsSync(join(this.rawFolder, r.filename)))) {
      throw new DatasetError(`QMNIST: the 'nist' files in ${this.rawFolder} are .xz, which Node cannot decompress; run xz -d on them there`);
    }
    return super.checkExists();
  }

  protected override download(mirrors: readonly string[]): void {
    const sub = QMNIST_SUBSETS[this.what];
    if (sub === 'nist') {
      throw new DatasetError(
        `QMNIST: the 'nist' subset is distributed as .xz, which Node cannot decompress. Download ${QMNIST_FILES.nist.map((r) => QMNIST_BASE + r.filename).join(' and ')}, ` +
          `run xz -d on them, and place the results in ${this.rawFolder}`,
      );
    }
    downloadResources('QMNIST', this.rawFolder, QMNIST_FILES[sub], mirrors);
  }

  protected override loadData(): { images: IdxArray; labels: Int32Array } {
    const [imagesFile, labelsFile] = this.expectedFiles() as [string, string];
    let images = readIdxFile(join(this.rawFolder, imagesFile));
    checkImages('QMNIST', images, imagesFile);
    const labels = readIdxFile(join(this.rawFolder, labelsFile));
    if (labels.type !== 'int32' || labels.shape.length !== 2) {
      throw new DatasetError(`QMNIST: ${labelsFile} must hold int32 records [N, 8] (got ${labels.type} [${labels.shape.join(', ')}])`);
    }
    let ext = labels.data as Int32Array;
    const cols = labels.shape[1]!;
    const [h, w] = [images.shape[1]!, images.shape[2]!];
    if (this.what === 'test10k' || this.what === 'test50k') {
      const [a, b] = this.what === 'test10k' ? [0, 10000] : [10000, images.shape[0]!];
      images = { ...images, shape: [b - a, h, w], data: images.data.slice(a * h * w, b * h * w) };
      ext = ext.slice(a * cols, b * cols);
    }
    Object.defineProperty(this, 'extendedTargets', { value: ext, enumerable: false });
    const n = ext.length / cols;
    const first = new Int32Array(n);
    for (let i = 0; i < n; i++) first[i] = ext[i * cols]!;
    return { images, labels: first };
  }

  override getItem(index: number): [X, Y] {
    const i = this.index(index);
    const [img] = this.sample(i);
    const cols = this.extendedTargets.length / this.len();
    const target = this.compat ? this.targets[i]! : Array.from(this.extendedTargets.subarray(i * cols, (i + 1) * cols));
    const x = this.transform ? this.transform(img) : (img as unknown as X);
    const tt = this.targetTransform as ((t: number | number[]) => Y) | undefined;
    return [x, tt ? tt(target) : (target as unknown as Y)];
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.what}`];
  }
}
