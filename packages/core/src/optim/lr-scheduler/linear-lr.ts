/**
 * `LinearLR` (`torch.optim.lr_scheduler.LinearLR`): a factor that moves linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs (a warm-up, or a linear decay).
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link LinearLR}. */
export interface LinearLROptions extends SchedulerOptions {
  /** The factor in the first epoch, in [0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor from `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** The number of epochs the factor takes to reach `endFactor` (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's initial learning rate by a factor that changes linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs.
 *
 * @example
 * ```ts
 * // lr = 0.025, 0.03125, 0.0375, 0.04375, then 0.05 (initial lr 0.05)
 * const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor in the first epoch. */
  startFactor: number;
  /** The factor from `totalIters` on. */
  endFactor: number;
  /** The number of epochs of the linear change. */
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options?: LinearLROptions) {
    const opts = checkOptions('LinearLR', options);
    const startFactor = checkNumber('LinearLR', 'startFactor', opts.startFactor ?? 1 / 3, [0, 1]);
    const endFactor = checkNumber('LinearLR', 'endFactor', opts.endFactor ?? 1.0, [0, 1]);
    const totalIters = checkNumber('LinearLR', 'totalIters', opts.totalIters ?? 5, 'positiveInt');
    super(optimizer, opts.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const delta = this.endFactor - this.startFactor;
    return groups.map((g) => g.lr * (1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta)));
  }

  protected override getClosedFormLr(): number[] {
    const delta = this.endFactor - this.startFactor;
    return this.baseLrs.map((baseLr) => baseLr * (this.startFactor + (delta * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
}
