/**
 * Input checks shared by the regression metrics: `[yPred, y]` with as many elements each, read to
 * the host.
 * @module
 */
import { ShapeError, type Tensor } from '@flint/core';
import { pairOf } from './classification.js';
import { Metric, NotComputableError, type MetricOptions } from './metric.js';

/** One regression batch on the host. @internal */
export interface RegressionBatch {
  pred: Float32Array | Int32Array | Uint8Array;
  target: Float32Array | Int32Array | Uint8Array;
  /** Examples in the batch: `y.shape[0]`. */
  n: number;
}

/** Checks `[yPred, y]` (y viewed as yPred, as Ignite does) and reads them. @internal */
export function readRegression(fn: string, output: unknown): RegressionBatch {
  const [yPred, y] = pairOf(fn, output);
  if (y.ndim === 0 || yPred.numel() !== y.numel()) {
    throw new ShapeError(
      `${fn}: yPred and y must have the same number of elements and y a batch dim (N, ...); received yPred [${yPred.shape.join(', ')}] and y [${y.shape.join(', ')}]`,
    );
  }
  return { pred: yPred.dataSync(), target: y.dataSync(), n: y.shape[0]! };
}

/**
 * A metric that sums a per-element error over all elements of `[yPred, y]` and divides by the
 * number of examples (`y.shape[0]` per batch), as Ignite's MAE and MSE do. @internal
 */
export abstract class PerExampleError extends Metric<[Tensor, Tensor], number> {
  protected override stateKeys = ['total', 'numExamples'];
  private total = 0;
  private numExamples = 0;

  constructor(options: MetricOptions<[Tensor, Tensor]> = {}) {
    super(options);
    this.reset();
  }

  /** The error of one element, given `yPred - y`. */
  protected abstract elementError(diff: number): number;

  reset(): void {
    this.total = 0;
    this.numExamples = 0;
  }

  update(output: [Tensor, Tensor]): void {
    const { pred, target, n } = readRegression(this.where('update'), output);
    let s = 0;
    for (let i = 0; i < pred.length; i++) s += this.elementError(pred[i]! - target[i]!);
    this.total += s;
    this.numExamples += n;
  }

  compute(): number {
    if (this.numExamples === 0) {
      throw new NotComputableError(
        `${this.where('compute')}: ${this.constructor.name} must have at least one example before it can be computed; call update() or run the engine it is attached to first`,
      );
    }
    return this.total / this.numExamples;
  }
}
