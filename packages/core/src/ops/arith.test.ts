import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { AutogradError, DTypeError, ShapeError, tensor, type Tensor } from '../index.js';
import { assertClose, expectNoLeak } from '../testing/index.js';
import { BACKENDS, runGolden } from '../../test/golden.js';
import { fullLike, onesLike, zerosLike } from './arith.js';

const floorDiv = { roundingMode: 'floor' } as const;
const truncDiv = { roundingMode: 'trunc' } as const;

runGolden('arith', {
  // add
  add_same: (a, b) => a.add(b),
  add_broadcast: (a, b) => flint.add(a, b),
  add_alpha: (a, b) => a.add(b, { alpha: 2.5 }),
  add_alpha_negative: (a, b) => flint.add(a, b, { alpha: -2 }),
  add_scalar: (a) => a.add(2),
  add_scalar_first: (a) => flint.add(2.5, a),
  add_0d: (a, b) => a.add(b),
  add_0d_0d: (a, b) => a.add(b),
  add_size1_dims: (a, b) => a.add(b),
  add_empty: (a, b) => a.add(b),
  add_int_int: (a, b) => a.add(b),
  add_int_float: (a, b) => a.add(b),
  add_bool_int: (a, b) => a.add(b),
  add_bool_bool: (a, b) => a.add(b),
  add_bool_float: (a, b) => a.add(b),
  add_int_scalar_int: (a) => a.add(3),
  add_int_scalar_float: (a) => a.add(0.5),
  add_bool_scalar_int: (a) => a.add(1),
  add_bool_scalar_bool: (a) => a.add(true),
  add_int_alpha_int: (a, b) => a.add(b, { alpha: 3 }),
  // sub
  sub_broadcast: (a, b) => a.sub(b),
  sub_alpha: (a, b) => a.sub(b, { alpha: 0.5 }),
  sub_scalar: (a) => a.sub(1.5),
  sub_scalar_first: (a) => flint.sub(3, a),
  sub_0d: (a, b) => flint.sub(a, b),
  sub_int_int: (a, b) => a.sub(b),
  sub_int_float: (a, b) => a.sub(b),
  // mul
  mul_broadcast: (a, b) => a.mul(b),
  mul_same: (a, b) => flint.mul(a, b),
  mul_self: (a) => a.mul(a),
  mul_scalar: (a) => a.mul(3.5),
  mul_scalar_negative: (a) => flint.mul(-2, a),
  mul_0d: (a, b) => a.mul(b),
  mul_int_int: (a, b) => a.mul(b),
  mul_int_scalar_int: (a) => a.mul(2),
  mul_int_scalar_float: (a) => a.mul(2.5),
  mul_int_float: (a, b) => a.mul(b),
  mul_bool_bool: (a, b) => a.mul(b),
  mul_bool_float: (a, b) => a.mul(b),
  // div
  div_broadcast: (a, b) => a.div(b),
  div_negative_divisor: (a, b) => a.div(b),
  div_scalar: (a) => a.div(4),
  div_scalar_first: (a) => flint.div(2, a),
  div_0d: (a, b) => a.div(b),
  div_int_true: (a, b) => a.div(b),
  div_int_scalar: (a) => a.div(2),
  div_bool_bool: (a, b) => a.div(b),
  div_floor: (a, b) => a.div(b, floorDiv),
  div_trunc: (a, b) => a.div(b, truncDiv),
  div_floor_int_scalar: (a) => a.div(3, floorDiv),
  div_floor_float: (a, b) => a.div(b, floorDiv),
  div_trunc_float: (a, b) => flint.div(a, b, truncDiv),
  div_floor_float_inexact: (a, b) => a.div(b, floorDiv),
  div_floor_float_by_zero: (a, b) => a.div(b, floorDiv),
  // pow
  pow_scalar: (a) => a.pow(3),
  pow_scalar_2: (a) => a.pow(2),
  pow_scalar_1: (a) => a.pow(1),
  pow_scalar_0: (a) => a.pow(0),
  pow_scalar_half: (a) => a.pow(0.5),
  pow_scalar_negative: (a) => a.pow(-2),
  pow_scalar_base: (a) => flint.pow(2.5, a),
  pow_tensor: (a, b) => a.pow(b),
  pow_tensor_0d_exponent: (a, b) => a.pow(b),
  pow_negative_base_integral_exponent: (a, b) => a.pow(b),
  // The exponent's gradient is infinite next to x = 0, y = 0: only the golden values apply.
  pow_zero_base: { fn: (a, b) => a.pow(b), gradcheck: false },
  pow_int_scalar: (a) => a.pow(2),
  pow_int_int: (a, b) => a.pow(b),
  pow_int_float_scalar: (a) => a.pow(0.5),
  pow_scalar_base_int: (a) => flint.pow(2, a),
  // neg
  neg: (a) => a.neg(),
  neg_0d: (a) => flint.neg(a),
  neg_int: (a) => a.neg(),
  // maximum / minimum
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),
  maximum_ties: (a, b) => flint.maximum(a, b),
  minimum_ties: (a, b) => flint.minimum(a, b),
  // Finite differences through NaN are NaN: only the golden gradients apply.
  maximum_nan: { fn: (a, b) => a.maximum(b), gradcheck: false },
  minimum_nan: { fn: (a, b) => a.minimum(b), gradcheck: false },
  maximum_int: (a, b) => a.maximum(b),
  minimum_bool: (a, b) => a.minimum(b),
  maximum_bool: (a, b) => a.maximum(b),
  maximum_int_float: (a, b) => a.maximum(b),
  // clamp
  clamp_both: (a) => a.clamp(-0.5, 0.5),
  clamp_min_only: (a) => a.clamp(0.2),
  clamp_max_only: (a) => a.clamp(null, -0.1),
  clamp_min_greater_than_max: (a) => flint.clamp(a, 1, -1),
  clamp_0d: (a) => a.clamp(-0.5, 0.5),
  clamp_tensor_both: (a, lo, hi) => a.clamp(lo, hi),
  clamp_tensor_min_only: (a, lo) => a.clamp(lo),
  clamp_tensor_max_only: (a, hi) => flint.clamp(a, undefined, hi),
  clamp_tensor_crossed: (a, lo, hi) => a.clamp(lo, hi),
  clamp_int: (a) => a.clamp(-2, 3),
  clamp_int_float_bound: (a) => a.clamp(0.5),
  clamp_bool_int_bounds: (a) => a.clamp(0, 1),
  clamp_nan: (a) => a.clamp(-1, 1),
  // where
  where_broadcast: (a, b) => a.where(a.gt(0), b),
  where_condition_input: (c, a, b) => flint.where(c, a, b),
  where_condition_broadcast: (c, a, b) => flint.where(c, a, b),
  where_scalar_other: (c, a) => flint.where(c, a, 0),
  where_scalar_self: (c, a) => flint.where(c, -1.5, a),
  where_int: (c, a, b) => flint.where(c, a, b),
  where_int_float: (c, a, b) => flint.where(c, a, b),
  where_int_scalar_float: (c, a) => flint.where(c, a, 0.5),
  where_bool: (c, a, b) => flint.where(c, a, b),
});

const ints = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });

for (const backendName of BACKENDS) {
  describe(`arith [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    describe('type promotion (PyTorch rules; an integer-valued JS number acts as a Python int)', () => {
      it.each([
        ['int32 + int32', () => ints([1, 2]).add(ints([3, 4])), 'int32', [4, 6]],
        ['int32 + float32', () => ints([1, 2]).add(tensor([0.5, 0.5])), 'float32', [1.5, 2.5]],
        ['int32 / int32 is true division', () => ints([7, -7]).div(ints([2, 2])), 'float32', [3.5, -3.5]],
        ['bool + int32', () => tensor([true, false]).add(ints([2, 2])), 'int32', [3, 2]],
        ['bool + bool stays bool', () => tensor([true, false]).add(tensor([false, false])), 'bool', [1, 0]],
        ['int32 * 2.5', () => ints([2, 3]).mul(2.5), 'float32', [5, 7.5]],
        ['int32 * 2 (and 2.0, the same JS number)', () => ints([2, 3]).mul(2.0), 'int32', [4, 6]],
        ['bool * 3', () => tensor([true, false]).mul(3), 'int32', [3, 0]],
        ['float32 + int32 scalar', () => tensor([0.5]).add(1), 'float32', [1.5]],
        ['0-d float32 + int32 vector', () => tensor(0.5).add(ints([1, 2])), 'float32', [1.5, 2.5]],
        ['two JS ints', () => flint.add(2, 3), 'int32', 5],
        ['a JS int and a JS float', () => flint.mul(2, 1.5), 'float32', 3],
        ['int32 pow 2', () => ints([3]).pow(2), 'int32', [9]],
        ['int32 pow 0.5', () => ints([4]).pow(0.5), 'float32', [2]],
        ['maximum(int32, float32)', () => ints([1]).maximum(tensor([1.5])), 'float32', [1.5]],
        ['clamp(int32, 0.5)', () => ints([0, 2]).clamp(0.5), 'float32', [0.5, 2]],
        ['comparison', () => ints([1, 2]).lt(1.5), 'bool', [1, 0]],
      ] as const)('%s', (_name, f, dtype, values) => {
        const r = f();
        expect(r.dtype).toBe(dtype);
        assertClose(r, values as number | number[]);
      });
    });

    describe('errors', () => {
      it('a broadcast mismatch names the op and both shapes', () => {
        const a = flint.ones([2, 3]);
        const b = flint.ones([4]);
        for (const [name, f] of [
          ['add', () => a.add(b)],
          ['sub', () => a.sub(b)],
          ['mul', () => a.mul(b)],
          ['div', () => a.div(b)],
          ['pow', () => a.pow(b)],
          ['maximum', () => a.maximum(b)],
          ['minimum', () => a.minimum(b)],
          ['clamp', () => a.clamp(b)],
          ['where', () => flint.where(a.gt(0), a, b)],
        ] as const) {
          expect(f, name).toThrow(ShapeError);
          expect(f, name).toThrow(new RegExp(`^${name}\\(\\): shapes \\[.*\\] and \\[.*\\] can't be broadcast`));
        }
        expect(() => a.add(b)).toThrow("add(): shapes [2, 3] and [4] can't be broadcast together (dimension -1: 3 vs 4)");
      });

      it('where refuses a condition that is not bool', () => {
        const x = tensor([1, -2]);
        expect(() => flint.where(ints([1, 0]), x, 0)).toThrow(DTypeError);
        expect(() => flint.where(x, x, 0)).toThrow(/where\(\): condition must be a bool tensor \(got dtype float32\)/);
      });

      it('neg and sub refuse bool tensors', () => {
        expect(() => tensor([true]).neg()).toThrow(DTypeError);
        expect(() => flint.neg(tensor([true]))).toThrow(/neg\(\): .*bool.*logicalNot/);
        expect(() => tensor([true]).sub(tensor([false]))).toThrow(/sub\(\): .*bool/);
      });

      it('refuses a fractional alpha for integer results, as PyTorch does', () => {
        expect(() => ints([1]).add(ints([1]), { alpha: 2.5 })).toThrow(DTypeError);
        expect(() => ints([1]).sub(1, { alpha: 0.5 })).toThrow(/sub\(\): alpha must be an integer for int32 inputs/);
        assertClose(ints([1]).add(tensor([1]), { alpha: 2.5 }), [3.5]);
      });

      it('refuses integers to negative integer powers', () => {
        expect(() => ints([2]).pow(-1)).toThrow(/pow\(\): integers to negative integer powers are not allowed/);
        assertClose(tensor([2]).pow(-1), [0.5]);
      });

      it('clamp needs a bound; rounding division needs a known mode and no bools', () => {
        expect(() => tensor([1]).clamp()).toThrow(/clamp\(\): at least one of min and max/);
        expect(() => tensor([1]).clamp(null, null)).toThrow(/at least one/);
        expect(() => tensor([1]).div(2, { roundingMode: 'round' as 'floor' })).toThrow(/roundingMode must be 'trunc' or 'floor' \(got "round"\)/);
        expect(() => tensor([true]).div(tensor([true]), floorDiv)).toThrow(DTypeError);
      });

      it('operands must be tensors, numbers or booleans', () => {
        expect(() => flint.add(tensor([1]), '2' as unknown as number)).toThrow(/add\(\): operands must be Tensors, numbers or booleans \(got "2"\)/);
        expect(() => flint.neg([1] as unknown as Tensor)).toThrow(/neg\(\): input must be a Tensor/);
      });
    });

    describe('in-place ops', () => {
      it('compute the same values as their out-of-place forms and return this', () => {
        const x = tensor([1, -2, 3]);
        expect(x.add_(1)).toBe(x);
        assertClose(x, [2, -1, 4]);
        x.sub_(tensor([1, 1, 1]), { alpha: 2 });
        assertClose(x, [0, -3, 2]);
        x.mul_(tensor([2, 2, -1]));
        assertClose(x, [0, -6, -2]);
        x.div_(4);
        assertClose(x, [0, -1.5, -0.5]);
        x.pow_(2);
        assertClose(x, [0, 2.25, 0.25]);
        x.neg_();
        assertClose(x, [0, -2.25, -0.25]);
        x.clamp_(-1, -0.5);
        assertClose(x, [-0.5, -1, -0.5]);
        x.fill_(7);
        assertClose(x, [7, 7, 7]);
        x.zero_();
        assertClose(x, [0, 0, 0]);
        x.copy_(tensor([4]));
        assertClose(x, [4, 4, 4]);
        expect(x.shape).toEqual([3]);
        expect(x.dtype).toBe('float32');
      });

      it('broadcast the other operand but keep the shape of this', () => {
        const x = flint.zeros([2, 3]);
        x.add_(tensor([1, 2, 3]));
        assertClose(x, [[1, 2, 3], [1, 2, 3]]);
      });

      it('int tensors take int results and refuse float ones (DTypeError)', () => {
        const x = ints([5, -7]);
        x.add_(2);
        assertClose(x, [7, -5]);
        x.div_(2, floorDiv);
        assertClose(x, [3, -3]);
        expect(x.dtype).toBe('int32');
        expect(() => x.add_(0.5)).toThrow(DTypeError);
        expect(() => x.add_(0.5)).toThrow(/add_\(\): the result has dtype float32, which can't be written into a int32 tensor in place/);
        expect(() => x.mul_(tensor([1.5, 1.5]))).toThrow(DTypeError);
        expect(() => x.div_(ints([2, 2]))).toThrow(DTypeError);
        assertClose(x, [3, -3]); // unchanged by the refused ops
        const f = tensor([1.5]);
        f.add_(ints([1]));
        expect(f.dtype).toBe('float32');
        assertClose(f, [2.5]);
      });

      it('a leaf that requires grad refuses in-place ops unless inside noGrad()', () => {
        const w = tensor([1, 2], { requiresGrad: true });
        expect(() => w.add_(1)).toThrow(AutogradError);
        expect(() => w.mul_(2)).toThrow(/mul_\(\): a leaf tensor that requires grad can't be changed in place/);
        expect(() => w.clamp_(0, 1)).toThrow(AutogradError);
        expect(() => w.zero_()).toThrow(AutogradError);
        assertClose(w, [1, 2]);
        flint.noGrad(() => {
          w.sub_(tensor([0.5, 0.5]), { alpha: 2 });
          w.mul_(3);
        });
        assertClose(w, [0, 3]);
        expect(w.isLeaf).toBe(true);
        expect(w.requiresGrad).toBe(true);
        w.mul(w).sum().backward();
        assertClose(w.grad!, [0, 6]);
      });

      it('an in-place op on a non-leaf keeps autograd working', () => {
        const x = tensor([1, 2, 3], { requiresGrad: true });
        const y = x.mul(2);
        y.add_(1);
        expect(y.gradFn?.name).toBe('AddBackward0');
        assertClose(y, [3, 5, 7]);
        y.sum().backward();
        assertClose(x.grad!, [2, 2, 2]);
      });

      it('chains of in-place ops on a non-leaf give the right gradient', () => {
        const x = tensor([0.5, -1, 2], { requiresGrad: true });
        const y = x.mul(1);
        y.mul_(3).sub_(1).pow_(2).clamp_(1, 20); // (3x - 1)^2 limited to [1, 20]
        assertClose(y, [1, 16, 20]);
        y.sum().backward();
        assertClose(x.grad!, [0, -24, 0]); // 6 (3x - 1), and 0 where clamped
      });

      it('an in-place op with a tensor that requires grad makes this a non-leaf', () => {
        const a = flint.zeros([3]);
        const w = tensor([1, 2, 3], { requiresGrad: true });
        a.add_(w.mul(w));
        expect(a.requiresGrad).toBe(true);
        expect(a.isLeaf).toBe(false);
        a.sum().backward();
        assertClose(w.grad!, [2, 4, 6]);
      });

      it('changing an input saved for backward raises the version-counter error at backward', () => {
        const x = tensor([1, 2], { requiresGrad: true });
        const w = tensor([3, 4], { requiresGrad: true });
        const y = x.mul(1);
        const z = y.mul(w); // saves y for w's gradient
        y.add_(1);
        expect(() => z.sum().backward()).toThrow(AutogradError);
        const y2 = x.mul(1);
        const z2 = y2.mul(w);
        y2.add_(1);
        expect(() => z2.sum().backward()).toThrow(/MulBackward0 saved was modified by an in-place operation/);
      });

      it('changing an input that no gradient reads is fine, as in PyTorch', () => {
        const x = tensor([1, 2], { requiresGrad: true });
        const y = x.mul(1);
        const z = y.mul(2).add(y.div(4)); // the constants' gradients are never computed
        y.add_(1);
        z.sum().backward();
        assertClose(x.grad!, [2.25, 2.25]);
      });
    });

    it('frees the tensors it makes from scalars and casts, also when it throws', () => {
      const x = tensor([[0.5, -2]]);
      const i = ints([1, 2]);
      const b = tensor([true, false]);
      const [three, wide] = [flint.ones([3]), flint.ones([2, 3])];
      expectNoLeak(() => {
        for (const r of [x.add(2), i.mul(2.5), x.clamp(0, 1), i.clamp(0.5), x.pow(2), i.div(i), i.div(2, floorDiv), x.maximum(0), flint.where(b, i, 0.5), b.add(b)]) r.dispose();
        expect(() => x.add(three)).toThrow(ShapeError);
        expect(() => i.add(wide)).toThrow(ShapeError); // would need a cast to float32 first
        expect(() => i.mul(2.5).dispose()).not.toThrow();
        expect(() => flint.where(b, i, three)).toThrow(ShapeError);
        expect(() => i.clamp(three, 0.5)).toThrow(ShapeError);
        expect(() => i.lt(three)).toThrow(ShapeError);
        expect(() => i.logicalAnd(three)).toThrow(ShapeError);
        expect(() => b.sub(true)).toThrow(DTypeError);
        expect(() => b.div(b, floorDiv)).toThrow(DTypeError);
        expect(() => b.clamp(false, true)).toThrow(DTypeError);
      });
    });

    it('fullLike, onesLike and zerosLike keep shape and dtype unless told', () => {
      const x = ints([1, 2, 3]);
      const f = fullLike(x, 7);
      expect(f.dtype).toBe('int32');
      assertClose(f, [7, 7, 7]);
      const o = onesLike(x, { dtype: 'float32' });
      expect(o.dtype).toBe('float32');
      assertClose(o, [1, 1, 1]);
      assertClose(zerosLike(flint.ones([2, 2])), [[0, 0], [0, 0]]);
    });
  });
}
