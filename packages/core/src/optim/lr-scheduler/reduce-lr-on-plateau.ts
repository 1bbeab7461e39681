/**
 * `ReduceLROnPlateau` (`torch.optim.lr_scheduler.ReduceLROnPlateau`): reduce the learning rate
 * when a metric stops improving.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import { checkChoice, checkNumber, checkOptimizer, checkOptions, perGroup } from './checks.js';
import { restore, snapshot, type SchedulableOptimizer, type SchedulerStateDict } from './scheduler.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing (default 'min'). */
  mode?: 'min' | 'max';
  /** The factor of a reduction, `newLr = lr * factor`, below 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before a reduction (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than `best * (1 -/+ threshold)`; 'abs': better than `best -/+ threshold` (default 'rel'). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** The lowest learning rate, one for all groups or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

/** A metric: a number, or anything with `item()` such as a one-element Tensor. */
export type Metric = number | { item(): number };

/**
 * Reduces each group's learning rate by `factor` once the metric passed to `step(metric)` has not
 * improved for more than `patience` epochs. Not an {@link LRScheduler}: it is driven by a metric,
 * not by the epoch count, as in PyTorch.
 *
 * @example
 * ```ts
 * const sched = new ReduceLROnPlateau(opt, { mode: 'min', patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(opt);
 *   const valLoss = validate();
 *   sched.step(valLoss);
 * }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: SchedulableOptimizer;
  /** The factor of a reduction. */
  factor: number;
  /** The lowest learning rate of each group. */
  minLrs: number[];
  /** Bad epochs tolerated before a reduction. */
  patience: number;
  /** Epochs of rest after a reduction. */
  cooldown: number;
  /** Epochs of rest left. */
  cooldownCounter: number;
  /** Whether lower or higher metrics are better. */
  mode: 'min' | 'max';
  /** The improvement threshold. */
  threshold: number;
  /** Whether the threshold is relative or absolute. */
  thresholdMode: 'rel' | 'abs';
  /** The best metric so far (`Infinity` for 'min', `-Infinity` for 'max' before the first). */
  best: number;
  /** Epochs since the best metric, outside cooldown. */
  numBadEpochs: number;
  /** The worst possible metric for the mode. */
  modeWorse: number;
  /** The smallest reduction applied. */
  eps: number;
  /** The number of steps taken. */
  lastEpoch: number;
  /** The learning rates after the last step. @internal */
  _lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, options?: ReduceLROnPlateauOptions) {
    const W = 'ReduceLROnPlateau';
    const opt = checkOptimizer(W, optimizer);
    const opts = checkOptions(W, options);
    const factor = checkNumber(W, 'factor', opts.factor ?? 0.1, 'finite');
    if (factor >= 1.0) throw new ArgumentError(`ReduceLROnPlateau(): factor must be < 1.0 (got ${factor})`);
    this.optimizer = opt;
    this.factor = factor;
    this.minLrs = perGroup(W, 'minLr', opt, opts.minLr ?? 0);
    this.patience = checkNumber(W, 'patience', opts.patience ?? 10, 'nonNegativeInt');
    this.cooldown = checkNumber(W, 'cooldown', opts.cooldown ?? 0, 'nonNegativeInt');
    this.cooldownCounter = 0;
    this.mode = checkChoice(W, 'mode', opts.mode ?? 'min', ['min', 'max']);
    this.threshold = checkNumber(W, 'threshold', opts.threshold ?? 1e-4, 'finite');
    this.thresholdMode = checkChoice(W, 'thresholdMode', opts.thresholdMode ?? 'rel', ['rel', 'abs']);
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this.numBadEpochs = 0;
    this.eps = checkNumber(W, 'eps', opts.eps ?? 1e-8, 'finite');
    this.lastEpoch = 0;
    this._lastLr = opt.paramGroups.map((g) => g.lr);
  }

  /** Whether the scheduler rests after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` by the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /**
   * Records this epoch's metric and reduces the learning rates when it has not improved for more
   * than `patience` epochs. `epoch` (deprecated in PyTorch) sets the epoch number instead of
   * counting.
   */
  step(metric: Metric, epoch?: number): void {
    let current: number;
    if (typeof metric === 'number') current = metric;
    else if (typeof metric === 'object' && metric !== null && typeof metric.item === 'function') current = Number(metric.item());
    else throw new ArgumentError(`ReduceLROnPlateau.step(): metric must be a number or have item() (got ${describe(metric)})`);
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : checkNumber('ReduceLROnPlateau.step', 'epoch', epoch, 'finite');

    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** The learning rates after the last step, one per param group (`get_last_lr`). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /**
   * The scheduler's state, PyTorch's entries with camelCase keys. Note that `JSON.stringify`
   * writes an infinite `best` (no metric yet) as null; {@link loadStateDict} reads null back as
   * the mode's worst value.
   */
  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  /** Restores a state from {@link stateDict}; load the optimizer's state too. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    restore(this, stateDict, ['optimizer'], 'ReduceLROnPlateau.loadStateDict');
    checkChoice('ReduceLROnPlateau.loadStateDict', 'mode', this.mode, ['min', 'max']);
    checkChoice('ReduceLROnPlateau.loadStateDict', 'thresholdMode', this.thresholdMode, ['rel', 'abs']);
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
    if ((this.best as number | null) === null) this.best = this.modeWorse;
  }
}
