/**
 * CIFAR-10 and CIFAR-100 from their **binary** versions (`cifar-10-binary.tar.gz`,
 * `cifar-100-binary.tar.gz`): fixed-size records of label byte(s) and 3072 pixel bytes.
 * torchvision reads the Python (pickle) versions instead; the pixels and labels are the same.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { Image } from '../image.js';
import { downloadResources, type Resource } from './download.js';
import { VisionDataset, type DownloadOptions, type VisionDatasetOptions } from './vision-dataset.js';

/** Options of {@link CIFAR10} and {@link CIFAR100}. */
export interface CIFAROptions<X, Y> extends VisionDatasetOptions<X, Y, Image, number>, DownloadOptions {
  /** The training set (default, 50,000 images) or the test set (10,000). */
  train?: boolean;
}

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/**
 * CIFAR-10 (`torchvision.datasets.CIFAR10`): 32x32 RGB {@link Image}s in 10 classes, read from
 * `root/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin` (the binary version).
 *
 * @example
 * ```ts
 * const train = new CIFAR10('data', { train: true, download: true, transform: new ToTensor() });
 * ```
 */
export class CIFAR10<X = Image, Y = number> extends VisionDataset<X, Y, Image, number> {
  static baseFolder = 'cifar-10-batches-bin';
  static mirrors: readonly string[] = ['https://www.cs.toronto.edu/~kriz/'];
  static resource: Resource = { filename: 'cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' };
  static trainList = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
  static testList = ['test_batch.bin'];
  /** Label bytes before the pixels of each record (CIFAR-100 has coarse and fine). @internal */
  static labelBytes = 1;

  readonly train: boolean;
  /** All images, `[N, 32, 32, 3]` bytes (HWC, as torchvision's `.data`). */
  readonly data: Uint8Array;
  readonly targets: Int32Array;
  readonly classes: readonly string[];

  constructor(root: string, options: CIFAROptions<X, Y> = {}) {
    super(root, options, [root, options]);
    const ctor = this.constructor as typeof CIFAR10;
    this.train = options.train ?? true;
    const files = this.train ? ctor.trainList : ctor.testList;
    const folder = join(root, ctor.baseFolder);
    const missing = () => files.filter((f) => !existsSync(join(folder, f)));
    if (missing().length > 0 && options.download) {
      downloadResources(ctor.name, root, [ctor.resource], options.mirrors ?? ctor.mirrors, {
        placeHint: `(or its contents, unpacked, in ${folder})`,
      });
    }
    if (missing().length > 0) {
      throw new DatasetError(
        `${ctor.name}: dataset not found or incomplete in ${folder} (missing ${missing().join(', ')}). Use download: true to download ` +
          `${ctor.resource.filename}, or unpack it (the binary version) into ${root}`,
      );
    }
    const recordSize = ctor.labelBytes + 3072;
    const chunks = files.map((f) => {
      const bytes = readFileSync(join(folder, f));
      if (bytes.length === 0 || bytes.length % recordSize !== 0) {
        throw new DatasetError(`${ctor.name}: ${join(folder, f)} has ${bytes.length} bytes, not a whole number of ${recordSize}-byte records`);
      }
      return bytes;
    });
    const n = chunks.reduce((a, c) => a + c.length / recordSize, 0);
    this.data = new Uint8Array(n * 3072);
    this.targets = new Int32Array(n);
    const extra = ctor.labelBytes === 2 ? new Int32Array(n) : undefined;
    let k = 0;
    for (const bytes of chunks) {
      for (let r = 0; r < bytes.length / recordSize; r++, k++) {
        const o = r * recordSize;
        this.targets[k] = bytes[o + ctor.labelBytes - 1]!;
        if (extra) extra[k] = bytes[o]!;
        const px = o + ctor.labelBytes;
        for (let i = 0; i < 1024; i++) for (let c = 0; c < 3; c++) this.data[k * 3072 + i * 3 + c] = bytes[px + c * 1024 + i]!;
      }
    }
    if (extra) Object.defineProperty(this, 'coarseTargets', { value: extra, enumerable: true });
    this.classes = this.readClasses(folder);
  }

  /** @internal */
  protected readClasses(folder: string): readonly string[] {
    const meta = join(folder, 'batches.meta.txt');
    if (!existsSync(meta)) return CIFAR10_CLASSES;
    const names = readFileSync(meta, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
    return names.length > 0 ? names : CIFAR10_CLASSES;
  }

  /** `{ className: index }` (`class_to_idx`). */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** Image `index` (32x32 RGB) and its class. */
  getItem(index: number): [X, Y] {
    const i = this.index(index);
    return this.finish(new Image(this.data.slice(i * 3072, (i + 1) * 3072), 32, 32, 'RGB'), this.targets[i]!);
  }

  len(): number {
    return this.targets.length;
  }

  protected override extraRepr(): string[] {
    return [`Split: ${this.train ? 'Train' : 'Test'}`];
  }
}

/**
 * CIFAR-100 (`torchvision.datasets.CIFAR100`): as {@link CIFAR10} with 100 fine classes (the
 * targets) and 20 coarse ones (`coarseTargets`), from `root/cifar-100-binary/{train,test}.bin`.
 *
 * @example
 * ```ts
 * const test = new CIFAR100('data', { train: false });
 * ```
 */
export class CIFAR100<X = Image, Y = number> extends CIFAR10<X, Y> {
  static override baseFolder = 'cifar-100-binary';
  static override resource: Resource = { filename: 'cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' };
  static override trainList = ['train.bin'];
  static override testList = ['test.bin'];
  static override labelBytes = 2;
  /** The 20 superclass labels, one per image. */
  declare readonly coarseTargets: Int32Array;

  protected override readClasses(folder: string): readonly string[] {
    const meta = join(folder, 'fine_label_names.txt');
    if (!existsSync(meta)) return Array.from({ length: 100 }, (_, i) => String(i));
    return readFileSync(meta, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
  }
}
