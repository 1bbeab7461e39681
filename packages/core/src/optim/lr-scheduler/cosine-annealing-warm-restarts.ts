/**
 * `CosineAnnealingWarmRestarts` (`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`): cosine
 * annealing with warm restarts (SGDR).
 * @module
 */
import { ArgumentError } from '../../errors.js';
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** The number of epochs until the first restart (PyTorch's `T_0`, required). */
  t0: number;
  /** The factor by which the period grows after each restart (PyTorch's `T_mult`, default 1). */
  tMult?: number;
  /** The minimum learning rate (PyTorch's `eta_min`, default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value towards `etaMin`,
 * restarting from the initial value every period; the first period is `t0` epochs and each next
 * one `tMult` times longer. `step(epoch)` accepts fractional epochs, to step after every batch.
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2, etaMin: 1e-4 });
 * const iters = loader.length;
 * for (let epoch = 0; epoch < 20; epoch++) {
 *   for (let i = 0; i < iters; i++) {
 *     trainBatch();
 *     sched.step(epoch + i / iters);
 *   }
 * }
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** The first period (PyTorch's `T_0`). */
  t0: number;
  /** The current period (PyTorch's `T_i`). */
  tI: number;
  /** The growth factor of the period (PyTorch's `T_mult`). */
  tMult: number;
  /** The minimum learning rate (PyTorch's `eta_min`). */
  etaMin: number;
  /** Epochs since the last restart, possibly fractional (PyTorch's `T_cur`). */
  tCur: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const opts = checkOptions('CosineAnnealingWarmRestarts', options);
    const t0 = checkNumber('CosineAnnealingWarmRestarts', 't0', opts.t0, 'positiveInt');
    const tMult = checkNumber('CosineAnnealingWarmRestarts', 'tMult', opts.tMult ?? 1, 'positiveInt');
    const etaMin = checkNumber('CosineAnnealingWarmRestarts', 'etaMin', opts.etaMin ?? 0, 'finite');
    super(optimizer, opts.lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  override getLr(): number[] {
    return this.baseLrs.map((baseLr) => this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (which may be fractional, to step after every batch:
   * `step(epoch + i / iters)`). Both forms may be mixed.
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
        throw new ArgumentError(`CosineAnnealingWarmRestarts.step(): epoch must be a number >= 0 (got ${String(epoch)})`);
      }
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = epoch % this.t0;
        } else {
          const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.setLrs(this.getLr());
  }
}
