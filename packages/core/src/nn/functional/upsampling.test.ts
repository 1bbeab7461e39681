import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS, runGolden } from '../../../test/golden.js';
import { interpolate, pixelShuffle, pixelUnshuffle } from './upsampling.js';

runGolden('upsampling', {
  nearest_scale2: (x) => interpolate(x, { scaleFactor: 2 }),
  nearest_scale3: (x) => interpolate(x, { scaleFactor: 3 }),
  nearest_size_uneven: (x) => interpolate(x, { size: [7, 5] }),
  nearest_scale_fraction: (x) => interpolate(x, { scaleFactor: 1.7 }),
  nearest_scale_per_dim: (x) => interpolate(x, { scaleFactor: [2, 0.5] }),
  nearest_downsample: (x) => interpolate(x, { size: 3 }),
  nearest_recompute: (x) => interpolate(x, { scaleFactor: 1.7, recomputeScaleFactor: true }),
  nearest_1d: (x) => interpolate(x, { size: 7 }),
  nearest_exact: (x) => interpolate(x, { size: [5, 7], mode: 'nearest-exact' }),
  nearest_exact_down: (x) => interpolate(x, { scaleFactor: 0.6, mode: 'nearest-exact' }),
  linear_1d: (x) => interpolate(x, { size: 9, mode: 'linear' }),
  linear_1d_align: (x) => interpolate(x, { scaleFactor: 2.5, mode: 'linear', alignCorners: true }),
  bilinear_scale2: (x) => interpolate(x, { scaleFactor: 2, mode: 'bilinear' }),
  bilinear_align_corners: (x) => interpolate(x, { size: [7, 6], mode: 'bilinear', alignCorners: true }),
  bilinear_downsample: (x) => interpolate(x, { size: [3, 2], mode: 'bilinear' }),
  bilinear_downsample_align: (x) => interpolate(x, { size: [3, 4], mode: 'bilinear', alignCorners: true }),
  bilinear_scale_fraction: (x) => interpolate(x, { scaleFactor: [1.3, 0.7], mode: 'bilinear' }),
  bilinear_to_one: (x) => interpolate(x, { size: [1, 3], mode: 'bilinear', alignCorners: true }),
  area: (x) => interpolate(x, { size: [3, 2], mode: 'area' }),
  area_scale: (x) => interpolate(x, { scaleFactor: 0.5, mode: 'area' }),
  pixel_shuffle: (x) => pixelShuffle(x, 2),
  pixel_shuffle_batch_dims: (x) => pixelShuffle(x, 3),
  pixel_unshuffle: (x) => pixelUnshuffle(x, 2),
});

for (const backendName of BACKENDS) {
  describe(`upsampling [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('pixelUnshuffle inverts pixelShuffle', () => {
      const x = flint.randn([2, 12, 3, 4]);
      assertClose(pixelUnshuffle(pixelShuffle(x, 2), 2), x, { atol: 0, rtol: 0 });
    });

    it('nearest upsampling by an integer factor repeats every element', () => {
      const x = flint.tensor([[[[1, 2]]]]);
      expect(interpolate(x, { scaleFactor: 2 }).tolist()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2]]]]);
    });

    it('nearest sampling keeps infinities and NaN where they are', () => {
      const x = flint.tensor([[[Infinity, NaN, 1]]]);
      const y = interpolate(x, { size: 5 });
      const v = Array.from(y.dataSync());
      expect(v[0]).toBe(Infinity);
      expect(v.filter((e) => Number.isNaN(e)).length).toBe(2);
    });

    it('errors name the function and the argument', () => {
      const x = flint.randn([1, 2, 4, 4]);
      expect(() => interpolate(x, {})).toThrow(/interpolate\(\): exactly one of size and scaleFactor must be given/);
      expect(() => interpolate(x, { size: 2, scaleFactor: 2 })).toThrow(/exactly one/);
      expect(() => interpolate(x, { size: [2, 2, 2] })).toThrow(/size must have one entry per spatial dimension \(2\)/);
      expect(() => interpolate(x, { size: 2, mode: 'linear' })).toThrow(/interpolate\(\): input must be 3-D \(N, C, L\) for mode 'linear' \(got shape \[1, 2, 4, 4\]\)/);
      expect(() => interpolate(flint.randn([1, 2, 4]), { size: 2, mode: 'bilinear' })).toThrow(ShapeError);
      expect(() => interpolate(x, { size: 2, alignCorners: true })).toThrow(/alignCorners can only be set with the interpolating modes/);
      expect(() => interpolate(x, { scaleFactor: 0.1 })).toThrow(/makes the output size \[0, 0\]/);
      expect(() => interpolate(x, { size: 3, mode: 'cubic' as 'linear' })).toThrow(ArgumentError);
      expect(() => interpolate(x, { size: 3, recomputeScaleFactor: true })).toThrow(/recomputeScaleFactor is not meaningful with an explicit size/);
      expect(() => pixelShuffle(flint.randn([1, 6, 2, 2]), 2)).toThrow(/pixelShuffle\(\): input\.shape\[-3\] \(6\) must be divisible by upscaleFactor\^2 \(4\)/);
      expect(() => pixelUnshuffle(flint.randn([1, 1, 3, 4]), 2)).toThrow(/pixelUnshuffle\(\): the spatial size \[3, 4\] must be divisible by downscaleFactor \(2\)/);
      expect(() => pixelShuffle(flint.randn([4, 4]), 2)).toThrow(/at least 3 dimensions/);
    });
  });
}
