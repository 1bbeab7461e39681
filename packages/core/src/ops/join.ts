/**
 * Joining and cutting along a dimension: cat, stack, split, chunk, narrow, unbind. Re-exported
 * by `shape.ts`.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import { promoteTypes, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { sameDevice } from './device.js';
import { reshape, unsqueeze } from './shape.js';
import { sliceRange } from './slice-pad.js';
import { checkTensor, normDim, sameShape } from './util.js';

function checkList(fn: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors)) throw new ArgumentError(`${fn}(): tensors must be an array of Tensors (got ${describe(tensors)})`);
  if (tensors.length === 0) throw new ArgumentError(`${fn}(): expected a non-empty list of Tensors (got [])`);
  tensors.forEach((t, i) => checkTensor(fn, `tensors[${i}]`, t));
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Joins tensors along an existing dimension (`torch.cat`). Shapes must match except along
 * `dim`; dtypes are promoted (bool < int32 < float32); 1-D tensors of shape `[0]` are skipped,
 * as in PyTorch.
 *
 * @example
 * ```ts
 * cat([zeros([2]), ones([1])]).tolist();                    // [0, 0, 1]
 * cat([zeros([2, 1]), ones([2, 2])], -1).shape;             // [2, 3]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList('cat', tensors);
  sameDevice('cat', tensors);
  let dtype: DType = tensors[0]!.dtype;
  for (const t of tensors) dtype = promoteTypes(dtype, t.dtype);
  const kept = tensors.map((t, i) => ({ t, i })).filter(({ t }) => !(t.ndim === 1 && t.shape[0] === 0));
  if (kept.length === 0) return wrap(tf.zeros([0], dtype));
  const first = kept[0]!;
  kept.forEach(({ t, i }) => {
    if (t.ndim === 0) throw new ShapeError(`cat(): tensors[${i}] is 0-D, and 0-D tensors can't be concatenated; unsqueeze() them or use stack()`);
  });
  const rank = first.t.ndim;
  const d = normDim('cat', dim, rank);
  for (const { t, i } of kept) {
    if (t.ndim !== rank) {
      throw new ShapeError(`cat(): tensors must have the same number of dimensions: tensors[${first.i}] is ${rank}-D but tensors[${i}] is ${t.ndim}-D`);
    }
    if (t.shape.some((s, k) => k !== d && s !== first.t.shape[k])) {
      throw new ShapeError(
        `cat(): sizes must match except in dimension ${d}: tensors[${first.i}] has shape ${fmt(first.t.shape)} but tensors[${i}] has shape ${fmt(t.shape)}`,
      );
    }
  }
  const temps: Tensor[] = [];
  const inputs = kept.map(({ t }) => {
    if (t.dtype === dtype) return t;
    const c = cast(t, dtype);
    temps.push(c);
    return c;
  });
  const handles = inputs.map((t) => t._handle);
  const sizes = inputs.map((t) => t.shape[d]!);
  const outShape = [...first.t.shape];
  outShape[d] = sizes.reduce((a, b) => a + b, 0);
  return apply({
    name: 'cat',
    inputs,
    temps,
    forward: () => (handles.length === 1 ? tf.clone(handles[0]!) : tf.concat(handles, d)),
    backward: (g, _s, needs) => {
      let offset = 0;
      return sizes.map((n, k) => {
        const begin = outShape.map((_, j) => (j === d ? offset : 0));
        const size = outShape.map((s, j) => (j === d ? n : s));
        offset += n;
        return needs[k] ? sliceRange(g, begin, size) : null;
      });
    },
  });
}

/**
 * Joins tensors of equal shape along a new dimension `dim` (`torch.stack`).
 *
 * @example
 * ```ts
 * stack([zeros([2]), ones([2])]).shape;     // [2, 2]
 * stack([zeros([2]), ones([2])], 1).shape;  // [2, 2]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList('stack', tensors);
  sameDevice('stack', tensors);
  const shape = tensors[0]!.shape;
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, shape)) {
      throw new ShapeError(`stack(): expects tensors of equal shape, but tensors[0] has shape ${fmt(shape)} and tensors[${i}] has shape ${fmt(t.shape)}`);
    }
  });
  const d = normDim('stack', dim, shape.length + 1);
  const parts = tensors.map((t) => unsqueeze(t, d));
  const out = cat(parts, d);
  for (const p of parts) p.dispose();
  return out;
}

/**
 * Returns the slice `start .. start + length` along `dim` (`torch.narrow`); a negative `start`
 * counts from the end.
 *
 * @example
 * ```ts
 * arange(5).narrow(0, 1, 2).tolist();  // [1, 2]
 * arange(5).narrow(0, -2, 2).tolist(); // [3, 4]
 * ```
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('narrow', 'input', x);
  if (x.ndim === 0) throw new ShapeError('narrow(): input must have at least one dimension (got a 0-D tensor)');
  const d = normDim('narrow', dim, x.ndim);
  const size = x.shape[d]!;
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new ShapeError(`narrow(): start must be an integer in [${-size}, ${size}] for dimension ${d} of size ${size} (got ${describe(start)})`);
  }
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new ShapeError(`narrow(): length must be an integer >= 0 with start + length <= ${size} (got start ${start}, length ${describe(length)}) for dimension ${d} of size ${size}`);
  }
  return cut(x, d, s, length);
}

/** The slice `start .. start + length` along `d` (checked by the caller). */
function cut(x: Tensor, d: number, start: number, length: number): Tensor {
  const begin = x.shape.map((_, k) => (k === d ? start : 0));
  const size = x.shape.map((s, k) => (k === d ? length : s));
  return sliceRange(x, begin, size);
}

/**
 * Splits `x` along `dim` into pieces of `splitSize` (the last one smaller when the size does not
 * divide), or into pieces of the listed sizes, which must add up to the dimension's size
 * (`torch.split`).
 *
 * @example
 * ```ts
 * arange(5).split(2).map((p) => p.tolist());       // [[0, 1], [2, 3], [4]]
 * arange(5).split([1, 4]).map((p) => p.shape[0]);  // [1, 4]
 * ```
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  checkTensor('split', 'input', x);
  if (x.ndim === 0) throw new ShapeError('split(): input must have at least one dimension (got a 0-D tensor)');
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize < 0 || (splitSize === 0 && n !== 0)) {
      throw new ArgumentError(`split(): splitSize must be a positive integer (0 only for an empty dimension) (got ${describe(splitSize)}, dimension ${d} has size ${n})`);
    }
    const count = splitSize === 0 ? 1 : Math.max(1, Math.ceil(n / splitSize));
    sizes = Array.from({ length: count }, (_, i) => Math.min(splitSize, n - i * splitSize));
  } else if (Array.isArray(splitSize)) {
    sizes = [...splitSize];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== n) {
      throw new ShapeError(`split(): split sizes must be integers >= 0 that add up to ${n} (the size of dimension ${d}) (got ${describe(splitSize)})`);
    }
  } else {
    throw new ArgumentError(`split(): splitSize must be a number or an array of numbers (got ${describe(splitSize)})`);
  }
  let offset = 0;
  return sizes.map((s) => {
    const piece = cut(x, d, offset, s);
    offset += s;
    return piece;
  });
}

/**
 * Splits `x` along `dim` into at most `chunks` pieces of `ceil(size / chunks)` elements (the
 * last one smaller); as in PyTorch there may be fewer than `chunks` pieces (`torch.chunk`).
 *
 * @example
 * ```ts
 * arange(6).chunk(3).length; // 3
 * arange(6).chunk(4).length; // 3 (pieces of 2)
 * ```
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('chunk', 'input', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError(`chunk(): chunks must be an integer > 0 (got ${describe(chunks)})`);
  if (x.ndim === 0) throw new ShapeError('chunk(): input must have at least one dimension (got a 0-D tensor)');
  const d = normDim('chunk', dim, x.ndim);
  const n = x.shape[d]!;
  if (n === 0) return Array.from({ length: chunks }, () => cut(x, d, 0, 0));
  return split(x, Math.ceil(n / chunks), d);
}

/**
 * Removes dimension `dim`, returning the slices along it (`torch.unbind`).
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).unbind(1).map((t) => t.tolist()); // [[1, 3], [2, 4]]
 * ```
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor('unbind', 'input', x);
  if (x.ndim === 0) throw new ShapeError('unbind(): input must have at least one dimension (got a 0-D tensor)');
  const d = normDim('unbind', dim, x.ndim);
  const rest = x.shape.filter((_, k) => k !== d);
  return Array.from({ length: x.shape[d]! }, (_, i) => {
    const piece = cut(x, d, i, 1);
    const out = reshape(piece, rest);
    piece.dispose();
    return out;
  });
}
