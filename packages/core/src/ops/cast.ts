/**
 * Dtype conversion. float32 to int32 truncates toward zero, as PyTorch does; anything to bool
 * is `x != 0`. Gradients flow through float-to-float only.
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
 * cast(tensor([1.7, -1.7]), 'int32').tolist(); // [1, -1]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const h = x._handle;
  return apply({
    name: 'to',
    nodeName: 'ToCopyBackward0',
    inputs: [x],
    forward: () => tf.cast(h, dtype),
  });
}
