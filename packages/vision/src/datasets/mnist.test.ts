import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@flint/core';
import { idxBytes } from '../../test/dataset-files.js';
import { Image } from '../image.js';
import { Compose, Normalize, ToTensor } from '../transforms/index.js';
import { EMNIST, FashionMNIST, KMNIST, MNIST, QMNIST } from './mnist.js';
import { parseIdx } from './idx.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const root = mkdtempSync(join(tmpdir(), 'flint-vision-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes n images whose pixel (r, c) of image i is (i * 7 + r * 28 + c) % 256, labels i % 10. */
function writeSplit(folder: string, prefix: string, n: number, gz: boolean, labels = 'labels-idx1-ubyte'): void {
  mkdirSync(folder, { recursive: true });
  const pixels = Uint8Array.from({ length: n * 784 }, (_, k) => (Math.floor(k / 784) * 7 + (k % 784)) % 256);
  const imgs = idxBytes('uint8', [n, 28, 28], pixels);
  const labs = idxBytes('uint8', [n], Array.from({ length: n }, (_, i) => i % 10));
  const put = (name: string, b: Buffer) => writeFileSync(join(folder, gz ? `${name}.gz` : name), gz ? gzipSync(b) : b);
  put(`${prefix}-images-idx3-ubyte`, imgs);
  put(`${prefix}-${labels}`, labs);
}

describe('MNIST family on idx files the test writes', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('MNIST reads plain idx files from root/MNIST/raw', () => {
    writeSplit(join(root, 'MNIST', 'raw'), 'train', 12, false);
    const ds = new MNIST(root);
    expect(ds.len()).toBe(12);
    expect(ds.length).toBe(12);
    const [img, y] = ds.getItem(3);
    expect(img).toBeInstanceOf(Image);
    expect(img.mode).toBe('L');
    expect(img.size).toEqual([28, 28]);
    expect(y).toBe(3);
    expect(img.getPixel(2, 1)).toEqual([(3 * 7 + 28 + 2) % 256]);
    expect(ds.getItem(-1)[1]).toBe(1);
    expect(() => ds.getItem(12)).toThrow(/MNIST.getItem\(\): index 12 is out of range for 12 samples/);
    expect(String(ds)).toContain('Dataset MNIST\n    Number of datapoints: 12');
  });

  it('reads gzipped files and applies transform and targetTransform', () => {
    writeSplit(join(root, 'KMNIST', 'raw'), 't10k', 5, true);
    const ds = new KMNIST(root, { train: false, transform: new Compose([new ToTensor(), new Normalize([0.5], [0.5])]), targetTransform: (t) => `class ${t}` });
    const [x, y] = ds.getItem(2);
    expect(x.shape).toEqual([1, 28, 28]);
    expect(x.dataSync()[0]).toBeCloseTo(((2 * 7) / 255 - 0.5) / 0.5, 5);
    expect(y).toBe('class 2');
    expect(ds.classes[2]).toBe('su');
  });

  it('a missing dataset names the folder and the files to place there', () => {
    expect(() => new FashionMNIST(join(root, 'empty'), { train: false })).toThrow(
      /FashionMNIST: dataset not found in .*empty\/FashionMNIST\/raw\. Use download: true to download it, or place these files there \(gzipped or not\):\n.*t10k-images-idx3-ubyte\[\.gz\]\n.*t10k-labels-idx1-ubyte\[\.gz\]/,
    );
  });

  it('a corrupt idx file is an error naming it', () => {
    const folder = join(root, 'bad', 'MNIST', 'raw');
    writeSplit(folder, 'train', 3, false);
    writeFileSync(join(folder, 'train-images-idx3-ubyte'), idxBytes('uint8', [3, 28, 28], new Uint8Array(100)));
    expect(() => new MNIST(join(root, 'bad'))).toThrow(/train-images-idx3-ubyte is truncated: shape \[3, 28, 28\] needs 2352 bytes of data, found 100/);
  });

  it('EMNIST finds emnist-<split>-<train|test> files and has the split classes', () => {
    writeSplit(join(root, 'EMNIST', 'raw'), 'emnist-letters-test', 4, true);
    const ds = new EMNIST(root, 'letters', { train: false });
    expect(ds.len()).toBe(4);
    expect(ds.split).toBe('letters');
    expect(ds.classes.slice(0, 3)).toEqual(['N/A', 'a', 'b']);
    expect(() => new EMNIST(root, 'bogus' as never)).toThrow(/EMNIST\(\): split must be one of 'byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist' \(got "bogus"\)/);
    expect(new EMNIST(root, 'letters', { train: false }).workerDescriptor().args.slice(0, 2)).toEqual([root, 'letters']);
  });

  it('QMNIST reads int32 idx2 labels: class numbers, or the full record with compat false', () => {
    const folder = join(root, 'QMNIST', 'raw');
    mkdirSync(folder, { recursive: true });
    const n = 6;
    writeFileSync(join(folder, 'qmnist-test-images-idx3-ubyte'), idxBytes('uint8', [n, 28, 28], new Uint8Array(n * 784).fill(9)));
    const rec = Array.from({ length: n * 8 }, (_, k) => (k % 8 === 0 ? Math.floor(k / 8) % 10 : k));
    writeFileSync(join(folder, 'qmnist-test-labels-idx2-int.gz'), gzipSync(idxBytes('int32', [n, 8], rec)));
    const ds = new QMNIST(root, { what: 'test' });
    expect(ds.len()).toBe(6);
    expect(ds.getItem(4)[1]).toBe(4);
    const full = new QMNIST(root, { what: 'test', compat: false });
    expect(full.getItem(1)[1]).toEqual(rec.slice(8, 16));
    const idx = parseIdx(idxBytes('int32', [2, 2], [1, -2, 3, 70000]));
    expect(Array.from(idx.data)).toEqual([1, -2, 3, 70000]);
  });
});

describe.skipIf(!existsSync(DEBIAN))(`FashionMNIST on the real Debian files (${DEBIAN}; apt-get install dataset-fashion-mnist)`, () => {
  const real = mkdtempSync(join(tmpdir(), 'flint-vision-fmnist-'));
  beforeAll(() => {
    mkdirSync(join(real, 'FashionMNIST'), { recursive: true });
    symlinkSync(DEBIAN, join(real, 'FashionMNIST', 'raw'));
  });
  afterAll(() => rmSync(real, { recursive: true, force: true }));

  it('reads 60,000 training and 10,000 test images with balanced labels', () => {
    const train = new FashionMNIST(real, { train: true });
    const test = new FashionMNIST(real, { train: false });
    expect(train.len()).toBe(60000);
    expect(test.len()).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const t of test.targets) counts[t]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    // The first training sample of Fashion-MNIST is an ankle boot (9), the first test one too.
    expect(train.getItem(0)[1]).toBe(9);
    expect(train.classes[9]).toBe('Ankle boot');
    // Pixel mean of the training set is 0.2860 (the usual Normalize constant).
    let s = 0;
    for (const v of train.data) s += v;
    expect(s / train.data.length / 255).toBeCloseTo(0.286, 3);
  });

  it('ToTensor + Normalize give float32 [1, 28, 28] samples', () => {
    const ds = new FashionMNIST(real, { train: false, transform: new Compose([new ToTensor(), new Normalize([0.286], [0.353])]) });
    const [x, y] = ds.getItem(0);
    expect(x.shape).toEqual([1, 28, 28]);
    expect(x.dtype).toBe('float32');
    expect(y).toBe(9);
    const v = x.dataSync();
    expect(Math.min(...v)).toBeCloseTo(-0.286 / 0.353, 4);
  });
});
