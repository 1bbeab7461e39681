/**
 * Gathers and scatters along a dimension: indexSelect, gather, scatter, scatterAdd, maskedFill.
 * Index tensors are int32; values out of range are an error naming the op and the dimension.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { add, where } from './arith.js';
import { cast } from './cast.js';
import { sameDevice } from './device.js';
import { sliceRange } from './slice-pad.js';
import { boundIndex, checkIndexDType, positions, put, putAdd, stridesOf, take, type PositionPart } from './take.js';
import { broadcastShapes, checkTensor, normDim, numelOf, sameShape, scalar } from './util.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Flat positions in a tensor of `shape` of `x[i][index[i][j]]...` (index full-rank, values checked). */
function alongDim(shape: readonly number[], d: number, index: Tensor): Tensor {
  const strides = stridesOf(shape);
  const parts: PositionPart[] = index.shape.map((n, k) => ({ at: k, scale: strides[k]!, range: n }));
  if (shape.length === 0) return wrap(tf.clone(index._handle));
  parts[d] = { at: 0, scale: strides[d]!, h: index._handle };
  return positions(index.shape, parts);
}

/**
 * Picks the entries of `x` along `dim` at the positions in `index`, a 1-D int32 tensor
 * (`torch.index_select`). The result has `x`'s shape with `index.numel()` at `dim`; repeated
 * indices are allowed and their gradients add up.
 *
 * @example
 * ```ts
 * tensor([5, 6, 7]).indexSelect(0, tensor([2, 0], { dtype: 'int32' })).tolist();        // [7, 5]
 * tensor([[1, 2], [3, 4]]).indexSelect(1, tensor([1, 0], { dtype: 'int32' })).tolist(); // [[2, 1], [4, 3]]
 * ```
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('indexSelect', 'input', x);
  checkTensor('indexSelect', 'index', index);
  checkIndexDType('indexSelect', 'index', index);
  sameDevice('indexSelect', [x, index]);
  if (index.ndim > 1) throw new ShapeError(`indexSelect(): index must be 0-D or 1-D (got shape ${fmt(index.shape)})`);
  const d = normDim('indexSelect', dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const idx = boundIndex('indexSelect', index, size, d, false);
  if (x.ndim === 0) {
    const zero = wrap(tf.zeros([], 'int32'));
    const out = take(x, zero, 'IndexSelectBackward0');
    zero.dispose();
    idx.dispose();
    return out;
  }
  const shape = x.shape;
  const outShape = shape.map((s, k) => (k === d ? idx.numel() : s));
  const hx = x._handle;
  const hi = idx._handle;
  return apply({
    name: 'indexSelect',
    inputs: [x],
    temps: [idx],
    forward: () => (numelOf(outShape) === 0 ? tf.zeros(outShape, hx.dtype) : tf.gather(hx, tf.reshape(hi, [-1]), d)),
    save: [idx],
    backward: (g, [i]) => {
      const strides = stridesOf(shape);
      const flat = i!.reshape(-1);
      const parts: PositionPart[] = outShape.map((n, k) => (k === d ? { at: k, scale: strides[k]!, h: flat._handle } : { at: k, scale: strides[k]!, range: n }));
      return [putAdd(g, positions(outShape, parts), shape)];
    },
  });
}

/**
 * `out[i][j] = x[index[i][j]][j]` for `dim` 0, `x[i][index[i][j]]` for `dim` 1, and so on
 * (`torch.gather`). `index` is int32 with as many dimensions as `x` and no larger than `x`
 * except along `dim`; the result has `index`'s shape.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.gather(1, tensor([[1], [0]], { dtype: 'int32' })).tolist(); // [[2], [3]]
 * ```
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('gather', 'input', x);
  checkTensor('gather', 'index', index);
  checkIndexDType('gather', 'index', index);
  sameDevice('gather', [x, index]);
  const d = checkAlong('gather', x, dim, index);
  const idx = boundIndex('gather', index, x.ndim === 0 ? 1 : x.shape[d]!, d, false);
  const pos = alongDim(x.shape, d, idx);
  const out = take(x, pos, 'GatherBackward0');
  idx.dispose();
  pos.dispose();
  return out;
}

/** Shared checks of gather and scatter: same rank, index no larger than `x` off `dim` (and than `src`). */
function checkAlong(fn: string, x: Tensor, dim: number, index: Tensor, src?: Tensor): number {
  const d = normDim(fn, dim, x.ndim);
  if (index.ndim !== x.ndim) {
    throw new ShapeError(`${fn}(): index must have as many dimensions as input (input has shape ${fmt(x.shape)}, index has shape ${fmt(index.shape)})`);
  }
  if (index.shape.some((n, k) => k !== d && n > x.shape[k]!)) {
    throw new ShapeError(`${fn}(): index of shape ${fmt(index.shape)} must be no larger than input of shape ${fmt(x.shape)} in every dimension but ${d}`);
  }
  if (src !== undefined) {
    if (src.ndim !== index.ndim) {
      throw new ShapeError(`${fn}(): src must have as many dimensions as index (index has shape ${fmt(index.shape)}, src has shape ${fmt(src.shape)})`);
    }
    if (index.shape.some((n, k) => n > src.shape[k]!)) {
      throw new ShapeError(`${fn}(): index of shape ${fmt(index.shape)} must be no larger than src of shape ${fmt(src.shape)} in every dimension`);
    }
  }
  return d;
}

/** The common part of scatter and scatterAdd: checked positions and the used part of `src`. */
function scatterArgs(fn: string, x: Tensor, dim: number, index: Tensor, src: TensorLike): { pos: Tensor; values: Tensor; temps: Tensor[] } {
  checkTensor(fn, 'input', x);
  checkTensor(fn, 'index', index);
  checkIndexDType(fn, 'index', index);
  const isTensor = src instanceof Tensor;
  if (!isTensor && typeof src !== 'number' && typeof src !== 'boolean') {
    throw new ArgumentError(`${fn}(): src must be a Tensor or a number (got ${describe(src)})`);
  }
  sameDevice(fn, isTensor ? [x, index, src] : [x, index]);
  if (isTensor && src.dtype !== x.dtype) throw new DTypeError(`${fn}(): src must have the input's dtype ${x.dtype} (got ${describe(src)})`);
  const d = checkAlong(fn, x, dim, index, isTensor ? src : undefined);
  const idx = boundIndex(fn, index, x.ndim === 0 ? 1 : x.shape[d]!, d, false);
  const pos = alongDim(x.shape, d, idx);
  idx.dispose();
  let values: Tensor;
  if (!isTensor) values = wrap(tf.fill(index.shape, Number(src), x.dtype));
  else if (!sameShape(src.shape, index.shape)) values = sliceRange(src, index.shape.map(() => 0), index.shape);
  else values = src;
  return { pos, values, temps: values === src ? [pos] : [pos, values] };
}

/**
 * A copy of `x` with the values of `src` (a tensor of `x`'s dtype, or a number) written at
 * `index` along `dim`: `out[index[i][j]][j] = src[i][j]` for `dim` 0 (`torch.scatter`). When an
 * index repeats, which value lands is unspecified, as in PyTorch.
 *
 * @example
 * ```ts
 * zeros([3]).scatter(0, tensor([1], { dtype: 'int32' }), 5).tolist(); // [0, 5, 0]
 * ```
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor {
  const { pos, values, temps } = scatterArgs('scatter', x, dim, index, src);
  const out = put(x, pos, values, 'ScatterBackward0');
  for (const t of temps) t.dispose();
  return out;
}

/**
 * A copy of `x` with the values of `src` added at `index` along `dim`:
 * `out[index[i][j]][j] += src[i][j]` for `dim` 0; repeated indices add up (`torch.scatter_add`).
 *
 * @example
 * ```ts
 * zeros([2]).scatterAdd(0, tensor([1, 1], { dtype: 'int32' }), ones([2])).tolist(); // [0, 2]
 * ```
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', 'src', src);
  if (x instanceof Tensor && x.dtype === 'bool') throw new DTypeError('scatterAdd(): bool tensors are not supported; cast to int32 first');
  const { pos, values, temps } = scatterArgs('scatterAdd', x, dim, index, src);
  const added = putAdd(values, pos, x.shape);
  const out = add(x, added);
  added.dispose();
  for (const t of temps) t.dispose();
  return out;
}

/**
 * A copy of `x` with `value` (a number or a 0-D tensor) wherever `mask`, a bool tensor that
 * broadcasts with `x`, is true (`torch.masked_fill`). The result keeps `x`'s dtype.
 *
 * @example
 * ```ts
 * tensor([1, 2]).maskedFill(tensor([true, false]), 0).tolist(); // [0, 2]
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  checkTensor('maskedFill', 'input', x);
  checkTensor('maskedFill', 'mask', mask);
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedFill(): mask must be a bool tensor (got dtype ${mask.dtype}); compare first, e.g. x.gt(0)`);
  broadcastShapes('maskedFill', x.shape, mask.shape);
  sameDevice('maskedFill', value instanceof Tensor ? [x, mask, value] : [x, mask]);
  let v: Tensor;
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new ShapeError(`maskedFill(): value must be a number or a 0-D tensor (got shape ${fmt(value.shape)})`);
    v = cast(value, x.dtype);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    v = scalar(value, x.dtype);
  } else {
    throw new ArgumentError(`maskedFill(): value must be a number or a 0-D tensor (got ${describe(value)})`);
  }
  const out = where(mask, v, x);
  if (v !== value) v.dispose();
  return out;
}
