/**
 * `Parameter`: a tensor that a {@link Module} owns and trains (`nn.Parameter`).
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { tf } from '../kernels/tf.js';
import { keepTensor } from '../memory/scope.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that is a module's learnable state. It requires grad by default, belongs to its module
 * (no scope frees it; `module.dispose()` does), and shares the storage of the tensor it was made
 * from.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   weight = new Parameter(ones([3]));
 *   forward(x: Tensor) { return x.mul(this.weight); }
 * }
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new ArgumentError(`Parameter(): data must be a Tensor (got ${describe(data)})`);
    super(tf.clone(data._handle), data.device);
    keepTensor(this);
    if (requiresGrad) this.requiresGrad = true;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
