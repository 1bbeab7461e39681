/**
 * `CyclicLR` (`torch.optim.lr_scheduler.CyclicLR`): the cyclical learning-rate policy (CLR),
 * stepped after every batch.
 * @module
 */
import { ArgumentError } from '../../errors.js';
import { checkChoice, checkNumber, checkOptimizer, checkOptions, perGroup } from './checks.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** A scaling policy: maps the cycle number (or the iteration) to a factor in [0, 1]. */
export type ScaleFn = (x: number) => number;

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions extends SchedulerOptions {
  /** The lower learning-rate bound of the cycle, one for all groups or one per group (required). */
  baseLr: number | readonly number[];
  /** The upper learning-rate bound of the cycle, one for all groups or one per group (required). */
  maxLr: number | readonly number[];
  /** Iterations in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Iterations in the decreasing half of a cycle (default `stepSizeUp`). */
  stepSizeDown?: number;
  /** The built-in policy, ignored when `scaleFn` is given (default 'triangular'). */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** The base of the 'exp_range' scaling, `gamma ** iterations` (default 1). */
  gamma?: number;
  /** A custom scaling policy in place of `mode`; not saved by `stateDict()`. */
  scaleFn?: ScaleFn;
  /** What `scaleFn` is called with: the cycle number or the iteration (default 'cycle'). */
  scaleMode?: 'cycle' | 'iterations';
  /** Whether to cycle the groups' `momentum` inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** The lower momentum bound, one for all groups or one per group (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** The upper momentum bound, one for all groups or one per group (default 0.9). */
  maxMomentum?: number | readonly number[];
}

/**
 * Cycles each group's learning rate between `baseLr` and `maxLr` (and its momentum between
 * `maxMomentum` and `baseMomentum`), one cycle every `stepSizeUp + stepSizeDown` steps. Policies:
 * 'triangular' (constant amplitude), 'triangular2' (amplitude halved each cycle), 'exp_range'
 * (amplitude times `gamma ** iteration`), or a custom `scaleFn`. Call `step()` after every batch.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2000, mode: 'triangular2' });
 * for (const batch of loader) {
 *   trainBatch(batch);
 *   sched.step();
 * }
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** Upper learning-rate bounds, one per group. */
  maxLrs: number[];
  /** Iterations in one cycle. */
  totalSize: number;
  /** The fraction of a cycle spent increasing. */
  stepRatio: number;
  /** The built-in policy. */
  mode: string;
  /** The base of the 'exp_range' scaling. */
  gamma: number;
  /** What the scaling function is called with. */
  scaleMode: 'cycle' | 'iterations';
  /** The custom scaling function, or null for the built-in policy. @internal */
  _scaleFnCustom: ScaleFn | null;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Lower momentum bounds, one per group (when momentum is cycled). */
  baseMomentums: number[] | undefined;
  /** Upper momentum bounds, one per group (when momentum is cycled). */
  maxMomentums: number[] | undefined;

  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const W = 'CyclicLR';
    const opt = checkOptimizer(W, optimizer);
    const opts = checkOptions(W, options);
    const lastEpoch = opts.lastEpoch ?? -1;
    const baseLrs = perGroup(W, 'baseLr', opt, opts.baseLr);
    const maxLrs = perGroup(W, 'maxLr', opt, opts.maxLr);
    const stepSizeUp = checkNumber(W, 'stepSizeUp', opts.stepSizeUp ?? 2000, 'positive');
    const stepSizeDown = checkNumber(W, 'stepSizeDown', opts.stepSizeDown ?? stepSizeUp, 'nonNegative');
    const gamma = checkNumber(W, 'gamma', opts.gamma ?? 1.0, 'finite');
    const scaleFn = opts.scaleFn ?? null;
    if (scaleFn !== null && typeof scaleFn !== 'function') {
      throw new ArgumentError(`CyclicLR(): scaleFn must be a function (got ${typeof scaleFn})`);
    }
    const mode = opts.mode ?? 'triangular';
    if (scaleFn === null) checkChoice(W, 'mode', mode, ['triangular', 'triangular2', 'exp_range']);
    const scaleMode = scaleFn === null ? (mode === 'exp_range' ? 'iterations' : 'cycle') : checkChoice(W, 'scaleMode', opts.scaleMode ?? 'cycle', ['cycle', 'iterations']);
    const cycleMomentum = opts.cycleMomentum ?? true;
    let baseMomentums: number[] | undefined;
    let maxMomentums: number[] | undefined;
    if (cycleMomentum) {
      opt.paramGroups.forEach((g, i) => {
        if (typeof g.momentum !== 'number') {
          throw new ArgumentError(
            `CyclicLR(): cycleMomentum needs an optimizer with momentum, but paramGroups[${i}].momentum is ${String(g.momentum)}; pass cycleMomentum: false`,
          );
        }
      });
      baseMomentums = perGroup(W, 'baseMomentum', opt, opts.baseMomentum ?? 0.8);
      maxMomentums = perGroup(W, 'maxMomentum', opt, opts.maxMomentum ?? 0.9);
    }

    if (lastEpoch === -1) opt.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]!));
    if (cycleMomentum) {
      if (lastEpoch === -1) opt.paramGroups.forEach((g, i) => (g.momentum = baseMomentums![i]));
      baseMomentums = opt.paramGroups.map((g) => g.momentum as number);
    }
    super(optimizer, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.scaleMode = scaleMode;
    this._scaleFnCustom = scaleFn;
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The scaling policy: the custom `scaleFn`, or the one of `mode`. */
  scaleFn(x: number): number {
    if (this._scaleFnCustom !== null) return this._scaleFnCustom(x);
    if (this.mode === 'triangular2') return 1 / 2.0 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1.0;
  }

  /** The learning rates for `lastEpoch` (the batch index); also sets the groups' momentum. */
  override getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i]! - baseLr) * scaleFactor * scale);
    if (this.cycleMomentum) {
      const maxMomentums = this.maxMomentums!;
      const momentums = this.baseMomentums!.map((baseMomentum, i) => maxMomentums[i]! - (maxMomentums[i]! - baseMomentum) * scaleFactor * scale);
      this.optimizer.paramGroups.forEach((g, i) => (g.momentum = momentums[i]));
    }
    return lrs;
  }
}
