import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { DTypeError, ShapeError, tensor, type Tensor } from '../index.js';
import { assertClose, expectNoLeak } from '../testing/index.js';
import { BACKENDS, runGolden } from '../../test/golden.js';

const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);

runGolden('matmul', {
  matmul_1d_1d: matmul,
  matmul_1d_2d: matmul,
  matmul_2d_1d: matmul,
  matmul_2d_2d: matmul,
  matmul_3d_3d: matmul,
  matmul_batch_broadcast: (a, b) => flint.matmul(a, b),
  matmul_2d_3d: matmul,
  matmul_3d_2d: matmul,
  matmul_1d_3d: matmul,
  matmul_3d_1d: matmul,
  matmul_4d_4d_size1_batch: matmul,
  matmul_size1_dims: matmul,
  matmul_self: (a) => a.matmul(a),
  matmul_chain: (a, b, c) => a.matmul(b).tanh().matmul(c),
  matmul_empty_inner: matmul,
  matmul_empty_rows: matmul,
  matmul_empty_cols: matmul,
  matmul_int: matmul,
  matmul_int_1d_1d: matmul,
  matmul_int_batched: matmul,
  mm: (a, b) => a.mm(b),
  mm_int: (a, b) => flint.mm(a, b),
  bmm: (a, b) => a.bmm(b),
  outer: (a, b) => a.outer(b),
  outer_int: (a, b) => flint.outer(a, b),
  dot: (a, b) => a.dot(b),
  dot_int: (a, b) => flint.dot(a, b),
  dot_empty: (a, b) => a.dot(b),
  matmul_int_float_promoted: matmul,
});

for (const backendName of BACKENDS) {
  describe(`matmul [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('an inner-dimension mismatch names the function, both shapes and both sizes', () => {
      const cases: [() => Tensor, string][] = [
        [() => flint.matmul(flint.ones([2, 3]), flint.ones([2, 2])), 'matmul(): shapes [2, 3] and [2, 2] cannot be multiplied: input.shape[-1] (3) must equal other.shape[-2] (2)'],
        [() => flint.matmul(flint.ones([3]), flint.ones([2, 2])), 'matmul(): shapes [3] and [2, 2] cannot be multiplied: input.shape[-1] (3) must equal other.shape[-2] (2)'],
        [() => flint.matmul(flint.ones([2, 3]), flint.ones([4])), 'matmul(): shapes [2, 3] and [4] cannot be multiplied: input.shape[-1] (3) must equal other.shape[0] (4)'],
        [() => flint.matmul(flint.ones([3]), flint.ones([4])), 'matmul(): shapes [3] and [4] cannot be multiplied: input.shape[-1] (3) must equal other.shape[0] (4)'],
        [() => flint.matmul(flint.ones([5, 2, 3]), flint.ones([5, 4, 2])), 'matmul(): shapes [5, 2, 3] and [5, 4, 2] cannot be multiplied'],
        [() => flint.mm(flint.ones([2, 3]), flint.ones([4, 5])), 'mm(): shapes [2, 3] and [4, 5] cannot be multiplied: input.shape[-1] (3) must equal mat2.shape[-2] (4)'],
        [() => flint.bmm(flint.ones([2, 3, 4]), flint.ones([2, 5, 4])), 'bmm(): shapes [2, 3, 4] and [2, 5, 4] cannot be multiplied: input.shape[-1] (4) must equal mat2.shape[-2] (5)'],
        [() => flint.dot(flint.ones([3]), flint.ones([4])), 'dot(): expects two 1-D tensors of equal length (got shapes [3] and [4])'],
      ];
      for (const [f, message] of cases) {
        expect(f).toThrow(ShapeError);
        expect(f).toThrow(message);
      }
    });

    it('batch dimensions that do not broadcast are a ShapeError naming matmul', () => {
      expect(() => flint.matmul(flint.ones([2, 3, 4]), flint.ones([3, 4, 5]))).toThrow(/^matmul\(\): shapes \[2\] and \[3\] can't be broadcast/);
    });

    it('rank and batch checks of mm, bmm, outer, dot and 0-d operands', () => {
      expect(() => flint.mm(flint.ones([2, 3, 4]), flint.ones([4, 2]))).toThrow(/mm\(\): both arguments must be 2-D \(got shapes \[2, 3, 4\] and \[4, 2\]\)/);
      expect(() => flint.bmm(flint.ones([3, 4]), flint.ones([4, 2]))).toThrow(/bmm\(\): both arguments must be 3-D/);
      expect(() => flint.bmm(flint.ones([2, 3, 4]), flint.ones([3, 4, 2]))).toThrow(/bmm\(\): batch sizes differ: input.shape\[0\] \(2\) must equal mat2.shape\[0\] \(3\)/);
      expect(() => flint.outer(flint.ones([2, 2]), flint.ones([2]))).toThrow(/outer\(\): both arguments must be 1-D/);
      expect(() => flint.dot(flint.ones([2, 1]), flint.ones([2]))).toThrow(ShapeError);
      expect(() => flint.matmul(tensor(2), flint.ones([2]))).toThrow(/matmul\(\): both arguments need at least 1 dimension \(got shapes \[\] and \[2\]\); use mul\(\)/);
      expect(() => flint.matmul(flint.ones([2]), [1, 2] as unknown as Tensor)).toThrow(/matmul\(\): other must be a Tensor/);
    });

    it('bool operands are refused (DTypeError); int32 x int32 stays int32', () => {
      expect(() => flint.matmul(tensor([[true]]), tensor([[true]]))).toThrow(DTypeError);
      expect(() => flint.dot(tensor([true]), tensor([true]))).toThrow(/dot\(\): bool tensors can't be multiplied/);
      const r = flint.matmul(tensor([[1, 2]], { dtype: 'int32' }), tensor([[3], [4]], { dtype: 'int32' }));
      expect(r.dtype).toBe('int32');
      expect(r.tolist()).toEqual([[11]]);
    });

    it('saves only what the gradients read: an in-place change of a constant operand is fine', () => {
      const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
      const x = tensor([[1, 0], [0, 1]]).mul(1);
      const y = x.matmul(w); // w's gradient reads x: changing x must fail
      x.add_(1);
      expect(() => y.sum().backward()).toThrow(/saved was modified by an in-place operation/);
      const c = tensor([[1, 1], [1, 1]]).mul(1);
      const z = w.matmul(c); // only w's gradient is needed, and it reads c, not w
      c.mul_(2);
      expect(() => z.sum().backward()).toThrow(/saved was modified/);
      const v = w.mul(1);
      const u = v.matmul(tensor([[1], [1]]));
      v.add_(5); // no gradient reads v
      u.sum().backward();
      assertClose(w.grad!, [[1, 1], [1, 1]]);
    });

    it('frees its casts and reshapes when no graph needs them', () => {
      const i = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
      const f = tensor([[0.5], [2]]);
      const v = tensor([1, 2]);
      const [e1, e2, w] = [flint.ones([2, 0]), flint.ones([0, 3]), flint.ones([3])];
      expectNoLeak(() => {
        for (const r of [i.matmul(i), i.matmul(f), v.matmul(i), i.matmul(v), v.dot(v), v.outer(v), e1.matmul(e2)]) r.dispose();
        expect(() => i.matmul(w)).toThrow(ShapeError);
      });
    });

    it('a 1000-wide inner dimension accumulates accurately', () => {
      const a = flint.ones([1000]).mul(0.001);
      assertClose(a.dot(flint.ones([1000])), 1, { rtol: 1e-5 });
    });
  });
}
