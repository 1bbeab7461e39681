/**
 * `MultiplicativeLR` (`torch.optim.lr_scheduler.MultiplicativeLR`): each epoch multiplies the
 * learning rate by a function of the epoch.
 * @module
 */
import { checkOptimizer, checkOptions, perGroupFn } from './checks.js';
import type { LrLambda } from './lambda-lr.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link MultiplicativeLR}. */
export type MultiplicativeLROptions = SchedulerOptions;

/**
 * Multiplies each group's learning rate by `lrLambda(epoch)` at every step after the first.
 * `lrLambda` is one function for every group, or an array of one per group. The lambdas are not
 * saved by `stateDict()`.
 *
 * @example
 * ```ts
 * const sched = new MultiplicativeLR(opt, () => 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** One factor function per param group. */
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, lrLambda: LrLambda | readonly LrLambda[], options?: MultiplicativeLROptions) {
    const lambdas = perGroupFn<LrLambda>('MultiplicativeLR', 'lrLambda', checkOptimizer('MultiplicativeLR', optimizer), lrLambda);
    const opts = checkOptions('MultiplicativeLR', options);
    super(optimizer, opts.lastEpoch);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return groups.map((g) => g.lr);
  }
}
