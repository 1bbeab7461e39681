import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@flint/core';
import sharp from 'sharp';
import { Image } from '../image.js';
import { Compose, Resize, ToTensor } from '../transforms/index.js';
import { DatasetFolder, ImageFolder, IMG_EXTENSIONS } from './folder.js';

const root = mkdtempSync(join(tmpdir(), 'flint-vision-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function writeImage(path: string, value: number, format: 'png' | 'jpeg', w = 6, h = 4): Promise<void> {
  const raw = Buffer.alloc(w * h * 3, value);
  const s = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
  await (format === 'png' ? s.png() : s.jpeg({ quality: 100 })).toFile(path);
}

describe('ImageFolder on PNG and JPEG files written by sharp', () => {
  beforeAll(async () => {
    await setBackend('wasm');
    for (const [cls, files] of Object.entries({ dog: ['b.png', 'a.jpg', 'sub/c.PNG'], cat: ['x.jpeg', 'notes.txt'], zebra: ['z.webp'] })) {
      for (const f of files) {
        const path = join(root, 'train', cls, f);
        mkdirSync(join(path, '..'), { recursive: true });
        if (f.endsWith('.txt')) writeFileSync(path, 'not an image');
        else if (f.endsWith('.webp')) await sharp(Buffer.alloc(12, 7), { raw: { width: 2, height: 2, channels: 3 } }).webp().toFile(path);
        else await writeImage(path, cls === 'dog' ? 200 : 50, f.toLowerCase().endsWith('png') ? 'png' : 'jpeg');
      }
    }
  });

  it('finds classes from folder names (sorted) and samples in sorted walk order', () => {
    const ds = new ImageFolder(join(root, 'train'));
    expect(ds.classes).toEqual(['cat', 'dog', 'zebra']);
    expect(ds.classToIdx).toEqual({ cat: 0, dog: 1, zebra: 2 });
    expect(ds.samples.map(([p, t]) => [p.slice(join(root, 'train').length + 1), t])).toEqual([
      ['cat/x.jpeg', 0],
      ['dog/a.jpg', 1],
      ['dog/b.png', 1],
      ['dog/sub/c.PNG', 1],
      ['zebra/z.webp', 2],
    ]);
    expect(ds.imgs).toBe(ds.samples);
    expect(ds.targets).toEqual([0, 1, 1, 1, 2]);
  });

  it('loads RGB Images asynchronously, and transforms them', async () => {
    const ds = new ImageFolder(join(root, 'train'));
    const [img, y] = await ds.getItem(2);
    expect(img).toBeInstanceOf(Image);
    expect(img.mode).toBe('RGB');
    expect(img.getPixel(0, 0)).toEqual([200, 200, 200]);
    expect(y).toBe(1);
    const t = new ImageFolder(join(root, 'train'), { transform: new Compose([new Resize([8, 8]), new ToTensor()]) });
    const [x] = await t.getItem(0);
    expect(x.shape).toEqual([3, 8, 8]);
    expect(x.dataSync()[0]).toBeCloseTo(50 / 255, 1);
  });

  it("gives torchvision's error when a class has no valid file", () => {
    mkdirSync(join(root, 'empty', 'a'), { recursive: true });
    mkdirSync(join(root, 'empty', 'b'), { recursive: true });
    writeFileSync(join(root, 'empty', 'b', 'readme.md'), '');
    expect(() => new ImageFolder(join(root, 'empty'))).toThrow(
      `Found no valid file for the classes a, b. Supported extensions are: ${IMG_EXTENSIONS.join(', ')}`,
    );
    expect(new ImageFolder(join(root, 'empty'), { allowEmpty: true }).len()).toBe(0);
    mkdirSync(join(root, 'flat'), { recursive: true });
    expect(() => new ImageFolder(join(root, 'flat'))).toThrow(/Couldn't find any class folder in .*flat\./);
  });

  it('DatasetFolder takes a loader with extensions or isValidFile, not both', () => {
    const ds = new DatasetFolder(join(root, 'train'), (p) => p.length, { extensions: '.txt', allowEmpty: true });
    expect(ds.getItem(0)).toEqual([join(root, 'train', 'cat', 'notes.txt').length, 0]);
    expect(() => new DatasetFolder(join(root, 'train'), (p) => p, { extensions: ['.txt', '.md'] })).toThrow(
      /Found no valid file for the classes dog, zebra\. Supported extensions are: \.txt, \.md/,
    );
    expect(ds.len()).toBe(1);
    expect(() => new DatasetFolder(join(root, 'train'), (p) => p, { extensions: '.txt', isValidFile: () => true })).toThrow(/give either extensions or isValidFile/);
    const only = new ImageFolder(join(root, 'train'), { isValidFile: (p) => p.endsWith('.jpg') || p.endsWith('.jpeg'), allowEmpty: true });
    expect(only.len()).toBe(2);
  });

  it('an unreadable image fails on getItem, naming the file', async () => {
    writeFileSync(join(root, 'train', 'cat', 'broken.png'), 'garbage');
    const ds = new ImageFolder(join(root, 'train'));
    const i = ds.samples.findIndex(([p]) => p.endsWith('broken.png'));
    await expect(ds.getItem(i)).rejects.toThrow(/loadImage\(\): cannot decode .*broken\.png/);
  });
});
