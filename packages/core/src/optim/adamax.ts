/**
 * `Adamax` (`torch.optim.Adamax`).
 * @module
 */
import { maximum } from '../ops/arith.js';
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBetas, checkBoolean, checkNonNegative, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link Adamax}.
 *
 * @example
 * ```ts
 * const options: Partial<AdamaxOptions> = { lr: 2e-3, betas: [0.9, 0.999] };
 * new Adamax(model.parameters(), options);
 * ```
 */
export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the infinity norm for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link Adamax}.
 *
 * @example
 * ```ts
 * const { expAvg, expInf } = opt.state.get(weight) as AdamaxState;
 * ```
 */
export interface AdamaxState {
  [key: string]: Tensor | number | null;
  step: number;
  expAvg: Tensor;
  expInf: Tensor;
}

/**
 * Adamax (`torch.optim.Adamax`): Adam with the second moment replaced by an exponentially
 * weighted infinity norm of the gradients.
 *
 * @example
 * ```ts
 * const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, withDefaults('Adamax()', { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<AdamaxOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'eps', o.eps);
    checkBetas(where, o.betas);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkBoolean(where, 'maximize', o.maximize);
  }

  protected updateGroup(g: ParamGroup<AdamaxOptions>): void {
    const [beta1, beta2] = g.betas;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<AdamaxState>(p, () => ({ step: 0, expAvg: zerosLike(p), expInf: zerosLike(p) }));
      const step = ++s.step;
      const grad = gradOf(p, g);
      s.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      s.expInf.mul_(beta2);
      s.expInf.copy_(maximum(s.expInf, grad.abs().add(g.eps)));
      const clr = g.lr / (1 - beta1 ** step);
      p.add_(s.expAvg.div(s.expInf), { alpha: -clr });
    }
  }
}
