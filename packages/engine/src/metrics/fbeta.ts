/**
 * The F-beta score from a {@link Precision} and a {@link Recall} (Ignite's `Fbeta`), and F1.
 * @module
 */
import { ArgumentError, Tensor } from '@flint/core';
import type { DeviceLike } from '@flint/core';
import { MetricsLambda } from './metric.js';
import { Precision } from './precision.js';
import { Recall } from './recall.js';
import { describeValue, elementwise, reduceAll } from './values.js';

/**
 * Options of {@link Fbeta}.
 *
 * @example
 * ```ts
 * new Fbeta(2, { average: false } satisfies FbetaOptions);
 * ```
 */
export interface FbetaOptions {
  /** Average the per-class scores into one number (default true); false gives one per class. */
  average?: boolean;
  /** The precision to use; it must have `average: false` (default: a new one). */
  precision?: Precision;
  /** The recall to use; it must have `average: false` (default: a new one). */
  recall?: Recall;
  /** Given to the precision and recall this makes; not allowed with `precision` / `recall`. */
  outputTransform?: (output: any) => [Tensor, Tensor];
  /** Device of the precision and recall this makes. */
  device?: DeviceLike;
}

function checkComponent(beta: number, name: 'precision' | 'recall', m: unknown, options: FbetaOptions, ctor: Function): void {
  if (m === undefined) return;
  if (!(m instanceof ctor)) {
    throw new ArgumentError(`Fbeta(): ${name} must be a ${ctor.name}; received ${describeValue(m)}`);
  }
  if (options.outputTransform !== undefined) {
    throw new ArgumentError(`Fbeta(): outputTransform must not be given with ${name} (the ${name} metric applies its own)`);
  }
  const average = (m as Precision | Recall).average;
  if (average !== false && average !== null) {
    throw new ArgumentError(`Fbeta(): the ${name} metric must have average: false; received average '${String(average)}' (beta ${beta})`);
  }
}

/**
 * F-beta = (1 + beta^2) * precision * recall / (beta^2 * precision + recall), per class and then
 * averaged (macro) unless `average: false`. Built from per-class {@link Precision} and
 * {@link Recall}, which it attaches along with itself.
 *
 * @example
 * ```ts
 * const f2 = new Fbeta(2);
 * f2.attach(evaluator, 'f2');
 * // or from metrics already attached:
 * const p = new Precision({ average: false });
 * const r = new Recall({ average: false });
 * new Fbeta(0.5, { precision: p, recall: r, average: false }).attach(evaluator, 'f0.5');
 * ```
 */
export class Fbeta extends MetricsLambda<number | Tensor> {
  readonly beta: number;
  readonly precision: Precision;
  readonly recall: Recall;

  constructor(beta: number, options: FbetaOptions = {}) {
    if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta)) {
      throw new ArgumentError(`Fbeta(): beta must be a positive number; received ${describeValue(beta)}`);
    }
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError(`Fbeta(): options must be an object; received ${describeValue(options)}`);
    }
    checkComponent(beta, 'precision', options.precision, options, Precision);
    checkComponent(beta, 'recall', options.recall, options, Recall);
    const { outputTransform, device } = options;
    const made = { average: false, ...(outputTransform && { outputTransform }), ...(device && { device }) } as const;
    const precision = options.precision ?? new Precision(made);
    const recall = options.recall ?? new Recall(made);
    const average = options.average ?? true;
    const b2 = beta * beta;
    super(
      (p: number | Tensor, r: number | Tensor) => {
        const f = elementwise('Fbeta.compute()', [p, r], (pv, rv) => ((1 + b2) * pv * rv) / (b2 * pv + rv + 1e-15), precision.device);
        return average ? reduceAll('Fbeta.compute()', f, 'mean') : f;
      },
      precision,
      recall,
    );
    this.beta = beta;
    this.precision = precision;
    this.recall = recall;
  }
}

/**
 * F1, the harmonic mean of precision and recall: `Fbeta` with beta = 1.
 *
 * @example
 * ```ts
 * new F1().attach(evaluator, 'f1');             // macro F1
 * new F1({ average: false }).attach(evaluator, 'f1PerClass');
 * ```
 */
export class F1 extends Fbeta {
  constructor(options: FbetaOptions = {}) {
    super(1, options);
  }
}
