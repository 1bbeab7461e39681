/**
 * `OneCycleLR` (`torch.optim.lr_scheduler.OneCycleLR`): the 1cycle policy, stepped after every
 * batch.
 * @module
 */
import { ArgumentError, FlintError } from '../../errors.js';
import { checkChoice, checkNumber, checkOptimizer, checkOptions, perGroup } from './checks.js';
import { LRScheduler, type ParamGroup, type SchedulableOptimizer, type SchedulerOptions } from './scheduler.js';

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions extends SchedulerOptions {
  /** The peak learning rate, one for all groups or one per group (required). */
  maxLr: number | readonly number[];
  /** Steps in the cycle; else give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs to train for, with `stepsPerEpoch` when `totalSteps` is not given. */
  epochs?: number;
  /** Steps per epoch, with `epochs` when `totalSteps` is not given. */
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent increasing the learning rate, in [0, 1] (default 0.3). */
  pctStart?: number;
  /** 'cos' or 'linear' annealing (default 'cos'). */
  annealStrategy?: 'cos' | 'linear';
  /** Whether to cycle momentum (or Adam's beta1) inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak learning rate, one for all groups or one per group (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** The momentum at the start and end, one for all groups or one per group (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** The initial learning rate is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final learning rate is `initialLr / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Use three phases (up, symmetric down, annihilation) as in the paper (default false). */
  threePhase?: boolean;
}

/** One phase of the cycle: where it ends and the group keys it anneals between. */
interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy: each group's learning rate rises from `maxLr / divFactor` to `maxLr`, then
 * anneals to `maxLr / divFactor / finalDivFactor`, while momentum moves the opposite way between
 * `maxMomentum` and `baseMomentum` (Adam's beta1 for optimizers with `betas`). Call `step()` after
 * every batch; stepping past `totalSteps` is an error. Sets `initialLr`, `maxLr`, `minLr`,
 * `maxMomentum` and `baseMomentum` on the param groups, as PyTorch does.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 0.01, stepsPerEpoch: loader.length, epochs: 10 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const batch of loader) {
 *     trainBatch(batch);
 *     sched.step();
 *   }
 * }
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** The phases of the cycle. @internal */
  _schedulePhases: Phase[];
  /** The annealing strategy. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum (or beta1) is cycled. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is `betas[0]` (Adam-like optimizers). */
  useBeta1: boolean;

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const W = 'OneCycleLR';
    const opt = checkOptimizer(W, optimizer);
    const opts = checkOptions(W, options);
    const lastEpoch = opts.lastEpoch ?? -1;
    let totalSteps: number;
    if (opts.totalSteps === undefined && opts.epochs === undefined && opts.stepsPerEpoch === undefined) {
      throw new ArgumentError('OneCycleLR(): give either totalSteps, or epochs and stepsPerEpoch (got none of them)');
    } else if (opts.totalSteps !== undefined) {
      totalSteps = checkNumber(W, 'totalSteps', opts.totalSteps, 'positiveInt');
    } else {
      const epochs = checkNumber(W, 'epochs', opts.epochs, 'positiveInt');
      const stepsPerEpoch = checkNumber(W, 'stepsPerEpoch', opts.stepsPerEpoch, 'positiveInt');
      totalSteps = epochs * stepsPerEpoch;
    }
    const pctStart = checkNumber(W, 'pctStart', opts.pctStart ?? 0.3, [0, 1]);
    const annealStrategy = checkChoice(W, 'annealStrategy', opts.annealStrategy ?? 'cos', ['cos', 'linear']);
    const divFactor = checkNumber(W, 'divFactor', opts.divFactor ?? 25, 'finite');
    const finalDivFactor = checkNumber(W, 'finalDivFactor', opts.finalDivFactor ?? 1e4, 'finite');
    const maxLrs = perGroup(W, 'maxLr', opt, opts.maxLr);
    const cycleMomentum = opts.cycleMomentum ?? true;
    const groups = opt.paramGroups;
    const useBeta1 = cycleMomentum && groups.every((g) => Array.isArray(g.betas));
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      if (!useBeta1) {
        groups.forEach((g, i) => {
          if (typeof g.momentum !== 'number') {
            throw new ArgumentError(
              `OneCycleLR(): cycleMomentum needs an optimizer with momentum or betas, but paramGroups[${i}] has neither; pass cycleMomentum: false`,
            );
          }
        });
      }
      maxMomentums = perGroup(W, 'maxMomentum', opt, opts.maxMomentum ?? 0.95);
      baseMomentums = perGroup(W, 'baseMomentum', opt, opts.baseMomentum ?? 0.85);
    }

    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        const initialLr = maxLrs[i]! / divFactor;
        g.initialLr = initialLr;
        g.maxLr = maxLrs[i];
        g.minLr = initialLr / finalDivFactor;
        if (cycleMomentum) {
          setMomentum(g, useBeta1, maxMomentums[i]!);
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        }
      });
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this._schedulePhases = opts.threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  /** Anneals from `start` to `end` as `pct` goes from 0 to 1, by the chosen strategy. */
  anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  /** The learning rates for `lastEpoch` (the batch index); also sets the groups' momentum. */
  override getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new FlintError(`OneCycleLR.step(): tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}`);
    }
    const phases = this._schedulePhases;
    return this.optimizer.paramGroups.map((g) => {
      let startStep = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          const lr = this.anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
          if (this.cycleMomentum) setMomentum(g, this.useBeta1, this.anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct));
          return lr;
        }
        startStep = phase.endStep;
      }
      throw new FlintError('OneCycleLR.getLr(): no phase'); // unreachable: the last phase always matches
    });
  }
}

function setMomentum(g: ParamGroup, useBeta1: boolean, value: number): void {
  if (useBeta1) {
    const betas = g.betas as number[];
    g.betas = [value, ...betas.slice(1)];
  } else {
    g.momentum = value;
  }
}
