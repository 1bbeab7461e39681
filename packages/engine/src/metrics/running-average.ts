/**
 * An exponential moving average of a metric or of the engine's output (Ignite's `RunningAverage`).
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { AnyMetric, MetricEngine, MetricOptions } from './metric.js';
import { RunningBatchWise, RunningEpochWise, SingleEpochRunningBatchWise, toUsage } from './usage.js';
import type { MetricUsage, MetricUsageName } from './usage.js';
import { describeValue, fromHost, toHost } from './values.js';
import type { HostArray, MetricValue } from './values.js';

/**
 * Options of {@link RunningAverage}: give `src` or `outputTransform`, not both.
 *
 * @example
 * ```ts
 * new RunningAverage({ src: new Accuracy(), alpha: 0.9, epochBound: true } satisfies RunningAverageOptions);
 * ```
 */
export interface RunningAverageOptions extends MetricOptions<number | Tensor> {
  /** A metric computed on each batch alone, then averaged (it must not be attached on its own). */
  src?: AnyMetric;
  /** The smoothing factor in (0, 1]: value = alpha * value + (1 - alpha) * new (default 0.98). */
  alpha?: number;
  /** Reset at each epoch start (default false: the average runs across epochs). */
  epochBound?: boolean;
}

/**
 * `value = alpha * value + (1 - alpha) * x` over iterations, where x is `src` computed on the
 * current batch alone, or the engine output picked by `outputTransform` (a number or a tensor).
 * The first x is taken as is. Attached, it updates every iteration and writes its value every
 * iteration (usage `RunningBatchWise`; `RunningEpochWise` writes at epoch ends instead).
 *
 * @example
 * ```ts
 * new RunningAverage({ outputTransform: (loss: Tensor) => loss }).attach(trainer, 'runningLoss');
 * new RunningAverage({ src: new Accuracy({ outputTransform: ({ yPred, y }) => [yPred, y] }) }).attach(trainer, 'runningAcc');
 * ```
 */
export class RunningAverage extends Metric<number | Tensor, MetricValue> {
  readonly src: AnyMetric | undefined;
  readonly alpha: number;
  readonly epochBound: boolean;
  protected override stateKeys = ['value'];
  private value: number | HostArray | undefined;

  constructor(options: RunningAverageOptions = {}) {
    super(options);
    const { src, outputTransform } = options;
    const alpha = options.alpha ?? 0.98;
    if (src !== undefined && !(src instanceof Metric)) {
      throw new ArgumentError(`RunningAverage(): src must be a Metric; received ${describeValue(src)}`);
    }
    if (src === undefined && outputTransform === undefined) {
      throw new ArgumentError('RunningAverage(): give either src (a metric) or outputTransform (picking a number or tensor from the engine output); received neither');
    }
    if (src !== undefined && outputTransform !== undefined) {
      throw new ArgumentError('RunningAverage(): outputTransform must not be given with src (the src metric applies its own)');
    }
    if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 1)) {
      throw new ArgumentError(`RunningAverage(): alpha must be a number in (0, 1]; received ${describeValue(alpha)}`);
    }
    this.src = src;
    this.alpha = alpha;
    this.epochBound = options.epochBound ?? false;
    this.requiredOutputKeys = null;
    this.reset();
  }

  reset(): void {
    this.value = undefined;
    this.src?.reset();
  }

  /** With `src`: updates it with `output` alone and averages its value; otherwise averages `output`. */
  update(output: number | Tensor): void {
    if (this.src !== undefined) {
      const src = this.src;
      this.step(() => src.update(output));
      return;
    }
    this.accumulate(toHost(output, this.where('update')));
  }

  override iterationCompleted(engine: MetricEngine): void {
    if (this.src === undefined) return super.iterationCompleted(engine);
    const src = this.src;
    this.step(() => src.iterationCompleted(engine));
  }

  private step(feed: () => void): void {
    const src = this.src!;
    src.reset();
    feed();
    const x = src.compute();
    src.reset();
    const host = toHost(x, this.where('update'));
    if (x instanceof Tensor) x.dispose();
    this.accumulate(host);
  }

  private accumulate(x: number | HostArray): void {
    const fn = this.where('update');
    const prev = this.value;
    if (prev === undefined) {
      this.value = typeof x === 'number' ? x : { shape: x.shape, data: x.data.slice() };
      return;
    }
    const a = this.alpha;
    if (typeof prev === 'number' && typeof x === 'number') {
      this.value = prev * a + (1 - a) * x;
      return;
    }
    if (typeof prev === 'number' || typeof x === 'number' || prev.data.length !== x.data.length) {
      throw new ArgumentError(`${fn}: every value must have the same shape; had ${shapeOf(prev)}, received ${shapeOf(x)}`);
    }
    this.value = { shape: prev.shape, data: prev.data.map((v, i) => v * a + (1 - a) * x.data[i]!) };
  }

  compute(): MetricValue {
    const v = this.value;
    if (v === undefined) {
      throw new NotComputableError(
        `${this.where('compute')}: RunningAverage must have at least one value before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return typeof v === 'number' ? v : fromHost(v, this.device);
  }

  /**
   * Attaches with usage `RunningBatchWise` (or `SingleEpochRunningBatchWise` when `epochBound`);
   * `RunningEpochWise` is also accepted.
   *
   * @example
   * ```ts
   * new RunningAverage({ outputTransform: (loss: Tensor) => loss }).attach(trainer, 'loss');
   * ```
   */
  override attach(engine: MetricEngine, name: string, usage?: MetricUsage | MetricUsageName): void {
    const fn = this.where('attach');
    const u = usage === undefined ? (this.epochBound ? new SingleEpochRunningBatchWise() : new RunningBatchWise()) : toUsage(fn, usage);
    if (!(u instanceof RunningBatchWise || u instanceof RunningEpochWise || u instanceof SingleEpochRunningBatchWise)) {
      throw new ArgumentError(`${fn}: usage must be RunningBatchWise, RunningEpochWise or SingleEpochRunningBatchWise; received ${u.usageName}`);
    }
    if (this.src !== undefined && this.src.isAttached(engine)) {
      throw new ArgumentError(`${fn}: src is attached to this engine on its own; a RunningAverage resets its src every iteration, so give it a separate metric`);
    }
    super.attach(engine, name, u);
  }
}

function shapeOf(v: number | HostArray): string {
  return typeof v === 'number' ? 'a number' : `shape [${v.shape.join(', ')}]`;
}
