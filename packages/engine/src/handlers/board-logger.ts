/**
 * `BoardLogger`: logs an engine's output, metrics, learning rates and parameter histograms to a
 * `@flint/board` SummaryWriter (PyTorch-Ignite's `TensorboardLogger` and its handlers).
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import { SummaryWriter } from '@flint/board';
import type { Engine } from '../engine.js';
import type { RemovableHandle } from '../event-host.js';
import { isEventLike, type EventLike } from '../events.js';
import { counterOf, type GlobalStepTransform } from './global-step.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEngine = Engine<any, any>;

/** Parameters and their names, as a module gives them. */
interface NamedParameters {
  namedParameters(): Iterable<[string, Tensor]>;
}

/**
 * Options of {@link BoardLogger.attachOutputHandler}.
 *
 * @example
 * ```ts
 * const options: OutputHandlerOptions = { event: Events.ITERATION_COMPLETED({ every: 10 }), tag: 'training', outputTransform: (loss) => ({ loss }) };
 * ```
 */
export interface OutputHandlerOptions {
  event: EventLike;
  /** The tags' prefix: `{tag}/{name}`. */
  tag: string;
  /** Numbers to log from the output: a number is logged as `{tag}/output`, an object by key. */
  outputTransform?: (output: any) => number | Record<string, number | Tensor> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Entries of `engine.state.metrics` to log, or `'all'`. */
  metricNames?: string[] | 'all';
  /** The step (default: the engine's iteration for iteration events, its epoch for the others). */
  globalStepTransform?: GlobalStepTransform;
}

/**
 * Logs an engine run to a `@flint/board` SummaryWriter (`flint-board --logdir ...` shows it, as
 * TensorBoard does). Each `attach...` method adds a handler on the given event and returns its
 * handle; tags follow Ignite's: `{tag}/{name}` for outputs and metrics, `{tag}/lr/group_{i}` for
 * optimizer parameters, `weights/{name}` and `grads/{name}` (dots turned into slashes) for
 * histograms.
 *
 * @example
 * ```ts
 * const logger = new BoardLogger('runs/exp1');
 * logger.attachOutputHandler(trainer, { event: Events.ITERATION_COMPLETED({ every: 10 }), tag: 'training', outputTransform: (loss) => ({ loss }) });
 * logger.attachOptParamsHandler(trainer, { event: Events.EPOCH_STARTED, optimizer });
 * logger.attachOutputHandler(evaluator, { event: Events.COMPLETED, tag: 'validation', metricNames: ['accuracy'],
 *   globalStepTransform: globalStepFromEngine(trainer) });
 * logger.attachWeightsHistogram(trainer, { event: Events.EPOCH_COMPLETED, model });
 * logger.attachGradsHistogram(trainer, { event: Events.EPOCH_COMPLETED, model });
 * await trainer.run(loader, { maxEpochs: 5 });
 * await logger.close();
 * ```
 */
export class BoardLogger {
  readonly writer: SummaryWriter;

  /** @param writer a SummaryWriter, or the directory to make one in */
  constructor(writer: SummaryWriter | string) {
    if (typeof writer === 'string') this.writer = new SummaryWriter(writer);
    else if (writer instanceof SummaryWriter) this.writer = writer;
    else throw new ArgumentError(`BoardLogger(): writer must be a SummaryWriter or a log directory; received ${writer === null ? 'null' : typeof writer}`);
  }

  private checkEvent(fn: string, event: unknown): asserts event is EventLike {
    if (!isEventLike(event)) throw new ArgumentError(`${fn}: options.event must be an event such as Events.EPOCH_COMPLETED`);
  }

  private logScalar(tag: string, value: unknown, step: number): void {
    if (typeof value === 'number') {
      this.writer.addScalar(tag, value, step);
    } else if (value instanceof Tensor) {
      if (value.ndim === 0) this.writer.addScalar(tag, value.item(), step);
      else if (value.ndim === 1) (value.tolist() as number[]).forEach((v, i) => this.writer.addScalar(`${tag}/${i}`, v, step));
    }
  }

  /**
   * Logs the (transformed) output and chosen metrics as scalars `{tag}/{name}` when `event` fires.
   *
   * @example
   * ```ts
   * logger.attachOutputHandler(trainer, { event: Events.ITERATION_COMPLETED, tag: 'training', outputTransform: (loss) => ({ loss }) });
   * ```
   */
  attachOutputHandler(engine: AnyEngine, options: OutputHandlerOptions): RemovableHandle {
    const fn = 'BoardLogger.attachOutputHandler()';
    const { event, tag, outputTransform, metricNames, globalStepTransform } = options ?? ({} as OutputHandlerOptions);
    this.checkEvent(fn, event);
    if (typeof tag !== 'string' || tag === '') throw new ArgumentError(`${fn}: options.tag must be a non-empty string such as 'training'`);
    if (outputTransform === undefined && metricNames === undefined) throw new ArgumentError(`${fn}: give options.outputTransform, options.metricNames or both`);
    if (metricNames !== undefined && metricNames !== 'all' && !Array.isArray(metricNames)) throw new ArgumentError(`${fn}: options.metricNames must be an array of names or 'all'`);
    return engine.on(event, (e) => {
      const eventName = e.lastEvent ?? '';
      const step = globalStepTransform ? globalStepTransform(e, eventName) : counterOf(e, eventName);
      if (typeof step !== 'number' || !Number.isFinite(step)) throw new ArgumentError(`${fn}: globalStepTransform must return a number; received ${String(step)}`);
      if (outputTransform !== undefined) {
        let values = outputTransform(e.state.output);
        if (typeof values === 'number' || values instanceof Tensor) values = { output: values };
        for (const [k, v] of Object.entries(values ?? {})) this.logScalar(`${tag}/${k}`, v, step);
      }
      if (metricNames !== undefined) {
        const names = metricNames === 'all' ? Object.keys(e.state.metrics) : metricNames;
        for (const k of names) {
          if (!(k in e.state.metrics) && metricNames !== 'all') {
            throw new ArgumentError(`${fn}: metric '${k}' is not in engine.state.metrics (it has [${Object.keys(e.state.metrics).join(', ')}]); is it attached to this engine?`);
          }
          this.logScalar(`${tag}/${k}`, e.state.metrics[k], step);
        }
      }
    });
  }

  /**
   * Logs an optimizer parameter (default the learning rate) of every param group as
   * `{tag}/{paramName}/group_{i}` (without a tag: `{paramName}/group_{i}`).
   *
   * @example
   * ```ts
   * logger.attachOptParamsHandler(trainer, { event: Events.ITERATION_STARTED, optimizer });
   * ```
   */
  attachOptParamsHandler(engine: AnyEngine, options: { event: EventLike; optimizer: { paramGroups: Array<Record<string, unknown>> }; paramName?: string; tag?: string }): RemovableHandle {
    const fn = 'BoardLogger.attachOptParamsHandler()';
    const { event, optimizer, paramName = 'lr', tag } = options ?? ({} as never);
    this.checkEvent(fn, event);
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) throw new ArgumentError(`${fn}: options.optimizer must be an optim.Optimizer`);
    const prefix = tag ? `${tag}/` : '';
    return engine.on(event, (e) => {
      const step = counterOf(e, e.lastEvent ?? '');
      optimizer.paramGroups.forEach((g, i) => {
        const v = g[paramName];
        if (typeof v !== 'number') throw new ArgumentError(`${fn}: param group ${i} has no numeric '${paramName}'`);
        this.writer.addScalar(`${prefix}${paramName}/group_${i}`, v, step);
      });
    });
  }

  /**
   * Logs a histogram of every parameter as `weights/{name}` (`{tag}/weights/{name}` with a tag).
   *
   * @example
   * ```ts
   * logger.attachWeightsHistogram(trainer, { event: Events.EPOCH_COMPLETED, model });
   * ```
   */
  attachWeightsHistogram(engine: AnyEngine, options: { event: EventLike; model: NamedParameters; tag?: string }): RemovableHandle {
    return this.attachHistograms('BoardLogger.attachWeightsHistogram()', engine, options, 'weights', (p) => p);
  }

  /**
   * Logs a histogram of every parameter's gradient as `grads/{name}` (parameters without a
   * gradient are skipped). Attach it where gradients exist: ITERATION_COMPLETED, or
   * EPOCH_COMPLETED when the optimizer keeps the last gradients.
   *
   * @example
   * ```ts
   * logger.attachGradsHistogram(trainer, { event: Events.ITERATION_COMPLETED({ every: 100 }), model });
   * ```
   */
  attachGradsHistogram(engine: AnyEngine, options: { event: EventLike; model: NamedParameters; tag?: string }): RemovableHandle {
    return this.attachHistograms('BoardLogger.attachGradsHistogram()', engine, options, 'grads', (p) => p.grad);
  }

  private attachHistograms(
    fn: string,
    engine: AnyEngine,
    options: { event: EventLike; model: NamedParameters; tag?: string },
    kind: string,
    pick: (p: Tensor) => Tensor | null,
  ): RemovableHandle {
    const { event, model, tag } = options ?? ({} as never);
    this.checkEvent(fn, event);
    if (model === null || (typeof model !== 'object' && typeof model !== 'function') || typeof (model as NamedParameters).namedParameters !== 'function') {
      throw new ArgumentError(`${fn}: options.model must be an nn.Module (with namedParameters())`);
    }
    const prefix = tag ? `${tag}/` : '';
    return engine.on(event, (e) => {
      const step = counterOf(e, e.lastEvent ?? '');
      for (const [name, p] of model.namedParameters()) {
        const values = pick(p);
        if (values === null || values === undefined) continue;
        this.writer.addHistogram(`${prefix}${kind}/${name.replaceAll('.', '/')}`, values, step);
      }
    });
  }

  /** Writes what is queued to disk. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** Flushes and closes the writer. */
  async close(): Promise<void> {
    await this.writer.close();
  }
}
