/**
 * `RAdam` (`torch.optim.RAdam`).
 * @module
 */
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBetas, checkNonNegative, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link RAdam}.
 *
 * @example
 * ```ts
 * const options: Partial<RAdamOptions> = { lr: 1e-3, weightDecay: 1e-4 };
 * new RAdam(model.parameters(), options);
 * ```
 */
export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

/**
 * The state of one parameter of {@link RAdam}.
 *
 * @example
 * ```ts
 * const { step, expAvgSq } = opt.state.get(weight) as RAdamState;
 * ```
 */
export interface RAdamState {
  [key: string]: Tensor | number | null;
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * RAdam (`torch.optim.RAdam`): Adam with a rectified adaptive learning rate; while the variance
 * estimate is unreliable (the approximated SMA length is at most 5) it takes plain momentum steps.
 *
 * @example
 * ```ts
 * const opt = new RAdam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, withDefaults('RAdam()', { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }, options));
  }

  protected override checkOptions(o: Partial<RAdamOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'eps', o.eps);
    checkBetas(where, o.betas);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
  }

  protected updateGroup(g: ParamGroup<RAdamOptions>): void {
    const [beta1, beta2] = g.betas;
    const rhoInf = 2 / (1 - beta2) - 1;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<RAdamState>(p, () => ({ step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) }));
      const step = ++s.step;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const grad = gradOf(p, g);
      s.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      s.expAvgSq.mul_(beta2).add_(grad.mul(grad), { alpha: 1 - beta2 });
      const corrected = s.expAvg.div(biasCorrection1);
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        // PyTorch's `number / tensor` is `tensor.reciprocal() * number`.
        const adaptiveLr = s.expAvgSq.sqrt().add(g.eps).reciprocal().mul(Math.sqrt(biasCorrection2));
        p.add_(corrected.mul(g.lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
      } else {
        p.add_(corrected.mul(g.lr), { alpha: -1 });
      }
    }
  }
}
