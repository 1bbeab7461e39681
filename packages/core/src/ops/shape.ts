/**
 * Shape ops: reshape/view, flatten, squeeze, unsqueeze, permute, transpose, t, expand, repeat,
 * cat, stack, split, chunk, narrow, unbind, flip, clone, detach. Flint tensors are always
 * contiguous, and in-place ops never write through views.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ShapeError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { sum } from './reduce.js';
import { checkTensor, normDim, normDims, numelOf, sameShape } from './util.js';

export { normDim };
export { cat, stack, split, chunk, narrow, unbind } from './join.js';

function checkSizes(fn: string, shape: readonly number[]): void {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < -1) throw new ShapeError(`${fn}(): sizes must be integers >= 0 or -1 (got [${shape.join(', ')}])`);
  }
}

/**
 * `x` with a new shape holding the same elements; one size may be -1 and is inferred
 * (`torch.reshape`, `Tensor.view`).
 *
 * @example
 * ```ts
 * arange(6).reshape(2, -1).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', 'input', x);
  checkSizes('reshape', shape);
  const n = x.numel();
  const free = shape.filter((s) => s === -1).length;
  if (free > 1) throw new ShapeError(`reshape(): only one size can be -1 (got [${shape.join(', ')}])`);
  const known = shape.reduce((a, s) => (s === -1 ? a : a * s), 1);
  if (free === 1 && known === 0) {
    throw new ShapeError(`reshape(): can't infer the -1 in [${shape.join(', ')}] for a tensor of ${n} elements: another size is 0, so -1 could be anything`);
  }
  const target = shape.map((s) => (s === -1 ? n / known : s));
  if (numelOf(target) !== n || target.some((s) => !Number.isInteger(s))) {
    throw new ShapeError(`reshape(): shape [${shape.join(', ')}] is invalid for a tensor of ${n} elements (shape [${x.shape.join(', ')}])`);
  }
  const h = x._handle;
  const from = x.shape;
  return apply({
    name: 'view',
    nodeName: 'ViewBackward0',
    inputs: [x],
    forward: () => tf.reshape(h, target),
    backward: (g) => [reshape(g, from)],
  });
}

/**
 * Flattens dimensions `startDim..endDim` into one (`torch.flatten`).
 *
 * @example
 * ```ts
 * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
 * ```
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', 'input', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim, 'startDim');
  const e = normDim('flatten', endDim, x.ndim, 'endDim');
  if (s > e) throw new ShapeError(`flatten(): startDim (${startDim}) must not come after endDim (${endDim})`);
  const shape = x.shape;
  return reshape(x, [...shape.slice(0, s), numelOf(shape.slice(s, e + 1)), ...shape.slice(e + 1)]);
}

/**
 * Removes dimensions of size 1: all of them, or only those listed (`torch.squeeze`).
 *
 * @example
 * ```ts
 * zeros([1, 3, 1]).squeeze().shape;  // [3]
 * zeros([1, 3, 1]).squeeze(0).shape; // [3, 1]
 * ```
 */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  checkTensor('squeeze', 'input', x);
  const shape = x.shape;
  const dims =
    dim === undefined
      ? shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim('squeeze', d, x.ndim));
  return reshape(x, shape.filter((s, i) => !(s === 1 && dims.includes(i))));
}

/**
 * Inserts a dimension of size 1 at `dim` (`torch.unsqueeze`).
 *
 * @example
 * ```ts
 * zeros([3]).unsqueeze(0).shape; // [1, 3]
 * ```
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', 'input', x);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/**
 * Reorders dimensions (`torch.permute`).
 *
 * @example
 * ```ts
 * zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', 'input', x);
  if (dims.length !== x.ndim) {
    throw new ShapeError(`permute(): dims must list all ${x.ndim} dimensions (got [${dims.join(', ')}])`);
  }
  const perm = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new ShapeError(`permute(): dims repeat a dimension (got [${dims.join(', ')}])`);
  if (perm.every((p, i) => p === i)) return reshape(x, x.shape);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  const h = x._handle;
  return apply({
    name: 'permute',
    inputs: [x],
    forward: () => tf.transpose(h, perm),
    backward: (g) => [permute(g, inverse)],
  });
}

/**
 * Swaps two dimensions (`torch.transpose`).
 *
 * @example
 * ```ts
 * zeros([2, 3, 4]).transpose(0, -1).shape; // [4, 3, 2]
 * ```
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor('transpose', 'input', x);
  const a = normDim('transpose', dim0, x.ndim, 'dim0');
  const b = normDim('transpose', dim1, x.ndim, 'dim1');
  if (x.ndim === 0) return reshape(x, []);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/**
 * Transposes a matrix; 0-D and 1-D tensors come back unchanged (`torch.t`).
 *
 * @example
 * ```ts
 * zeros([2, 3]).t().shape; // [3, 2]
 * ```
 */
export function t(x: Tensor): Tensor {
  checkTensor('t', 'input', x);
  if (x.ndim > 2) throw new ShapeError(`t(): expects a tensor of at most 2 dimensions (got ${x.ndim}-D); use transpose() or mT`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/**
 * Broadcasts `x` to `sizes` without copying values; -1 keeps a size (`Tensor.expand`).
 *
 * @example
 * ```ts
 * tensor([[1], [2]]).expand(2, 3).tolist(); // [[1, 1, 1], [2, 2, 2]]
 * ```
 */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensor('expand', 'input', x);
  const shape = x.shape;
  if (sizes.length < shape.length) {
    throw new ShapeError(`expand(): the number of sizes (${sizes.length}) must be at least the tensor's dimensions (${shape.length})`);
  }
  const lead = sizes.length - shape.length;
  const target = sizes.map((s, i) => {
    const own = i >= lead ? shape[i - lead]! : undefined;
    if (s === -1) {
      if (own === undefined) throw new ShapeError(`expand(): -1 is not allowed for a new leading dimension (got [${sizes.join(', ')}])`);
      return own;
    }
    if (!Number.isInteger(s) || s < 0) throw new ShapeError(`expand(): sizes must be integers >= 0 or -1 (got [${sizes.join(', ')}])`);
    if (own !== undefined && own !== 1 && own !== s) {
      throw new ShapeError(
        `expand(): size ${own} at dimension ${i - lead} can't be expanded to ${s} (tensor shape [${shape.join(', ')}], sizes [${sizes.join(', ')}]); only size-1 dimensions expand`,
      );
    }
    return s;
  });
  if (sameShape(target, shape)) return reshape(x, shape);
  const h = x._handle;
  return apply({
    name: 'expand',
    inputs: [x],
    forward: () => (target.includes(0) ? tf.zeros(target, h.dtype) : tf.broadcastTo(h, target)),
    backward: (g) => [sumToShape(g, shape)],
  });
}

/**
 * Sums `g` down to `shape`, undoing a broadcast (the gradient of every broadcasting op).
 * @internal
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const gs = g.shape;
  if (sameShape(gs, shape)) return g;
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < lead; i++) dims.push(i);
  for (let i = lead; i < gs.length; i++) if (shape[i - lead] === 1 && gs[i] !== 1) dims.push(i);
  if (dims.length === 0) return reshape(g, shape);
  // Summing away only leading dims (a bias gradient) gives the target shape without keepdim, and
  // summing only kept dims gives it with keepdim: one kernel. Both at once need a reshape.
  if (dims.length === lead) return sum(g, dims);
  const s = sum(g, dims, { keepdim: true });
  return lead === 0 ? s : reshape(s, shape);
}

/**
 * A new tensor with the same values and no autograd history (`Tensor.detach`). It shares
 * storage with `x`; in-place ops on either do not affect the other.
 *
 * @example
 * ```ts
 * const y = x.mul(2).detach(); // y.requiresGrad === false
 * ```
 */
export function detach(x: Tensor): Tensor {
  checkTensor('detach', 'input', x);
  return wrap(tf.clone(x._handle));
}

/**
 * A copy of `x` that autograd sees as a function of `x` (`torch.clone`).
 *
 * @example
 * ```ts
 * const y = x.clone(); // gradients flow from y back to x
 * ```
 */
export function clone(x: Tensor): Tensor {
  checkTensor('clone', 'input', x);
  const h = x._handle;
  return apply({ name: 'clone', inputs: [x], forward: () => tf.clone(h), backward: (g) => [g] });
}

/**
 * Repeats `x` `sizes[d]` times along each dimension (`Tensor.repeat`); extra leading sizes add
 * new leading dimensions. The gradient sums the copies.
 *
 * @example
 * ```ts
 * tensor([1, 2]).repeat(2).tolist();       // [1, 2, 1, 2]
 * tensor([1, 2]).repeat(2, 1).shape;       // [2, 2]
 * ```
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensor('repeat', 'input', x);
  if (!Array.isArray(sizes) || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ShapeError(`repeat(): sizes must be integers >= 0 (got ${describe(sizes)})`);
  }
  if (sizes.length < x.ndim) {
    throw new ShapeError(`repeat(): the number of sizes (${sizes.length}) must be at least the tensor's dimensions (${x.ndim}); got sizes [${sizes.join(', ')}] for shape [${x.shape.join(', ')}]`);
  }
  const shape = x.shape;
  const padded = [...new Array<number>(sizes.length - shape.length).fill(1), ...shape];
  const h = x._handle;
  return apply({
    name: 'repeat',
    inputs: [x],
    forward: () => tf.tile(tf.reshape(h, padded), sizes as number[]),
    backward: (g) => {
      if (g.numel() === 0) return [wrap(tf.zeros(shape, 'float32'))];
      const split = reshape(g, sizes.flatMap((r, d) => [r, padded[d]!]));
      const summed = sum(split, sizes.map((_, d) => 2 * d));
      return [reshape(summed, shape)];
    },
  });
}

/**
 * Reverses the order of elements along each of `dims` (`torch.flip`).
 *
 * @example
 * ```ts
 * tensor([1, 2, 3]).flip(0).tolist();             // [3, 2, 1]
 * tensor([[1, 2], [3, 4]]).flip([0, 1]).tolist(); // [[4, 3], [2, 1]]
 * ```
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor('flip', 'input', x);
  const list = normDims('flip', typeof dims === 'number' ? [dims] : dims, x.ndim);
  const h = x._handle;
  const axes = x.ndim === 0 ? [] : list;
  return apply({
    name: 'flip',
    inputs: [x],
    forward: () => {
      if (axes.length === 0) return tf.clone(h);
      // wasm's Reverse kernel garbles bool tensors: reverse them as int32.
      if (h.dtype === 'bool') return tf.cast(tf.reverse(tf.cast(h, 'int32'), axes), 'bool');
      return tf.reverse(h, axes);
    },
    backward: (g) => [flip(g, axes)],
  });
}
