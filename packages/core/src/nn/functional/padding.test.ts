import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError, tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS, runGolden } from '../../../test/golden.js';
import { pad } from './padding.js';

runGolden('padding', {
  pad_constant_last: (x) => pad(x, [1, 2]),
  pad_constant_value: (x) => pad(x, [1, 0, 2, 1], { value: 2.5 }),
  pad_constant_all_dims: (x) => pad(x, [1, 1, 0, 2, 1, 0]),
  pad_constant_negative: (x) => pad(x, [-1, 2, 1, -2], { value: -1 }),
  pad_reflect_1d: (x) => pad(x, [2, 3], { mode: 'reflect' }),
  pad_reflect_2d: (x) => pad(x, [1, 2, 2, 1], { mode: 'reflect' }),
  pad_reflect_unbatched: (x) => pad(x, [1, 1, 1, 1], { mode: 'reflect' }),
  pad_reflect_negative: (x) => pad(x, [-1, 2], { mode: 'reflect' }),
  pad_replicate_1d: (x) => pad(x, [3, 1], { mode: 'replicate' }),
  pad_replicate_2d: (x) => pad(x, [2, 0, 1, 3], { mode: 'replicate' }),
  pad_replicate_3d: (x) => pad(x, [1, 1, 1, 0, 0, 2], { mode: 'replicate' }),
  pad_circular_1d: (x) => pad(x, [2, 3], { mode: 'circular' }),
  pad_circular_2d: (x) => pad(x, [1, 2, 3, 0], { mode: 'circular' }),
  pad_circular_whole: (x) => pad(x, [3, 3], { mode: 'circular' }),
  pad_reflect_3d: (x) => pad(x, [1, 1, 2, 0, 1, 1], { mode: 'reflect' }),
});

for (const backendName of BACKENDS) {
  describe(`pad [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('pads int and bool tensors in constant mode, keeping their dtype', () => {
      const i = pad(tensor([1, 2], { dtype: 'int32' }), [1, 1], { value: 7 });
      expect(i.dtype).toBe('int32');
      expect(i.tolist()).toEqual([7, 1, 2, 7]);
      const b = pad(tensor([true]), [0, 1]);
      expect(b.dtype).toBe('bool');
      expect(b.tolist()).toEqual([true, false]);
    });

    it('returns a new tensor when nothing is padded', () => {
      const x = tensor([[1, 2]]);
      for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
        const y = pad(x.unsqueeze(0), [0, 0], { mode });
        expect(y).not.toBe(x);
        assertClose(y, [[[1, 2]]]);
      }
    });

    it('errors name the function, the argument and the limit', () => {
      const x = flint.randn([1, 2, 3]);
      expect(() => pad(x, [1])).toThrow(/pad\(\): padding must be an array of an even number of integers \(got \[1\]\)/);
      expect(() => pad(x, [1, 1, 1, 1, 1, 1, 1, 1])).toThrow(/pad\(\): padding has 8 values, so it pads 4 dimensions, but input has only 3/);
      expect(() => pad(x, [3, 0], { mode: 'reflect' })).toThrow(/in 'reflect' mode each pad must be smaller than its dimension: dimension 2 has size 3/);
      expect(() => pad(x, [4, 0], { mode: 'circular' })).toThrow(/in 'circular' mode a pad can't exceed its dimension/);
      expect(() => pad(x, [1, 1], { mode: 'wrap' as 'circular' })).toThrow(ArgumentError);
      expect(() => pad(flint.randn([3]), [1, 1], { mode: 'reflect' })).toThrow(/pad\(\): mode 'reflect' with 2 padding values needs a 2-D or 3-D input \(got shape \[3\]\)/);
      expect(() => pad(flint.randn([2, 3]), [1, 1], { mode: 'circular' })).toThrow(/mode 'circular' with 2 padding values needs a 3-D input/);
      expect(() => pad(x, [1, 1], { mode: 'reflect', value: 1 })).toThrow(/value is only used in 'constant' mode/);
      expect(() => pad(x, [-2, -2])).toThrow(ShapeError);
    });
  });
}
