import { describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import type { Tensor } from '../index.js';
import { runGolden } from '../../test/golden.js';
import { gradcheck } from '../testing/index.js';

const weighted = (parts: Tensor[], dim: number): Tensor => flint.cat(parts.map((p, i) => p.mul(i + 1)), dim);

runGolden('shape', {
  reshape_infer: (a) => a.reshape(3, -1),
  flatten_mid: (a) => a.flatten(1, 2),
  squeeze_all: (a) => a.squeeze(),
  squeeze_dim: (a) => a.squeeze(-2),
  unsqueeze_neg: (a) => a.unsqueeze(-1).pow(2),
  permute_3d: (a) => a.permute(2, 0, 1),
  transpose_neg: (a) => a.transpose(0, -1),
  expand_lead: (a) => a.expand(2, 3, 4).pow(2),

  repeat_1d: (a) => a.repeat(3),
  repeat_2d: (a) => a.repeat(2, 3),
  repeat_lead: (a) => a.repeat(2, 1, 2).pow(2),
  repeat_zero: (a) => a.repeat(0, 2),
  repeat_int: (a) => a.repeat([2, 2]),

  cat_dim0: (a, b) => flint.cat([a!, b!]),
  cat_dim_neg: (a, b, c) => flint.cat([a!, b!, c!], -1),
  cat_grad2: (a, b) => flint.cat([a!, b!], 1).pow(2),
  cat_skip_empty: (e, a, b) => flint.cat([e!, a!, e!, b!]),
  cat_zero_size: (a, b) => flint.cat([a!, b!], 1),
  cat_single: (a) => flint.cat([a!], 0),
  cat_promote: (i, a) => flint.cat([i!, a!]),
  cat_int_bool: (i, b) => flint.cat([i!, b!]),

  stack_dim0: (a, b) => flint.stack([a!, b!]),
  stack_mid: (a, b, c) => flint.stack([a!, b!, c!], 1).pow(2),
  stack_neg: (a, b) => flint.stack([a!, b!], -1),

  split_int: (a) => a.split(2),
  split_list: (a) => a.split([1, 3, 0, 1]),
  split_dim_neg: (a) => a.split(2, -1),
  split_weighted: (a) => weighted(a.split(2, 1), 1),
  split_big: (a) => a.split(10),
  chunk_even: (a) => a.chunk(3),
  chunk_fewer: (a) => a.chunk(4),
  chunk_uneven_dim1: (a) => a.chunk(3, 1),
  chunk_more_than_size: (a) => a.chunk(5),
  chunk_weighted: (a) => weighted(a.chunk(3, -1), -1).pow(2),

  narrow_dim0: (a) => a.narrow(0, 1, 2),
  narrow_neg_start: (a) => a.narrow(-1, -3, 2),
  narrow_empty: (a) => a.narrow(1, 5, 0),
  narrow_grad2: (a) => a.narrow(1, 1, 3).pow(2),
  unbind_0: (a) => a.unbind(),
  unbind_neg: (a) => a.unbind(-1),
  unbind_weighted: (a) => flint.stack(a.unbind(1).map((p, i) => p.mul(i + 1))),
  flip_0: (a) => a.flip(0),
  flip_multi: (a) => a.flip([0, 2]).pow(2),
  flip_neg: (a) => flint.flip(a, -1),
  flip_int: (a) => a.flip(1),
  flip_bool: (a) => a.flip(1),
});

const msg = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected an error');
};

describe('shape ops: reshape, squeeze, unsqueeze, permute, transpose, expand', () => {
  it('reshape infers -1 and refuses bad shapes', () => {
    flint.scope(() => {
      const x = flint.arange(6);
      expect(x.reshape(2, -1).shape).toEqual([2, 3]);
      expect(x.view([-1]).shape).toEqual([6]);
      expect(x.reshape(3, 2).tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
      expect(msg(() => x.reshape(4, -1))).toBe('ShapeError: reshape(): shape [4, -1] is invalid for a tensor of 6 elements (shape [6])');
      expect(msg(() => x.reshape(-1, -1))).toMatch(/^ShapeError: reshape\(\): only one size can be -1/);
      expect(msg(() => x.reshape(2, -2))).toMatch(/^ShapeError: reshape\(\): sizes must be integers >= 0 or -1/);
      expect(msg(() => flint.zeros([0, 3]).reshape(0, -1))).toMatch(/^ShapeError: reshape\(\): can't infer the -1 in \[0, -1\]/);
      expect(flint.zeros([0, 3]).reshape(-1, 3).shape).toEqual([0, 3]);
    });
  });

  it('squeeze and unsqueeze', () => {
    flint.scope(() => {
      const x = flint.zeros([1, 3, 1]);
      expect(x.squeeze().shape).toEqual([3]);
      expect(x.squeeze(0).shape).toEqual([3, 1]);
      expect(x.squeeze(1).shape).toEqual([1, 3, 1]);
      expect(x.squeeze([0, -1]).shape).toEqual([3]);
      expect(x.unsqueeze(3).shape).toEqual([1, 3, 1, 1]);
      expect(x.unsqueeze(-4).shape).toEqual([1, 1, 3, 1]);
      expect(flint.tensor(2).unsqueeze(0).shape).toEqual([1]);
      expect(msg(() => x.squeeze(3))).toBe('ShapeError: squeeze(): dim must be an integer in [-3, 2] for a 3-D tensor (got 3)');
      expect(msg(() => x.unsqueeze(4))).toBe('ShapeError: unsqueeze(): dim must be an integer in [-4, 3] for a 4-D tensor (got 4)');
    });
  });

  it('permute, transpose and t', () => {
    flint.scope(() => {
      const x = flint.arange(6).reshape(2, 3);
      expect(x.permute(1, 0).tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(x.transpose(-1, 0).tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(x.T.shape).toEqual([3, 2]);
      expect(flint.tensor(3).transpose(0, -1).tolist()).toBe(3);
      expect(msg(() => x.permute(0))).toBe('ShapeError: permute(): dims must list all 2 dimensions (got [0])');
      expect(msg(() => x.permute(1, 1))).toBe('ShapeError: permute(): dims repeat a dimension (got [1, 1])');
      expect(msg(() => flint.zeros([2, 2, 2]).t())).toMatch(/^ShapeError: t\(\): expects a tensor of at most 2 dimensions \(got 3-D\)/);
    });
  });

  it('expand broadcasts size-1 dimensions and adds leading ones', () => {
    flint.scope(() => {
      const x = flint.tensor([[1], [2]]);
      expect(x.expand(2, 3).tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
      expect(x.expand(2, -1, 2).shape).toEqual([2, 2, 2]);
      expect(msg(() => x.expand(3, 3))).toMatch(/^ShapeError: expand\(\): size 2 at dimension 0 can't be expanded to 3/);
      expect(msg(() => x.expand(-1, 2, 2))).toMatch(/^ShapeError: expand\(\): -1 is not allowed for a new leading dimension/);
      expect(msg(() => x.expand(2))).toMatch(/^ShapeError: expand\(\): the number of sizes \(1\) must be at least/);
    });
  });
});

describe('shape ops: repeat, cat, stack, split, chunk, narrow, unbind, flip', () => {
  it('repeat, flip and cat on values', () => {
    flint.scope(() => {
      expect(flint.tensor([1, 2]).repeat(2).tolist()).toEqual([1, 2, 1, 2]);
      expect(flint.tensor([true, false]).repeat(2, 1).tolist()).toEqual([[true, false], [true, false]]);
      expect(flint.tensor([[1, 2], [3, 4]]).flip([0, 1]).tolist()).toEqual([[4, 3], [2, 1]]);
      expect(flint.tensor(5).flip(0).tolist()).toBe(5);
      expect(flint.cat([flint.zeros([2]), flint.ones([1])]).tolist()).toEqual([0, 0, 1]);
      expect(flint.cat([flint.zeros([0]), flint.zeros([0])]).shape).toEqual([0]);
      expect(flint.cat([flint.tensor([true]), flint.tensor([false])]).dtype).toBe('bool');
    });
  });

  it('split, chunk and unbind sizes follow PyTorch', () => {
    flint.scope(() => {
      const x = flint.arange(5);
      expect(x.split(2).map((p) => p.tolist())).toEqual([[0, 1], [2, 3], [4]]);
      expect(x.split([1, 4]).map((p) => p.shape[0])).toEqual([1, 4]);
      expect(flint.zeros([0]).split(2).map((p) => p.shape)).toEqual([[0]]);
      expect(flint.arange(6).chunk(4).map((p) => p.shape[0])).toEqual([2, 2, 2]);
      expect(flint.arange(5).chunk(4).map((p) => p.shape[0])).toEqual([2, 2, 1]);
      expect(flint.zeros([0]).chunk(3).length).toBe(3);
      expect(flint.tensor([[1, 2], [3, 4]]).unbind(1).map((t) => t.tolist())).toEqual([[1, 3], [2, 4]]);
      expect(flint.zeros([0, 2]).unbind()).toEqual([]);
    });
  });

  it('gradients through every piece of split and unbind, and double backward of flip', () => {
    flint.scope(() => {
      const x = flint.randn([3, 4], { requiresGrad: true });
      expect(gradcheck((a) => weighted(a.split([1, 3], 1), 1).pow(2), [x])).toBe(true);
      expect(gradcheck((a) => flint.stack(a.unbind(0).map((p, i) => p.mul(i + 2))).sin(), [x])).toBe(true);
      expect(gradcheck((a) => a.repeat(2, 1, 3).pow(3), [x])).toBe(true);
      const y = x.flip(1).pow(3).sum();
      const [g] = flint.autograd.grad([y], [x], { createGraph: true });
      const [g2] = flint.autograd.grad([g!.sum()], [x]);
      flint.testing.assertClose(g2!, x.mul(6));
    });
  });

  it('names the function, argument, expectation and value in errors', () => {
    flint.scope(() => {
      const a = flint.zeros([2, 3]);
      expect(msg(() => flint.cat([]))).toBe('ArgumentError: cat(): expected a non-empty list of Tensors (got [])');
      expect(msg(() => flint.cat([a, flint.zeros([2])]))).toBe(
        'ShapeError: cat(): tensors must have the same number of dimensions: tensors[0] is 2-D but tensors[1] is 1-D',
      );
      expect(msg(() => flint.cat([a, flint.zeros([3, 3])], 1))).toBe(
        'ShapeError: cat(): sizes must match except in dimension 1: tensors[0] has shape [2, 3] but tensors[1] has shape [3, 3]',
      );
      expect(msg(() => flint.cat([a, a], 2))).toBe('ShapeError: cat(): dim must be an integer in [-2, 1] for a 2-D tensor (got 2)');
      expect(msg(() => flint.cat([flint.tensor(1), flint.tensor(2)]))).toMatch(/^ShapeError: cat\(\): tensors\[0\] is 0-D/);
      expect(msg(() => flint.cat([a, 3 as unknown as Tensor]))).toBe('ArgumentError: cat(): tensors[1] must be a Tensor (got 3)');
      expect(msg(() => flint.stack([a, flint.zeros([2, 4])]))).toBe(
        'ShapeError: stack(): expects tensors of equal shape, but tensors[0] has shape [2, 3] and tensors[1] has shape [2, 4]',
      );
      expect(msg(() => a.split([1, 2]))).toBe(
        'ShapeError: split(): split sizes must be integers >= 0 that add up to 2 (the size of dimension 0) (got [1,2])',
      );
      expect(msg(() => a.split(0))).toMatch(/^ArgumentError: split\(\): splitSize must be a positive integer .*\(got 0, dimension 0 has size 2\)/);
      expect(msg(() => a.chunk(0))).toBe('ArgumentError: chunk(): chunks must be an integer > 0 (got 0)');
      expect(msg(() => a.narrow(1, 4, 1))).toBe('ShapeError: narrow(): start must be an integer in [-3, 3] for dimension 1 of size 3 (got 4)');
      expect(msg(() => a.narrow(1, 2, 2))).toMatch(/^ShapeError: narrow\(\): length must be an integer >= 0 with start \+ length <= 3 \(got start 2, length 2\)/);
      expect(msg(() => flint.tensor(1).unbind())).toMatch(/^ShapeError: unbind\(\): input must have at least one dimension/);
      expect(msg(() => a.flip([0, -2]))).toMatch(/^ShapeError: flip\(\): dim contains a repeated dimension/);
      expect(msg(() => a.repeat(2))).toBe(
        "ShapeError: repeat(): the number of sizes (1) must be at least the tensor's dimensions (2); got sizes [2] for shape [2, 3]",
      );
      expect(msg(() => a.repeat(2, -1))).toBe('ShapeError: repeat(): sizes must be integers >= 0 (got [2,-1])');
    });
  });
});
