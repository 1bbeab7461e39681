/**
 * Gathers and scatters along a dimension: indexSelect, gather, scatter, scatterAdd, maskedFill.
 * @module
 */
import { ArgumentError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';

function notYet(fn: string): never {
  throw new ArgumentError(`${fn}() is not available yet`);
}

/** Picks entries of `x` along `dim` at `index` (1-D int32) (`torch.index_select`). @example `tensor([5, 6, 7]).indexSelect(0, tensor([2, 0], { dtype: 'int32' })).tolist(); // [7, 5]` */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  return notYet('indexSelect') ?? [x, dim, index];
}
/** `out[i][j] = x[index[i][j]][j]` for dim 0, and so on (`torch.gather`). @example `tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]], { dtype: 'int32' })).tolist(); // [[2], [3]]` */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return notYet('gather') ?? [x, dim, index];
}
/** A copy of `x` with `src` written at `index` along `dim` (`torch.scatter`). @example `zeros([3]).scatter(0, tensor([1], { dtype: 'int32' }), 5).tolist(); // [0, 5, 0]` */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor {
  return notYet('scatter') ?? [x, dim, index, src];
}
/** A copy of `x` with `src` added at `index` along `dim`; repeated indices add up (`torch.scatter_add`). @example `zeros([2]).scatterAdd(0, tensor([1, 1], { dtype: 'int32' }), ones([2])).tolist(); // [0, 2]` */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return notYet('scatterAdd') ?? [x, dim, index, src];
}
/** A copy of `x` with `value` where `mask` is true (`torch.masked_fill`). @example `tensor([1, 2]).maskedFill(tensor([true, false]), 0).tolist(); // [0, 2]` */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  return notYet('maskedFill') ?? [x, mask, value];
}
