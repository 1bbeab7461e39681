/**
 * Gradient clipping (`torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, FlintError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { stack } from '../../ops/shape.js';
import { tensor } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * Options of {@link clipGradNorm_}.
 *
 * @example
 * ```ts
 * clipGradNorm_(model.parameters(), 1.0, { normType: Infinity, errorIfNonfinite: true });
 * ```
 */
export interface ClipGradNormOptions {
  /** The p of the p-norm; `Infinity` for the largest absolute value (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** The gradients of `parameters` (a tensor or an iterable of them) that are not null. */
function gradsOf(fn: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const list = toTensorList(fn, parameters);
  return list.map((p) => p.grad).filter((g): g is Tensor => g !== null);
}

function toTensorList(fn: string, parameters: Tensor | Iterable<Tensor>): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof parameters !== 'object' || typeof (parameters as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new ArgumentError(`${fn}: parameters must be a Tensor or an iterable of Tensors, such as model.parameters() (got ${describe(parameters)})`);
  }
  const list = [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: parameters[${i}] must be a Tensor (got ${describe(p)})`);
  });
  return list;
}

/**
 * Scales the gradients of `parameters` in place so that their total norm, computed as if they
 * were one vector, is at most `maxNorm` (`torch.nn.utils.clip_grad_norm_`). Returns the total
 * norm before clipping, as a 0-d tensor. Parameters whose `.grad` is null are skipped.
 *
 * @example
 * ```ts
 * loss.backward();
 * const norm = clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * console.log(norm.item());
 * ```
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): Tensor {
  const fn = 'clipGradNorm_()';
  const normType = options.normType ?? 2;
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new ArgumentError(`${fn}: maxNorm must be a number (got ${describe(maxNorm)})`);
  if (typeof normType !== 'number' || Number.isNaN(normType)) {
    throw new ArgumentError(`${fn}: normType must be a number, Infinity for the max norm (got ${describe(normType)})`);
  }
  const grads = gradsOf(fn, parameters);
  if (grads.length === 0) return tensor(0);
  return noGrad(() =>
    scope(() => {
      const total =
        normType === Infinity
          ? grads.length === 1
            ? grads[0]!.abs().max()
            : stack(grads.map((g) => g.abs().max())).max()
          : stack(grads.map((g) => g.norm(normType))).norm(normType);
      if (options.errorIfNonfinite && !Number.isFinite(total.item())) {
        throw new FlintError(
          `${fn}: the total norm of order ${normType} of the gradients is ${total.item()}, so they can't be clipped; ` +
            'pass errorIfNonfinite: false to scale them by the non-finite norm anyway',
        );
      }
      // PyTorch's `maxNorm / tensor` is `tensor.reciprocal() * maxNorm`.
      const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
      for (const g of grads) g.mul_(coef);
      return total;
    }),
  );
}

/**
 * Clamps every gradient of `parameters` to `[-clipValue, clipValue]`, in place
 * (`torch.nn.utils.clip_grad_value_`).
 *
 * @example
 * ```ts
 * loss.backward();
 * clipGradValue_(model.parameters(), 0.5);
 * opt.step();
 * ```
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const fn = 'clipGradValue_()';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new ArgumentError(`${fn}: clipValue must be a number (got ${describe(clipValue)})`);
  const grads = gradsOf(fn, parameters);
  noGrad(() => scope(() => grads.forEach((g) => g.clamp_(-clipValue, clipValue))));
}
