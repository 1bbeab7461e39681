/**
 * The average of a loss function over examples (Ignite's `Loss`).
 * @module
 */
import { ArgumentError, Tensor, noGrad, scope } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { describeValue } from './values.js';

/**
 * A loss function returning the mean loss of a batch: a 0-d Tensor or a number.
 *
 * @example
 * ```ts
 * const ce: LossFunction = (yPred, y) => nn.functional.crossEntropy(yPred, y);
 * ```
 */
export type LossFunction = (yPred: Tensor, y: Tensor, kwargs?: Record<string, unknown>) => Tensor | number;

/**
 * What {@link Loss} updates with: `[yPred, y]` or `[yPred, y, criterionKwargs]`.
 *
 * @example
 * ```ts
 * const out: LossOutput = [logits, labels];
 * ```
 */
export type LossOutput = [Tensor, Tensor] | [Tensor, Tensor, Record<string, unknown>];

/**
 * Options of {@link Loss}.
 *
 * @example
 * ```ts
 * new Loss(ce, { batchSize: (y) => y.shape[0]! } satisfies LossOptions);
 * ```
 */
export interface LossOptions extends MetricOptions<LossOutput> {
  /** The number of examples in a batch, from its targets (default: `y.shape[0]`). */
  batchSize?: (y: Tensor) => number;
}

/**
 * The mean of `lossFn` over all examples: each batch's mean loss is weighted by its batch size,
 * so a short last batch counts for what it holds. The loss runs without autograd. An output object
 * may carry `criterionKwargs`, passed to `lossFn` as its third argument.
 *
 * @example
 * ```ts
 * const loss = new Loss((yPred, y) => nn.functional.crossEntropy(yPred, y));
 * loss.attach(evaluator, 'loss');
 * ```
 */
export class Loss extends Metric<LossOutput, number> {
  readonly lossFn: LossFunction;
  readonly batchSize: (y: Tensor) => number;
  protected override stateKeys = ['total', 'numExamples'];
  private total = 0;
  private numExamples = 0;

  constructor(lossFn: LossFunction, options: LossOptions = {}) {
    super(options);
    if (typeof lossFn !== 'function') {
      throw new ArgumentError(`Loss(): lossFn must be a function (yPred, y) => loss; received ${describeValue(lossFn)}`);
    }
    if (options.batchSize !== undefined && typeof options.batchSize !== 'function') {
      throw new ArgumentError(`Loss(): batchSize must be a function (y) => number; received ${describeValue(options.batchSize)}`);
    }
    this.lossFn = lossFn;
    this.batchSize = options.batchSize ?? ((y: Tensor) => (y.ndim === 0 ? 1 : y.shape[0]!));
    this.optionalOutputKeys = ['criterionKwargs'];
    this.reset();
  }

  reset(): void {
    this.total = 0;
    this.numExamples = 0;
  }

  update(output: LossOutput): void {
    const fn = this.where('update');
    if (!Array.isArray(output) || (output.length !== 2 && output.length !== 3) || !(output[0] instanceof Tensor) || !(output[1] instanceof Tensor)) {
      throw new ArgumentError(`${fn}: output must be [yPred, y] or [yPred, y, criterionKwargs] (or an object { yPred, y, criterionKwargs? }); received ${describeValue(output)}`);
    }
    const [yPred, y, kwargs] = output;
    if (kwargs !== undefined && (typeof kwargs !== 'object' || kwargs === null)) {
      throw new ArgumentError(`${fn}: criterionKwargs must be an object; received ${describeValue(kwargs)}`);
    }
    const value = scope(() =>
      noGrad(() => {
        const l = kwargs === undefined ? this.lossFn(yPred, y) : this.lossFn(yPred, y, kwargs);
        if (typeof l === 'number') return l;
        if (!(l instanceof Tensor) || l.ndim !== 0) {
          throw new ArgumentError(
            `${fn}: lossFn must return the batch's mean loss as a 0-d Tensor or a number; received ${describeValue(l)} (use reduction 'mean')`,
          );
        }
        return l.item();
      }),
    );
    const n = this.batchSize(y);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new ArgumentError(`${fn}: batchSize(y) must give a non-negative integer; received ${describeValue(n)}`);
    }
    this.total += value * n;
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: Loss must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.total / this.numExamples;
  }
}
