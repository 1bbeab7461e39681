import { describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { indexPut, slice } from './indexing.js';
import { runGolden } from '../../test/golden.js';
import { assertClose, gradcheck } from '../testing/index.js';

// index.json holds the cases of gather.ts (index_select ... masked_fill) and of indexing.ts
// (idx_*: x[...], put_*: x[...] = v); runGolden needs one table per fixture file.
runGolden('index', {
  index_select_dup: (x, i) => x.indexSelect(0, i!).pow(2),
  index_select_neg_dim: (x, i) => x.indexSelect(-1, i!),
  index_select_0d_index: (x, i) => x.indexSelect(0, i!),
  index_select_empty: (x, i) => flint.indexSelect(x!, 0, i!),
  index_select_int: (x, i) => x.indexSelect(1, i!),
  gather_dim0: (x, i) => x.gather(0, i!),
  gather_dim1_dup: (x, i) => x.gather(1, i!).pow(2),
  gather_smaller: (x, i) => x.gather(1, i!),
  gather_neg_dim: (x, i) => flint.gather(x!, -2, i!),
  gather_bool: (x, i) => x.gather(0, i!),
  scatter_src: (x, i, s) => x.scatter(0, i!, s!),
  scatter_src_larger: (x, i, s) => x.scatter(1, i!, s!),
  scatter_value: (x, i) => x.scatter(1, i!, 2.5),
  scatter_grad2: (x, i, s) => x.scatter(-1, i!, s!).pow(2),
  scatter_int: (x, i, s) => flint.scatter(x!, 0, i!, s!),
  scatter_add_dup: (x, i, s) => flint.scatterAdd(x!, 0, i!, s!).pow(2),
  scatter_add_dim1: (x, i, s) => x.scatterAdd(1, i!, s!),
  scatter_add_src_larger: (x, i, s) => x.scatterAdd(-1, i!, s!),
  scatter_add_3d: (x, i, s) => x.scatterAdd(0, i!, s!),
  scatter_add_int: (x, i, s) => x.scatterAdd(0, i!, s!),
  masked_fill_scalar: (x, m) => x.maskedFill(m!, -1.5),
  masked_fill_broadcast_mask: (x, m) => x.maskedFill(m!, 0).pow(2),
  masked_fill_tensor_value: (x, m, v) => x.maskedFill(m!, v!),
  masked_fill_mask_bigger: (x, m) => flint.maskedFill(x!, m!, 3),
  masked_fill_int: (x, m) => x.maskedFill(m!, 7),
  masked_fill_bool: (x, m) => x.maskedFill(m!, true),

  idx_int: (x) => x.index(1),
  idx_neg_int: (x) => x.index(-1),
  idx_int_int: (x) => x.index(1, -2),
  idx_all_ints: (x) => x.index(3, 0, -1),
  idx_full: (x) => x.index(':'),
  idx_slice: (x) => x.index('1:3'),
  idx_slice_step: (x) => x.index('::2'),
  idx_slice_tail: (x) => x.index(':', '-3:'),
  idx_slice_neg_step2: (x) => x.index('1:-1:2', ':', '1:-1:2').pow(2),
  idx_slice_out_of_range: (x) => x.index('2:100', '-100:2'),
  idx_slice_empty: (x) => x.index('3:1'),
  idx_slice_step_big: (x) => x.index(':', '::7'),
  idx_slice_obj: (x) => x.index(slice(1, null, 2), slice(null, 4)),
  idx_mixed: (x) => x.index(0, ':', '1:3'),
  idx_ellipsis_last: (x) => x.index('...', -1),
  idx_ellipsis_mid: (x) => x.index(0, '...', '1:6:2'),
  idx_ellipsis_only: (x) => x.index('...'),
  idx_none: (x) => x.index(null, 1, ':', null),
  idx_none_ellipsis: (x) => x.index('...', null, 2),
  idx_tensor: (x, i) => x.index(i!).pow(2),
  idx_list: (x) => x.index([0, 2, -1]),
  idx_list_dim1: (x) => x.index(':', [4, 0, 4]),
  idx_0d_tensor: (x, i) => x.index(i!),
  idx_two_adjacent: (x, i, j) => x.index(':', i!, j!),
  idx_two_separated: (x, i, j) => x.index(i!, ':', j!),
  idx_sep_by_none: (x, i, j) => x.index(':', i!, null, j!),
  idx_int_and_tensor: (x) => x.index(0, ':', [1, 2]),
  idx_tensor_and_int: (x, i) => x.index(i!, 2),
  idx_tensor_slice_step: (x, i) => x.index(i!, '::2').pow(2),
  idx_tensor_ellipsis: (x) => x.index('...', [0, 5, 5]),
  idx_three_tensors: (x, i, j, k) => flint.index(x!, i!, j!, k!),
  idx_mask_full: (x, m) => x.index(m!),
  idx_mask_leading: (x, m) => x.index(m!).pow(2),
  idx_mask_mid: (x, m) => x.index(':', m!),
  idx_mask_after_ellipsis: (x, m) => x.index('...', m!),
  idx_mask_and_tensor: (x, m) => x.index(m!, ':', [1, 2]),
  idx_mask_none_true: (x, m) => x.index(m!),
  idx_bool_scalar: (x, m) => x.index(m!),
  idx_int_dtype: (x, i) => x.index(i!, '1:'),

  put_int_number: (x) => indexPut(x, [1], 2),
  put_slice_tensor: (x, v) => indexPut(x, [':', '1:3'], v!),
  put_broadcast: (x, v) => indexPut(x, ['0:2'], v!),
  put_lead_ones: (x, v) => indexPut(x, [0], v!),
  put_step: (x, v) => indexPut(x, ['::2', 1], v!),
  put_tensor_idx: (x, i, v) => indexPut(x, [i!], v!),
  put_two_idx: (x, i, j, v) => indexPut(x, [i!, j!], v!),
  put_mask_scalar: (x, m, v) => indexPut(x, [m!], v!),
  put_mask_values: (x, m, v) => indexPut(x, [m!], v!),
  put_ellipsis_none: (x, v) => indexPut(x, ['...', null, 0], v!),
  put_grad2: (x, i, v) => indexPut(x, [':', i!], v!).pow(2),
  put_int_dtype: (x) => indexPut(x, [':', 0], 9),
});

const msg = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected an error');
};
const int = (v: number[]): flint.Tensor => flint.tensor(v, { dtype: 'int32' });

describe('index()', () => {
  it('matches Python indexing on values', () => {
    flint.scope(() => {
      const x = flint.arange(24).reshape(2, 3, 4);
      expect(x.index(0, ':', '1:3').tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
      expect(x.index('...', -1).tolist()).toEqual([[3, 7, 11], [15, 19, 23]]);
      expect(x.index(1, 2, 3).tolist()).toBe(23);
      expect(x.index(' 1 : : 1 ').shape).toEqual([1, 3, 4]);
      expect(x.index(':', ':', '::3').tolist()).toEqual([[[0, 3], [4, 7], [8, 11]], [[12, 15], [16, 19], [20, 23]]]);
      expect(x.index([1, 0], null).shape).toEqual([2, 1, 3, 4]);
      expect(x.index(x.gt(20)).tolist()).toEqual([21, 22, 23]);
      expect(x.index(int([1]), int([2]), int([0, 3])).tolist()).toEqual([20, 23]);
      expect(x.index([]).shape).toEqual([0, 3, 4]);
      expect(flint.tensor(5).index(null).tolist()).toEqual([5]);
      expect(flint.tensor(5).index('...').tolist()).toBe(5);
      expect(x.index(flint.tensor(false)).shape).toEqual([0, 2, 3, 4]);
    });
  });

  it('names the position and the bad value in errors', () => {
    flint.scope(() => {
      const x = flint.zeros([2, 3]);
      expect(msg(() => x.index(0, 3))).toBe('ShapeError: index(): position 1: index 3 is out of bounds for dimension 1 with size 3 (valid indices: -3 to 2)');
      expect(msg(() => x.index(-3))).toBe('ShapeError: index(): position 0: index -3 is out of bounds for dimension 0 with size 2 (valid indices: -2 to 1)');
      expect(msg(() => x.index(0, 0, 0))).toBe('ShapeError: index(): too many indices for a tensor of dimension 2: the index uses 3 dimensions but the shape is [2, 3]');
      expect(msg(() => x.index('1-2'))).toBe(
        `ArgumentError: index(): position 0: can't read the index string "1-2"; expected a slice such as ':', '1:3', '::2', '-3:' or '...'`,
      );
      expect(msg(() => x.index('...', '...'))).toBe("ArgumentError: index(): an index can have only one '...' (got 2)");
      expect(msg(() => x.index('::-1'))).toBe('ArgumentError: index(): position 0: slice step must be greater than zero (got -1); use flip() to reverse');
      expect(msg(() => x.index(slice(0, 2, 0)))).toMatch(/^ArgumentError: index\(\): position 0: slice step must be greater than zero \(got 0\)/);
      expect(msg(() => x.index(0.5))).toBe('ArgumentError: index(): position 0: a number index must be an integer (got 0.5)');
      expect(msg(() => x.index(':', [0, 3]))).toBe('ShapeError: index(): position 1: index 3 is out of bounds for dimension 1 with size 3 (valid indices: -3 to 2)');
      expect(msg(() => x.index([0.5]))).toBe('ArgumentError: index(): position 0: an array index must hold integers (got [0.5])');
      expect(msg(() => x.index(flint.tensor([0])))).toBe('DTypeError: index(): position 0: a tensor index must be int32 or bool (got dtype float32); convert it with .int()');
      expect(msg(() => x.index(flint.tensor([true, false, true])))).toBe(
        'ShapeError: index(): position 0: the mask of shape [3] must match the indexed dimensions 0..0 of shape [2, 3], which are [2]',
      );
      expect(msg(() => x.index(int([0, 1]), int([0, 1, 2])))).toBe("ShapeError: index(): the index tensors can't be broadcast together (shapes [2], [3])");
      expect(msg(() => x.index({ begin: 1 } as unknown as flint.Slice))).toBe(
        'ArgumentError: index(): position 0: a slice object has only start, stop and step (got key "begin"); make one with slice()',
      );
      expect(msg(() => x.index(true as unknown as number))).toMatch(/^ArgumentError: index\(\): position 0: unsupported index true; expected a number/);
    });
  });

  it('sends gradients back through slices, steps, masks and gathers (gradcheck, double backward)', () => {
    flint.scope(() => {
      const x = flint.randn([4, 5, 3], { requiresGrad: true });
      const m = flint.tensor([true, false, true, true, false]);
      expect(gradcheck((a) => a.index('1:', m, 0).pow(2), [x])).toBe(true);
      expect(gradcheck((a) => a.index(int([1, 1, 3]), '::2', null).sin(), [x])).toBe(true);
      expect(gradcheck((a) => a.index('...', int([2, 0]), null).pow(3), [x])).toBe(true);
      const y = x.index('::3', int([0, 0]), ':').pow(3).sum();
      const [g] = flint.autograd.grad([y], [x], { createGraph: true });
      const [g2] = flint.autograd.grad([g!.sum()], [x]);
      const expected = flint.noGrad(() => {
        const w = flint.zeros([4, 5, 3]);
        w.indexPut_(['::3', 0], x.index('::3', 0).mul(12));
        return w;
      });
      assertClose(g2!, expected, { atol: 1e-4, rtol: 1e-4 });
    });
  });
});

describe('indexPut() and indexPut_()', () => {
  it('writes a broadcast value in place, as x[...] = v', () => {
    flint.scope(() => {
      const x = flint.zeros([2, 3]);
      x.indexPut_([0, '1:'], 5);
      expect(x.tolist()).toEqual([[0, 5, 5], [0, 0, 0]]);
      x.indexPut_([x.lt(1)], flint.tensor(2));
      expect(x.tolist()).toEqual([[2, 5, 5], [2, 2, 2]]);
      x.indexPut_([[1, 0], 0], flint.tensor([7, 8]));
      expect(x.tolist()).toEqual([[8, 5, 5], [7, 2, 2]]);
      const b = flint.zeros([3], { dtype: 'bool' });
      b.indexPut_([[2]], true);
      expect(b.tolist()).toEqual([false, false, true]);
    });
  });

  it('takes gradients for x and value, and refuses bad values', () => {
    flint.scope(() => {
      const x = flint.randn([3, 4], { requiresGrad: true });
      const v = flint.randn([4], { requiresGrad: true });
      expect(gradcheck((a, b) => indexPut(a, ['::2'], b).pow(2), [x, v])).toBe(true);
      expect(gradcheck((a, b) => indexPut(a.mul(2), [int([2, 0]), int([1, 3])], b.index('1:3')).sin(), [x, v])).toBe(true);
      expect(msg(() => indexPut(x, ['0:2'], flint.zeros([3])))).toBe(
        "ShapeError: indexPut(): shape mismatch: value of shape [3] can't be broadcast to the indexed shape [2, 4]",
      );
      expect(msg(() => indexPut(x, [5], 1))).toMatch(/^ShapeError: indexPut\(\): position 0: index 5 is out of bounds/);
      expect(msg(() => indexPut(x, [0], 'a' as unknown as number))).toBe('ArgumentError: indexPut(): value must be a Tensor or a number (got "a")');
      expect(msg(() => x.indexPut_([0], 1))).toMatch(/^AutogradError: indexPut_\(\): a leaf tensor that requires grad/);
    });
  });
});
