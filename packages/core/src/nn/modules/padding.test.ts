import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS } from '../../../test/golden.js';
import { pad } from '../functional/padding.js';
import {
  ConstantPad1d,
  ConstantPad2d,
  ConstantPad3d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReflectionPad3d,
  ReplicationPad1d,
  ReplicationPad2d,
  ReplicationPad3d,
  ZeroPad2d,
} from './padding.js';

for (const backendName of BACKENDS) {
  describe(`padding modules [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('forward equals the functional form', () => {
      flint.scope(() => {
        const x3 = flint.randn([1, 2, 5]);
        const x4 = flint.randn([1, 2, 4, 5]);
        const x5 = flint.randn([1, 1, 3, 4, 5]);
        const same = (a: flint.Tensor, b: flint.Tensor): void => assertClose(a, b, { atol: 0, rtol: 0 });
        same(new ZeroPad2d([1, 2, 0, 1])(x4), pad(x4, [1, 2, 0, 1]));
        same(new ConstantPad1d(2, 3.5)(x3), pad(x3, [2, 2], { value: 3.5 }));
        same(new ConstantPad2d([1, 0, 2, 1], -1)(x4), pad(x4, [1, 0, 2, 1], { value: -1 }));
        same(new ConstantPad3d(1, 2)(x5), pad(x5, [1, 1, 1, 1, 1, 1], { value: 2 }));
        same(new ReflectionPad1d([2, 1])(x3), pad(x3, [2, 1], { mode: 'reflect' }));
        same(new ReflectionPad2d(2)(x4), pad(x4, [2, 2, 2, 2], { mode: 'reflect' }));
        same(new ReflectionPad3d(1)(x5), pad(x5, [1, 1, 1, 1, 1, 1], { mode: 'reflect' }));
        same(new ReplicationPad1d(3)(x3), pad(x3, [3, 3], { mode: 'replicate' }));
        same(new ReplicationPad2d([0, 1, 2, 3])(x4), pad(x4, [0, 1, 2, 3], { mode: 'replicate' }));
        same(new ReplicationPad3d([1, 0, 0, 1, 1, 0])(x5), pad(x5, [1, 0, 0, 1, 1, 0], { mode: 'replicate' }));
      });
    });

    it('compute what PyTorch documents', () => {
      expect(new ReflectionPad1d(2)(tensor([[[0, 1, 2, 3]]])).tolist()).toEqual([[[2, 1, 0, 1, 2, 3, 2, 1]]]);
      expect(new ReplicationPad1d([2, 1])(tensor([[[1, 2]]])).tolist()).toEqual([[[1, 1, 1, 2, 2]]]);
      expect(new ZeroPad2d([1, 0, 0, 0])(tensor([[[[5]]]])).tolist()).toEqual([[[[0, 5]]]]);
    });

    it('print like PyTorch and check their padding', () => {
      expect(new ZeroPad2d(1).toString()).toBe('ZeroPad2d([1, 1, 1, 1])');
      expect(new ConstantPad2d(1, 2.5).toString()).toBe('ConstantPad2d(padding=[1, 1, 1, 1], value=2.5)');
      expect(new ConstantPad1d(2, 1).toString()).toBe('ConstantPad1d(padding=[2, 2], value=1)');
      expect(new ReflectionPad2d([1, 2, 3, 4]).toString()).toBe('ReflectionPad2d([1, 2, 3, 4])');
      expect(new ReplicationPad2d(2).toString()).toBe('ReplicationPad2d([2, 2, 2, 2])');
      expect(Object.keys(new ReflectionPad2d(1).stateDict())).toEqual([]);
      expect(() => new ReflectionPad2d([1, 2])).toThrow(/ReflectionPad2d\(\): padding must be an integer or 4 of them \(got \[1,2\]\)/);
      expect(() => new ConstantPad1d(1, 'a' as unknown as number)).toThrow(/ConstantPad1d\(\): value must be a number/);
    });
  });
}
