import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, type Tensor } from '@flint/core';
import { Image } from '../image.js';
import { applyOp, AutoAugment, RandAugment, TrivialAugmentWide } from './auto-augment.js';
import * as F from './functional/index.js';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`AutoAugment, RandAugment, TrivialAugmentWide [${backend}]`, () => {
    let u: Tensor;
    beforeAll(async () => {
      await setBackend(backend);
      u = tensor(Int32Array.from({ length: 3 * 16 * 20 }, (_, i) => (i * 97 + (i >> 5)) % 256), { dtype: 'int32' }).reshape([3, 16, 20]);
    });

    it('applyOp is the functional op with torchvision magnitudes', () => {
      const eq = (a: Tensor, b: Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      eq(applyOp(u, 'ShearX', 0.3, 'nearest', [0, 0, 0]), F.affine(u, { shear: [(Math.atan(0.3) * 180) / Math.PI, 0], center: [0, 0], fill: [0, 0, 0] }));
      eq(applyOp(u, 'TranslateY', -4.7, 'nearest', null), F.affine(u, { translate: [0, -4] }));
      eq(applyOp(u, 'Color', -0.5, 'nearest', null), F.adjustSaturation(u, 0.5));
      eq(applyOp(u, 'Posterize', 5.9, 'nearest', null), F.posterize(u, 5));
      eq(applyOp(u, 'Solarize', 128, 'nearest', null), F.solarize(u, 128));
      eq(applyOp(u.float().div(255), 'Solarize', 127.5, 'nearest', null), F.solarize(u.float().div(255), 0.5));
      expect(applyOp(u, 'Identity', 3, 'nearest', null)).toBe(u);
    });

    it('seeded runs repeat exactly; shapes and dtypes are kept', () => {
      for (const make of [
        (s: number) => new AutoAugment({ policy: 'imagenet', generator: new Generator(s) }),
        (s: number) => new AutoAugment({ policy: 'svhn', generator: new Generator(s) }),
        (s: number) => new RandAugment({ numOps: 3, magnitude: 12, generator: new Generator(s) }),
        (s: number) => new TrivialAugmentWide({ generator: new Generator(s) }),
      ]) {
        const a = make(3);
        const b = make(3);
        for (let k = 0; k < 15; k++) {
          const ya = a(u);
          const yb = b(u);
          expect(ya.shape).toEqual([3, 16, 20]);
          expect(ya.dtype).toBe('int32');
          expect(Array.from(ya.dataSync())).toEqual(Array.from(yb.dataSync()));
        }
      }
    });

    it('changes images most of the time and works on Images', () => {
      const t = new TrivialAugmentWide({ generator: new Generator(1) });
      let changed = 0;
      for (let k = 0; k < 30; k++) if (Array.from(t(u).dataSync()).join() !== Array.from(u.dataSync()).join()) changed++;
      expect(changed).toBeGreaterThan(15);
      const img = new Image(Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => i % 256), 8, 8, 'RGB');
      expect(new RandAugment({ generator: new Generator(2) })(img)).toBeInstanceOf(Image);
      expect(new AutoAugment().policies.length).toBe(25);
      expect(new AutoAugment({ policy: 'cifar10' }).policies.length).toBe(25);
    });

    it('validates its options', () => {
      expect(() => new AutoAugment({ policy: 'mnist' as never })).toThrow(/AutoAugment\(\): policy must be 'imagenet', 'cifar10' or 'svhn' \(got "mnist"\)/);
      expect(() => new RandAugment({ magnitude: 31 })).toThrow(/RandAugment\(\): magnitude must be an integer in \[0, numMagnitudeBins = 31\) \(got 31\)/);
    });
  });
}
