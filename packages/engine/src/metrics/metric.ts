/**
 * The metric protocol of PyTorch-Ignite: a metric is `reset()` / `update(output)` / `compute()`,
 * and `attach(engine, name)` wires those to an engine's events so that
 * `engine.state.metrics[name]` holds the value. Metrics combine with arithmetic (`a.add(b)`) and
 * with {@link MetricsLambda}.
 * @module
 */
import { ArgumentError, FlintError, StateDictError, Tensor, keep, scope, tensor } from '@flint/core';
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

/**
 * A handle `engine.on` returns.
 *
 * @example
 * ```ts
 * const handle: MetricEventHandle = engine.on(Events.EPOCH_COMPLETED, report);
 * handle.remove();
 * ```
 */
export interface MetricEventHandle {
  remove(): void;
}

/**
 * What a metric needs of an engine: `on` to register handlers, and a `state` with the process
 * function's `output` and the `metrics` record. The {@link Engine} satisfies it.
 *
 * @example
 * ```ts
 * new Accuracy().attach(evaluator satisfies MetricEngine, 'accuracy');
 * ```
 */
export interface MetricEngine {
  readonly state: { output?: unknown; metrics: Record<string, unknown>; iteration?: number; epochLength?: number | null };
  on(event: EventLike, handler: (engine: MetricEngine) => unknown): MetricEventHandle;
  hasEventHandler?(handler: (engine: MetricEngine) => unknown, event?: EventLike): boolean;
}

/**
 * Options every metric takes.
 *
 * @example
 * ```ts
 * new Accuracy({ outputTransform: ({ logits, labels }) => [logits, labels], device: 'cpu' } satisfies MetricOptions);
 * ```
 */
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

/**
 * Any metric, whatever it updates with and computes.
 *
 * @example
 * ```ts
 * const metrics: Record<string, AnyMetric> = { accuracy: new Accuracy(), loss: new Loss(ce) };
 * ```
 */
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
  /**
   * The fields holding what the metric has accumulated since its last `reset()`: what
   * {@link stateDict} saves and {@link loadStateDict} restores. Each metric lists its own.
   */
  protected stateKeys: readonly string[] = [];
  /** Set by loadStateDict(): the next reset by a resumed run's start event is skipped. */
  private restored = false;
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

  /**
   * Handler of the usage's `started` event: resets the metric, except once after
   * {@link loadStateDict} when a resumed run continues what the restored state covers (see there).
   */
  started(engine: MetricEngine, usage?: MetricUsage): void {
    const continues = this.restored && usage !== undefined && usage.continues(engine);
    this.restored = false;
    if (!continues) this.reset();
  }

  /**
   * What the metric has accumulated since its last reset, as a plain object that `save()` writes
   * (numbers, arrays, strings), so a checkpoint can hold it and a resumed run continue it.
   *
   * @example
   * ```ts
   * const acc = new Accuracy();
   * acc.update([flint.tensor([[0.1, 0.9]]), flint.tensor([1], { dtype: 'int32' })]);
   * acc.stateDict(); // { tracker: { type: 'multiclass', numClasses: 2 }, numCorrect: 1, numExamples: 1 }
   * ```
   */
  stateDict(): Record<string, unknown> {
    const self = this as unknown as Record<string, unknown>;
    return Object.fromEntries(this.stateKeys.map((k) => [k, encodeState(self[k])]));
  }

  /**
   * Restores what {@link stateDict} saved. When the metric is attached to an engine that resumes
   * a run (after `engine.loadStateDict()`, e.g. with `Checkpoint.loadObjects`), the reset its usage
   * does at the run's start is skipped once if the restored state is that of the interval in
   * progress: a run-wide usage (`RunningBatchWise`, `RunningEpochWise`) resumed mid-run, an epoch
   * usage (`EpochWise`, ...) resumed mid-epoch. So running metrics continue as if the run had not
   * stopped; an epoch usage resumed at an epoch boundary starts the new epoch afresh.
   *
   * @example
   * ```ts
   * const runningLoss = new RunningAverage({ outputTransform: (loss: number) => loss });
   * runningLoss.attach(trainer, 'loss');
   * const checkpoint = new Checkpoint({ model, optimizer, trainer, runningLoss }, 'checkpoints');
   * // on restart:
   * await Checkpoint.loadObjects({ model, optimizer, trainer, runningLoss }, 'checkpoints/checkpoint_500.safetensors');
   * ```
   */
  loadStateDict(stateDict: Record<string, unknown>): void {
    const fn = this.where('loadStateDict');
    if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict)) {
      throw new ArgumentError(`${fn}: stateDict must be an object from ${this.constructor.name}.stateDict(); received ${describeValue(stateDict)}`);
    }
    const missing = this.stateKeys.filter((k) => !Object.hasOwn(stateDict, k));
    const unexpected = Object.keys(stateDict).filter((k) => !this.stateKeys.includes(k));
    if (missing.length > 0 || unexpected.length > 0) {
      throw new StateDictError(
        `${fn}: the state dict does not fit this metric: missing keys [${missing.join(', ')}], unexpected keys [${unexpected.join(', ')}]`,
      );
    }
    const self = this as unknown as Record<string, unknown>;
    const decoded = this.stateKeys.map((k) => [k, decodeState(fn, k, stateDict[k])] as const);
    for (const [k, v] of decoded) {
      const cur = self[k];
      if (ArrayBuffer.isView(cur) && (cur as Float64Array).length > 0 && (!ArrayBuffer.isView(v) || (v as Float64Array).length !== (cur as Float64Array).length)) {
        throw new StateDictError(`${fn}: '${k}' has ${(cur as Float64Array).length} entries in this metric; the state dict has ${ArrayBuffer.isView(v) ? (v as Float64Array).length : describeValue(v)}`);
      }
    }
    for (const [k, v] of decoded) {
      const cur = self[k];
      if (isPlainState(cur) && isPlainState(v)) Object.assign(cur, v);
      else self[k] = v;
    }
    this.restored = true;
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
      engine.on(usage.started, (e) => this.started(e, usage)),
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

  /** The state dicts of the metrics it depends on, by their position among the arguments. */
  override stateDict(): Record<string, unknown> {
    return Object.fromEntries(this.args.flatMap((a, i) => (a instanceof Metric ? [[String(i), a.stateDict()]] : [])));
  }

  /** Restores the metrics it depends on from {@link stateDict}. */
  override loadStateDict(stateDict: Record<string, unknown>): void {
    const fn = this.where('loadStateDict');
    if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict)) {
      throw new ArgumentError(`${fn}: stateDict must be an object from ${this.constructor.name}.stateDict(); received ${describeValue(stateDict)}`);
    }
    const expected = this.args.flatMap((a, i) => (a instanceof Metric ? [String(i)] : []));
    const missing = expected.filter((k) => !Object.hasOwn(stateDict, k));
    const unexpected = Object.keys(stateDict).filter((k) => !expected.includes(k));
    if (missing.length > 0 || unexpected.length > 0) {
      throw new StateDictError(`${fn}: the state dict does not fit this metric: missing keys [${missing.join(', ')}], unexpected keys [${unexpected.join(', ')}]`);
    }
    this.args.forEach((a, i) => {
      if (a instanceof Metric) a.loadStateDict(stateDict[String(i)] as Record<string, unknown>);
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

/** A state field as `save()` can write it: typed arrays and non-finite numbers tagged, plain objects by field. */
function encodeState(v: unknown): unknown {
  if (v === undefined) return { undefined: true };
  if (typeof v === 'number') return Number.isFinite(v) ? v : { number: String(v) };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Float64Array) return { float64: Array.from(v, encodeState) };
  if (v instanceof Int32Array) return { int32: Array.from(v) };
  if (Array.isArray(v)) return v.map(encodeState);
  if (isPlainState(v)) return { object: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeState(x)])) };
  throw new FlintError(`Metric.stateDict(): cannot save a state field of type ${describeValue(v)}`);
}

function decodeState(fn: string, key: string, v: unknown): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => decodeState(fn, key, x));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.undefined === true) return undefined;
    if (typeof o.number === 'string') return Number(o.number);
    if (Array.isArray(o.float64)) return Float64Array.from(o.float64.map((x) => decodeState(fn, key, x) as number));
    if (Array.isArray(o.int32)) return Int32Array.from(o.int32 as number[]);
    if (o.object !== null && typeof o.object === 'object') {
      return Object.fromEntries(Object.entries(o.object as Record<string, unknown>).map(([k, x]) => [k, decodeState(fn, key, x)]));
    }
  }
  throw new StateDictError(`${fn}: '${key}' holds ${describeValue(v)}, which no metric state dict contains`);
}

/** A state object restored field by field (an object of the metric's own, such as its type tracker). */
function isPlainState(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Tensor) && !(v instanceof Metric);
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
