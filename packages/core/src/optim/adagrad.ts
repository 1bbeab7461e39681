/**
 * `Adagrad` (`torch.optim.Adagrad`).
 * @module
 */
import { fullLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBoolean, checkNonNegative, gradOf, withDefaults, type ParamGroup, type ParamGroupInput, type Params } from './optimizer.js';

/**
 * Options of {@link Adagrad}.
 *
 * @example
 * ```ts
 * const options: Partial<AdagradOptions> = { lr: 0.1, initialAccumulatorValue: 0.1 };
 * new Adagrad(model.parameters(), options);
 * ```
 */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses `lr / (1 + (t - 1) * lrDecay)` (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link Adagrad}.
 *
 * @example
 * ```ts
 * const { sum } = opt.state.get(weight) as AdagradState;
 * ```
 */
export interface AdagradState {
  [key: string]: Tensor | number | null;
  step: number;
  sum: Tensor;
}

/**
 * Adagrad (`torch.optim.Adagrad`): scales each coordinate by the inverse root of its summed
 * squared gradients. As in PyTorch, the state of every parameter exists from the start (so it
 * appears in `stateDict()` before the first step).
 *
 * @example
 * ```ts
 * const opt = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-4 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, withDefaults('Adagrad()', { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<AdagradOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'lrDecay', o.lrDecay);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkNonNegative(where, 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative(where, 'eps', o.eps);
    checkBoolean(where, 'maximize', o.maximize);
  }

  /** Adds a group (by the constructor or `addParamGroup`) and makes its parameters' state. @internal */
  override _addGroup(group: ParamGroupInput<AdagradOptions>, fn: string, prefix: string): void {
    super._addGroup(group, fn, prefix);
    const g = this.paramGroups[this.paramGroups.length - 1]!;
    for (const p of g.params) this.stateOf(p, g);
  }

  private stateOf(p: Tensor, g: ParamGroup<AdagradOptions>): AdagradState {
    return this.stateFor<AdagradState>(p, () => ({ step: 0, sum: fullLike(p, g.initialAccumulatorValue) }));
  }

  protected updateGroup(g: ParamGroup<AdagradOptions>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p, g);
      const step = ++s.step;
      const grad = gradOf(p, g);
      const clr = g.lr / (1 + (step - 1) * g.lrDecay);
      s.sum.add_(grad.mul(grad));
      p.add_(grad.div(s.sum.sqrt().add(g.eps)), { alpha: -clr });
    }
  }
}
