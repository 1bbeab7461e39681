/** CIFAR-10/100 and STL-10 on binary files the test writes in their real layouts; SVHN on .mat files scipy wrote. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Image } from '../image.js';
import { CIFAR10, CIFAR100 } from './cifar.js';
import { readMat } from './mat.js';
import { STL10 } from './stl10.js';
import { SVHN } from './svhn.js';

const root = mkdtempSync(join(tmpdir(), 'flint-vision-bin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** Pixel value of image k, channel c, row r, column x in the synthetic files. */
const px = (k: number, c: number, r: number, x: number) => (k * 31 + c * 17 + r * 5 + x) % 256;

describe('CIFAR binary version', () => {
  it('CIFAR10 reads <label><3072 bytes R, G, B planes> records from cifar-10-batches-bin', () => {
    const folder = join(root, 'cifar-10-batches-bin');
    mkdirSync(folder, { recursive: true });
    const record = (k: number) => Uint8Array.from([k % 10, ...Array.from({ length: 3072 }, (_, i) => px(k, Math.floor(i / 1024), Math.floor((i % 1024) / 32), i % 32))]);
    for (let b = 1; b <= 5; b++) writeFileSync(join(folder, `data_batch_${b}.bin`), Buffer.concat([0, 1].map((j) => Buffer.from(record((b - 1) * 2 + j)))));
    writeFileSync(join(folder, 'test_batch.bin'), Buffer.from(record(42)));
    const train = new CIFAR10(root);
    expect(train.len()).toBe(10);
    const [img, y] = train.getItem(7);
    expect(img).toBeInstanceOf(Image);
    expect(img.mode).toBe('RGB');
    expect(img.size).toEqual([32, 32]);
    expect(y).toBe(7);
    expect(img.getPixel(5, 3)).toEqual([px(7, 0, 3, 5), px(7, 1, 3, 5), px(7, 2, 3, 5)]);
    expect(train.classes[3]).toBe('cat');
    const test = new CIFAR10(root, { train: false });
    expect(test.getItem(0)[1]).toBe(2);
  });

  it('CIFAR100 reads <coarse><fine><pixels> records; targets are fine labels', () => {
    const folder = join(root, 'cifar-100-binary');
    mkdirSync(folder, { recursive: true });
    const recs = [0, 1, 2].map((k) => Buffer.from([k + 3, 50 + k, ...new Array(3072).fill(k)]));
    writeFileSync(join(folder, 'test.bin'), Buffer.concat(recs));
    const ds = new CIFAR100(root, { train: false });
    expect(Array.from(ds.targets)).toEqual([50, 51, 52]);
    expect(Array.from(ds.coarseTargets)).toEqual([3, 4, 5]);
  });

  it('a truncated batch file and a missing folder are errors that say what to do', () => {
    const bad = join(root, 'bad', 'cifar-10-batches-bin');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'test_batch.bin'), Buffer.alloc(3073 + 5));
    expect(() => new CIFAR10(join(root, 'bad'), { train: false })).toThrow(/test_batch\.bin has 3078 bytes, not a whole number of 3073-byte records/);
    expect(() => new CIFAR10(join(root, 'none'))).toThrow(/CIFAR10: dataset not found or incomplete in .*none\/cifar-10-batches-bin \(missing data_batch_1\.bin.*Use download: true to download cifar-10-binary\.tar\.gz/);
  });
});

describe('STL10 binary version', () => {
  const folder = join(root, 'stl10_binary');
  // Column-major per channel, as the real files: byte ch * 9216 + c * 96 + r holds pixel (r, c).
  const image = (k: number) => Uint8Array.from({ length: 27648 }, (_, i) => px(k, Math.floor(i / 9216), i % 96, Math.floor((i % 9216) / 96)));
  it('reads train images transposed to row-major, labels minus one, and folds', () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'train_X.bin'), Buffer.concat([0, 1, 2].map((k) => Buffer.from(image(k)))));
    writeFileSync(join(folder, 'train_y.bin'), Buffer.from([1, 10, 4]));
    writeFileSync(join(folder, 'unlabeled_X.bin'), Buffer.from(image(9)));
    writeFileSync(join(folder, 'fold_indices.txt'), '2 0\n1\n');
    const ds = new STL10(root, { split: 'train' });
    expect(ds.len()).toBe(3);
    const [img, y] = ds.getItem(1);
    expect(y).toBe(9);
    expect(img.size).toEqual([96, 96]);
    expect(img.getPixel(7, 2)).toEqual([px(1, 0, 2, 7), px(1, 1, 2, 7), px(1, 2, 2, 7)]);
    const fold = new STL10(root, { split: 'train', folds: 0 });
    expect(Array.from(fold.targets)).toEqual([3, 0]);
    const both = new STL10(root, { split: 'train+unlabeled' });
    expect(Array.from(both.targets)).toEqual([0, 9, 3, -1]);
    expect(() => new STL10(root, { split: 'test' })).toThrow(/STL10: dataset not found or incomplete in .*stl10_binary \(missing test_X\.bin, test_y\.bin\)/);
    expect(() => new STL10(root, { folds: 10 })).toThrow(/STL10\(\): folds must be an integer in \[0, 10\) \(got 10\)/);
  });
});

describe('SVHN from .mat files written by scipy.io.savemat', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'svhn.json'), 'utf8')) as Record<string, { images: number[][]; labels: number[] }>;
  for (const split of ['train', 'test'] as const) {
    it(`${split} (${split === 'train' ? 'compressed' : 'uncompressed'}) matches what torchvision's SVHN returns`, () => {
      const ds = new SVHN(join(FIXTURES, 'svhn'), { split });
      const e = expected[split]!;
      expect(ds.len()).toBe(e.labels.length);
      expect(Array.from(ds.targets)).toEqual(e.labels);
      expect(e.labels[0]).toBe(0); // the label 10 becomes 0
      for (let i = 0; i < ds.len(); i++) {
        const [img] = ds.getItem(i);
        // torchvision gives CHW; ours is an HWC Image: compare pixel by pixel.
        const chw = e.images[i]!;
        for (const [r, c] of [[0, 0], [5, 17], [31, 31]] as const) {
          expect(img.getPixel(c, r)).toEqual([0, 1, 2].map((ch) => chw[ch * 1024 + r * 32 + c]));
        }
      }
    });
  }
  it('readMat reports a non-.mat file clearly', () => {
    expect(() => readMat(Buffer.alloc(200), 'x.mat')).toThrow(/readMat\(\): x\.mat is not a MATLAB 5 \.mat file/);
    expect(() => new SVHN(root, { split: 'extra' })).toThrow(/SVHN: dataset not found: .*extra_32x32\.mat\. Use download: true to download it, or place extra_32x32\.mat \(md5 a93ce644f1a588dc4d68dda5feec44a7\) there/);
  });
});
