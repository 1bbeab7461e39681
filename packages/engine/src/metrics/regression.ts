/**
 * Input checks shared by the regression metrics: `[yPred, y]` with as many elements each, read to
 * the host.
 * @module
 */
import { ShapeError } from '@flint/core';
import { pairOf } from './classification.js';

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
