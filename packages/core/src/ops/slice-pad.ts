/**
 * Two primitives that are each other's backward: `sliceRange` cuts a box out of a tensor
 * (step 1 on every dimension) and `padZeros` surrounds a tensor with zeros. narrow, split, chunk,
 * unbind, cat's backward and basic indexing are built on them.
 * @internal
 * @module
 */
import { apply } from '../autograd/function.js';
import { tf } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './shape.js';

/**
 * The box `begin[d] .. begin[d] + size[d]` of `x` on every dimension (unchecked: callers
 * validate). The backward pads the gradient back with zeros.
 *
 * @example
 * ```ts
 * sliceRange(arange(5), [1], [2]).tolist(); // [1, 2]
 * ```
 * @internal
 */
export function sliceRange(x: Tensor, begin: readonly number[], size: readonly number[], nodeName = 'SliceBackward0'): Tensor {
  const h = x._handle;
  const shape = x.shape;
  if (shape.length === 0) return reshape(x, []);
  return apply({
    name: 'slice',
    nodeName,
    inputs: [x],
    forward: () => tf.slice(h, begin as number[], size as number[]),
    backward: (g) => [padZeros(g, begin, shape.map((s, d) => s - begin[d]! - size[d]!))],
  });
}

/**
 * `x` with `before[d]` zeros in front and `after[d]` zeros behind on every dimension
 * (`F.pad` with constant 0, unchecked). The backward slices the gradient back out.
 *
 * @example
 * ```ts
 * padZeros(tensor([1, 2]), [1], [2]).tolist(); // [0, 1, 2, 0, 0]
 * ```
 * @internal
 */
export function padZeros(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  const h = x._handle;
  const shape = x.shape;
  if (shape.length === 0) return reshape(x, []);
  return apply({
    name: 'constantPadNd',
    inputs: [x],
    forward: () => tf.pad(h, shape.map((_, d) => [before[d]!, after[d]!] as [number, number])),
    backward: (g) => [sliceRange(g, before, shape)],
  });
}
