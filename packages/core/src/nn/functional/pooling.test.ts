import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS, runGolden } from '../../../test/golden.js';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  avgPool1d,
  avgPool2d,
  maxPool1d,
  maxPool2d,
  type MaxPool2dOptions,
} from './pooling.js';

runGolden('pool', {
  max_pool2d_basic: (x) => maxPool2d(x, 2),
  max_pool2d_odd_input: (x) => maxPool2d(x, 2),
  max_pool2d_overlap_padding: (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
  max_pool2d_tuple_args: (x) => maxPool2d(x, [3, 2], { stride: [1, 2], padding: [1, 0] }),
  max_pool2d_dilation: (x) => maxPool2d(x, 2, { stride: 1, dilation: 2 }),
  max_pool2d_dilation_stride_padding: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, dilation: 2 }),
  max_pool2d_ceil_mode: (x) => maxPool2d(x, 2, { ceilMode: true }),
  max_pool2d_ceil_mode_padding: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  max_pool2d_indices: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true }),
  max_pool2d_unbatched: (x) => maxPool2d(x, 2, { stride: 1 }),
  // Tied maxima: the whole gradient goes to the first one in each window, as in PyTorch; a
  // finite difference there sees a kink, so only the golden gradients apply.
  max_pool2d_ties: { fn: (x) => maxPool2d(x, 2, { returnIndices: true }), gradcheck: false },
  max_pool2d_ties_overlap: { fn: (x) => maxPool2d(x, 3, { stride: 1, padding: 1 }), gradcheck: false },
  max_pool2d_nan_inf: (x) => maxPool2d(x, 2, { returnIndices: true }),
  max_pool1d_basic: (x) => maxPool1d(x, 3),
  max_pool1d_options: (x) => maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }),
  max_pool1d_indices: (x) => maxPool1d(x, 2, { returnIndices: true }),
  avg_pool2d_basic: (x) => avgPool2d(x, 2),
  avg_pool2d_overlap_padding: (x) => avgPool2d(x, 3, { stride: 2, padding: 1 }),
  avg_pool2d_exclude_pad: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
  avg_pool2d_ceil_mode: (x) => avgPool2d(x, 2, { ceilMode: true }),
  avg_pool2d_ceil_mode_padding: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  avg_pool2d_ceil_mode_exclude_pad: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  avg_pool2d_divisor_override: (x) => avgPool2d(x, 2, { stride: 1, padding: 1, divisorOverride: 3 }),
  avg_pool2d_tuple_args: (x) => avgPool2d(x, [2, 3], { stride: [2, 1], padding: [1, 1] }),
  avg_pool2d_unused_tail: (x) => avgPool2d(x, 3, { stride: 3 }),
  avg_pool2d_unbatched: (x) => avgPool2d(x, 2),
  avg_pool1d_basic: (x) => avgPool1d(x, 3),
  avg_pool1d_options: (x) => avgPool1d(x, 4, { stride: 2, padding: 2, ceilMode: true, countIncludePad: false }),
  adaptive_avg_pool2d_divisible: (x) => adaptiveAvgPool2d(x, 3),
  adaptive_avg_pool2d_uneven: (x) => adaptiveAvgPool2d(x, [3, 4]),
  adaptive_avg_pool2d_global: (x) => adaptiveAvgPool2d(x, 1),
  adaptive_avg_pool2d_none: (x) => adaptiveAvgPool2d(x, [null, 2]),
  adaptive_avg_pool2d_larger: (x) => adaptiveAvgPool2d(x, [5, 4]),
  adaptive_avg_pool2d_unbatched: (x) => adaptiveAvgPool2d(x, 2),
  adaptive_avg_pool1d: (x) => adaptiveAvgPool1d(x, 3),
  adaptive_max_pool2d_uneven: (x) => adaptiveMaxPool2d(x, [3, 4]),
  adaptive_max_pool2d_indices: (x) => adaptiveMaxPool2d(x, 2, { returnIndices: true }),
  adaptive_max_pool2d_larger: (x) => adaptiveMaxPool2d(x, 4),
  adaptive_max_pool2d_ties: { fn: (x) => adaptiveMaxPool2d(x, 3, { returnIndices: true }), gradcheck: false },
  adaptive_max_pool1d: (x) => adaptiveMaxPool1d(x, 4, { returnIndices: true }),
});

for (const backendName of BACKENDS) {
  describe(`pooling [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('max pooling sends a tied window gradient to its first maximum only', () => {
      flint.scope(() => {
        const x = tensor([[[[1, 1], [1, 1]]]]).requiresGrad_();
        const [y, idx] = maxPool2d(x, 2, { returnIndices: true });
        expect(idx.dtype).toBe('int32');
        expect(idx.tolist()).toEqual([[[[0]]]]);
        y.sum().backward();
        assertClose(x.grad!, [[[[1, 0], [0, 0]]]]);
      });
    });

    it('overlapping windows add their gradients on a shared maximum', () => {
      flint.scope(() => {
        const x = tensor([[[0, 5, 1, 2]]]).requiresGrad_();
        maxPool1d(x, 2, { stride: 1 }).sum().backward();
        assertClose(x.grad!, [[[0, 2, 0, 1]]]);
      });
    });

    it('the max-pool gradient is differentiable again (gathers at the maxima)', () => {
      flint.scope(() => {
        const x = flint.randn([1, 1, 4, 4], { generator: new flint.Generator(3) }).requiresGrad_();
        const y = maxPool2d(x, 2);
        const v = flint.randn([1, 1, 2, 2], { generator: new flint.Generator(4) }).requiresGrad_();
        const [gx] = flint.autograd.grad([y], [x], { gradOutputs: [v], createGraph: true });
        const [gv] = flint.autograd.grad([gx!.mul(x).sum()], [v]);
        assertClose(gv!, y);
      });
    });

    it('return the same values as the functional composition they stand for', () => {
      flint.scope(() => {
        const x = flint.randn([2, 3, 8, 8]);
        assertClose(adaptiveAvgPool2d(x, 1), x.mean([2, 3], { keepdim: true }), { atol: 1e-6 });
        assertClose(avgPool2d(x, 8), x.mean([2, 3], { keepdim: true }), { atol: 1e-6 });
        assertClose(adaptiveMaxPool2d(x, 4), maxPool2d(x, 2));
        assertClose(adaptiveAvgPool2d(x, 2), avgPool2d(x, 4), { atol: 1e-6 });
      });
    });

    it('type the result by returnIndices: a tensor, a pair, or either for a runtime boolean', () => {
      flint.scope(() => {
        const x = flint.randn([1, 1, 4, 4]);
        const plain: Tensor = maxPool2d(x, 2, { stride: 1 });
        const [y, idx]: [Tensor, Tensor] = maxPool2d(x, 2, { returnIndices: true });
        const options: MaxPool2dOptions = { returnIndices: Math.random() > 2 };
        const either: Tensor | [Tensor, Tensor] = maxPool2d(x, 2, options);
        // @ts-expect-error a runtime boolean may give either form
        const notNarrowed: Tensor = maxPool2d(x, 2, options);
        const adaptive: Tensor = adaptiveMaxPool2d(x, 2);
        expect(Array.isArray(plain)).toBe(false);
        expect([y.shape, idx.dtype]).toEqual([[1, 1, 2, 2], 'int32']);
        expect(Array.isArray(either)).toBe(false);
        expect(notNarrowed).toBe(notNarrowed);
        expect(adaptive.shape).toEqual([1, 1, 2, 2]);
      });
    });

    it('leave no tensors behind outside a graph', () => {
      const x = flint.randn([2, 3, 7]);
      const before = flint.memory().numTensors;
      const outs: Tensor[] = [maxPool1d(x, 2), avgPool1d(x, 3, { padding: 1, countIncludePad: false }), adaptiveAvgPool1d(x, 3), ...adaptiveMaxPool1d(x, 2, { returnIndices: true })];
      expect(flint.memory().numTensors).toBe(before + outs.length);
      [x, ...outs].forEach((t) => t.dispose());
    });

    describe('errors', () => {
      const x = flint.randn([1, 2, 5, 5]);
      it('check ranks, dtypes and sizes', () => {
        expect(() => maxPool2d(flint.randn([5, 5]), 2)).toThrow(/maxPool2d\(\): input must be 3-D or 4-D \(C, H, W\) or \(N, C, H, W\) \(got shape \[5, 5\]\)/);
        expect(() => maxPool1d(x, 2)).toThrow(/maxPool1d\(\): input must be 2-D or 3-D/);
        expect(() => avgPool2d(x.int(), 2)).toThrow(/avgPool2d\(\): input must be a float32 tensor \(got dtype int32\)/);
        expect(() => maxPool2d(x, 6)).toThrow(ShapeError);
        expect(() => maxPool2d(x, 6)).toThrow(/maxPool2d\(\): the output size \[0, 0\] is too small for an input of shape \[1, 2, 5, 5\]/);
        expect(() => maxPool2d(x, 3, { dilation: 3 })).toThrow(/too small/);
        expect(() => avgPool2d(x, 2, { padding: 2 })).toThrow(/avgPool2d\(\): padding \(\[2, 2\]\) must be at most half of kernelSize \(\[2, 2\]\)/);
        expect(() => maxPool2d(x, 0)).toThrow(ArgumentError);
        expect(() => maxPool2d(x, [2, 2, 2] as unknown as number)).toThrow(/kernelSize must be a positive integer or 2 of them/);
        expect(() => avgPool2d(x, 2, { divisorOverride: 0 })).toThrow(/divisorOverride must be a non-zero integer \(got 0\)/);
        expect(() => adaptiveAvgPool2d(x, 0)).toThrow(/adaptiveAvgPool2d\(\): outputSize must be a positive integer, null, or 2 of them \(got 0\)/);
        expect(() => adaptiveMaxPool1d(flint.randn([1, 2, 0]), 2)).toThrow(/spatial dimensions of input must be non-empty/);
      });
    });
  });
}
