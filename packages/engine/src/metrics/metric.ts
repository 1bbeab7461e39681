/**
 * The metric protocol of PyTorch-Ignite: a metric is `reset()` / `update(output)` / `compute()`,
 * and `attach(engine, name)` wires those to an engine's events so that
 * `engine.state.metrics[name]` holds the value. Metrics combine with arithmetic (`a.add(b)`) and
 * with {@link MetricsLambda}.
 * @module
 */
import { ArgumentError, FlintError, Tensor, keep, scope, tensor } from '@flint/core';
import type { DeviceLike } from '@flint/core';
import type { EventLike } from '../events.js';
import { toUsage } from './usage.js';
import type { MetricUsage, MetricUsageName } from './usage.js';
import { describeValue, elementwise, reduceAll } from './values.js';
import type { MetricValue } from './values.js';

/**
 * A metric asked for its value before it has seen any data (Ignite's `NotComputableError`).
 *
 * @example
 * ```ts
 * try { new Accuracy().compute(); } catch (e) { if (NotComputableError.isInstance(e)) console.log('no data yet'); }
 * ```
 */
export class NotComputableError extends FlintError {}

/** A handle `engine.on` returns. */
export interface MetricEventHandle {
  remove(): void;
}

/**
 * What a metric needs of an engine: `on` to register handlers, and a `state` with the process
 * function's `output` and the `metrics` record. The {@link Engine} satisfies it.
 */
export interface MetricEngine {
  readonly state: { output?: unknown; metrics: Record<string, unknown> };
  on(event: EventLike, handler: (engine: MetricEngine) => unknown): MetricEventHandle;
  hasEventHandler?(handler: (engine: MetricEngine) => unknown, event?: EventLike): boolean;
}

/** Options every metric takes. */
export interface MetricOptions<TOutput = unknown> {
  /**
   * Turns the engine's `state.output` into what `update` expects, e.g.
   * `({ logits, labels }) => [logits, labels]`. Default: the output unchanged. An output object
   * with the keys the metric names (`yPred`, `y`) is turned into `[yPred, y]` after the transform.
   */
  outputTransform?: (output: any) => TOutput;
  /**
   * Where the tensors `compute()` returns are made (`'cpu'`, `'gpu'`); default: the active
   * backend's device. Counts are accumulated in float64 on the host whatever the device (tfjs
   * has no float64), which also keeps them exact over long runs.
   */
  device?: DeviceLike;
}

interface Attachment {
  updateRefs: number;
  updateHandles: MetricEventHandle[];
  completed: Map<string, { handle: MetricEventHandle; handler: (engine: MetricEngine) => unknown }>;
  usage: MetricUsage;
}

const DEVICES = /^(cpu|gpu|cuda)(:\d+)?$/;

/** Any metric, whatever it updates with and computes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMetric = Metric<any, unknown>;

/**
 * The base class of every metric. A subclass implements `reset`, `update` and `compute` and calls
 * `this.reset()` at the end of its constructor. A `compute()` that gives a Tensor gives a new one
 * each call: the caller (or the engine's `state.metrics`) owns it.
 *
 * @example
 * ```ts
 * class MaxValue extends Metric<Tensor, number> {
 *   private best = -Infinity;
 *   constructor(options: MetricOptions<Tensor> = {}) { super(options); this.reset(); }
 *   reset() { this.best = -Infinity; }
 *   update(output: Tensor) { this.best = Math.max(this.best, output.max().item()); }
 *   compute() { return this.best; }
 * }
 * new MaxValue().attach(engine, 'max');
 * ```
 */
export abstract class Metric<TOutput = unknown, TResult = MetricValue> {
  readonly outputTransform: (output: any) => TOutput;
  readonly device: DeviceLike | undefined;
  /** Keys an output object must have, in the order `update` receives them; null: none accepted. */
  protected requiredOutputKeys: readonly string[] | null = ['yPred', 'y'];
  /** Keys an output object may have after the required ones. */
  protected optionalOutputKeys: readonly string[] = [];
  private readonly attachments = new Map<MetricEngine, Map<string, Attachment>>();
  private readonly published = new WeakMap<MetricEngine, Map<string, Tensor>>();

  constructor(options: MetricOptions<TOutput> = {}) {
    const name = new.target.name;
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError(`${name}(): options must be an object; received ${describeValue(options)}`);
    }
    const { outputTransform, device } = options;
    if (outputTransform !== undefined && typeof outputTransform !== 'function') {
      throw new ArgumentError(`${name}(): outputTransform must be a function (output) => value; received ${describeValue(outputTransform)}`);
    }
    if (device !== undefined && (typeof device !== 'string' || !DEVICES.test(device))) {
      throw new ArgumentError(`${name}(): device must be 'cpu', 'gpu' or 'cuda'; received ${describeValue(device)}`);
    }
    // A device this machine does not have fails here, with core's explanation, not at the first compute().
    if (device !== undefined) tensor(0, { device }).dispose();
    this.outputTransform = outputTransform ?? ((output: unknown) => output as TOutput);
    this.device = device;
  }

  /** Forgets everything seen so far. */
  abstract reset(): void;
  /** Accumulates one batch's output (after `outputTransform`). */
  abstract update(output: TOutput): void;
  /** The metric's value over everything seen since the last `reset()`. */
  abstract compute(): TResult;

  /** `fn(): ` prefix for messages: `Accuracy.update()`. @internal */
  protected where(method: string): string {
    return `${this.constructor.name}.${method}()`;
  }

  /** Handler of the usage's `started` event: resets the metric. */
  started(_engine: MetricEngine): void {
    this.reset();
  }

  /** Handler of the usage's `iterationCompleted` event: transforms the engine's output and updates. */
  iterationCompleted(engine: MetricEngine): void {
    this.update(this.unpackOutput(this.outputTransform(engine.state.output)));
  }

  /**
   * Handler of the usage's `completed` event: computes and stores the value in
   * `engine.state.metrics[name]` (a 0-d tensor as a number; an object result also under each of its
   * keys). A tensor value this metric stored before under the same name is freed when replaced:
   * `clone()` one to keep it.
   */
  completed(engine: MetricEngine, name: string): void {
    const result = scope(() => this.compute()) as unknown;
    if (isPlainObject(result)) {
      if (Object.hasOwn(result, name)) {
        throw new ArgumentError(`${this.where('completed')}: the computed object has a key '${name}' equal to the metric's name; rename the metric`);
      }
      for (const [k, v] of Object.entries(result)) this.publish(engine, k, v);
    }
    this.publish(engine, name, result);
  }

  private publish(engine: MetricEngine, name: string, value: unknown): void {
    let v = value;
    if (v instanceof Tensor && v.ndim === 0) {
      const t = v;
      v = t.item();
      t.dispose();
    } else if (v instanceof Tensor) {
      keep(v);
    }
    let mine = this.published.get(engine);
    if (mine === undefined) this.published.set(engine, (mine = new Map()));
    const prev = mine.get(name);
    if (prev !== undefined && prev !== v && engine.state.metrics[name] === prev && !prev.isDisposed) prev.dispose();
    if (v instanceof Tensor) mine.set(name, v);
    else mine.delete(name);
    engine.state.metrics[name] = v;
  }

  /** Turns an output object `{ yPred, y }` into `[yPred, y]`; other outputs pass through. @internal */
  protected unpackOutput(output: unknown): TOutput {
    if (!isPlainObject(output)) return output as TOutput;
    const keys = this.requiredOutputKeys;
    if (keys === null) return output as TOutput;
    const missing = keys.filter((k) => !Object.hasOwn(output, k));
    if (missing.length > 0) {
      throw new ArgumentError(
        `${this.where('update')}: when the (transformed) engine output is an object it must have the keys [${keys.join(', ')}]; ` +
          `received keys [${Object.keys(output).join(', ')}] (missing ${missing.join(', ')}); use outputTransform to pick them`,
      );
    }
    const values = keys.map((k) => output[k]);
    for (const k of this.optionalOutputKeys) if (Object.hasOwn(output, k)) values.push(output[k]);
    return values as TOutput;
  }

  /**
   * Attaches the metric to an engine: with the default usage `'epoch_wise'` it resets at
   * EPOCH_STARTED, updates at ITERATION_COMPLETED and writes `engine.state.metrics[name]` at
   * EPOCH_COMPLETED. Attaching under several names shares one set of updates.
   *
   * @example
   * ```ts
   * new Accuracy().attach(evaluator, 'accuracy');
   * await evaluator.run(batches);
   * evaluator.state.metrics.accuracy; // a number
   * ```
   */
  attach(engine: MetricEngine, name: string, usage: MetricUsage | MetricUsageName = 'epoch_wise'): void {
    const fn = this.where('attach');
    checkEngine(fn, engine);
    if (typeof name !== 'string' || name.length === 0) {
      throw new ArgumentError(`${fn}: name must be a non-empty string; received ${describeValue(name)}`);
    }
    const u = toUsage(fn, usage);
    const att = this.attachment(engine, u);
    if (att.completed.has(name)) return;
    this.attachUpdates(engine, u);
    const handler = (e: MetricEngine): void => this.completed(e, name);
    att.completed.set(name, { handle: engine.on(u.completed, handler), handler });
  }

  /**
   * Removes the handlers `attach` added for one usage (default: every usage) of this engine.
   *
   * @example
   * ```ts
   * accuracy.detach(evaluator);
   * ```
   */
  detach(engine: MetricEngine, usage?: MetricUsage | MetricUsageName): void {
    const perEngine = this.attachments.get(engine);
    if (perEngine === undefined) return;
    const names = usage === undefined ? [...perEngine.keys()] : [toUsage(this.where('detach'), usage).usageName];
    for (const key of names) {
      const att = perEngine.get(key);
      if (att === undefined) continue;
      for (const { handle } of att.completed.values()) {
        handle.remove();
        this.releaseUpdates(engine, att.usage);
      }
      att.completed.clear();
    }
  }

  /**
   * Whether the metric writes a value into this engine's state (for one usage, or any).
   *
   * @example
   * ```ts
   * accuracy.isAttached(evaluator); // true after attach()
   * ```
   */
  isAttached(engine: MetricEngine, usage?: MetricUsage | MetricUsageName): boolean {
    const perEngine = this.attachments.get(engine);
    if (perEngine === undefined) return false;
    const atts = usage === undefined ? [...perEngine.values()] : [perEngine.get(toUsage(this.where('isAttached'), usage).usageName)];
    return atts.some(
      (att) =>
        att !== undefined &&
        [...att.completed.values()].some(({ handler }) => (typeof engine.hasEventHandler === 'function' ? engine.hasEventHandler(handler) : true)),
    );
  }

  private attachment(engine: MetricEngine, usage: MetricUsage): Attachment {
    let perEngine = this.attachments.get(engine);
    if (perEngine === undefined) this.attachments.set(engine, (perEngine = new Map()));
    let att = perEngine.get(usage.usageName);
    if (att === undefined) {
      att = { updateRefs: 0, updateHandles: [], completed: new Map(), usage };
      perEngine.set(usage.usageName, att);
    }
    return att;
  }

  /** Registers the reset and update handlers once per engine and usage (reference counted). @internal */
  attachUpdates(engine: MetricEngine, usage: MetricUsage): void {
    const att = this.attachment(engine, usage);
    if (att.updateRefs++ > 0) return;
    att.updateHandles = [
      engine.on(usage.started, (e) => this.started(e)),
      engine.on(usage.iterationCompleted, (e) => this.iterationCompleted(e)),
    ];
  }

  /** Undoes one {@link attachUpdates}; the handlers go with the last one. @internal */
  releaseUpdates(engine: MetricEngine, usage: MetricUsage): void {
    const perEngine = this.attachments.get(engine);
    const att = perEngine?.get(usage.usageName);
    if (att === undefined || att.updateRefs === 0) return;
    if (--att.updateRefs > 0) return;
    for (const h of att.updateHandles) h.remove();
    att.updateHandles = [];
    if (att.completed.size === 0) perEngine!.delete(usage.usageName);
    if (perEngine!.size === 0) this.attachments.delete(engine);
  }

  /**
   * `this + other` as a metric (Ignite's `metric + other`).
   *
   * @example
   * ```ts
   * const f1 = precision.mul(recall).mul(2).div(precision.add(recall));
   * ```
   */
  add(other: AnyMetric | MetricValue): MetricsLambda {
    return arithmetic('add', this, other, (a, b) => a + b);
  }
  /** `this - other` as a metric. @example `accuracy.sub(0.5)` */
  sub(other: AnyMetric | MetricValue): MetricsLambda {
    return arithmetic('sub', this, other, (a, b) => a - b);
  }
  /** `this * other` as a metric. @example `precision.mul(recall)` */
  mul(other: AnyMetric | MetricValue): MetricsLambda {
    return arithmetic('mul', this, other, (a, b) => a * b);
  }
  /** `this / other` as a metric. @example `precision.div(recall)` */
  div(other: AnyMetric | MetricValue): MetricsLambda {
    return arithmetic('div', this, other, (a, b) => a / b);
  }
  /** `this ** other` as a metric. @example `new MeanSquaredError().pow(0.5)` */
  pow(other: AnyMetric | MetricValue): MetricsLambda {
    return arithmetic('pow', this, other, (a, b) => a ** b);
  }
  /** The mean over all elements of a per-class result, as a number. @example `new IoU(cm).mean()` */
  mean(): MetricsLambda<number> {
    return new MetricsLambda((v: unknown) => reduceAll('mean()', v, 'mean'), this);
  }
  /** The sum over all elements, as a number. @example `precision.sum()` */
  sum(): MetricsLambda<number> {
    return new MetricsLambda((v: unknown) => reduceAll('sum()', v, 'sum'), this);
  }
  /** The largest element, as a number. @example `recall.max()` */
  max(): MetricsLambda<number> {
    return new MetricsLambda((v: unknown) => reduceAll('max()', v, 'max'), this);
  }
  /** The smallest element, as a number. @example `recall.min()` */
  min(): MetricsLambda<number> {
    return new MetricsLambda((v: unknown) => reduceAll('min()', v, 'min'), this);
  }
}

function arithmetic(op: string, a: AnyMetric, b: unknown, f: (x: number, y: number) => number): MetricsLambda {
  if (!(b instanceof Metric) && typeof b !== 'number' && !(b instanceof Tensor)) {
    throw new ArgumentError(`${a.constructor.name}.${op}(): other must be a Metric, a number or a Tensor; received ${describeValue(b)}`);
  }
  return new MetricsLambda((x: unknown, y: unknown) => elementwise(`${op}()`, [x, y], f, a.device), a, b);
}

/**
 * A metric computed from other metrics: `fn` receives the `compute()` of every metric argument
 * (other arguments as they are). Attaching it attaches the metrics it depends on (their updates
 * shared with other attachments of theirs). A 0-d tensor result becomes a number.
 *
 * @example
 * ```ts
 * const precision = new Precision({ average: false });
 * const recall = new Recall({ average: false });
 * const f1 = new MetricsLambda((p, r) => p.mul(r).mul(2).div(p.add(r)).mean(), precision, recall);
 * f1.attach(evaluator, 'f1');
 * ```
 */
export class MetricsLambda<TResult = MetricValue> extends Metric<unknown, TResult> {
  readonly fn: (...values: any[]) => TResult;
  readonly args: readonly unknown[];

  constructor(fn: (...values: any[]) => TResult, ...args: unknown[]) {
    super();
    if (typeof fn !== 'function') {
      throw new ArgumentError(`MetricsLambda(): fn must be a function of the metrics' values; received ${describeValue(fn)}`);
    }
    this.fn = fn;
    this.args = args;
    this.requiredOutputKeys = null;
  }

  /** The metrics among the arguments. */
  get dependencies(): AnyMetric[] {
    return this.args.filter((a): a is AnyMetric => a instanceof Metric);
  }

  reset(): void {
    for (const m of this.dependencies) m.reset();
  }

  /** Updates every metric it depends on with the same output (each applies its own transform's shape rules). */
  update(output: unknown): void {
    for (const m of this.dependencies) m.update(output);
  }

  override iterationCompleted(engine: MetricEngine): void {
    for (const m of this.dependencies) m.iterationCompleted(engine);
  }

  compute(): TResult {
    return scope(() => {
      const values = this.args.map((a) => (a instanceof Metric ? a.compute() : a));
      const result = this.fn(...values) as unknown;
      if (result instanceof Tensor && result.ndim === 0) return result.item() as TResult;
      return result as TResult;
    });
  }

  /** @internal */
  override attachUpdates(engine: MetricEngine, usage: MetricUsage): void {
    for (const m of this.dependencies) m.attachUpdates(engine, usage);
  }

  /** @internal */
  override releaseUpdates(engine: MetricEngine, usage: MetricUsage): void {
    for (const m of this.dependencies) m.releaseUpdates(engine, usage);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function checkEngine(fn: string, engine: unknown): asserts engine is MetricEngine {
  const e = engine as Partial<MetricEngine> | null;
  if (e === null || typeof e !== 'object' || typeof e.on !== 'function' || typeof e.state !== 'object' || e.state === null) {
    throw new ArgumentError(`${fn}: engine must be an Engine (with on() and state); received ${describeValue(engine)}`);
  }
}
