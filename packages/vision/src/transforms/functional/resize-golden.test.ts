/**
 * Resizing against torchvision 0.14's tensor path (fixtures/resize.json, from
 * tools/fixtures/vision_resize.py), on the wasm and cpu backends: bicubic (A = -0.75,
 * align_corners false) with antialias off and on (PyTorch's antialiased kernels: PIL's cubic,
 * A = -0.5) at integer and fractional scales, down, up and mixed, on float and uint8 images,
 * batches and gray images, a hard-edged image whose overshoot is clamped, 1-2 pixel images;
 * bilinear and nearest beside them; nearest-exact against torch's interpolate; the Resize and
 * resizedCrop size rules.
 *
 * Tolerances, stated per dtype:
 * - float32: 2e-6 absolute (inputs in [0, 1]). PyTorch's x86 build sums in float32 with fused
 *   multiply-adds; Flint computes the weights as PyTorch does (float32 scale, source index in
 *   double, float32 weights) and sums in double, so results differ in the last bits (observed
 *   at most 1.5e-6, mostly under 7e-7).
 * - uint8 semantics (int32): every value within 1 of torchvision's, and at most 0.1% of the
 *   values off by one (a result within float32 rounding of a .5 tie, rounded to the other side),
 *   3% on the black-and-white checkerboard `edges_*` cases, where nearly every pixel is such a
 *   tie. Nearest and nearest-exact: exact.
 *
 * The Image path (interleaved bytes, used for datasets' images) must equal the int32 tensor path
 * byte for byte on every uint8 case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scope, setBackend, type Tensor } from '@flint/core';
import { BACKENDS, decode, expectMatches, loadFixture } from '../../../test/golden.js';
import { Resize } from '../resize.js';
import * as F from './index.js';
import { toPILImage, pilToTensor } from './convert.js';
import type { InterpolationMode } from './interpolate.js';

const FLOAT_ATOL = 2e-6;
const SIZES: Record<string, [number, number]> = { half: [9, 13], quarter: [5, 6], frac: [15, 20], up: [26, 37], up2: [38, 54], mixed: [30, 10] };

/** Every case as a function of the input (uint8 cases are exact, float ones within FLOAT_ATOL). */
const calls: Record<string, (x: Tensor) => Tensor> = {};
const bicubic = (antialias: boolean) => ({ interpolation: 'bicubic' as const, antialias });
for (const antialias of [false, true]) {
  const tag = antialias ? 'aa' : 'noaa';
  for (const [nm, size] of Object.entries(SIZES)) {
    calls[`bicubic_${tag}_${nm}_f`] = (x) => F.resize(x, size, bicubic(antialias));
    calls[`bicubic_${tag}_${nm}_u`] = (x) => F.resize(x, size, bicubic(antialias));
  }
  Object.assign(calls, {
    [`bicubic_${tag}_batch_f`]: (x: Tensor) => F.resize(x, [11, 7], bicubic(antialias)),
    [`bicubic_${tag}_batch_u`]: (x: Tensor) => F.resize(x, [23, 31], bicubic(antialias)),
    [`bicubic_${tag}_gray_f`]: (x: Tensor) => F.resize(x, [7, 10], bicubic(antialias)),
    [`bicubic_${tag}_edges_down_u`]: (x: Tensor) => F.resize(x, [17, 19], bicubic(antialias)),
    [`bicubic_${tag}_edges_up_u`]: (x: Tensor) => F.resize(x, [41, 47], bicubic(antialias)),
    [`bicubic_${tag}_tiny_up_f`]: (x: Tensor) => F.resize(x, [5, 7], bicubic(antialias)),
    [`bicubic_${tag}_line_u`]: (x: Tensor) => F.resize(x, [3, 4], bicubic(antialias)),
    [`bilinear_${tag}_frac_u`]: (x: Tensor) => F.resize(x, [15, 20], { antialias }),
    [`bilinear_${tag}_up_u`]: (x: Tensor) => F.resize(x, [26, 37], { antialias }),
    [`bilinear_${tag}_quarter_f`]: (x: Tensor) => F.resize(x, [5, 6], { antialias }),
    [`Resize_bicubic_short_${tag}_u`]: (x: Tensor) => new Resize(12, bicubic(antialias))(x),
    [`Resize_bicubic_max_size_${tag}_f`]: (x: Tensor) => new Resize(15, { ...bicubic(antialias), maxSize: 20 })(x),
    [`resized_crop_bicubic_${tag}_u`]: (x: Tensor) => F.resizedCrop(x, 3, 4, 13, 20, [10, 10], bicubic(antialias)),
  });
}
for (const nm of ['half', 'frac', 'up']) {
  calls[`nearest_exact_${nm}_u`] = (x) => F.resize(x, SIZES[nm]!, { interpolation: 'nearest-exact' as InterpolationMode });
  calls[`nearest_${nm}_f`] = (x) => F.resize(x, SIZES[nm]!, { interpolation: 'nearest' });
}

/** The allowed share of uint8 values off by one (see the tolerances above). */
const tieShare = (name: string) => (name.includes('edges') ? 0.03 : name.startsWith('nearest') ? 0 : 0.001);

const cases = loadFixture('resize');
it('resize: every case has a call and every call a case', () => {
  expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(calls).sort());
});
for (const backend of BACKENDS) {
  describe(`resize [${backend}]`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });
    for (const c of cases) {
      it(c.name, () => {
        scope(() => {
          const out = calls[c.name]!(decode(c.inputs[0]!));
          const expected = c.outputs[0]!;
          if (expected.dtype === 'float32') expectMatches(out, expected, c.name.startsWith('nearest') ? 0 : FLOAT_ATOL, 0, c.name);
          else {
            expectMatches(out, expected, 1, 0, c.name);
            expectMatches(out, expected, 0, tieShare(c.name), c.name);
          }
        });
      });
    }
  });
}

describe('resize on an Image equals the int32 tensor path, byte for byte', () => {
  for (const c of cases) {
    const input = c.inputs[0]!;
    // An Image holds one image of 1 to 4 channels: the uint8 cases that are not batches.
    if (input.dtype !== 'int32' || input.shape.length !== 3) continue;
    it(c.name, () => {
      scope(() => {
        const x = decode(input);
        const viaTensor = calls[c.name]!(x);
        const viaImage = pilToTensor(calls[c.name]!(toPILImage(x) as never) as never);
        expect(viaImage.shape).toEqual(viaTensor.shape);
        expect(Array.from(viaImage.dataSync())).toEqual(Array.from(viaTensor.dataSync()));
      });
    });
  }
});
