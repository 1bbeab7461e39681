/**
 * What the reductions share: which dimensions a reduction covers, the shapes it produces and
 * keeps for broadcasting a gradient back, and the value of a reduction over no elements (which
 * the wasm backend gets wrong, so Flint never asks it).
 * @internal
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ShapeError } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { sum } from './reduce.js';
import { reshape } from './shape.js';
import { normDims, numelOf, sameShape } from './util.js';

/** The shape a reduction keeps (with 1s) so that a gradient can be broadcast back. */
export function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/** The shape of a reduction's result. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** How many elements each output of a reduction over `dims` combines. */
export function reducedCount(shape: readonly number[], dims: readonly number[]): number {
  return dims.reduce((n, d) => n * shape[d]!, 1);
}

/**
 * Broadcasts a reduced gradient (shaped as the reduction's result, with or without keepdim) back
 * to the input shape: `g.reshape(kept).expand(inputShape)` as one op, whose own gradient sums
 * over `dims` again.
 */
export function unreduce(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  if (numelOf(inputShape) === 0) return emptyGrad(inputShape);
  const kept = keptShape(inputShape, dims);
  if (sameShape(kept, inputShape)) return keep(g, inputShape, dims);
  const h = g._handle;
  const keepdim = sameShape(g.shape, kept);
  return apply({
    name: 'expand',
    inputs: [g],
    forward: () => tf.broadcastTo(keepdim ? h : tf.reshape(h, kept), [...inputShape]),
    backward: (gg) => [sum(gg, [...dims], { keepdim })],
  });
}

/**
 * The gradient of an input with no elements. Backwards return it instead of broadcasting into a
 * zero-size shape, which tfjs's broadcastTo (behind expand and where) does not do: it keeps the 1.
 */
export function emptyGrad(shape: readonly number[]): Tensor {
  return wrap(tf.zeros([...shape]));
}

/** A reduced gradient reshaped to the kept shape, ready to broadcast against the input. */
export function keep(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  const kept = keptShape(inputShape, dims);
  return sameShape(g.shape, kept) ? g : reshape(g, kept);
}

/**
 * The dimensions a reduction covers, sorted: all of them when `dim` is absent, `null` or an empty
 * list (PyTorch 1.13 reads `dim=[]` as "every dimension"); none for a 0-d tensor, whose only
 * valid dims are 0 and -1.
 */
export function reductionDims(fn: string, dim: number | readonly number[] | null | undefined, ndim: number): number[] {
  const every = dim === undefined || dim === null || (typeof dim !== 'number' && dim.length === 0);
  const dims = normDims(fn, every ? null : dim, ndim);
  return ndim === 0 ? [] : dims;
}

/**
 * Runs a reduction kernel, or fills the result with `identity` when the reduction combines no
 * elements (the sum of nothing is 0, the product 1...). No dims means nothing is reduced.
 */
export function reduceHandle(
  h: Handle,
  dims: readonly number[],
  keepdim: boolean,
  identity: number,
  kernel: (h: Handle, axes: number[], keepdim: boolean) => Handle,
): Handle {
  if (dims.length === 0) return tf.clone(h);
  if (reducedCount(h.shape, dims) === 0) return tf.fill(reducedShape(h.shape, dims, keepdim), identity, h.dtype);
  return kernel(h, [...dims], keepdim);
}

/** Refuses a reduction with no identity (max, argmax...) over no elements, as PyTorch does. */
export function checkNonEmpty(fn: string, shape: readonly number[], dims: readonly number[], full: boolean): void {
  if (reducedCount(shape, dims) > 0) return;
  if (full) {
    throw new ShapeError(`${fn}(): input has no elements (shape [${shape.join(', ')}]); pass dim to reduce over a non-empty dimension`);
  }
  const d = dims.find((i) => shape[i] === 0);
  throw new ShapeError(`${fn}(): dimension ${d} of the input (shape [${shape.join(', ')}]) has size 0; the reduction has no identity`);
}
