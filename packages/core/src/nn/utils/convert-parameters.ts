/**
 * Parameters to one vector and back (`torch.nn.utils.parameters_to_vector` and
 * `vector_to_parameters`).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { cat } from '../../ops/shape.js';
import { Tensor } from '../../tensor/tensor.js';

function tensorList(fn: string, parameters: Iterable<Tensor>): Tensor[] {
  if (parameters instanceof Tensor || parameters === null || typeof parameters !== 'object' || typeof parameters[Symbol.iterator] !== 'function') {
    throw new ArgumentError(`${fn}: parameters must be an iterable of Tensors, such as model.parameters() (got ${describe(parameters)})`);
  }
  const list = [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: parameters[${i}] must be a Tensor (got ${describe(p)})`);
  });
  return list;
}

/**
 * The parameters flattened and joined into one 1-D tensor (`parameters_to_vector`). The result
 * is a new tensor that autograd sees as a function of the parameters.
 *
 * @example
 * ```ts
 * const vec = parametersToVector(model.parameters());
 * vec.shape; // [model.countParameters()]
 * ```
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = tensorList('parametersToVector()', parameters);
  if (list.length === 0) throw new ArgumentError('parametersToVector(): parameters is empty; there is nothing to join');
  return scope(() => cat(list.map((p) => p.reshape(-1))));
}

/**
 * Copies consecutive slices of the 1-D `vec` into the parameters, in order, in place
 * (`vector_to_parameters`). `vec` must hold exactly as many values as the parameters.
 *
 * @example
 * ```ts
 * const saved = parametersToVector(model.parameters());
 * // ... change the model ...
 * vectorToParameters(saved, model.parameters()); // back to the saved values
 * ```
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  const fn = 'vectorToParameters()';
  if (!(vec instanceof Tensor)) throw new ArgumentError(`${fn}: vec must be a Tensor (got ${describe(vec)})`);
  if (vec.ndim !== 1) throw new ShapeError(`${fn}: vec must be 1-D (got shape [${vec.shape.join(', ')}])`);
  const list = tensorList(fn, parameters);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== total) {
    throw new ShapeError(`${fn}: vec has ${vec.numel()} elements, but the parameters hold ${total} in total`);
  }
  noGrad(() =>
    scope(() => {
      let offset = 0;
      for (const p of list) {
        const n = p.numel();
        p.copy_(vec.narrow(0, offset, n).reshape(p.shape));
        offset += n;
      }
    }),
  );
}
