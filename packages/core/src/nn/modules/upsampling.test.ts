import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS } from '../../../test/golden.js';
import { interpolate, pixelShuffle, pixelUnshuffle } from '../functional/upsampling.js';
import { PixelShuffle, PixelUnshuffle, Upsample, UpsamplingBilinear2d, UpsamplingNearest2d } from './upsampling.js';

for (const backendName of BACKENDS) {
  describe(`upsampling modules [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('forward equals the functional form', () => {
      flint.scope(() => {
        const x = flint.randn([1, 4, 3, 5]);
        const same = (a: flint.Tensor, b: flint.Tensor): void => assertClose(a, b, { atol: 0, rtol: 0 });
        same(new Upsample({ scaleFactor: 2 })(x), interpolate(x, { scaleFactor: 2 }));
        same(new Upsample({ size: [4, 7], mode: 'bilinear', alignCorners: true })(x), interpolate(x, { size: [4, 7], mode: 'bilinear', alignCorners: true }));
        same(new Upsample({ scaleFactor: 1.5, mode: 'nearest-exact', recomputeScaleFactor: true })(x), interpolate(x, { scaleFactor: 1.5, mode: 'nearest-exact', recomputeScaleFactor: true }));
        same(new UpsamplingNearest2d({ size: 6 })(x), interpolate(x, { size: 6 }));
        same(new UpsamplingBilinear2d({ scaleFactor: 2 })(x), interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true }));
        same(new PixelShuffle(2)(x), pixelShuffle(x, 2));
        const y = flint.randn([2, 1, 4, 6]);
        same(new PixelUnshuffle(2)(y), pixelUnshuffle(y, 2));
      });
    });

    it('print like PyTorch', () => {
      expect(new Upsample({ scaleFactor: 2 }).toString()).toBe('Upsample(scaleFactor=2, mode=nearest)');
      expect(new Upsample({ size: [4, 5], mode: 'bilinear', alignCorners: true }).toString()).toBe('Upsample(size=[4, 5], mode=bilinear)');
      expect(new UpsamplingNearest2d({ scaleFactor: 2 }).toString()).toBe('UpsamplingNearest2d(scaleFactor=2, mode=nearest)');
      expect(new UpsamplingBilinear2d({ size: 4 }).toString()).toBe('UpsamplingBilinear2d(size=4, mode=bilinear)');
      expect(new PixelShuffle(2).toString()).toBe('PixelShuffle(upscaleFactor=2)');
      expect(new PixelUnshuffle(2).toString()).toBe('PixelUnshuffle(downscaleFactor=2)');
    });

    it('need exactly one of size and scaleFactor', () => {
      expect(() => new Upsample({})).toThrow(/Upsample\(\): exactly one of size and scaleFactor must be given/);
      expect(() => new UpsamplingNearest2d({ size: 2, scaleFactor: 2 })).toThrow(/UpsamplingNearest2d\(\): exactly one/);
    });
  });
}
