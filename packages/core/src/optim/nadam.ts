/**
 * `NAdam` (`torch.optim.NAdam`).
 * @module
 */
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBetas, checkNonNegative, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link NAdam}.
 *
 * @example
 * ```ts
 * const options: Partial<NAdamOptions> = { lr: 2e-3, momentumDecay: 4e-3 };
 * new NAdam(model.parameters(), options);
 * ```
 */
export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum decay ψ of the momentum schedule (default 4e-3). */
  momentumDecay: number;
}

/**
 * The state of one parameter of {@link NAdam}.
 *
 * @example
 * ```ts
 * const { step, muProduct } = opt.state.get(weight) as NAdamState;
 * ```
 */
export interface NAdamState {
  [key: string]: Tensor | number | null;
  step: number;
  /** The product of the momentum schedule so far (kept in float32, as PyTorch keeps it). */
  muProduct: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

const f32 = Math.fround;

/**
 * NAdam (`torch.optim.NAdam`): Adam with Nesterov momentum and the momentum schedule
 * `mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay))`.
 *
 * @example
 * ```ts
 * const opt = new NAdam(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, withDefaults('NAdam()', { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 }, options));
  }

  protected override checkOptions(o: Partial<NAdamOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'eps', o.eps);
    checkBetas(where, o.betas);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkNonNegative(where, 'momentumDecay', o.momentumDecay);
  }

  protected updateGroup(g: ParamGroup<NAdamOptions>): void {
    const [beta1, beta2] = g.betas;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<NAdamState>(p, () => ({ step: 0, muProduct: 1, expAvg: zerosLike(p), expAvgSq: zerosLike(p) }));
      const step = ++s.step;
      const biasCorrection2 = 1 - beta2 ** step;
      const grad = gradOf(p, g);
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
      s.muProduct = f32(s.muProduct * f32(mu));
      const muProductNext = f32(f32(s.muProduct * f32(mu)) * f32(muNext));
      s.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      s.expAvgSq.mul_(beta2).add_(grad.mul(grad), { alpha: 1 - beta2 });
      const denom = s.expAvgSq.div(biasCorrection2).sqrt().add(g.eps);
      p.add_(grad.div(denom), { alpha: (-g.lr * (1 - mu)) / (1 - s.muProduct) });
      p.add_(s.expAvg.div(denom), { alpha: (-g.lr * muNext) / (1 - muProductNext) });
    }
  }
}
