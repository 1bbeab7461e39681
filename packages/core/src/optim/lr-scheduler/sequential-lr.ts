/**
 * `SequentialLR` (`torch.optim.lr_scheduler.SequentialLR`): schedulers taking turns, switching at
 * milestones.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import { checkNumber, checkOptions } from './checks.js';
import { LRScheduler, restoreNested, snapshot, type SchedulableOptimizer, type SchedulerStateDict } from './scheduler.js';

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions {
  /** The epochs at which the next scheduler takes over, one fewer than the schedulers (required). */
  milestones: readonly number[];
  /** The index of the last epoch (default -1). */
  lastEpoch?: number;
}

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` (restarted at its epoch 0)
 * until `milestones[1]`, and so on. All schedulers must be built on `optimizer`.
 *
 * @example
 * ```ts
 * // lr = 0.1, 0.1, then 1, 0.9, 0.81, ... (initial lr 1; the decay restarts at its epoch 0)
 * const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new SequentialLR(opt, [warmup, decay], { milestones: [2] });
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers, in order. @internal */
  _schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. @internal */
  _milestones: number[];

  constructor(optimizer: SchedulableOptimizer, schedulers: readonly LRScheduler[], options: SequentialLROptions) {
    const W = 'SequentialLR';
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new ArgumentError(`SequentialLR(): schedulers must be a non-empty array of schedulers (got ${describe(schedulers)})`);
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) {
        throw new ArgumentError(`SequentialLR(): schedulers[${i}] must be an LRScheduler (got ${describe(s)})`);
      }
      if (s.optimizer !== optimizer) {
        throw new ArgumentError(`SequentialLR(): all schedulers must belong to the optimizer passed in, but schedulers[${i}] was built on another optimizer`);
      }
    });
    const opts = checkOptions(W, options);
    if (!Array.isArray(opts.milestones)) {
      throw new ArgumentError(`SequentialLR(): milestones must be an array of epoch indices (got ${describe(opts.milestones)})`);
    }
    if (opts.milestones.length !== schedulers.length - 1) {
      throw new ArgumentError(
        `SequentialLR(): milestones must have one entry fewer than schedulers, ${schedulers.length - 1} (got ${opts.milestones.length} milestones for ${schedulers.length} schedulers)`,
      );
    }
    const milestones = opts.milestones.map((m, i) => checkNumber(W, `milestones[${i}]`, m, 'int'));
    const lastEpoch = checkNumber(W, 'lastEpoch', opts.lastEpoch ?? -1, 'int');
    super(optimizer);
    this._schedulers = [...schedulers];
    this._milestones = milestones;
    this.lastEpoch = lastEpoch + 1;

    // Reset the learning rates to their initial values and undo the steps the schedulers took.
    for (const g of this.optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    // Take the initial step of the first scheduler only.
    this._schedulers[0]!.initialStep();
    this._lastLr = this._schedulers[0]!.getLastLr();
  }

  /** Advances one epoch, stepping the scheduler whose turn it is. */
  override step(): void {
    this.lastEpoch += 1;
    const idx = this._milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this._schedulers[idx]!;
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  /** The state, with each scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    return { ...snapshot(this, ['optimizer', '_schedulers']), _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from {@link stateDict}, each scheduler's included. */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    restoreNested(this, this._schedulers, stateDict, 'SequentialLR.loadStateDict');
  }
}
