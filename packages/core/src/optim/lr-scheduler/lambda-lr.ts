/**
 * `LambdaLR` (`torch.optim.lr_scheduler.LambdaLR`): each group's learning rate is its initial rate
 * times a function of the epoch.
 * @module
 */
import { checkOptimizer, checkOptions, perGroupFn } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** A multiplicative factor for an epoch (PyTorch's `lr_lambda`). */
export type LrLambda = (epoch: number) => number;

/** Options of {@link LambdaLR}. */
export type LambdaLROptions = SchedulerOptions;

/**
 * Sets each group's learning rate to `initialLr * lrLambda(epoch)`. `lrLambda` is one function
 * for every group, or an array of one per group. The lambdas are not saved by `stateDict()`.
 *
 * @example
 * ```ts
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * // two groups, one function each
 * const warm = new LambdaLR(opt2, [(e) => Math.floor(e / 30), (e) => 0.95 ** e]);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** One factor function per param group. */
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulableOptimizer, lrLambda: LrLambda | readonly LrLambda[], options?: LambdaLROptions) {
    const lambdas = perGroupFn<LrLambda>('LambdaLR', 'lrLambda', checkOptimizer('LambdaLR', optimizer), lrLambda);
    const opts = checkOptions('LambdaLR', options);
    super(optimizer, opts.lastEpoch);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  override getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
