import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { ArgumentError, DTypeError, ShapeError, tensor, zeros, type Tensor } from '../index.js';
import { assertClose, expectNoLeak } from '../testing/index.js';
import { BACKENDS, runGolden, type GoldenEntry } from '../../test/golden.js';

const INF = Infinity;
/** Ties, kinks, argmax and NaN: finite differences say nothing useful there. */
const noGradcheck = (fn: GoldenEntry['fn']): GoldenEntry => ({ fn, gradcheck: false });

runGolden('reduce', {
  sum_all: (x) => x.sum(),
  sum_dim1: (x) => x.sum(1),
  sum_neg_keepdim: (x) => x.sum(-1, { keepdim: true }),
  sum_tuple: (x) => flint.sum(x, [0, 2]),
  sum_tuple_keepdim: (x) => x.sum([0, -1], { keepdim: true }),
  sum_dim_size1: (x) => x.sum(1),
  sum_empty_list: (x) => x.sum([]),
  sum_0d_dim: (x) => x.sum(0),
  sum_empty_input: (x) => x.sum(0),
  sum_int: (x) => x.sum(1),
  sum_bool: (x) => x.sum(),
  sum_int_dtype: (x) => x.sum(0, { dtype: 'float32' }),

  mean_all: (x) => x.mean(),
  mean_dim0: (x) => flint.mean(x, 0),
  mean_tuple_keepdim: (x) => x.mean([1, 2], { keepdim: true }),
  mean_neg: (x) => x.mean(-2),
  mean_int_dtype: (x) => x.mean(1, { dtype: 'float32' }),

  prod_all: (x) => x.prod(),
  prod_dim1: (x) => flint.prod(x, 1),
  prod_neg_keepdim: (x) => x.prod(-1, { keepdim: true }),
  prod_dim0: (x) => x.prod(0),
  prod_zeros_dim1: (x) => x.prod(1),
  prod_zeros_dim0: (x) => x.prod(0),
  prod_all_one_zero: (x) => x.prod(),
  prod_all_two_zeros: (x) => x.prod(),
  prod_dim_size1: (x) => x.prod(1),
  prod_0d: (x) => x.prod(),
  prod_int: (x) => x.prod(1),
  prod_bool: (x) => x.prod(),

  max_all: (x) => x.max(),
  max_all_ties: noGradcheck((x) => x.max()),
  min_all_ties: noGradcheck((x) => flint.min(x)),
  max_all_nan: noGradcheck((x) => x.max()),
  max_dim1: (x) => x.max(1),
  max_dim1_ties: noGradcheck((x) => flint.max(x, 1)),
  max_dim0_keepdim: (x) => x.max(0, { keepdim: true }),
  max_neg_dim: (x) => x.max(-2),
  max_dim_size1: (x) => x.max(1),
  max_0d_dim: (x) => x.max(0),
  max_dim_nan: noGradcheck((x) => x.max(1)),
  min_dim1_ties: noGradcheck((x) => x.min(1)),
  min_dim0_keepdim: noGradcheck((x) => x.min(0, { keepdim: true })),
  min_dim_nan: noGradcheck((x) => x.min(1)),
  max_int_dim: (x) => x.max(1),
  max_int_all: (x) => x.max(),
  min_int_all: (x) => x.min(),
  max_bool_all: (x) => x.max(),
  min_bool_dim: (x) => x.min(1),

  amax_dim1: (x) => x.amax(1),
  amax_all_ties: noGradcheck((x) => x.amax()),
  amax_dim1_ties: noGradcheck((x) => flint.amax(x, 1)),
  amax_tuple_ties: noGradcheck((x) => x.amax([0, 2])),
  amax_tuple_keepdim: (x) => x.amax([0, -1], { keepdim: true }),
  amax_empty_list: noGradcheck((x) => x.amax([])),
  amax_dim_size1: (x) => x.amax(-1),
  amin_dim0_ties: noGradcheck((x) => x.amin(0)),
  amin_neg_keepdim: noGradcheck((x) => flint.amin(x, -1, { keepdim: true })),
  amin_tuple: (x) => x.amin([1, 2]),
  amax_int: (x) => x.amax(0),
  amax_nan: (x) => x.amax(1),

  argmax_all: (x) => x.argmax(),
  argmax_all_ties: (x) => x.argmax(),
  argmax_dim1: (x) => flint.argmax(x, 1),
  argmax_dim0_keepdim: (x) => x.argmax(0, { keepdim: true }),
  argmax_neg: (x) => x.argmax(-1),
  argmax_keepdim_nodim: (x) => x.argmax(null, { keepdim: true }),
  argmax_int: (x) => x.argmax(1),
  argmax_nan: (x) => x.argmax(1),
  argmax_all_nan: (x) => x.argmax(),
  argmax_0d: (x) => x.argmax(0),
  argmin_all: (x) => x.argmin(),
  argmin_dim1_ties: (x) => flint.argmin(x, 1),
  argmin_dim0_keepdim: (x) => x.argmin(0, { keepdim: true }),
  argmin_nan: (x) => x.argmin(1),
  argmin_int_all: (x) => x.argmin(),

  var_all: (x) => x.var(),
  var_dim1: (x) => flint.var(x, 1),
  var_tuple: (x) => x.var([0, 2]),
  var_neg_keepdim: (x) => x.var(-1, { keepdim: true }),
  var_unbiased_false: (x) => x.var(0, { unbiased: false }),
  var_correction0: (x) => x.var(1, { correction: 0 }),
  var_correction2: (x) => x.var([0, 1], { correction: 2 }),
  var_all_correction0: (x) => x.var(null, { correction: 0 }),
  var_dim_size1: (x) => x.var(1, { unbiased: false }),
  var_dim_size1_nan: (x) => x.var(1),
  std_all: (x) => x.std(),
  std_dim1: (x) => flint.std(x, 1),
  std_tuple_keepdim: (x) => x.std([0, 2], { keepdim: true }),
  std_unbiased_false: (x) => x.std(-1, { unbiased: false }),
  std_correction0: (x) => x.std(0, { correction: 0 }),
  std_constant_row: noGradcheck((x) => x.std(1)),

  logsumexp_dim1: (x) => x.logsumexp(1),
  logsumexp_neg_keepdim: (x) => flint.logsumexp(x, -2, { keepdim: true }),
  logsumexp_tuple: (x) => x.logsumexp([0, 2]),
  // Finite differences of a 1000-sized float32 sum lose every digit: no gradcheck.
  logsumexp_large: noGradcheck((x) => x.logsumexp(1)),
  logsumexp_dim_size1: (x) => x.logsumexp(0),
  logsumexp_0d: (x) => x.logsumexp(0),
  logsumexp_inf: (x) => x.logsumexp(1),
  logsumexp_int: (x) => x.logsumexp(1),

  norm_default: (x) => x.norm(),
  norm_2_dim1: (x) => x.norm(2, 1),
  norm_2_neg_keepdim: (x) => flint.norm(x, 2, -1, { keepdim: true }),
  norm_2_tuple: (x) => x.norm(2, [0, 2]),
  norm_2_zero_row: noGradcheck((x) => x.norm(2, 1)),
  norm_1_dim0: (x) => x.norm(1, 0),
  norm_inf_dim1: (x) => x.norm(INF, 1),
  norm_inf_ties: noGradcheck((x) => x.norm(INF)),
  norm_neg_inf_dim1: (x) => x.norm(-INF, 1),
  norm_0: noGradcheck((x) => x.norm(0, 1)),
  norm_3: (x) => x.norm(3, 1),
  norm_1_5: (x) => x.norm(1.5),
  norm_0_5: (x) => x.norm(0.5, 1),
  norm_neg1: (x) => x.norm(-1, 0),
  norm_fro: (x) => x.norm('fro', [0, 1], { keepdim: true }),
  norm_fro_all: (x) => x.norm('fro'),
  norm_dim_size1: (x) => x.norm(2, 1),
  norm_0d: (x) => x.norm(2, 0),
  norm_empty: (x) => x.norm(),

  all_float: (x) => x.all(),
  all_float_dim1: (x) => flint.all(x, 1),
  all_bool_keepdim: (x) => x.all(0, { keepdim: true }),
  all_int_neg: (x) => x.all(-1),
  all_empty: (x) => x.all(),
  all_empty_dim: (x) => x.all(1),
  any_float: (x) => x.any(),
  any_float_dim0_keepdim: (x) => flint.any(x, 0, { keepdim: true }),
  any_bool: (x) => x.any(1),
  any_int: (x) => x.any(),
  any_empty: (x) => x.any(),
  any_empty_dim: (x) => x.any(1),
  any_0d: (x) => x.any(0),

  cumsum_dim0: (x) => x.cumsum(0),
  cumsum_dim1: (x) => flint.cumsum(x, 1),
  cumsum_neg: (x) => x.cumsum(-2),
  cumsum_first_of_3d: (x) => x.cumsum(0),
  cumsum_dim_size1: (x) => x.cumsum(1),
  cumsum_0d: (x) => x.cumsum(0),
  cumsum_int: (x) => x.cumsum(1),
  cumsum_bool: (x) => x.cumsum(0),
  cumsum_int_random: (x) => x.cumsum(0),
});

for (const backendName of BACKENDS) {
  describe(`reductions [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('refuses a dim out of range, naming the op and the range', () => {
      flint.scope(() => {
        const x = zeros([2, 3]);
        expect(() => x.sum(2)).toThrow(ShapeError);
        expect(() => x.sum(2)).toThrow(/sum\(\): dim must be an integer in \[-2, 1\].*got 2/);
        expect(() => x.max(-3)).toThrow(/max\(\): dim must be an integer in \[-2, 1\]/);
        expect(() => x.amax([0, 0])).toThrow(/amax\(\): dim contains a repeated dimension/);
        expect(() => x.argmax(5)).toThrow(ShapeError);
        expect(() => x.prod(1.5)).toThrow(/prod\(\): dim must be an integer/);
        expect(() => x.cumsum(2)).toThrow(/cumsum\(\): dim/);
        expect(() => x.var([0, 3])).toThrow(/var\(\): dim/);
        expect(() => x.logsumexp(-3)).toThrow(/logsumexp\(\): dim/);
        expect(() => x.norm(2, 4)).toThrow(/norm\(\): dim/);
        expect(() => x.all(2)).toThrow(/all\(\): dim/);
      });
    });

    it('refuses dtypes an op does not take', () => {
      flint.scope(() => {
        const i = tensor([1, 2, 3], { dtype: 'int32' });
        expect(() => i.mean()).toThrow(DTypeError);
        expect(() => i.mean()).toThrow(/mean\(\): input must be float32 \(got dtype int32\)/);
        expect(() => i.var()).toThrow(/var\(\): input must be float32 \(got dtype int32\)/);
        expect(() => i.std(0)).toThrow(DTypeError);
        expect(() => i.norm()).toThrow(/norm\(\): input must be float32/);
        expect(() => tensor([true, false]).argmax()).toThrow(/argmax\(\): input must be float32 or int32 \(got dtype bool\)/);
        expect(() => tensor([true, false]).argmin(0)).toThrow(DTypeError);
      });
    });

    it('refuses bad options and arguments', () => {
      flint.scope(() => {
        const x = tensor([1, 2, 3]);
        expect(() => x.norm('nuc' as 'fro')).toThrow(ArgumentError);
        expect(() => x.norm('nuc' as 'fro')).toThrow(/norm\(\): p must be a number, Infinity, -Infinity or 'fro' \(got "nuc"\)/);
        expect(() => x.norm(NaN)).toThrow(/got NaN/);
        expect(() => zeros([2, 2, 2]).norm('fro', [0, 1, 2])).toThrow(/norm\(\): p='fro' takes at most 2 dims/);
        expect(() => x.var(0, { correction: 1, unbiased: true })).toThrow(/var\(\): pass correction or unbiased, not both/);
        expect(() => x.std(0, { correction: -1 })).toThrow(/std\(\): correction must be a finite number >= 0 \(got -1\)/);
        expect(() => flint.logsumexp(x, undefined as unknown as number)).toThrow(/logsumexp\(\): dim is required/);
        expect(() => flint.sum('x' as unknown as Tensor)).toThrow(/sum\(\): input must be a Tensor \(got "x"\)/);
      });
    });

    it('refuses max/min/argmax over no elements, which have no identity', () => {
      flint.scope(() => {
        const e = zeros([0, 3]);
        expect(() => e.max()).toThrow(/max\(\): input has no elements \(shape \[0, 3\]\)/);
        expect(() => e.amax(0)).toThrow(/amax\(\): dimension 0 of the input \(shape \[0, 3\]\) has size 0/);
        expect(() => e.argmin()).toThrow(ShapeError);
        expect(() => e.min(0)).toThrow(ShapeError);
        // Reducing a non-empty dim of an empty tensor is fine and empty.
        expect(e.amax(1).shape).toEqual([0]);
        expect(e.max(1).indices.shape).toEqual([0]);
      });
    });

    it('gives int32 and bool results their PyTorch dtypes', () => {
      flint.scope(() => {
        const i = tensor([[3, -1], [7, 7]], { dtype: 'int32' });
        const b = tensor([[true, false], [true, true]]);
        expect(i.sum().dtype).toBe('int32');
        expect(b.sum(0).tolist()).toEqual([2, 1]);
        expect(b.sum(0).dtype).toBe('int32');
        expect(i.prod(1).tolist()).toEqual([-3, 49]);
        expect(i.cumsum(0).dtype).toBe('int32');
        expect(b.cumsum(1).tolist()).toEqual([[1, 1], [1, 2]]);
        const { values, indices } = i.max(1);
        expect(values.dtype).toBe('int32');
        expect(values.tolist()).toEqual([3, 7]);
        expect(indices.dtype).toBe('int32');
        expect(indices.tolist()).toEqual([0, 0]);
        expect(b.max().dtype).toBe('bool');
        expect(b.min(1).values.tolist()).toEqual([false, true]);
        expect(b.amin(0).tolist()).toEqual([true, false]);
        expect(tensor([1.5, 2]).argmax().dtype).toBe('int32');
        expect(i.all().dtype).toBe('bool');
        expect(i.all(1).tolist()).toEqual([true, true]);
        expect(tensor([0, 0.5]).any().tolist()).toBe(true);
        expect(i.logsumexp(1).dtype).toBe('float32');
      });
    });

    it('never makes bool or int results require grad', () => {
      flint.scope(() => {
        const x = tensor([[1, 5], [7, 2]], { requiresGrad: true });
        expect(x.all().requiresGrad).toBe(false);
        expect(x.any(1).requiresGrad).toBe(false);
        expect(x.argmax().requiresGrad).toBe(false);
        const { values, indices } = x.max(1);
        expect(values.requiresGrad).toBe(true);
        expect(indices.requiresGrad).toBe(false);
        expect(values.gradFn?.name).toBe('MaxBackward0');
        expect(x.max().gradFn?.name).toBe('MaxBackward1');
        expect(x.amax(0).gradFn?.name).toBe('AmaxBackward0');
        expect(x.cumsum(0).gradFn?.name).toBe('CumsumBackward0');
      });
    });

    it('sends the gradient of max(dim) to the index even after the user frees the indices', () => {
      flint.scope(() => {
        const x = tensor([[1, 3, 3], [2, 2, 0]], { requiresGrad: true });
        const { values, indices } = x.max(1);
        indices.dispose();
        values.sum().backward();
        expect(x.grad!.tolist()).toEqual([[0, 1, 0], [1, 0, 0]]);
        x.grad = null; // a leaf's .grad outlives the scope that made the leaf
      });
    });

    it('differentiates the gradient of cumsum along a non-last axis again', () => {
      flint.scope(() => {
        const x = tensor([[1, 2], [-1, 0.5], [3, -2]], { requiresGrad: true });
        const w = tensor([[1, -2], [3, 0.5], [-1, 2]]);
        // f = sum_i x_i cumsum(x)_i per column: df/dx = cumsum(x) + reverse cumsum(x) = colsum(x) + x,
        // and the Hessian is 1 + I, so the weighted second derivative is colsum(w) + w.
        const [g] = flint.autograd.grad([x.cumsum(0).mul(x).sum()], [x], { createGraph: true });
        assertClose(g!, x.sum(0, { keepdim: true }).add(x).detach(), { atol: 1e-6 });
        const [h] = flint.autograd.grad([g!.mul(w).sum()], [x]);
        assertClose(h!, w.sum(0, { keepdim: true }).add(w), { atol: 1e-6 });
      });
    });

    it('gives the exact product gradient with zeros, where dividing by the input would give NaN', () => {
      flint.scope(() => {
        const x = tensor([[2, 0, 3], [0, 0, 4], [1, 2, 3]], { requiresGrad: true });
        x.prod(1).sum().backward();
        assertClose(x.grad!, tensor([[0, 6, 0], [0, 0, 0], [6, 3, 2]]));
        x.grad = null;
      });
    });

    it('keeps logsumexp finite for large inputs and matches log(sum(exp)) for small ones', () => {
      flint.scope(() => {
        expect(tensor([1e4, 1e4]).logsumexp(0).item()).toBeCloseTo(1e4 + Math.LN2, 2);
        expect(tensor([-Infinity, -Infinity]).logsumexp(0).item()).toBe(-Infinity);
        const x = tensor([[0.5, -1, 2]]);
        assertClose(x.logsumexp(1), x.exp().sum(1).log(), { atol: 1e-6 });
      });
    });

    it('gives logsumexp of rows with infinities, NaN and the largest floats as PyTorch does', () => {
      flint.scope(() => {
        // torch.tensor(rows).logsumexp(1) in PyTorch 1.13: [inf, inf, nan, -inf, 3.3e38]
        const x = tensor([[INF, -INF], [INF, INF], [NaN, 1], [-INF, -INF], [3.3e38, 3.3e38]]);
        const out = x.logsumexp(1).tolist() as number[];
        expect(out.slice(0, 4)).toEqual([INF, INF, NaN, -INF]);
        expect(out[4]).toBeCloseTo(3.3e38, -33);
        expect(x.logsumexp(1, { keepdim: true }).shape).toEqual([5, 1]);
      });
    });

    it('frees the temporaries it makes (casts, indices, masks)', () => {
      const ints = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
      const bools = tensor([true, false]);
      const floats = tensor([[1, 0, 3], [NaN, 2, 2]]);
      expectNoLeak(() => {
        ints.sum(0, { dtype: 'float32' }).dispose();
        ints.mean(1, { dtype: 'float32' }).dispose();
        bools.sum().dispose();
        bools.prod().dispose();
        bools.cumsum(0).dispose();
        ints.logsumexp(1).dispose();
        const { values, indices } = floats.max(1);
        values.dispose();
        indices.dispose();
        floats.argmin().dispose();
        floats.all(1).dispose();
        floats.norm(Infinity, 1).dispose();
        floats.var(1).dispose();
      });
      const x = flint.randn([3, 4], { requiresGrad: true });
      expectNoLeak(() =>
        flint.scope(() => {
          const loss = x.prod(1).sum().add(x.max(1).values.sum()).add(x.amin()).add(x.norm(3)).add(x.std(0).sum());
          loss.add(x.logsumexp(1).sum()).add(x.cumsum(0).sum()).backward();
          x.grad = null;
        }),
      );
      for (const t of [ints, bools, floats, x]) t.dispose();
    });
  });
}
