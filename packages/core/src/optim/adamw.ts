/**
 * `AdamW`: Adam with decoupled weight decay (`torch.optim.AdamW`).
 * @module
 */
import { adamState, adamUpdate, checkAdamOptions, type AdamOptions } from './adam.js';
import { Optimizer, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link AdamW}: those of Adam, with `weightDecay` 1e-2 by default.
 *
 * @example
 * ```ts
 * const options: Partial<AdamWOptions> = { lr: 1e-3, weightDecay: 0.05 };
 * new AdamW(model.parameters(), options);
 * ```
 */
export type AdamWOptions = AdamOptions;

/**
 * AdamW (`torch.optim.AdamW`): Adam whose weight decay shrinks the parameters directly
 * (`p *= 1 - lr * weightDecay`) instead of entering the gradient; default `weightDecay` 1e-2.
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super(params, withDefaults('AdamW()', { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<AdamWOptions>, where: string): void {
    checkAdamOptions(o, where);
  }

  protected updateGroup(g: ParamGroup<AdamWOptions>): void {
    for (const p of g.params) if (p.grad !== null) adamUpdate(p, this.stateFor(p, () => adamState(p, g.amsgrad)), g, true);
  }
}
