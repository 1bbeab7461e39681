/**
 * `RMSprop` (`torch.optim.RMSprop`).
 * @module
 */
import { keepTensor } from '../memory/scope.js';
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBoolean, checkNonNegative, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link RMSprop}.
 *
 * @example
 * ```ts
 * const options: Partial<RMSpropOptions> = { lr: 1e-3, alpha: 0.9, centered: true };
 * new RMSprop(model.parameters(), options);
 * ```
 */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link RMSprop} (plus `momentumBuffer` with momentum and
 * `gradAvg` when centered).
 *
 * @example
 * ```ts
 * const { squareAvg } = opt.state.get(weight) as RMSpropState;
 * ```
 */
export interface RMSpropState {
  [key: string]: Tensor | number | null;
  step: number;
  squareAvg: Tensor;
}

/**
 * RMSprop (`torch.optim.RMSprop`): divides the gradient by a running root mean square of past
 * gradients; optionally centered (variance instead of second moment) and with momentum.
 *
 * @example
 * ```ts
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, withDefaults('RMSprop()', { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<RMSpropOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'eps', o.eps);
    checkNonNegative(where, 'momentum', o.momentum);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkNonNegative(where, 'alpha', o.alpha);
    checkBoolean(where, 'centered', o.centered);
    checkBoolean(where, 'maximize', o.maximize);
  }

  protected updateGroup(g: ParamGroup<RMSpropOptions>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<RMSpropState>(p, () => ({
        step: 0,
        squareAvg: zerosLike(p),
        ...(g.momentum > 0 ? { momentumBuffer: zerosLike(p) } : {}),
        ...(g.centered ? { gradAvg: zerosLike(p) } : {}),
      }));
      s.step++;
      const grad = gradOf(p, g);
      s.squareAvg.mul_(g.alpha).add_(grad.mul(grad), { alpha: 1 - g.alpha });
      let avg: Tensor;
      if (g.centered) {
        const gradAvg = (s.gradAvg ??= keepTensor(zerosLike(p))) as Tensor;
        gradAvg.mul_(g.alpha).add_(grad, { alpha: 1 - g.alpha });
        avg = s.squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
      } else {
        avg = s.squareAvg.sqrt();
      }
      avg = avg.add(g.eps);
      if (g.momentum > 0) {
        const buf = (s.momentumBuffer ??= keepTensor(zerosLike(p))) as Tensor;
        buf.mul_(g.momentum).add_(grad.div(avg));
        p.add_(buf, { alpha: -g.lr });
      } else {
        p.add_(grad.div(avg), { alpha: -g.lr });
      }
    }
  }
}
