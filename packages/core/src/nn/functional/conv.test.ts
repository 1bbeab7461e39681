import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, DTypeError, ShapeError, type Tensor } from '../../index.js';
import { assertClose, gradcheck } from '../../testing/index.js';
import { BACKENDS, runGolden } from '../../../test/golden.js';
import { conv1d, conv2d, convTranspose1d, convTranspose2d } from './conv.js';
import { maxPool2d } from './pooling.js';

const b = (t?: Tensor): Tensor | null => t ?? null;

runGolden('conv', {
  conv2d_basic: (x, w, bias) => conv2d(x, w, bias),
  conv2d_no_bias: (x, w) => conv2d(x, w),
  conv2d_stride_padding: (x, w, bias) => conv2d(x, w, bias, { stride: 2, padding: 1 }),
  conv2d_tuple_args: (x, w, bias) => conv2d(x, w, bias, { stride: [2, 1], padding: [1, 0] }),
  conv2d_dilation: (x, w, bias) => conv2d(x, w, bias, { dilation: 2, padding: 1 }),
  conv2d_stride_dilation: (x, w, bias) => conv2d(x, w, bias, { stride: 2, dilation: 2 }),
  conv2d_stride_dilation_mixed: (x, w) => conv2d(x, w, null, { stride: [2, 1], dilation: [1, 2], padding: [0, 2] }),
  conv2d_groups: (x, w, bias) => conv2d(x, w, bias, { groups: 2, padding: 1 }),
  conv2d_depthwise: (x, w, bias) => conv2d(x, w, bias, { groups: 3, padding: 1 }),
  conv2d_depthwise_multiplier: (x, w, bias) => conv2d(x, w, bias, { groups: 2, stride: 2 }),
  conv2d_depthwise_dilation: (x, w) => conv2d(x, w, null, { groups: 2, dilation: 2, padding: 2 }),
  conv2d_depthwise_stride_dilation: (x, w, bias) => conv2d(x, w, bias, { groups: 2, stride: 2, dilation: 2, padding: 1 }),
  conv2d_stride_wide_padding: (x, w, bias) => conv2d(x, w, bias, { stride: 2, padding: 3 }),
  conv2d_same_odd: (x, w, bias) => conv2d(x, w, bias, { padding: 'same' }),
  conv2d_same_even: (x, w, bias) => conv2d(x, w, bias, { padding: 'same' }),
  conv2d_same_dilation: (x, w) => conv2d(x, w, null, { padding: 'same', dilation: [2, 1] }),
  conv2d_valid: (x, w, bias) => conv2d(x, w, bias, { padding: 'valid' }),
  conv2d_padding_wider_than_kernel: (x, w, bias) => conv2d(x, w, bias, { padding: 3 }),
  conv2d_unused_tail: (x, w, bias) => conv2d(x, w, bias, { stride: 3 }),
  conv2d_1x1: (x, w, bias) => conv2d(x, w, bias),
  conv2d_unbatched: (x, w, bias) => conv2d(x, w, bias, { padding: 1 }),
  conv2d_kernel_equals_input: (x, w, bias) => conv2d(x, w, bias),
  conv1d_basic: (x, w, bias) => conv1d(x, w, bias),
  conv1d_stride_padding_dilation: (x, w, bias) => conv1d(x, w, bias, { stride: 2, padding: 2, dilation: 2 }),
  conv1d_groups: (x, w, bias) => conv1d(x, w, bias, { groups: 2 }),
  conv1d_same_even: (x, w) => conv1d(x, w, null, { padding: 'same' }),
  conv1d_unbatched: (x, w, bias) => conv1d(x, w, bias, { padding: 1 }),
  conv_transpose2d_basic: (x, w, bias) => convTranspose2d(x, w, bias),
  conv_transpose2d_stride_padding: (x, w, bias) => convTranspose2d(x, w, bias, { stride: 2, padding: 1 }),
  conv_transpose2d_output_padding: (x, w, bias) => convTranspose2d(x, w, bias, { stride: 2, padding: 1, outputPadding: 1 }),
  conv_transpose2d_groups: (x, w, bias) => convTranspose2d(x, w, bias, { groups: 2, stride: [2, 1] }),
  conv_transpose2d_depthwise: (x, w, bias) => convTranspose2d(x, w, bias, { groups: 3, stride: 2 }),
  conv_transpose2d_dilation: (x, w, bias) => convTranspose2d(x, w, bias, { dilation: 2, padding: 1 }),
  conv_transpose2d_output_padding_dilation: (x, w) => convTranspose2d(x, w, null, { dilation: 3, outputPadding: 2 }),
  conv_transpose2d_wide_padding: (x, w, bias) => convTranspose2d(x, w, bias, { stride: 2, padding: 3 }),
  conv_transpose2d_unbatched: (x, w, bias) => convTranspose2d(x, w, b(bias), { stride: 2 }),
  conv_transpose1d_basic: (x, w, bias) => convTranspose1d(x, w, bias, { stride: 2, padding: 1, outputPadding: 1 }),
  lenet_chain: {
    fn: (x, w1, b1, w2, b2, w3, b3) => {
      let h = maxPool2d(conv2d(x, w1, b1).relu(), 2);
      h = maxPool2d(conv2d(h, w2, b2).relu(), 2);
      return h.flatten(1).matmul(w3!.t()).add(b3!);
    },
    // The relus and max pools have kinks that finite differences may straddle; the golden
    // gradients from PyTorch apply.
    gradcheck: false,
  },
});

for (const backendName of BACKENDS) {
  describe(`conv [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('gradients of conv2d gradients are right (checked by finite differences)', () => {
      flint.scope(() => {
        const x = flint.randn([1, 2, 5, 5], { generator: new flint.Generator(1) }).requiresGrad_();
        const w = flint.randn([2, 2, 3, 3], { generator: new flint.Generator(2) }).requiresGrad_();
        // gradcheck probes under noGrad; the inner gradients need grad mode (and leaves) anyway.
        const f = (xx: Tensor, ww: Tensor): Tensor =>
          flint.enableGrad(() => {
            const [lx, lw] = [xx, ww].map((t) => (t.requiresGrad ? t : t.detach().requiresGrad_())) as [Tensor, Tensor];
            const y = conv2d(lx, lw, null, { stride: 2, padding: 1 });
            const [gx, gw] = flint.autograd.grad([y.pow(2).sum()], [lx, lw], { createGraph: true });
            return gx!.pow(2).sum().add(gw!.pow(2).sum());
          });
        // The gradient of a function built from first-order gradients, checked numerically.
        gradcheck(f, [x, w], { atol: 5e-2, rtol: 5e-2 });
      });
    });

    it('conv2d with a batch of zero gives an empty output and zero weight and bias gradients', () => {
      flint.scope(() => {
        const x = flint.zeros([0, 2, 5, 5]);
        const w = flint.randn([3, 2, 3, 3]).requiresGrad_();
        const bias = flint.randn([3]).requiresGrad_();
        const y = conv2d(x, w, bias, { padding: 1 });
        expect(y.shape).toEqual([0, 3, 5, 5]);
        y.sum().backward();
        assertClose(w.grad!, flint.zeros([3, 2, 3, 3]));
        assertClose(bias.grad!, flint.zeros([3]));
      });
    });

    it('leaves no tensors behind outside a graph', () => {
      const x = flint.randn([1, 2, 6]);
      const w = flint.randn([3, 2, 3]);
      const before = flint.memory().numTensors;
      const y = conv1d(x, w, null, { padding: 1 });
      const z = convTranspose2d(flint.randn([2, 3, 3]), flint.randn([2, 2, 2, 2]));
      expect(flint.memory().numTensors).toBe(before + 2 + 2);
      [x, w, y, z].forEach((t) => t.dispose());
    });

    describe('errors', () => {
      const x = flint.randn([2, 3, 8, 8]);
      it('names the function, the argument, what was expected and what was received', () => {
        expect(() => conv2d(x, flint.randn([4, 6, 3, 3]))).toThrow(ShapeError);
        expect(() => conv2d(x, flint.randn([4, 6, 3, 3]))).toThrow(/^conv2d\(\): input\.shape\[1\] \(3\) must equal weight\.shape\[1\] \* groups \(6\)/);
        expect(() => conv2d(x, flint.randn([4, 1, 3, 3]), null, { groups: 3 })).toThrow(/conv2d\(\): weight\.shape\[0\] \(4\) must be divisible by groups \(3\)/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), flint.randn([5]))).toThrow(/conv2d\(\): bias must have shape \[4\] \(weight\.shape\[0\]\) \(got \[5\]\)/);
        expect(() => conv2d(flint.randn([8, 8]), flint.randn([4, 3, 3, 3]))).toThrow(/conv2d\(\): input must be 3-D or 4-D \(C, H, W\) or \(N, C, H, W\) \(got shape \[8, 8\]\)/);
        expect(() => conv2d(x, flint.randn([4, 3, 3]))).toThrow(/conv2d\(\): weight must be 4-D/);
        expect(() => conv1d(x, flint.randn([4, 3, 3]))).toThrow(/conv1d\(\): input must be 2-D or 3-D/);
        expect(() => conv2d(x.int(), flint.randn([4, 3, 3, 3]))).toThrow(DTypeError);
      });

      it('checks sizes and options', () => {
        expect(() => conv2d(x, flint.randn([4, 3, 9, 3]))).toThrow(/conv2d\(\): the padded input's spatial size \[8, 8\] is smaller than the dilated kernel \[9, 3\]/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { dilation: 4 })).toThrow(/smaller than the dilated kernel \[9, 9\]/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { stride: 0 })).toThrow(ArgumentError);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { stride: [1, 2, 3] as unknown as number })).toThrow(/conv2d\(\): stride must be a positive integer or 2 of them \(got \[1,2,3\]\)/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { padding: -1 })).toThrow(/padding must be a non-negative integer/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { padding: 'full' as 'same' })).toThrow(/padding must be a number, a tuple, 'same' or 'valid'/);
        expect(() => conv2d(x, flint.randn([4, 3, 3, 3]), null, { groups: 0 })).toThrow(/groups must be a positive integer \(got 0\)/);
      });

      it('checks transposed convolutions', () => {
        const w = flint.randn([3, 2, 3, 3]);
        expect(() => convTranspose2d(flint.randn([1, 4, 5, 5]), w)).toThrow(/convTranspose2d\(\): input\.shape\[1\] \(4\) must equal weight\.shape\[0\] \(3\)/);
        expect(() => convTranspose2d(flint.randn([1, 3, 5, 5]), w, null, { stride: 2, outputPadding: 2 })).toThrow(
          /convTranspose2d\(\): outputPadding \(\[2, 2\]\) must be smaller than either stride \(\[2, 2\]\) or dilation \(\[1, 1\]\)/,
        );
        expect(() => convTranspose2d(flint.randn([1, 3, 1, 1]), w, null, { padding: 2 })).toThrow(/convTranspose2d\(\): the output would have spatial size \[-1, -1\]/);
        expect(() => convTranspose2d(flint.randn([1, 3, 5, 5]), w, flint.randn([3]))).toThrow(/bias must have shape \[2\] \(weight\.shape\[1\] \* groups\)/);
      });
    });
  });
}
