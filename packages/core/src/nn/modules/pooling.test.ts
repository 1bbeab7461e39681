import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import type { Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS } from '../../../test/golden.js';
import * as F from '../functional/pooling.js';
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  MaxPool1d,
  MaxPool2d,
} from './pooling.js';

for (const backendName of BACKENDS) {
  describe(`pooling modules [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('forward equals the functional form', () => {
      flint.scope(() => {
        const x = flint.randn([2, 3, 9, 8]);
        const x1 = flint.randn([2, 3, 11]);
        const same = (a: Tensor, b: Tensor): void => assertClose(a, b, { atol: 0, rtol: 0 });
        same(new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true })(x), F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }));
        same(new MaxPool2d([2, 3], { dilation: [2, 1] })(x), F.maxPool2d(x, [2, 3], { dilation: [2, 1] }));
        same(new MaxPool1d(3, { stride: 1 })(x1), F.maxPool1d(x1, 3, { stride: 1 }));
        same(new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false })(x), F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }));
        same(new AvgPool2d(2, { divisorOverride: 3 })(x), F.avgPool2d(x, 2, { divisorOverride: 3 }));
        same(new AvgPool1d(4, { padding: 2, ceilMode: true })(x1), F.avgPool1d(x1, 4, { padding: 2, ceilMode: true }));
        same(new AdaptiveAvgPool2d([4, null])(x), F.adaptiveAvgPool2d(x, [4, null]));
        same(new AdaptiveAvgPool1d(5)(x1), F.adaptiveAvgPool1d(x1, 5));
        same(new AdaptiveMaxPool2d(3)(x), F.adaptiveMaxPool2d(x, 3));
        same(new AdaptiveMaxPool1d(4)(x1), F.adaptiveMaxPool1d(x1, 4));
      });
    });

    it('return indices when asked, typed as a pair', () => {
      flint.scope(() => {
        const x = flint.randn([1, 2, 6, 6]);
        const [y, idx] = new MaxPool2d(2, { returnIndices: true })(x);
        const [y2, idx2] = F.maxPool2d(x, 2, { returnIndices: true });
        assertClose(y, y2);
        expect(idx.tolist()).toEqual(idx2.tolist());
        const [, ai] = new AdaptiveMaxPool2d(3, { returnIndices: true })(x);
        expect(ai.dtype).toBe('int32');
        const [, i1] = new MaxPool1d(2, { returnIndices: true })(x.index(0));
        expect(i1.shape).toEqual([2, 6, 3]);
        const [, a1] = new AdaptiveMaxPool1d(2, { returnIndices: true })(x.index(0));
        expect(a1.shape).toEqual([2, 6, 2]);
      });
    });

    it('have no parameters and print like PyTorch', () => {
      expect(Object.keys(new MaxPool2d(2).stateDict())).toEqual([]);
      expect(new MaxPool2d(2).toString()).toBe('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)');
      expect(new MaxPool2d([2, 3], { stride: [1, 2] }).toString()).toBe('MaxPool2d(kernelSize=[2, 3], stride=[1, 2], padding=0, dilation=1, ceilMode=false)');
      expect(new MaxPool1d(3).toString()).toBe('MaxPool1d(kernelSize=3, stride=3, padding=0, dilation=1, ceilMode=false)');
      expect(new AvgPool2d(3, { stride: 2, padding: 1 }).toString()).toBe('AvgPool2d(kernelSize=3, stride=2, padding=1)');
      expect(new AvgPool1d(3).toString()).toBe('AvgPool1d(kernelSize=[3], stride=[3], padding=[0])');
      expect(new AdaptiveAvgPool2d([null, 3]).toString()).toBe('AdaptiveAvgPool2d(outputSize=[null, 3])');
      expect(new AdaptiveAvgPool1d(4).toString()).toBe('AdaptiveAvgPool1d(outputSize=4)');
      expect(new AdaptiveMaxPool2d(3).toString()).toBe('AdaptiveMaxPool2d(outputSize=3)');
    });

    it('pass gradients through', () => {
      flint.scope(() => {
        const x = flint.randn([1, 1, 4, 4]).requiresGrad_();
        new AvgPool2d(2)(x).sum().backward();
        assertClose(x.grad!, flint.full([1, 1, 4, 4], 0.25));
      });
    });

    it('check the kernel size when built', () => {
      expect(() => new MaxPool2d(0)).toThrow(/MaxPool2d\(\): kernelSize must be a positive integer or 2 of them \(got 0\)/);
      expect(() => new AvgPool1d([2, 2] as unknown as number)).toThrow(/AvgPool1d\(\): kernelSize must be a positive integer/);
    });
  });
}
