/**
 * Metrics read off a {@link ConfusionMatrix}: intersection over union per class ({@link IoU}),
 * its mean ({@link mIoU}), the Dice coefficient ({@link DiceCoefficient}) and the overall
 * accuracy ({@link cmAccuracy}), as Ignite defines them.
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Tensor } from '@flint/core';
import { MetricsLambda } from './metric.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { describeValue, fromHost } from './values.js';

/**
 * Options of {@link IoU}, {@link mIoU} and {@link DiceCoefficient}.
 *
 * @example
 * ```ts
 * new mIoU(new ConfusionMatrix(21), { ignoreIndex: 0 } satisfies IoUOptions);
 * ```
 */
export interface IoUOptions {
  /** A class left out of the result (e.g. the background); an integer in [0, numClasses). */
  ignoreIndex?: number;
}

function checkMatrix(fn: string, cm: unknown, averages: readonly (string | null)[]): ConfusionMatrix {
  if (!(cm instanceof ConfusionMatrix)) {
    throw new ArgumentError(`${fn}: cm must be a ConfusionMatrix; received ${describeValue(cm)}`);
  }
  if (!averages.includes(cm.average)) {
    throw new ArgumentError(
      `${fn}: the ConfusionMatrix must have average ${averages.map((a) => (a === null ? 'null' : `'${a}'`)).join(' or ')}; received '${cm.average}'`,
    );
  }
  return cm;
}

function checkIgnore(fn: string, cm: ConfusionMatrix, ignoreIndex: unknown): number | undefined {
  if (ignoreIndex === undefined) return undefined;
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex) || ignoreIndex < 0 || ignoreIndex >= cm.numClasses) {
    throw new ArgumentError(`${fn}: ignoreIndex must be an integer in [0, ${cm.numClasses}); received ${describeValue(ignoreIndex)}`);
  }
  return ignoreIndex;
}

/** Per-class ratio diag / f(rowSum, colSum, diag) over the matrix's counts, minus the ignored class. */
function perClass(cm: ConfusionMatrix, ignoreIndex: number | undefined, ratio: (d: number, row: number, col: number) => number): Float64Array {
  const m = cm.rawCounts();
  const c = cm.numClasses;
  const out: number[] = [];
  for (let k = 0; k < c; k++) {
    if (k === ignoreIndex) continue;
    let row = 0;
    let col = 0;
    for (let j = 0; j < c; j++) {
      row += m[k * c + j]!;
      col += m[j * c + k]!;
    }
    out.push(ratio(m[k * c + k]!, row, col));
  }
  return Float64Array.from(out);
}

const iouRatio = (d: number, row: number, col: number): number => d / (row + col - d + 1e-15);
const diceRatio = (d: number, row: number, col: number): number => (2 * d) / (row + col + 1e-15);

/**
 * Intersection over union per class, TP / (TP + FP + FN), from a {@link ConfusionMatrix} (with
 * average null or 'samples'); a (C,) Tensor, or (C - 1,) with `ignoreIndex`. Attaching it attaches
 * the matrix's updates.
 *
 * @example
 * ```ts
 * const cm = new ConfusionMatrix(21);
 * new IoU(cm, { ignoreIndex: 0 }).attach(evaluator, 'iou');
 * ```
 */
export class IoU extends MetricsLambda<Tensor> {
  readonly cm: ConfusionMatrix;
  readonly ignoreIndex: number | undefined;
  constructor(cm: ConfusionMatrix, options: IoUOptions = {}) {
    const matrix = checkMatrix('IoU()', cm, [null, 'samples']);
    const ignoreIndex = checkIgnore('IoU()', matrix, options.ignoreIndex);
    super(() => fromHost(vectorOf(perClass(matrix, ignoreIndex, iouRatio)), matrix.device), matrix);
    this.cm = matrix;
    this.ignoreIndex = ignoreIndex;
  }
}

function vectorOf(data: Float64Array): { shape: number[]; data: Float64Array } {
  return { shape: [data.length], data };
}

function mean(data: Float64Array): number {
  return data.reduce((a, v) => a + v, 0) / data.length;
}

/**
 * Mean intersection over union over the classes (leaving out `ignoreIndex`), as a number: the
 * usual segmentation score.
 *
 * @example
 * ```ts
 * new mIoU(new ConfusionMatrix(21), { ignoreIndex: 0 }).attach(evaluator, 'mIoU');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/naming-convention
export class mIoU extends MetricsLambda<number> {
  readonly cm: ConfusionMatrix;
  readonly ignoreIndex: number | undefined;
  constructor(cm: ConfusionMatrix, options: IoUOptions = {}) {
    const matrix = checkMatrix('mIoU()', cm, [null, 'samples']);
    const ignoreIndex = checkIgnore('mIoU()', matrix, options.ignoreIndex);
    super(() => mean(perClass(matrix, ignoreIndex, iouRatio)), matrix);
    this.cm = matrix;
    this.ignoreIndex = ignoreIndex;
  }
}

/**
 * The Dice coefficient per class, 2 TP / (2 TP + FP + FN), from a {@link ConfusionMatrix}; a
 * Tensor, without `ignoreIndex`'s class if given.
 *
 * @example
 * ```ts
 * new DiceCoefficient(new ConfusionMatrix(2)).attach(evaluator, 'dice');
 * ```
 */
export class DiceCoefficient extends MetricsLambda<Tensor> {
  readonly cm: ConfusionMatrix;
  constructor(cm: ConfusionMatrix, options: IoUOptions = {}) {
    const matrix = checkMatrix('DiceCoefficient()', cm, [null]);
    const ignoreIndex = checkIgnore('DiceCoefficient()', matrix, options.ignoreIndex);
    super(() => fromHost(vectorOf(perClass(matrix, ignoreIndex, diceRatio)), matrix.device), matrix);
    this.cm = matrix;
  }
}

/**
 * The accuracy read off a {@link ConfusionMatrix}: its trace over its sum, as a number.
 *
 * @example
 * ```ts
 * new cmAccuracy(new ConfusionMatrix(10)).attach(evaluator, 'accuracy');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/naming-convention
export class cmAccuracy extends MetricsLambda<number> {
  readonly cm: ConfusionMatrix;
  constructor(cm: ConfusionMatrix) {
    const matrix = checkMatrix('cmAccuracy()', cm, [null]);
    super(() => {
      const m = matrix.rawCounts();
      const c = matrix.numClasses;
      let trace = 0;
      for (let k = 0; k < c; k++) trace += m[k * c + k]!;
      return trace / (m.reduce((a, v) => a + v, 0) + 1e-15);
    }, matrix);
    this.cm = matrix;
  }
}
