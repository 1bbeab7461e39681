/**
 * What {@link Precision} and {@link Recall} share (Ignite's `_BasePrecisionRecall`): the input
 * checks, the per-class counts, and the `average` modes.
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import { NotComputableError, Metric } from './metric.js';
import type { MetricOptions } from './metric.js';
import { TypeTracker, checkClassificationShape, classificationType, pairOf, readClassification } from './classification.js';
import type { ClassificationType } from './classification.js';
import { describeValue, fromHost } from './values.js';

/**
 * How per-class values are averaged, as Ignite spells it:
 * - `false` (default): per class (multiclass, multilabel) as a Tensor; for binary data the value of
 *   the positive class as a number;
 * - `null`: per class as a Tensor, for binary data too (two classes);
 * - `'macro'` (or `true`): the unweighted mean over classes;
 * - `'weighted'`: the mean over classes weighted by each class's number of true examples;
 * - `'micro'`: counts pooled over all classes;
 * - `'samples'`: multilabel only, the value per example averaged over examples.
 *
 * @example
 * ```ts
 * const average: PrecisionRecallAverage = 'weighted';
 * ```
 */
export type PrecisionRecallAverage = boolean | null | 'micro' | 'macro' | 'weighted' | 'samples';

/**
 * Options of {@link Precision} and {@link Recall}.
 *
 * @example
 * ```ts
 * new Precision({ average: 'macro', isMultilabel: true } satisfies PrecisionRecallOptions);
 * ```
 */
export interface PrecisionRecallOptions extends MetricOptions<[Tensor, Tensor]> {
  /** How to average over classes (default false). */
  average?: PrecisionRecallAverage;
  /** Treat `yPred` and `y` of one shape (N, C, ...) as C labels per example (default false). */
  isMultilabel?: boolean;
}

const AVERAGES: readonly unknown[] = [false, null, true, 'micro', 'macro', 'weighted', 'samples'];
const EPS = 1e-20;

/**
 * The shared half of {@link Precision} and {@link Recall}; `denominatorOf` picks predicted
 * positives (precision) or actual positives (recall).
 *
 * @example
 * ```ts
 * const p: BasePrecisionRecall = new Precision({ average: 'macro' });
 * ```
 */
export abstract class BasePrecisionRecall extends Metric<[Tensor, Tensor], number | Tensor> {
  /** The averaging mode (`true` is stored as `'macro'`). */
  readonly average: false | null | 'micro' | 'macro' | 'weighted' | 'samples';
  readonly isMultilabel: boolean;
  protected override stateKeys = ['tracker', 'numerator', 'denominator', 'weight', 'updated'];
  private readonly tracker = new TypeTracker();
  private numerator: Float64Array = new Float64Array(0);
  private denominator: Float64Array = new Float64Array(0);
  private weight: Float64Array = new Float64Array(0);
  private updated = false;

  constructor(options: PrecisionRecallOptions = {}) {
    super(options);
    const average = options.average === undefined ? false : options.average;
    if (!AVERAGES.includes(average)) {
      throw new ArgumentError(
        `${new.target.name}(): average must be false, null, true, 'micro', 'macro', 'weighted' or 'samples'; received ${describeValue(average)}`,
      );
    }
    this.average = average === true ? 'macro' : (average as BasePrecisionRecall['average']);
    this.isMultilabel = options.isMultilabel ?? false;
  }

  /** True when the denominator counts predicted positives (precision), false for actual ones (recall). */
  protected abstract readonly countsPredicted: boolean;

  /** The kind of data seen since the last reset. */
  get type(): ClassificationType | undefined {
    return this.tracker.type;
  }

  reset(): void {
    this.tracker.reset();
    this.numerator = new Float64Array(0);
    this.denominator = new Float64Array(0);
    this.weight = new Float64Array(0);
    this.updated = false;
  }

  update(output: [Tensor, Tensor]): void {
    const fn = this.where('update');
    const [yPred, y] = pairOf(fn, output);
    checkClassificationShape(fn, yPred, y, this.isMultilabel);
    const kind = classificationType(yPred, y, this.isMultilabel);
    if (kind.type !== 'multilabel' && this.average === 'samples') {
      throw new ArgumentError(`${fn}: average='samples' is incompatible with ${kind.type} input data (it needs multilabel data)`);
    }
    this.tracker.check(fn, kind.type, kind.numClasses);
    const b = readClassification(fn, yPred, y, this.isMultilabel);
    this.tracker.accept(b.type, b.numClasses);
    // Per row r and class k: predicted (p) and actual (t) 0/1; binary with average=false keeps only the positive class.
    let c: number;
    let p: (r: number, k: number) => number;
    let t: (r: number, k: number) => number;
    if (b.type === 'multilabel') {
      c = b.numClasses;
      p = (r, k) => b.pred[r * c + k]!;
      t = (r, k) => b.target[r * c + k]!;
    } else if (b.type === 'binary' && this.average === false) {
      c = 1;
      p = (r) => b.pred[r]!;
      t = (r) => b.target[r]!;
    } else {
      c = b.type === 'binary' ? 2 : b.numClasses;
      p = (r, k) => (b.pred[r] === k ? 1 : 0);
      t = (r, k) => (b.target[r] === k ? 1 : 0);
    }
    if (this.average === 'samples') {
      let sum = 0;
      for (let r = 0; r < b.rows; r++) {
        let tp = 0;
        let pos = 0;
        for (let k = 0; k < c; k++) {
          tp += p(r, k) * t(r, k);
          pos += this.countsPredicted ? p(r, k) : t(r, k);
        }
        sum += tp / (pos + EPS);
      }
      this.accumulate(Float64Array.of(sum), Float64Array.of(b.rows), undefined);
    } else {
      const tp = new Float64Array(c);
      const pos = new Float64Array(c);
      const support = new Float64Array(c);
      for (let r = 0; r < b.rows; r++) {
        for (let k = 0; k < c; k++) {
          const pk = p(r, k);
          const tk = t(r, k);
          tp[k]! += pk * tk;
          pos[k]! += this.countsPredicted ? pk : tk;
          support[k]! += tk;
        }
      }
      if (this.average === 'micro') {
        this.accumulate(Float64Array.of(tp.reduce((a, v) => a + v, 0)), Float64Array.of(pos.reduce((a, v) => a + v, 0)), undefined);
      } else {
        this.accumulate(tp, pos, this.average === 'weighted' ? support : undefined);
      }
    }
    this.updated = true;
  }

  private accumulate(num: Float64Array, den: Float64Array, weight: Float64Array | undefined): void {
    if (this.numerator.length === 0) {
      this.numerator = new Float64Array(num.length);
      this.denominator = new Float64Array(num.length);
      this.weight = new Float64Array(num.length);
    }
    for (let i = 0; i < num.length; i++) {
      this.numerator[i]! += num[i]!;
      this.denominator[i]! += den[i]!;
      if (weight !== undefined) this.weight[i]! += weight[i]!;
    }
  }

  compute(): number | Tensor {
    if (!this.updated) {
      throw new NotComputableError(
        `${this.where('compute')}: ${this.constructor.name} must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    const eps = this.average === 'samples' ? 0 : EPS;
    const fraction = this.numerator.map((n, i) => n / (this.denominator[i]! + eps));
    switch (this.average) {
      case 'weighted': {
        let dot = 0;
        let total = 0;
        fraction.forEach((f, i) => {
          dot += f * this.weight[i]!;
          total += this.weight[i]!;
        });
        return dot / (total + EPS);
      }
      case 'micro':
      case 'samples':
        return fraction[0]!;
      case 'macro':
        return fraction.reduce((a, v) => a + v, 0) / fraction.length;
      default:
        if (this.tracker.type === 'binary' && this.average === false) return fraction[0]!;
        return fromHost({ shape: [fraction.length], data: fraction }, this.device);
    }
  }
}
