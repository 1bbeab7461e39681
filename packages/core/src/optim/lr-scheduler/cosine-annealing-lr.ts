/**
 * `CosineAnnealingLR` (`torch.optim.lr_scheduler.CosineAnnealingLR`): cosine annealing from the
 * initial rate to `etaMin` over `tMax` epochs (the annealing of SGDR, without restarts).
 * @module
 */
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** The number of epochs from the initial rate down to `etaMin` (PyTorch's `T_max`, required). */
  tMax: number;
  /** The minimum learning rate (PyTorch's `eta_min`, default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value down to `etaMin` in
 * `tMax` epochs, then back up in the next `tMax` (the curve goes on as a cosine). The rule is
 * PyTorch's recursive one, so it composes with other schedulers changing `lr`; alone it follows
 * `etaMin + (initialLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2`.
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 0 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period of the cosine, in epochs (PyTorch's `T_max`). */
  tMax: number;
  /** The minimum learning rate (PyTorch's `eta_min`). */
  etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    const opts = checkOptions('CosineAnnealingLR', options);
    const tMax = checkNumber('CosineAnnealingLR', 'tMax', opts.tMax, 'positive');
    const etaMin = checkNumber('CosineAnnealingLR', 'etaMin', opts.etaMin ?? 0, 'finite');
    super(optimizer, opts.lastEpoch);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  override getLr(): number[] {
    const { lastEpoch: epoch, tMax, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (epoch === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && epoch > 0) {
      return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((epoch * Math.PI) / tMax))) / 2);
    }
    if ((epoch - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * epoch) / tMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }

  protected override getClosedFormLr(): number[] {
    const { lastEpoch: epoch, tMax, etaMin } = this;
    return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2);
  }
}
