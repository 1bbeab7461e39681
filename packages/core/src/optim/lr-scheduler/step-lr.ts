/**
 * `StepLR` (`torch.optim.lr_scheduler.StepLR`): decay by `gamma` every `stepSize` epochs.
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLROptions extends SchedulerOptions {
  /** Period of learning-rate decay, in epochs (required). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs.
 *
 * @example
 * ```ts
 * // lr = 0.05 for epochs 0-29, 0.005 for 30-59, 0.0005 for 60-89, ...
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of decay in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    const opts = checkOptions('StepLR', options);
    const stepSize = checkNumber('StepLR', 'stepSize', opts.stepSize, 'positiveInt');
    const gamma = checkNumber('StepLR', 'gamma', opts.gamma ?? 0.1, 'finite');
    super(optimizer, opts.lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
