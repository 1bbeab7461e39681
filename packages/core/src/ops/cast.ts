/**
 * Dtype conversion. float32 to int32 truncates toward zero, as PyTorch does; anything to bool
 * is `x != 0` (so NaN is true). Only float32 carries gradients, so a cast never records one.
 * @module
 */
import { apply } from '../autograd/function.js';
import { tf } from '../kernels/tf.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A copy of `x` with dtype `dtype`; `x` itself when it already has it.
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), 'int32').tolist();   // [1, -1]
 * cast(tensor([0, 0.1, NaN]), 'bool').tolist();  // [false, true, true]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const h = x._handle;
  return apply({
    name: 'to',
    nodeName: 'ToCopyBackward0',
    inputs: [x],
    // wasm's Cast truncates a float to an integer before testing it, so 0.1 became false there:
    // compare with zero instead, which every backend gets right (NaN != 0 is true, as in PyTorch).
    forward: () => (dtype === 'bool' ? tf.notEqual(h, tf.scalar(0, h.dtype)) : tf.cast(h, dtype)),
  });
}
