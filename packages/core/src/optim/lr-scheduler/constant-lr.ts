/**
 * `ConstantLR` (`torch.optim.lr_scheduler.ConstantLR`): a constant factor until `totalIters`.
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions extends SchedulerOptions {
  /** The factor applied until the milestone, in [0, 1] (default 1/3). */
  factor?: number;
  /** The number of epochs the factor applies (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's learning rate by `factor` for the first `totalIters` epochs, then
 * restores it.
 *
 * @example
 * ```ts
 * // lr = 0.025 for epochs 0-3, 0.05 from epoch 4 (initial lr 0.05)
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied until the milestone. */
  factor: number;
  /** The number of epochs the factor applies. */
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options?: ConstantLROptions) {
    const opts = checkOptions('ConstantLR', options);
    const factor = checkNumber('ConstantLR', 'factor', opts.factor ?? 1 / 3, [0, 1]);
    const totalIters = checkNumber('ConstantLR', 'totalIters', opts.totalIters ?? 5, 'nonNegativeInt');
    super(optimizer, opts.lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override getClosedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((baseLr) => baseLr * (this.factor + done * (1 - this.factor)));
  }
}
