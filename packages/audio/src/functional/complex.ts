/**
 * Complex helpers on flint's complex layout, a trailing dimension of size 2 (real, imaginary),
 * as `torch.view_as_real` gives it: magnitude, phase, products and polar construction.
 * @module
 */
import { stack, type Tensor } from '@flint/core';

/**
 * The magnitude `|z|` of a complex tensor `[..., 2]` (`z.abs()`), `[...]`.
 *
 * @example
 * ```ts
 * complexAbs(tensor([[3, 4]])).tolist(); // [5]
 * ```
 */
export function complexAbs(z: Tensor): Tensor {
  return complexAbs2(z).sqrt();
}

/**
 * The squared magnitude `|z|^2` of a complex tensor `[..., 2]`.
 *
 * @example
 * ```ts
 * complexAbs2(tensor([[3, 4]])).tolist(); // [25]
 * ```
 */
export function complexAbs2(z: Tensor): Tensor {
  return z.square().sum(-1);
}

/**
 * The product of two complex tensors `[..., 2]` (broadcasting).
 *
 * @example
 * ```ts
 * complexMul(tensor([0, 1]), tensor([0, 1])).tolist(); // [-1, 0]
 * ```
 */
export function complexMul(a: Tensor, b: Tensor): Tensor {
  const ar = a.index('...', 0);
  const ai = a.index('...', 1);
  const br = b.index('...', 0);
  const bi = b.index('...', 1);
  return stack([ar.mul(br).sub(ai.mul(bi)), ar.mul(bi).add(ai.mul(br))], -1);
}

/**
 * A complex tensor `[..., 2]` from magnitude and phase (`torch.polar`).
 *
 * @example
 * ```ts
 * polar(tensor([2]), tensor([0])).tolist(); // [[2, 0]]
 * ```
 */
export function polar(abs: Tensor, angle: Tensor): Tensor {
  return stack([abs.mul(angle.cos()), abs.mul(angle.sin())], -1);
}
