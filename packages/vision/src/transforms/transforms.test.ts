/**
 * The transform classes: they call the functional layer with validated or drawn parameters, so
 * these tests check the wiring (same result as the functional call with the same parameters),
 * the random draws (seeded runs repeat exactly, getParams stays in range, p = 0 / 1), batches,
 * Image inputs, errors and worker descriptors. Pixel math is covered by functional.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, rand, setBackend, tensor, type Tensor } from '@flint/core';
import { Image } from '../image.js';
import * as F from './functional/index.js';
import * as T from './index.js';

const BACKENDS = ['wasm', 'cpu'] as const;
const same = (a: Tensor, b: Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};
const g = (seed: number) => new Generator(seed);

for (const backend of BACKENDS) {
  describe(`transforms [${backend}]`, () => {
    let x: Tensor;
    let u: Tensor;
    let batch: Tensor;
    beforeAll(async () => {
      await setBackend(backend);
      x = rand([3, 12, 16], { generator: g(1) });
      u = tensor(Int32Array.from({ length: 3 * 12 * 16 }, (_, i) => (i * 53) % 256), { dtype: 'int32' }).reshape([3, 12, 16]);
      batch = rand([4, 3, 12, 16], { generator: g(2) });
    });

    it('Compose is a loop: ToTensor then Normalize on an Image', () => {
      const img = new Image(Uint8Array.from({ length: 28 * 28 }, (_, i) => i % 256), 28, 28, 'L');
      const t = new T.Compose([new T.ToTensor(), new T.Normalize([0.5], [0.5])]);
      const y = t(img);
      expect(y.shape).toEqual([1, 28, 28]);
      expect(y.dtype).toBe('float32');
      expect(y.dataSync()[3]).toBeCloseTo((3 / 255 - 0.5) / 0.5, 6);
      expect(String(t)).toBe('Compose(\n    ToTensor()\n    Normalize([0.5], [0.5])\n)');
    });

    it('deterministic transforms call the functional layer', () => {
      same(new T.Resize(6, { antialias: false })(x), F.resize(x, 6, { antialias: false }));
      same(new T.CenterCrop([5, 7])(u), F.centerCrop(u, [5, 7]));
      same(new T.Pad([1, 2], { paddingMode: 'reflect' })(x), F.pad(x, [1, 2], 0, 'reflect'));
      same(new T.Grayscale({ numOutputChannels: 3 })(u), F.rgbToGrayscale(u, 3));
      same(new T.ConvertImageDtype('float32')(u), F.convertImageDtype(u, 'float32'));
      const crops = new T.TenCrop(4)(x);
      expect(crops.length).toBe(10);
      same(crops[5] as Tensor, F.fiveCrop(F.hflip(x), 4)[0]);
      expect(new T.FiveCrop([3, 4])(x).map((c) => (c as Tensor).shape)).toEqual(Array(5).fill([3, 3, 4]));
    });

    it('random transforms repeat exactly with the same seed and draw from the generator', () => {
      const make = (seed: number) => [
        new T.RandomCrop(8, { padding: 2, generator: g(seed) }),
        new T.RandomResizedCrop([6, 6], { generator: g(seed) }),
        new T.RandomRotation(30, { generator: g(seed) }),
        new T.RandomAffine(20, { translate: [0.1, 0.1], scale: [0.8, 1.2], shear: [-5, 5, -5, 5], generator: g(seed) }),
        new T.RandomPerspective({ p: 1, generator: g(seed) }),
        new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, generator: g(seed) }),
        new T.GaussianBlur(3, { generator: g(seed) }),
        new T.RandomErasing({ p: 1, value: 'random', generator: g(seed) }),
      ];
      const a = make(7).map((t) => t(x));
      const b = make(7).map((t) => t(x));
      const c = make(8).map((t) => t(x));
      a.forEach((y, i) => same(y, b[i]!));
      expect(a.filter((y, i) => y.shape.join() === c[i]!.shape.join() && Array.from(y.dataSync()).join() === Array.from(c[i]!.dataSync()).join()).length).toBeLessThan(a.length);
    });

    it('a random transform equals the functional call with the parameters getParams draws', () => {
      const t = new T.RandomResizedCrop(5, { scale: [0.2, 0.9], ratio: [0.5, 2], antialias: false, generator: g(3) });
      const [i, j, h, w] = T.RandomResizedCrop.getParams(x, [0.2, 0.9], [0.5, 2], g(3));
      same(t(x), F.resizedCrop(x, i, j, h, w, [5, 5], { antialias: false }));
      const r = new T.RandomRotation([10, 20], { interpolation: 'bilinear', generator: g(4) });
      const angle = T.RandomRotation.getParams([10, 20], g(4));
      expect(angle).toBeGreaterThanOrEqual(10);
      expect(angle).toBeLessThan(20);
      same(r(x), F.rotate(x, angle, { interpolation: 'bilinear', fill: [0, 0, 0] }));
      const cj = T.ColorJitter.getParams([0.5, 1.5], null, [0, 2], [-0.1, 0.1], g(5));
      expect([...cj.fnIdx].sort()).toEqual([0, 1, 2, 3]);
      expect(cj.contrast).toBeNull();
    });

    it('getParams stay in range over many draws', () => {
      const gen = g(11);
      for (let k = 0; k < 200; k++) {
        const [i, j, h, w] = T.RandomResizedCrop.getParams(x, [0.08, 1], [3 / 4, 4 / 3], gen);
        expect(i >= 0 && j >= 0 && h > 0 && w > 0 && i + h <= 12 && j + w <= 16).toBe(true);
        const [ci, cj, ch, cw] = T.RandomCrop.getParams(x, [5, 9], gen);
        expect([ch, cw]).toEqual([5, 9]);
        expect(ci >= 0 && ci <= 7 && cj >= 0 && cj <= 7).toBe(true);
        const p = T.RandomAffine.getParams([-10, 10], [0.2, 0.1], [0.9, 1.1], [-3, 3], [16, 12], gen);
        expect(Math.abs(p.translate[0]) <= 3.2 && Math.abs(p.translate[1]) <= 1.2 && p.scale >= 0.9 && p.scale < 1.1).toBe(true);
      }
      // Impossible ratios fall back to a central crop, as torchvision.
      expect(T.RandomResizedCrop.getParams(x, [0.99, 1], [10, 20], g(1))).toEqual([5, 0, 2, 16]);
    });

    it('p = 0 returns the input, p = 1 always applies', () => {
      expect(new T.RandomHorizontalFlip({ p: 0 })(x)).toBe(x);
      same(new T.RandomHorizontalFlip({ p: 1 })(x), F.hflip(x));
      same(new T.RandomVerticalFlip({ p: 1 })(u), F.vflip(u));
      same(new T.RandomInvert({ p: 1 })(u), F.invert(u));
      same(new T.RandomPosterize(3, { p: 1 })(u), F.posterize(u, 3));
      same(new T.RandomSolarize(100, { p: 1 })(u), F.solarize(u, 100));
      same(new T.RandomAdjustSharpness(2, { p: 1 })(x), F.adjustSharpness(x, 2));
      same(new T.RandomAutocontrast({ p: 1 })(u), F.autocontrast(u));
      same(new T.RandomEqualize({ p: 1 })(u), F.equalize(u));
      same(new T.RandomGrayscale({ p: 1 })(x), F.rgbToGrayscale(x, 3));
      expect(new T.RandomApply([new T.RandomHorizontalFlip({ p: 1 })], { p: 0 })(x)).toBe(x);
      expect(new T.RandomErasing({ p: 0 })(x)).toBe(x);
    });

    it('a flip with p = 0.5 flips about half the time', () => {
      const t = new T.RandomHorizontalFlip({ generator: g(9) });
      const img = tensor([[[1, 2]]]);
      let flips = 0;
      for (let k = 0; k < 400; k++) if (t(img).dataSync()[0] === 2) flips++;
      expect(flips).toBeGreaterThan(150);
      expect(flips).toBeLessThan(250);
    });

    it('batches [N, C, H, W] get one draw for the whole batch', () => {
      const y = new T.RandomCrop(6, { generator: g(2) })(batch);
      expect(y.shape).toEqual([4, 3, 6, 6]);
      const [i, j] = T.RandomCrop.getParams(batch, [6, 6], g(2));
      same(y, F.crop(batch, i, j, 6, 6));
      expect(new T.Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2])(batch).shape).toEqual([4, 3, 12, 16]);
      expect(new T.Resize([6, 8])(batch).shape).toEqual([4, 3, 6, 8]);
    });

    it('Images in, Images out; ToTensor at the end', () => {
      const img = new Image(Uint8Array.from({ length: 10 * 8 * 3 }, (_, i) => i % 256), 10, 8, 'RGB');
      const t = new T.Compose([new T.Resize([4, 5]), new T.RandomHorizontalFlip({ p: 1 }), new T.CenterCrop(4)]);
      const out = t(img);
      expect(out).toBeInstanceOf(Image);
      expect(out.size).toEqual([4, 4]);
      same(new T.PILToTensor()(out), F.centerCrop(F.hflip(F.resize(F.pilToTensor(img), [4, 5])), 4));
      same(new T.ToTensor()(out), F.convertImageDtype(new T.PILToTensor()(out), 'float32'));
    });

    it('RandomChoice picks by weight, RandomOrder applies all', () => {
      const add = (k: number) => new T.Lambda((t: Tensor) => t.add(k));
      const zero = tensor([0]);
      expect(new T.RandomChoice([add(1), add(2)], { p: [0, 1], generator: g(1) })(zero).item()).toBe(2);
      expect(new T.RandomOrder([add(1), add(10), add(100)], { generator: g(1) })(zero).item()).toBe(111);
      const seen = new Set<number>();
      const rc = new T.RandomChoice([add(1), add(2), add(3)], { generator: g(5) });
      for (let k = 0; k < 60; k++) seen.add(rc(zero).item());
      expect([...seen].sort()).toEqual([1, 2, 3]);
    });

    it('errors name the class, the argument, what was expected and what was given', () => {
      expect(() => new T.RandomResizedCrop(224, { scale: [1, 0.08] })).toThrow(/RandomResizedCrop\(\): scale should be of kind \[min, max\] \(got \[1,0.08\]\)/);
      expect(() => new T.RandomHorizontalFlip({ p: 2 })).toThrow(/RandomHorizontalFlip\(\): p must be a probability in \[0, 1\] \(got 2\)/);
      expect(() => new T.Normalize([0.5], [0])(x)).toThrow(/normalize\(\): std evaluated to zero at channel 0/);
      expect(() => new T.Normalize([0.5], [0.5])(u)).toThrow(/normalize\(\): tensor must be float32 \(got int32\)/);
      expect(() => new T.RandomCrop(20)(x)).toThrow(/RandomCrop.getParams\(\): required crop size \[20, 20\] is larger than input image size \[12, 16\]/);
      expect(() => new T.GaussianBlur(4)).toThrow(/GaussianBlur\(\): kernelSize values should be odd and positive \(got 4\)/);
      expect(() => new T.Resize([1, 2, 3])).toThrow(/Resize\(\): size must be an integer > 0, \[n\] or \[height, width\] \(got \[1,2,3\]\)/);
      expect(() => new T.ColorJitter({ hue: 0.7 })).toThrow(/ColorJitter\(\): hue values should be between \[-0.5, 0.5\]/);
      expect(() => F.posterize(x, 2)).toThrow(/posterize\(\): img must be an int32 image of 0..255/);
      expect(() => new T.Compose([42 as never])).toThrow(/Compose\(\): transforms\[0\] must be a transform or a function \(got number\)/);
    });

    it('RandomCrop pads when asked and padIfNeeded grows small images', () => {
      const small = rand([3, 5, 6], { generator: g(1) });
      const y = new T.RandomCrop([8, 9], { padIfNeeded: true, fill: 0.5, generator: g(1) })(small);
      expect(y.shape).toEqual([3, 8, 9]);
      expect(Array.from(y.dataSync()).filter((v) => v === 0.5).length).toBe(3 * (8 * 9 - 5 * 6));
    });

    it('RandomErasing writes its value inside one box', () => {
      const y = new T.RandomErasing({ p: 1, value: [7, 8, 9], generator: g(6) })(x);
      const d = y.dataSync();
      const count = (v: number, c: number) => Array.from(d.subarray(c * 192, (c + 1) * 192)).filter((z) => z === v).length;
      expect(count(7, 0)).toBeGreaterThan(0);
      expect(count(7, 0)).toBe(count(8, 1));
      expect(count(8, 1)).toBe(count(9, 2));
    });

    it('workerDescriptor rebuilds the same transform from the transforms index', async () => {
      const t = new T.Compose([new T.CenterCrop(4), new T.Normalize([0.1, 0.2, 0.3], [0.5, 0.5, 0.5])]);
      const rebuild = async (d: { module: string; exportName: string; args: readonly unknown[] }): Promise<unknown> => {
        const mod = (await import(d.module)) as Record<string, new (...a: unknown[]) => unknown>;
        const args = await Promise.all(
          d.args.map(async (a) =>
            Array.isArray(a) ? Promise.all(a.map((v) => (v instanceof T.Transform ? rebuild(v.workerDescriptor()) : v))) : a,
          ),
        );
        return new mod[d.exportName]!(...args);
      };
      const d = t.workerDescriptor();
      expect(d.exportName).toBe('Compose');
      const copy = (await rebuild(d)) as T.Compose;
      same(copy(x), t(x));
    });
  });
}
