/**
 * Transforms on batches and on Images.
 *
 * Batches: every transform applied to a batch `[N, C, H, W]` equals the same transform applied to
 * each image alone with the same draws (one draw for the whole batch, as torchvision): the random
 * ones are built twice from the same seed, so the per-image calls draw what the batch call drew.
 *
 * Images: the geometric functions have a path of their own for an `Image` (interleaved bytes, no
 * tensor); it must give the bytes of the int32 tensor path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, rand, setBackend, stack, tensor, type Tensor } from '@flint/core';
import { Image } from '../image.js';
import * as F from './functional/index.js';
import * as T from './index.js';

const g = (s: number) => new Generator(s);
type Make = (seed: number) => (x: never) => unknown;
const MAKERS: Record<string, Make> = {
  Resize: () => new T.Resize([7, 9], { interpolation: 'bicubic' }),
  CenterCrop: () => new T.CenterCrop(8),
  FiveCrop: () => new T.FiveCrop(5),
  TenCrop: () => new T.TenCrop(5),
  Pad: () => new T.Pad(2, { paddingMode: 'reflect' }),
  RandomCrop: (s) => new T.RandomCrop(8, { padding: 1, generator: g(s) }),
  RandomResizedCrop: (s) => new T.RandomResizedCrop(8, { generator: g(s) }),
  RandomHorizontalFlip: (s) => new T.RandomHorizontalFlip({ p: 1, generator: g(s) }),
  RandomVerticalFlip: (s) => new T.RandomVerticalFlip({ p: 1, generator: g(s) }),
  RandomRotation: (s) => new T.RandomRotation(30, { generator: g(s) }),
  RandomAffine: (s) => new T.RandomAffine(20, { translate: [0.1, 0.1], scale: [0.9, 1.1], shear: 5, generator: g(s) }),
  RandomPerspective: (s) => new T.RandomPerspective({ p: 1, generator: g(s) }),
  ColorJitter: (s) => new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, generator: g(s) }),
  Grayscale: () => new T.Grayscale({ numOutputChannels: 3 }),
  RandomGrayscale: (s) => new T.RandomGrayscale({ p: 1, generator: g(s) }),
  GaussianBlur: (s) => new T.GaussianBlur(3, { generator: g(s) }),
  RandomErasing: (s) => new T.RandomErasing({ p: 1, generator: g(s) }),
  RandomInvert: (s) => new T.RandomInvert({ p: 1, generator: g(s) }),
  RandomPosterize: (s) => new T.RandomPosterize(3, { p: 1, generator: g(s) }),
  RandomSolarize: (s) => new T.RandomSolarize(100, { p: 1, generator: g(s) }),
  RandomAdjustSharpness: (s) => new T.RandomAdjustSharpness(2, { p: 1, generator: g(s) }),
  RandomAutocontrast: (s) => new T.RandomAutocontrast({ p: 1, generator: g(s) }),
  RandomEqualize: (s) => new T.RandomEqualize({ p: 1, generator: g(s) }),
  AutoAugment: (s) => new T.AutoAugment({ generator: g(s) }),
  RandAugment: (s) => new T.RandAugment({ generator: g(s) }),
  TrivialAugmentWide: (s) => new T.TrivialAugmentWide({ generator: g(s) }),
  ConvertImageDtype: () => new T.ConvertImageDtype('float32'),
};
/** The transforms torchvision defines for uint8 images only (or that need a threshold in 0..255). */
const UINT8_ONLY = new Set(['RandomPosterize', 'RandomEqualize', 'RandomSolarize', 'AutoAugment', 'RandAugment', 'TrivialAugmentWide', 'ConvertImageDtype']);
const list = (y: unknown) => (Array.isArray(y) ? y : [y]) as Tensor[];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`transforms on a batch equal the transform of each image with the same draws [${backend}]`, () => {
    let fb: Tensor;
    let ub: Tensor;
    beforeAll(async () => {
      await setBackend(backend);
      fb = rand([2, 3, 12, 16], { generator: g(1) });
      ub = tensor(Int32Array.from({ length: 2 * 3 * 12 * 16 }, (_, i) => (i * 53 + (i >> 4)) % 256), { dtype: 'int32' }).reshape([2, 3, 12, 16]);
    });
    for (const [name, make] of Object.entries(MAKERS)) {
      for (const kind of UINT8_ONLY.has(name) ? ['int32'] : ['float32', 'int32']) {
        it(`${name} (${kind})`, () => {
          const b = kind === 'float32' ? fb : ub;
          for (const seed of [5, 6, 7]) {
            const whole = list(make(seed)(b as never));
            const each = [0, 1].map((i) => list(make(seed)(b.index(i) as never)));
            expect(whole.length).toBe(each[0]!.length);
            whole.forEach((y, k) => {
              const expected = stack([each[0]![k]!, each[1]![k]!]);
              expect(y.shape).toEqual(expected.shape);
              expect(y.dtype).toBe(expected.dtype);
              expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
            });
          }
        });
      }
    }
  });
}

describe('the Image paths of resize, resizedCrop, crop, centerCrop and hflip equal the int32 tensor path', () => {
  const images = [
    new Image(Uint8Array.from({ length: 17 * 23 * 3 }, (_, i) => (i * 97 + (i >> 3)) % 256), 23, 17, 'RGB'),
    new Image(Uint8Array.from({ length: 9 * 14 }, (_, i) => (i * 31) % 256), 14, 9, 'L'),
    new Image(Uint8Array.from({ length: 10 * 7 * 4 }, (_, i) => (i * 59) % 256), 7, 10, 'RGBA'),
    new Image(Uint8Array.from({ length: 5 * 6 * 2 }, (_, i) => (i * 71) % 256), 6, 5, 'LA'),
  ];
  const calls: Record<string, (x: never) => Tensor | Image> = {};
  for (const interpolation of ['nearest', 'nearest-exact', 'bilinear', 'bicubic'] as const) {
    for (const antialias of [false, true]) {
      calls[`resize down ${interpolation} aa=${antialias}`] = (x) => F.resize(x, [4, 3], { interpolation, antialias });
      calls[`resize up ${interpolation} aa=${antialias}`] = (x) => F.resize(x, [19, 26], { interpolation, antialias });
      calls[`resize short edge ${interpolation} aa=${antialias}`] = (x) => F.resize(x, 6, { interpolation, antialias });
      calls[`resizedCrop inside ${interpolation} aa=${antialias}`] = (x) => F.resizedCrop(x, 1, 2, 4, 3, [6, 5], { interpolation, antialias });
    }
  }
  Object.assign(calls, {
    'resizedCrop partly outside': (x: never) => F.resizedCrop(x, -2, 3, 6, 6, [4, 4]),
    'crop inside': (x: never) => F.crop(x, 1, 2, 3, 4),
    'crop partly outside': (x: never) => F.crop(x, -2, 4, 8, 9),
    'centerCrop': (x: never) => F.centerCrop(x, [3, 4]),
    'centerCrop larger than the image (padded)': (x: never) => F.centerCrop(x, [12, 25]),
    'hflip': (x: never) => F.hflip(x),
  });
  for (const [name, fn] of Object.entries(calls)) {
    it(name, () => {
      for (const img of images) {
        const viaImage = fn(img as never);
        expect(viaImage).toBeInstanceOf(Image);
        const viaTensor = fn(F.pilToTensor(img) as never) as Tensor;
        const bytes = F.pilToTensor(viaImage as Image);
        expect(bytes.shape).toEqual(viaTensor.shape);
        expect(Array.from(bytes.dataSync())).toEqual(Array.from(viaTensor.dataSync()));
      }
    });
  }
});
