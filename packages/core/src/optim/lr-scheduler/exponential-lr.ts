/**
 * `ExponentialLR` (`torch.optim.lr_scheduler.ExponentialLR`): decay by `gamma` every epoch.
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative factor of the decay (required). */
  gamma: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch.
 *
 * @example
 * ```ts
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    const opts = checkOptions('ExponentialLR', options);
    const gamma = checkNumber('ExponentialLR', 'gamma', opts.gamma, 'finite');
    super(optimizer, opts.lastEpoch);
    this.gamma = gamma;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** this.lastEpoch);
  }
}
