/**
 * `MultiStepLR` (`torch.optim.lr_scheduler.MultiStepLR`): decay by `gamma` at given epochs.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay (required); a repeated epoch decays once per repetition. */
  milestones: readonly number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` when the epoch reaches a milestone.
 *
 * @example
 * ```ts
 * // lr = 0.05 for epochs 0-29, 0.005 for 30-79, 0.0005 from 80
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted, repeated ones kept (PyTorch keeps a `Counter`). */
  milestones: number[];
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    const opts = checkOptions('MultiStepLR', options);
    if (!Array.isArray(opts.milestones)) {
      throw new ArgumentError(`MultiStepLR(): milestones must be an array of epoch indices (got ${describe(opts.milestones)})`);
    }
    const milestones = opts.milestones.map((m, i) => checkNumber('MultiStepLR', `milestones[${i}]`, m, 'int')).sort((a, b) => a - b);
    const gamma = checkNumber('MultiStepLR', 'gamma', opts.gamma ?? 0.1, 'finite');
    super(optimizer, opts.lastEpoch);
    this.milestones = milestones;
    this.gamma = gamma;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** hits);
  }

  protected override getClosedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** passed);
  }
}
