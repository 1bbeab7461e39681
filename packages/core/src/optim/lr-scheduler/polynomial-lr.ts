/**
 * `PolynomialLR` (`torch.optim.lr_scheduler.PolynomialLR`): polynomial decay to 0 over
 * `totalIters` epochs.
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions extends SchedulerOptions {
  /** The number of epochs of the decay (default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1). */
  power?: number;
}

/**
 * Decays each group's learning rate as `initialLr * (1 - epoch / totalIters) ** power`, reaching 0
 * at `totalIters`.
 *
 * @example
 * ```ts
 * // lr = 0.001, 0.00075, 0.0005, 0.00025, then 0 (initial lr 0.001)
 * const sched = new PolynomialLR(opt, { totalIters: 4, power: 1.0 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** The number of epochs of the decay. */
  totalIters: number;
  /** The power of the polynomial. */
  power: number;

  constructor(optimizer: SchedulableOptimizer, options?: PolynomialLROptions) {
    const opts = checkOptions('PolynomialLR', options);
    const totalIters = checkNumber('PolynomialLR', 'totalIters', opts.totalIters ?? 5, 'positiveInt');
    const power = checkNumber('PolynomialLR', 'power', opts.power ?? 1.0, 'finite');
    super(optimizer, opts.lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const decay = ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((baseLr) => baseLr * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
