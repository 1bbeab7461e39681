/**
 * `gradcheck`: compares autograd's gradients with central finite differences.
 * @module
 */
import { ArgumentError } from '../errors.js';
import { grad as autogradGrad } from '../autograd/engine.js';
import { noGrad } from '../autograd/grad-mode.js';
import { scope } from '../memory/scope.js';
import { randn } from '../tensor/create.js';
import { fromTypedArray } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../random/generator.js';
import { AssertionFailed } from './assert-close.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-2; Flint computes in float32). */
  eps?: number;
  /** Absolute tolerance (default 1e-2). */
  atol?: number;
  /** Relative tolerance (default 1e-2). */
  rtol?: number;
  /** Throw on a mismatch (default true); otherwise return false. */
  raiseException?: boolean;
  /** Seed of the random projection of the output (default 0). */
  seed?: number;
}

/**
 * Checks the gradients of `fn` at `inputs` against central differences (`torch.autograd.gradcheck`).
 * The output is projected on a fixed random vector, so one backward checks every input element.
 * Inputs that require grad are checked; others are held fixed.
 *
 * @example
 * ```ts
 * const x = randn([3, 4], { requiresGrad: true });
 * gradcheck((x) => x.tanh().mul(x), [x]); // true
 * ```
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 1e-2;
  const rtol = options.rtol ?? 1e-2;
  const raise = options.raiseException ?? true;
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`gradcheck(): inputs[${i}] must be a Tensor`);
  });
  return scope(() => {
    const probe = noGrad(() => fn(...inputs));
    const v = randn(probe.shape, { generator: new Generator(options.seed ?? 0) });
    const objective = (xs: readonly Tensor[]): number => noGrad(() => scope(() => fn(...xs).mul(v).sum().item()));

    const checked = inputs.map((t) => t.requiresGrad);
    const leaves = inputs.filter((t) => t.requiresGrad);
    const grads = autogradGrad(fn(...inputs).mul(v).sum(), leaves, { allowUnused: true });
    const analytic = inputs.map((t) => (t.requiresGrad ? (grads[leaves.indexOf(t)] ?? null) : null));

    for (let i = 0; i < inputs.length; i++) {
      if (!checked[i]) continue;
      const base = inputs[i]!.detach();
      const data = Float32Array.from(base.dataSync() as Float32Array);
      const ga = analytic[i] ? Array.from(analytic[i]!.dataSync() as Float32Array) : new Array<number>(data.length).fill(0);
      for (let j = 0; j < data.length; j++) {
        const orig = data[j]!;
        const at = (value: number): number => {
          data[j] = value;
          const moved = fromTypedArray(data.slice(), base.shape, 'float32');
          const xs = inputs.map((t, k) => (k === i ? moved : t));
          const r = objective(xs);
          moved.dispose();
          return r;
        };
        const numeric = (at(orig + eps) - at(orig - eps)) / (2 * eps);
        data[j] = orig;
        const analyticValue = ga[j]!;
        if (!(Math.abs(numeric - analyticValue) <= atol + rtol * Math.abs(numeric))) {
          if (!raise) return false;
          throw new AssertionFailed(
            `gradcheck(): gradient of input ${i} at flat index ${j} is ${analyticValue} by autograd but ${numeric} by finite differences (eps ${eps})`,
          );
        }
      }
    }
    return true;
  });
}
