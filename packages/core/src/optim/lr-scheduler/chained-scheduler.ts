/**
 * `ChainedScheduler` (`torch.optim.lr_scheduler.ChainedScheduler`): several chainable schedulers
 * stepped together.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import { LRScheduler, restoreNested, snapshot, type SchedulerStateDict } from './scheduler.js';

/**
 * Steps every scheduler in the list at each `step()`, so their effects multiply (each must be
 * chainable: it updates the current `lr` rather than computing it from scratch). All must share
 * one optimizer. It has no epoch of its own, as in PyTorch: `lastEpoch` stays -1; read the
 * schedulers'.
 *
 * @example
 * ```ts
 * // lr = 0.1, 0.09, 0.81, 0.729, 0.6561, ... (initial lr 1)
 * const s1 = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const s2 = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new ChainedScheduler([s1, s2]);
 * ```
 */
export class ChainedScheduler extends LRScheduler {
  /** The schedulers, stepped in order. @internal */
  _schedulers: LRScheduler[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new ArgumentError(`ChainedScheduler(): schedulers must be a non-empty array of schedulers (got ${describe(schedulers)})`);
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) {
        throw new ArgumentError(`ChainedScheduler(): schedulers[${i}] must be an LRScheduler (got ${describe(s)})`);
      }
      if (s.optimizer !== schedulers[0]!.optimizer) {
        throw new ArgumentError(`ChainedScheduler(): all schedulers must belong to one optimizer, but schedulers[0] and schedulers[${i}] have different ones`);
      }
    });
    super(schedulers[0]!.optimizer);
    this._schedulers = [...schedulers];
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler once. */
  override step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The state, with each scheduler's state under `_schedulers`. */
  override stateDict(): SchedulerStateDict {
    return { ...snapshot(this, ['optimizer', '_schedulers']), _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from {@link stateDict}, each scheduler's included. */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    restoreNested(this, this._schedulers, stateDict, 'ChainedScheduler.loadStateDict');
  }
}
