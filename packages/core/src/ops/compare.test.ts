import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { ShapeError, tensor, type Tensor, type TensorLike } from '../index.js';
import { assertClose } from '../testing/index.js';
import { BACKENDS, runGolden, type GoldenEntry } from '../../test/golden.js';

type Binary = (a: Tensor, b: TensorLike) => Tensor;
const comparisons: Record<string, Binary> = {
  eq: (a, b) => a.eq(b),
  ne: (a, b) => a.ne(b),
  lt: (a, b) => a.lt(b),
  le: (a, b) => flint.le(a, b),
  gt: (a, b) => a.gt(b),
  ge: (a, b) => flint.ge(a, b),
};
const logic: Record<string, Binary> = {
  logical_and: (a, b) => a.logicalAnd(b),
  logical_or: (a, b) => flint.logicalOr(a, b),
  logical_xor: (a, b) => a.logicalXor(b),
};

const table: Record<string, GoldenEntry['fn']> = {
  eq_nan_scalar: (a) => a.eq(NaN),
  lt_inf_scalar: (a) => a.lt(Infinity),
  eq_empty: (a, b) => a.eq(b),
  logical_not_bool: (a) => a.logicalNot(),
  logical_not_float: (a) => flint.logicalNot(a),
  logical_not_int: (a) => a.logicalNot(),
  logical_not_0d: (a) => a.logicalNot(),
  isnan_of_nan_producing_ops: (a) => a.log().mul(0).isnan(),
};
for (const [name, f] of Object.entries(comparisons)) {
  for (const kind of ['broadcast', 'special', 'int_int', 'int_float', 'bool_bool', '0d']) table[`${name}_${kind}`] = (a, b) => f(a, b!);
  table[`${name}_scalar_int`] = (a) => f(a, 1);
  table[`${name}_scalar_float`] = (a) => f(a, 1.5);
}
for (const [name, f] of Object.entries(logic)) {
  for (const kind of ['bool', 'float', 'int_float_broadcast']) table[`${name}_${kind}`] = (a, b) => f(a, b!);
  table[`${name}_scalar`] = (a) => f(a, true);
  table[`${name}_scalar_false`] = (a) => f(a, false);
}
for (const name of ['isnan', 'isinf', 'isfinite'] as const) {
  for (const kind of ['float', 'int', 'bool', '0d']) table[`${name}_${kind}`] = (a) => a[name]();
}

runGolden('compare', table);

for (const backendName of BACKENDS) {
  describe(`compare [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('results are bool and never require grad, even from inputs that do', () => {
      const x = tensor([1, -2, 3], { requiresGrad: true });
      for (const r of [x.gt(0), x.eq(x), x.logicalAnd(true), x.logicalNot(), x.isnan(), x.isfinite()]) {
        expect(r.dtype).toBe('bool');
        expect(r.requiresGrad).toBe(false);
        expect(r.gradFn).toBe(null);
      }
      // and a mask from a comparison routes gradients through where
      const y = flint.where(x.gt(0), x, x.mul(0.1));
      y.sum().backward();
      assertClose(x.grad!, [1, 0.1, 1]);
    });

    it('a broadcast mismatch names the op and both shapes', () => {
      const a = flint.ones([2, 3]);
      const b = flint.ones([2]);
      for (const name of ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'] as const) {
        const f = (): Tensor => a[name](b);
        expect(f, name).toThrow(ShapeError);
        expect(f, name).toThrow(`${name}(): shapes [2, 3] and [2] can't be broadcast together (dimension -1: 3 vs 2)`);
      }
    });

    it('rejects operands that are not tensors or scalars', () => {
      expect(() => tensor([1]).eq('1' as unknown as number)).toThrow(/eq\(\): operands must be Tensors, numbers or booleans/);
      expect(() => flint.isnan(1 as unknown as Tensor)).toThrow(/isnan\(\): input must be a Tensor \(got 1\)/);
    });
  });
}
