import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { AutogradError, DTypeError, tensor, type Tensor } from '../index.js';
import { assertClose } from '../testing/index.js';
import { BACKENDS, runGolden } from '../../test/golden.js';

runGolden('unary', {
  abs: (a) => a.abs(),
  abs_0d: (a) => flint.abs(a),
  exp: (a) => a.exp(),
  exp_0d: (a) => flint.exp(a),
  log: (a) => a.log(),
  log1p: (a) => a.log1p(),
  sqrt: (a) => a.sqrt(),
  rsqrt: (a) => a.rsqrt(),
  sin: (a) => a.sin(),
  cos: (a) => a.cos(),
  tanh: (a) => a.tanh(),
  sigmoid: (a) => a.sigmoid(),
  relu: (a) => a.relu(),
  reciprocal: (a) => a.reciprocal(),
  square: (a) => a.square(),
  size1_and_empty: (a, b) => [a.exp(), b.exp()],
  composite: (a) => flint.sigmoid(a.sin().mul(a.square().neg().exp())).add(a.tanh().relu()),
  floor: (a) => a.floor(),
  ceil: (a) => a.ceil(),
  round: (a) => a.round(),
  sign: (a) => a.sign(),
  round_half_to_even: (a) => flint.round(a),
  floor_ceil_negative: (a) => [a.floor(), a.ceil()],
  sign_zero: (a) => a.sign(),
  abs_special: (a) => a.abs(),
  exp_special: (a) => a.exp(),
  log_special: (a) => a.log(),
  log1p_special: (a) => a.log1p(),
  sqrt_special: (a) => a.sqrt(),
  sin_special: (a) => a.sin(),
  tanh_special: (a) => a.tanh(),
  sigmoid_special: (a) => a.sigmoid(),
  relu_special: (a) => a.relu(),
  floor_special: (a) => a.floor(),
  ceil_special: (a) => a.ceil(),
  round_special: (a) => a.round(),
  sign_special: (a) => a.sign(),
  square_special: (a) => a.square(),
  reciprocal_special: (a) => a.reciprocal(),
  rsqrt_special: (a) => a.rsqrt(),
  cos_special: (a) => a.cos(),
  log_negative_and_zero: (a) => a.log(),
  abs_int: (a) => a.abs(),
  neg_abs_int_0d: (a) => a.abs(),
  exp_int: (a) => a.exp(),
  exp_bool: (a) => a.exp(),
  log_int: (a) => a.log(),
  sqrt_int: (a) => a.sqrt(),
  sigmoid_int: (a) => a.sigmoid(),
  tanh_bool: (a) => a.tanh(),
  sin_int: (a) => a.sin(),
  reciprocal_int: (a) => a.reciprocal(),
  relu_int: (a) => a.relu(),
  square_int: (a) => a.square(),
  square_bool: (a) => a.square(),
  floor_int: (a) => a.floor(),
  round_int: (a) => a.round(),
  sign_int: (a) => a.sign(),
  sign_bool: (a) => a.sign(),
  cast_float_int_truncates: (a) => a.int(),
  cast_float_bool: (a) => a.bool(),
  cast_int_bool: (a) => flint.cast(a, 'bool'),
  cast_int_float: (a) => a.float(),
  cast_bool_float: (a) => a.to('float32'),
  cast_bool_int: (a) => a.type('int32'),
  cast_0d: (a) => a.int(),
  cast_float_float_keeps_grad: (a) => a.float().mul(2),
});

type Unary = (x: Tensor) => Tensor;
const inplace: [string, Unary, Unary][] = [
  ['abs_', (x) => x.abs_(), (x) => x.abs()],
  ['exp_', (x) => x.exp_(), (x) => x.exp()],
  ['log_', (x) => x.log_(), (x) => x.log()],
  ['log1p_', (x) => x.log1p_(), (x) => x.log1p()],
  ['sqrt_', (x) => x.sqrt_(), (x) => x.sqrt()],
  ['rsqrt_', (x) => x.rsqrt_(), (x) => x.rsqrt()],
  ['sin_', (x) => x.sin_(), (x) => x.sin()],
  ['cos_', (x) => x.cos_(), (x) => x.cos()],
  ['tanh_', (x) => x.tanh_(), (x) => x.tanh()],
  ['sigmoid_', (x) => x.sigmoid_(), (x) => x.sigmoid()],
  ['relu_', (x) => x.relu_(), (x) => x.relu()],
  ['reciprocal_', (x) => x.reciprocal_(), (x) => x.reciprocal()],
  ['floor_', (x) => x.floor_(), (x) => x.floor()],
  ['ceil_', (x) => x.ceil_(), (x) => x.ceil()],
  ['round_', (x) => x.round_(), (x) => x.round()],
  ['sign_', (x) => x.sign_(), (x) => x.sign()],
];

for (const backendName of BACKENDS) {
  describe(`unary [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('bool inputs are refused where PyTorch refuses them', () => {
      const b = tensor([true, false]);
      for (const [name, f] of [
        ['abs', () => b.abs()],
        ['relu', () => b.relu()],
        ['floor', () => b.floor()],
        ['ceil', () => b.ceil()],
        ['round', () => b.round()],
      ] as const) {
        expect(f, name).toThrow(DTypeError);
        expect(f, name).toThrow(new RegExp(`^${name}\\(\\): not defined for bool tensors`));
      }
      expect(() => flint.exp([1] as unknown as Tensor)).toThrow(/exp\(\): input must be a Tensor/);
    });

    it('rounding an int tensor or taking the sign of a bool gives a new tensor', () => {
      const i = tensor([1, -2], { dtype: 'int32' });
      const b = tensor([true, false]);
      for (const r of [i.floor(), i.ceil(), i.round(), b.sign()]) {
        expect(r).not.toBe(i);
        expect(r).not.toBe(b);
      }
      const s = b.sign();
      expect(s.dtype).toBe('bool');
      s.fill_(false);
      expect(b.tolist()).toEqual([true, false]); // the input is not aliased
    });

    describe('in-place forms', () => {
      it.each(inplace)('%s equals the out-of-place op and returns this', (_name, ip, op) => {
        const values = [0.3, 1.7, 2.5, 0.05];
        const x = tensor(values);
        const expected = op(tensor(values));
        expect(ip(x)).toBe(x);
        assertClose(x, expected, { equalNan: true });
      });

      it.each(inplace)('%s on a non-leaf gives the gradient of the out-of-place op', (_name, ip, op) => {
        const values = [0.3, 1.7, 2.6, 0.05];
        const a = tensor(values, { requiresGrad: true });
        const y = a.mul(1);
        ip(y);
        y.mul(tensor([1, 2, 3, 4])).sum().backward();
        const b = tensor(values, { requiresGrad: true });
        op(b.mul(1)).mul(tensor([1, 2, 3, 4])).sum().backward();
        assertClose(a.grad!, b.grad!, { rtol: 1e-5, atol: 1e-6 });
      });

      it.each(inplace)('%s on a leaf that requires grad is refused unless inside noGrad()', (name, ip) => {
        const w = tensor([0.5, 1.5], { requiresGrad: true });
        expect(() => ip(w)).toThrow(AutogradError);
        expect(() => ip(w)).toThrow(new RegExp(`^${name}\\(\\): a leaf tensor that requires grad`));
        assertClose(w, [0.5, 1.5]);
        flint.noGrad(() => ip(w));
        expect(w.isLeaf).toBe(true);
        expect(w.requiresGrad).toBe(true);
      });

      it('int tensors refuse float-valued in-place functions (DTypeError)', () => {
        const i = tensor([1, 4], { dtype: 'int32' });
        expect(() => i.sqrt_()).toThrow(DTypeError);
        expect(() => i.sigmoid_()).toThrow(/sigmoid_\(\): the result has dtype float32, which can't be written into a int32 tensor/);
        i.abs_();
        i.relu_();
        assertClose(i, [1, 4]);
        expect(i.dtype).toBe('int32');
      });
    });

    describe('version counter', () => {
      it('y = x.sigmoid(); z = y.mul(y); y.add_(1): backward through z fails', () => {
        const x = tensor([0.5, -1], { requiresGrad: true });
        const y = x.sigmoid();
        const z = y.mul(y);
        y.add_(1);
        expect(() => z.sum().backward()).toThrow(AutogradError);
      });

      it('sigmoid, tanh, exp, sqrt save their output: changing it fails at backward', () => {
        for (const op of [(t: Tensor) => t.sigmoid(), (t: Tensor) => t.tanh(), (t: Tensor) => t.exp(), (t: Tensor) => t.sqrt()]) {
          const x = tensor([0.5, 2], { requiresGrad: true });
          const y = op(x);
          y.add_(1);
          expect(() => y.sum().backward()).toThrow(/saved was modified by an in-place operation/);
        }
      });

      it('exp saves only its output, so changing its input is fine (as in PyTorch)', () => {
        const x = tensor([0.5, 2], { requiresGrad: true });
        const y = x.mul(1);
        const z = y.exp();
        y.add_(1);
        z.sum().backward();
        assertClose(x.grad!, [Math.exp(0.5), Math.exp(2)], { rtol: 1e-5 });
      });

      it('floor, ceil, round and sign save nothing: changing their input is fine', () => {
        const x = tensor([0.5, 2.5], { requiresGrad: true });
        const y = x.mul(1);
        const z = y.floor().add(y.ceil()).add(y.round()).add(y.sign()).add(y);
        y.mul_(2);
        z.sum().backward();
        assertClose(x.grad!, [1, 1]);
      });

      it('sin saves its input: changing it fails at backward', () => {
        const x = tensor([0.5, 2], { requiresGrad: true });
        const y = x.mul(1);
        const z = y.sin();
        y.mul_(2);
        expect(() => z.sum().backward()).toThrow(/SinBackward0 saved was modified by an in-place operation/);
      });
    });
  });
}
