/**
 * `LRScheduler`, the base of the epoch-driven learning-rate schedulers (PyTorch's
 * `torch.optim.lr_scheduler._LRScheduler`), and {@link SchedulableOptimizer}, the little a
 * scheduler needs from an optimizer.
 *
 * Each scheduler is built on an optimizer and sets `lr` on its param groups: once at construction
 * (the "initial step", as in PyTorch) and again at every {@link LRScheduler.step}. Call
 * `scheduler.step()` after `optimizer.step()`.
 *
 * Argument rule: the optimizer and the arguments that are not numbers (a lambda, a list of
 * schedulers) are positional; every number, string and boolean, required or not, is a key of one
 * trailing options object named as PyTorch's keyword argument in camelCase (`step_size` ->
 * `stepSize`, `T_max` -> `tMax`, `T_0` -> `t0`, `last_epoch` -> `lastEpoch`).
 *
 * @example
 * ```ts
 * import { SGD, lrScheduler } from '@flint/core/optim';
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(opt);
 *   sched.step();
 * }
 * ```
 * @module
 */
import { ArgumentError, FlintError, describe } from '../../errors.js';
import { checkNumber, checkOptimizer } from './checks.js';

/**
 * A param group as a scheduler sees it: a learning rate plus whatever else the optimizer keeps
 * (`momentum`, `betas`, ...). Schedulers add `initialLr` (PyTorch's `'initial_lr'`), and
 * OneCycleLR also `maxLr`, `minLr`, `maxMomentum` and `baseMomentum`.
 */
export type ParamGroup = Record<string, unknown> & { lr: number };

/**
 * What a scheduler needs from an optimizer: its param groups, read afresh at every step (so an
 * optimizer whose `loadStateDict` replaces the groups keeps working). Flint's optimizers have it;
 * so does a plain object.
 *
 * @example
 * ```ts
 * const opt: SchedulableOptimizer = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
 * new StepLR(opt, { stepSize: 10 });
 * ```
 */
export interface SchedulableOptimizer {
  paramGroups: ParamGroup[];
}

/**
 * A scheduler's state: PyTorch's entries with camelCase keys (`last_epoch` -> `lastEpoch`,
 * `base_lrs` -> `baseLrs`, `_step_count` -> `_stepCount`), without the optimizer. Functions
 * (lambdas, a custom `scaleFn`) are not saved: they come out as `null` and loading keeps the
 * scheduler's own. Plain data, so it goes through `JSON.stringify` and `save()`.
 */
export type SchedulerStateDict = Record<string, unknown>;

/** Options every epoch-driven scheduler takes. */
export interface SchedulerOptions {
  /**
   * The index of the last epoch (default -1: start from the beginning). Resuming with another
   * value needs `initialLr` in every param group, as saved with the optimizer's state.
   */
  lastEpoch?: number;
}

/**
 * The base of the epoch-driven schedulers (PyTorch's `_LRScheduler`). A subclass implements
 * {@link getLr} (and may implement `getClosedFormLr` for `step(epoch)`); its constructor calls
 * `super(optimizer, lastEpoch)`, sets its own fields, then calls {@link initialStep} last
 * (TypeScript runs subclass code only after `super()` returns, which is where PyTorch's
 * constructor takes its first step).
 *
 * @example
 * ```ts
 * class HalvingLR extends LRScheduler {
 *   constructor(opt: SchedulableOptimizer) {
 *     super(opt);
 *     this.initialStep();
 *   }
 *   override getLr() {
 *     return this.baseLrs.map((lr) => lr * 0.5 ** this.lastEpoch);
 *   }
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: SchedulableOptimizer;
  /** Each group's `initialLr` when the scheduler was built (PyTorch's `base_lrs`). */
  baseLrs: number[];
  /** The index of the last epoch stepped to (PyTorch's `last_epoch`); 0 after construction. */
  lastEpoch: number;
  /** How many times step() ran since the initial step started (PyTorch's `_step_count`). @internal */
  _stepCount: number;
  /** The learning rates set by the last step. @internal */
  _lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, lastEpoch = -1) {
    const where = new.target.name;
    checkOptimizer(where, optimizer);
    checkNumber(where, 'lastEpoch', lastEpoch, 'int');
    if (lastEpoch < -1) throw new ArgumentError(`${where}(): lastEpoch must be an integer >= -1 (got ${lastEpoch})`);
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (typeof g.initialLr !== 'number') {
          throw new ArgumentError(
            `${where}(): optimizer.paramGroups[${i}].initialLr must be a number when resuming with lastEpoch=${lastEpoch} ` +
              `(got ${describe(g.initialLr)}); load the optimizer's saved state first, or pass lastEpoch: -1`,
          );
        }
      });
    }
    this.optimizer = optimizer;
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this._stepCount = 0;
    this._lastLr = groups.map((g) => g.lr);
  }

  /** Resets the step count and takes the first step (PyTorch's `_initial_step`). */
  initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates the last step set, one per param group (`get_last_lr`). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /**
   * The learning rates for `lastEpoch`, one per param group; {@link step} calls it after
   * advancing `lastEpoch`. Most schedulers compute it from the groups' current `lr` (PyTorch's
   * chainable form), so read rates with {@link getLastLr} instead of calling this.
   */
  getLr(): number[] {
    throw new FlintError(`${this.constructor.name}.getLr(): not implemented; a scheduler subclass must implement getLr()`);
  }

  /** The learning rates for `lastEpoch` from the base rates alone, for `step(epoch)`. */
  protected getClosedFormLr?(): number[];

  /**
   * Advances one epoch and sets each group's `lr`. With `epoch` (PyTorch's deprecated form), jumps
   * to that epoch and uses the closed form where the scheduler has one.
   */
  step(epoch?: number): void {
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = checkNumber(`${this.constructor.name}.step`, 'epoch', epoch, 'finite');
      values = this.getClosedFormLr ? this.getClosedFormLr() : this.getLr();
    }
    this.setLrs(values);
  }

  /** Writes `values` into the groups' `lr` and remembers them for {@link getLastLr}. */
  protected setLrs(values: readonly number[]): void {
    const groups = this.optimizer.paramGroups;
    const n = Math.min(groups.length, values.length);
    for (let i = 0; i < n; i++) groups[i]!.lr = values[i]!;
    this._lastLr = groups.map((g) => g.lr);
  }

  /** The scheduler's state (see {@link SchedulerStateDict}); save it with the optimizer's. */
  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  /** Restores a state from {@link stateDict}; load the optimizer's state too. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    restore(this, stateDict, ['optimizer'], `${this.constructor.name}.loadStateDict`);
  }
}

function clone(v: unknown): unknown {
  if (typeof v === 'function') return null;
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

function holdsFunction(v: unknown): boolean {
  return typeof v === 'function' || (Array.isArray(v) && v.some((x) => typeof x === 'function'));
}

/** A deep copy of `obj`'s own fields except `skip`, functions as null. @internal */
export function snapshot(obj: object, skip: readonly string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) if (!skip.includes(k)) out[k] = clone(v);
  return out;
}

/**
 * Copies a state dict's entries onto `obj`, refusing keys `obj` does not have and keeping the
 * fields that hold functions. @internal
 */
export function restore(obj: object, stateDict: unknown, skip: readonly string[], where: string): void {
  if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict)) {
    throw new ArgumentError(`${where}(): stateDict must be an object from stateDict() (got ${describe(stateDict)})`);
  }
  const target = obj as Record<string, unknown>;
  const unexpected = Object.keys(stateDict).filter((k) => skip.includes(k) || !Object.hasOwn(target, k));
  if (unexpected.length > 0) {
    throw new ArgumentError(
      `${where}(): unexpected keys ${unexpected.map((k) => `'${k}'`).join(', ')} (expected keys of ${Object.keys(snapshot(obj, skip)).join(', ')}); ` +
        `is it the state of another scheduler?`,
    );
  }
  for (const [k, v] of Object.entries(stateDict)) if (!holdsFunction(target[k])) target[k] = clone(v);
}

/** Loads a state dict with nested `_schedulers` states (SequentialLR, ChainedScheduler). @internal */
export function restoreNested(obj: object, schedulers: readonly LRScheduler[], stateDict: SchedulerStateDict, where: string): void {
  const nested = (stateDict as { _schedulers?: unknown } | null)?._schedulers;
  if (!Array.isArray(nested) || nested.length !== schedulers.length) {
    throw new ArgumentError(`${where}(): stateDict._schedulers must hold ${schedulers.length} scheduler states (got ${describe(nested)})`);
  }
  const { _schedulers: _, ...rest } = stateDict;
  restore(obj, rest, ['optimizer', '_schedulers'], where);
  schedulers.forEach((s, i) => s.loadStateDict(nested[i] as SchedulerStateDict));
}
