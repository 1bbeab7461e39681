/**
 * `Adadelta` (`torch.optim.Adadelta`).
 * @module
 */
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBoolean, checkNonNegative, checkRange, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link Adadelta}.
 *
 * @example
 * ```ts
 * const options: Partial<AdadeltaOptions> = { rho: 0.95, eps: 1e-6 };
 * new Adadelta(model.parameters(), options);
 * ```
 */
export interface AdadeltaOptions {
  /** Scales the computed update (default 1.0). */
  lr: number;
  /** Decay rate of the running averages (default 0.9). */
  rho: number;
  /** Added inside the square roots for numerical stability (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link Adadelta}.
 *
 * @example
 * ```ts
 * const { squareAvg, accDelta } = opt.state.get(weight) as AdadeltaState;
 * ```
 */
export interface AdadeltaState {
  [key: string]: Tensor | number | null;
  step: number;
  squareAvg: Tensor;
  accDelta: Tensor;
}

/**
 * Adadelta (`torch.optim.Adadelta`): an update whose unit comes from running averages of
 * squared gradients and squared updates, scaled by `lr`.
 *
 * @example
 * ```ts
 * const opt = new Adadelta(model.parameters(), { rho: 0.95 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, withDefaults('Adadelta()', { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<AdadeltaOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkRange(where, 'rho', o.rho, 0, 1);
    checkNonNegative(where, 'eps', o.eps);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkBoolean(where, 'maximize', o.maximize);
  }

  protected updateGroup(g: ParamGroup<AdadeltaOptions>): void {
    const { rho, eps } = g;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<AdadeltaState>(p, () => ({ step: 0, squareAvg: zerosLike(p), accDelta: zerosLike(p) }));
      s.step++;
      const grad = gradOf(p, g);
      s.squareAvg.mul_(rho).add_(grad.mul(grad), { alpha: 1 - rho });
      const std = s.squareAvg.add(eps).sqrt();
      const delta = s.accDelta.add(eps).sqrt().div(std).mul(grad);
      s.accDelta.mul_(rho).add_(delta.mul(delta), { alpha: 1 - rho });
      p.add_(delta, { alpha: -g.lr });
    }
  }
}
