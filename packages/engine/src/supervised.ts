/**
 * `createSupervisedTrainer` and `createSupervisedEvaluator`: engines for the usual
 * `(x, y)` training step and evaluation loop (PyTorch-Ignite's factories of the same names).
 * @module
 */
import { ArgumentError, nn, noGrad, optim, type DeviceLike, type Tensor } from '@flint/core';
import { Engine } from './engine.js';

type AnyModule = nn.AnyModule;

/**
 * Turns a batch into `[x, y]` on a device. The default accepts `[x, y]` arrays (what a
 * `DataLoader` over a `TensorDataset` gives) and `{ x, y }` objects, and moves tensors with
 * `.to(device)` when a device is given.
 *
 * @example
 * ```ts
 * const prepareBatch: PrepareBatch = ({ image, label }, device) => [image.to(device ?? 'cpu'), label];
 * ```
 */
export type PrepareBatch<TBatch = any> = (batch: TBatch, device: DeviceLike | undefined) => [unknown, unknown]; // eslint-disable-line @typescript-eslint/no-explicit-any

function moveTo(v: unknown, device: DeviceLike | undefined): unknown {
  if (device === undefined) return v;
  if (v !== null && typeof v === 'object' && typeof (v as Tensor).to === 'function') return (v as Tensor).to(device);
  return v;
}

/**
 * The default {@link PrepareBatch}.
 *
 * @example
 * ```ts
 * const [x, y] = prepareBatch([xb, yb], 'cpu');
 * ```
 */
export function prepareBatch(batch: unknown, device: DeviceLike | undefined): [unknown, unknown] {
  if (Array.isArray(batch) && batch.length >= 2) return [moveTo(batch[0], device), moveTo(batch[1], device)];
  if (batch !== null && typeof batch === 'object' && 'x' in batch && 'y' in batch) {
    const b = batch as { x: unknown; y: unknown };
    return [moveTo(b.x, device), moveTo(b.y, device)];
  }
  throw new ArgumentError(
    `prepareBatch(): a batch must be [x, y] or { x, y }; received ${Array.isArray(batch) ? `an array of length ${batch.length}` : typeof batch}. ` +
      'Pass a prepareBatch option that turns your batches into [x, y].',
  );
}

/**
 * Options of {@link createSupervisedTrainer} (Ignite's keyword arguments, camelCased).
 *
 * @example
 * ```ts
 * const options: SupervisedTrainerOptions = { gradientAccumulationSteps: 4, clipGradNorm: 1.0 };
 * ```
 */
export interface SupervisedTrainerOptions<TOutput = number> {
  /** Where batches go (`x.to(device)`); default: left where they are. */
  device?: DeviceLike;
  /** Steps the optimizer every n iterations, dividing the loss by n (default 1). */
  gradientAccumulationSteps?: number;
  /** The engine's output from `(x, y, yPred, loss)`; default: `loss.item()`. */
  outputTransform?: (x: unknown, y: unknown, yPred: unknown, loss: Tensor) => TOutput;
  /** Turns a batch into `[x, y]` (default {@link prepareBatch}). */
  prepareBatch?: PrepareBatch;
  /** Clips the gradients' total norm to this before each optimizer step (`clip_grad_norm_`); default none. */
  clipGradNorm?: number;
  /** Applied to the model's output before the loss (default: unchanged). */
  modelTransform?: (output: unknown) => unknown;
}

/**
 * An engine whose iteration is one supervised training step: `model.train()`, forward, loss,
 * backward, (clip), optimizer step, with gradient accumulation. Its output is the loss as a
 * number unless `outputTransform` says otherwise.
 *
 * @example
 * ```ts
 * const trainer = createSupervisedTrainer(model, new optim.SGD(model.parameters(), { lr: 0.1 }), new nn.CrossEntropyLoss());
 * trainer.on(Events.EPOCH_COMPLETED, (e) => console.log(e.state.epoch, e.state.output));
 * await trainer.run(trainLoader, { maxEpochs: 5 });
 * ```
 */
export function createSupervisedTrainer<TBatch = unknown, TOutput = number>(
  model: AnyModule,
  optimizer: optim.Optimizer,
  lossFn: (yPred: any, y: any) => Tensor, // eslint-disable-line @typescript-eslint/no-explicit-any
  options: SupervisedTrainerOptions<TOutput> = {},
): Engine<TBatch, TOutput> {
  const fn = 'createSupervisedTrainer()';
  if (!(model instanceof nn.Module)) throw new ArgumentError(`${fn}: model must be an nn.Module; received ${typeof model}`);
  if (!(optimizer instanceof optim.Optimizer)) throw new ArgumentError(`${fn}: optimizer must be an optim.Optimizer; received ${typeof optimizer}`);
  if (typeof lossFn !== 'function') throw new ArgumentError(`${fn}: lossFn must be a function or a loss module; received ${typeof lossFn}`);
  const steps = options.gradientAccumulationSteps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ArgumentError(`${fn}: options.gradientAccumulationSteps must be a positive integer; received ${String(steps)}`);
  }
  const clip = options.clipGradNorm;
  if (clip !== undefined && (typeof clip !== 'number' || !(clip > 0))) {
    throw new ArgumentError(`${fn}: options.clipGradNorm must be a positive number; received ${String(clip)}`);
  }
  const prepare = options.prepareBatch ?? prepareBatch;
  const modelTransform = options.modelTransform ?? ((o: unknown) => o);
  const outputTransform = options.outputTransform ?? ((_x: unknown, _y: unknown, _p: unknown, loss: Tensor) => loss.item() as TOutput);
  const { device } = options;

  return new Engine<TBatch, TOutput>((engine, batch) => {
    if ((engine.state.iteration - 1) % steps === 0) optimizer.zeroGrad();
    model.train();
    const [x, y] = prepare(batch, device);
    const yPred = modelTransform(model(x));
    let loss = lossFn(yPred, y);
    const full = loss;
    if (steps > 1) loss = loss.div(steps);
    loss.backward();
    if (engine.state.iteration % steps === 0) {
      if (clip !== undefined) nn.utils.clipGradNorm_(model.parameters(), clip);
      optimizer.step();
    }
    return outputTransform(x, y, yPred, full);
  });
}

/**
 * Options of {@link createSupervisedEvaluator}.
 *
 * @example
 * ```ts
 * const options: SupervisedEvaluatorOptions = { metrics: { accuracy: new Accuracy() } };
 * ```
 */
export interface SupervisedEvaluatorOptions<TOutput = [unknown, unknown]> {
  /** Metrics to attach, by name: their values land in `evaluator.state.metrics`. */
  metrics?: Record<string, { attach(engine: Engine<any, any>, name: string): void }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Where batches go; default: left where they are. */
  device?: DeviceLike;
  /** The engine's output from `(x, y, yPred)`; default: `[yPred, y]`, what metrics expect. */
  outputTransform?: (x: unknown, y: unknown, yPred: unknown) => TOutput;
  /** Turns a batch into `[x, y]` (default {@link prepareBatch}). */
  prepareBatch?: PrepareBatch;
  /** Applied to the model's output (default: unchanged). */
  modelTransform?: (output: unknown) => unknown;
}

/**
 * An engine that evaluates `model` (in `eval()` mode, under `noGrad`) over data, with metrics
 * attached; after `run()`, `evaluator.state.metrics` holds their values.
 *
 * @example
 * ```ts
 * const evaluator = createSupervisedEvaluator(model, { metrics: { accuracy: new Accuracy(), loss: new Loss(lossFn) } });
 * const { metrics } = await evaluator.run(valLoader);
 * console.log(metrics.accuracy);
 * ```
 */
export function createSupervisedEvaluator<TBatch = unknown, TOutput = [unknown, unknown]>(
  model: AnyModule,
  options: SupervisedEvaluatorOptions<TOutput> = {},
): Engine<TBatch, TOutput> {
  const fn = 'createSupervisedEvaluator()';
  if (!(model instanceof nn.Module)) throw new ArgumentError(`${fn}: model must be an nn.Module; received ${typeof model}`);
  const prepare = options.prepareBatch ?? prepareBatch;
  const modelTransform = options.modelTransform ?? ((o: unknown) => o);
  const outputTransform = options.outputTransform ?? ((_x: unknown, y: unknown, yPred: unknown) => [yPred, y] as TOutput);
  const { device } = options;
  const evaluator = new Engine<TBatch, TOutput>((_engine, batch) => {
    model.eval();
    return noGrad(() => {
      const [x, y] = prepare(batch, device);
      const yPred = modelTransform(model(x));
      return outputTransform(x, y, yPred);
    });
  });
  for (const [name, metric] of Object.entries(options.metrics ?? {})) {
    if (metric === null || typeof metric !== 'object' || typeof metric.attach !== 'function') {
      throw new ArgumentError(`${fn}: options.metrics.${name} must be a Metric (with attach()); received ${metric === null ? 'null' : typeof metric}`);
    }
    metric.attach(evaluator, name);
  }
  return evaluator;
}
