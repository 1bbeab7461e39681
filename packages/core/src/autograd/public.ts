/**
 * `flint.autograd`, as `torch.autograd`: {@link grad} and the backward of several outputs at once.
 *
 * @example
 * ```ts
 * import { autograd, tensor } from '@flint/core';
 * const x = tensor([2], { requiresGrad: true });
 * const [g] = autograd.grad(x.pow(2).sum(), x); // [tensor([4])]
 * ```
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { runBackward, type BackwardOptions } from './engine.js';

export { grad } from './engine.js';
export type { GradOptions, BackwardOptions } from './engine.js';

/**
 * Backward from several outputs at once (`torch.autograd.backward`).
 *
 * @example
 * ```ts
 * autograd.backward([loss1, loss2]);
 * ```
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: readonly (Tensor | null | undefined)[],
  options: BackwardOptions = {},
): void {
  const ts = Array.isArray(tensors) ? (tensors as readonly Tensor[]) : [tensors as Tensor];
  runBackward(ts, gradTensors ?? ts.map(() => undefined), options);
}
