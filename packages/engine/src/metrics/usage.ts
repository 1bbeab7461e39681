/**
 * When an attached metric resets, updates and computes: Ignite's metric usages. The default,
 * {@link EpochWise}, gives one value per epoch; {@link BatchWise} one per iteration; the running
 * usages accumulate over the whole run.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Events } from '../events.js';
import type { EventFilterOptions, EventLike } from '../events.js';

/**
 * The three events a metric listens to: `started` resets it, `iterationCompleted` feeds it the
 * engine's output, `completed` computes it into `engine.state.metrics[name]`.
 *
 * @example
 * ```ts
 * metric.attach(engine, 'acc', new BatchWise());
 * ```
 */
export abstract class MetricUsage {
  /** Identifies the usage: one metric attached twice with equal usages shares its updates. */
  readonly usageName: string;
  readonly started: EventLike;
  readonly iterationCompleted: EventLike;
  readonly completed: EventLike;
  protected constructor(usageName: string, started: EventLike, iterationCompleted: EventLike, completed: EventLike) {
    this.usageName = usageName;
    this.started = started;
    this.iterationCompleted = iterationCompleted;
    this.completed = completed;
  }

  /**
   * Whether the `started` event firing now, in a resumed run, continues the interval a metric's
   * restored state covers rather than opening a new one: for usages reset at STARTED, a run
   * resumed past its first iteration; for those reset at EPOCH_STARTED, an epoch resumed
   * mid-way; for those reset every iteration, never. Used by `Metric.loadStateDict()`.
   *
   * @example
   * ```ts
   * new RunningBatchWise().continues(trainer); // true when trainer resumes at iteration > 0
   * ```
   */
  continues(engine: { readonly state: { iteration?: number; epochLength?: number | null } }): boolean {
    const iteration = engine.state.iteration ?? 0;
    const started = this.started;
    if (started === Events.STARTED) return iteration > 0;
    if (started === Events.EPOCH_STARTED) {
      const len = engine.state.epochLength;
      return typeof len === 'number' && len > 0 && iteration % len !== 0;
    }
    return false;
  }
}

/**
 * Reset at each epoch start, update every iteration, compute at each epoch end (the default).
 *
 * @example
 * ```ts
 * new Accuracy().attach(evaluator, 'accuracy', new EpochWise());
 * ```
 */
export class EpochWise extends MetricUsage {
  constructor() {
    super('epoch_wise', Events.EPOCH_STARTED, Events.ITERATION_COMPLETED, Events.EPOCH_COMPLETED);
  }
}

/**
 * Reset once at the start of the run, update every iteration, compute at each epoch end: the
 * value at epoch e covers epochs 1..e.
 *
 * @example
 * ```ts
 * new Accuracy().attach(trainer, 'acc', new RunningEpochWise());
 * ```
 */
export class RunningEpochWise extends MetricUsage {
  constructor() {
    super('running_epoch_wise', Events.STARTED, Events.ITERATION_COMPLETED, Events.EPOCH_COMPLETED);
  }
}

/**
 * Reset at each iteration start and compute at its end: the value covers the current batch only.
 *
 * @example
 * ```ts
 * new Accuracy().attach(trainer, 'batchAcc', new BatchWise());
 * ```
 */
export class BatchWise extends MetricUsage {
  constructor() {
    super('batch_wise', Events.ITERATION_STARTED, Events.ITERATION_COMPLETED, Events.ITERATION_COMPLETED);
  }
}

/**
 * Reset once at the start of the run, update and compute every iteration: the value covers every
 * batch seen so far (the default of {@link RunningAverage}).
 *
 * @example
 * ```ts
 * new Accuracy().attach(trainer, 'acc', new RunningBatchWise());
 * ```
 */
export class RunningBatchWise extends MetricUsage {
  constructor() {
    super('running_batch_wise', Events.STARTED, Events.ITERATION_COMPLETED, Events.ITERATION_COMPLETED);
  }
}

/**
 * Like {@link RunningBatchWise}, but reset at each epoch start.
 *
 * @example
 * ```ts
 * new RunningAverage({ outputTransform: (loss) => loss }).attach(trainer, 'loss', new SingleEpochRunningBatchWise());
 * ```
 */
export class SingleEpochRunningBatchWise extends MetricUsage {
  constructor() {
    super('single_epoch_running_batch_wise', Events.EPOCH_STARTED, Events.ITERATION_COMPLETED, Events.ITERATION_COMPLETED);
  }
}

let filteredCount = 0;

/**
 * Like {@link EpochWise}, but the metric is updated only on the iterations the filter picks.
 *
 * @example
 * ```ts
 * new Accuracy().attach(trainer, 'acc', new BatchFiltered({ every: 10 }));
 * ```
 */
export class BatchFiltered extends MetricUsage {
  constructor(filter: EventFilterOptions) {
    super(`batch_filtered#${++filteredCount}`, Events.EPOCH_STARTED, Events.ITERATION_COMPLETED(filter), Events.EPOCH_COMPLETED);
  }
}

/**
 * Ignite's names for the usages, accepted wherever a {@link MetricUsage} is.
 *
 * @example
 * ```ts
 * new Accuracy().attach(trainer, 'acc', 'running_epoch_wise' satisfies MetricUsageName);
 * ```
 */
export type MetricUsageName = 'epoch_wise' | 'running_epoch_wise' | 'batch_wise' | 'running_batch_wise' | 'single_epoch_running_batch_wise';

const byName: Record<MetricUsageName, () => MetricUsage> = {
  epoch_wise: () => new EpochWise(),
  running_epoch_wise: () => new RunningEpochWise(),
  batch_wise: () => new BatchWise(),
  running_batch_wise: () => new RunningBatchWise(),
  single_epoch_running_batch_wise: () => new SingleEpochRunningBatchWise(),
};

/** A usage from a usage object or one of Ignite's names. @internal */
export function toUsage(fn: string, usage: MetricUsage | MetricUsageName): MetricUsage {
  if (usage instanceof MetricUsage) return usage;
  if (typeof usage === 'string' && Object.hasOwn(byName, usage)) return byName[usage]();
  throw new ArgumentError(
    `${fn}: usage must be a MetricUsage (EpochWise, BatchWise, ...) or one of ${Object.keys(byName)
      .map((k) => `'${k}'`)
      .join(', ')}; received ${typeof usage === 'string' ? `'${usage}'` : String(usage)}`,
  );
}
