/**
 * Input checks shared by the classification metrics (Ignite's `_BaseClassification`): decides
 * whether a batch is binary, multiclass or multilabel from the shapes of `yPred` and `y`, checks the
 * values, and reads the batch into host arrays laid out per example.
 * @module
 */
import { ArgumentError, ShapeError, Tensor } from '@flint/core';
import { describeValue } from './values.js';

/**
 * The kind of classification problem a batch describes.
 *
 * @example
 * ```ts
 * const kind: ClassificationType | undefined = new Accuracy().type;
 * ```
 */
export type ClassificationType = 'binary' | 'multiclass' | 'multilabel';

/** One batch read to the host. @internal */
export interface ClassificationBatch {
  type: ClassificationType;
  /** Classes (multiclass), labels (multilabel), or 1 (binary). */
  numClasses: number;
  /** Examples: N times the extra dims. */
  rows: number;
  /**
   * binary: predictions 0/1 per row; multiclass: the argmax class per row; multilabel: rows x
   * numClasses predictions 0/1, row-major.
   */
  pred: Int32Array;
  /** binary: 0/1 per row; multiclass: the class per row; multilabel: rows x numClasses 0/1. */
  target: Int32Array;
}

/** Checks that `output` is `[yPred, y]`, two tensors. @internal */
export function pairOf(fn: string, output: unknown): [Tensor, Tensor] {
  if (!Array.isArray(output) || output.length < 2 || !(output[0] instanceof Tensor) || !(output[1] instanceof Tensor)) {
    throw new ArgumentError(
      `${fn}: output must be [yPred, y] (two Tensors) or an object { yPred, y }; received ${describeValue(output)}` +
        (Array.isArray(output) ? ` of ${output.map(describeValue).join(', ')}` : ''),
    );
  }
  return [output[0], output[1]];
}

/** A float32 value as it was written (0.3, not 0.30000001192092896). @internal */
export function fmt(v: number): string {
  return String(Number(v.toPrecision(7)));
}

function shapeText(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/**
 * Ignite's shape rule: `y` is (N, ...) and `yPred` is (N, C, ...) or (N, ...); multilabel needs
 * both (N, C, ...) with C > 1. @internal
 */
export function checkClassificationShape(fn: string, yPred: Tensor, y: Tensor, isMultilabel: boolean): void {
  const p = yPred.shape;
  const t = y.shape;
  if (!(t.length === p.length || t.length + 1 === p.length) || t.length === 0) {
    throw new ShapeError(
      `${fn}: y must have shape (N, ...) and yPred (N, C, ...) or (N, ...); received yPred ${shapeText(p)} and y ${shapeText(t)}`,
    );
  }
  const expected = t.length + 1 === p.length ? [p[0]!, ...p.slice(2)] : p;
  if (expected.length !== t.length || expected.some((s, i) => s !== t[i])) {
    throw new ShapeError(`${fn}: yPred ${shapeText(p)} and y ${shapeText(t)} have incompatible shapes (expected y ${shapeText(expected)})`);
  }
  if (isMultilabel && !(t.length === p.length && t.length > 1 && t[1]! > 1)) {
    throw new ShapeError(
      `${fn}: with isMultilabel, yPred and y must both have shape (N, C, ...) with C > 1; received yPred ${shapeText(p)} and y ${shapeText(t)}`,
    );
  }
}

function zeroOne(fn: string, arg: string, data: ArrayLike<number>): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && v !== 1) {
      throw new ArgumentError(
        `${fn}: for binary and multilabel data ${arg} must contain only 0 and 1; received ${fmt(v)} at flat index ${i}` +
          (arg === 'yPred' ? ' (threshold probabilities first, e.g. outputTransform: ([p, y]) => [p.round(), y])' : ''),
      );
    }
    out[i] = v;
  }
  return out;
}

/** The type a batch has, by Ignite's rules (without reading values). @internal */
export function classificationType(yPred: Tensor, y: Tensor, isMultilabel: boolean): { type: ClassificationType; numClasses: number } {
  if (y.ndim + 1 === yPred.ndim) {
    const c = yPred.shape[1]!;
    return c === 1 ? { type: 'binary', numClasses: 1 } : { type: 'multiclass', numClasses: c };
  }
  return isMultilabel ? { type: 'multilabel', numClasses: yPred.shape[1]! } : { type: 'binary', numClasses: 1 };
}

/** Checks and reads one batch; a multiclass `y` outside [0, C) is an error. @internal */
export function readClassification(fn: string, yPred: Tensor, y: Tensor, isMultilabel: boolean): ClassificationBatch {
  checkClassificationShape(fn, yPred, y, isMultilabel);
  const { type, numClasses } = classificationType(yPred, y, isMultilabel);
  const p = yPred.dataSync();
  const t = y.dataSync();
  if (type === 'binary') {
    return { type, numClasses, rows: t.length, pred: zeroOne(fn, 'yPred', p), target: zeroOne(fn, 'y', t) };
  }
  const n = yPred.shape[0]!;
  const c = yPred.shape[1]!;
  const rest = yPred.shape.slice(2).reduce((a, b) => a * b, 1);
  const rows = n * rest;
  if (type === 'multiclass') {
    const pred = new Int32Array(rows);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < rest; r++) {
        // argmax over the class dim; the first maximum wins, as torch.argmax; NaN counts as largest.
        let best = 0;
        let bestV = p[i * c * rest + r]!;
        for (let k = 1; k < c && bestV === bestV; k++) {
          const v = p[(i * c + k) * rest + r]!;
          if (v > bestV || v !== v) {
            best = k;
            bestV = v;
          }
        }
        pred[i * rest + r] = best;
      }
    }
    const target = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = t[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= c) {
        throw new ArgumentError(
          `${fn}: y must hold class indices in [0, ${c}) for yPred with ${c} classes; received ${fmt(v)} at flat index ${i}`,
        );
      }
      target[i] = v;
    }
    return { type, numClasses, rows, pred, target };
  }
  // multilabel: (N, C, ...) -> (N x ..., C)
  const pz = zeroOne(fn, 'yPred', p);
  const tz = zeroOne(fn, 'y', t);
  const pred = new Int32Array(rows * c);
  const target = new Int32Array(rows * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      for (let r = 0; r < rest; r++) {
        const src = (i * c + k) * rest + r;
        const dst = (i * rest + r) * c + k;
        pred[dst] = pz[src]!;
        target[dst] = tz[src]!;
      }
    }
  }
  return { type, numClasses, rows, pred, target };
}

/**
 * Remembers the type and class count of the first accepted batch since `reset()` and refuses a later batch
 * that changes them (Ignite's "Input data type has changed"). @internal
 */
export class TypeTracker {
  type: ClassificationType | undefined;
  numClasses: number | undefined;

  reset(): void {
    this.type = undefined;
    this.numClasses = undefined;
  }

  /** Refuses a batch whose type or class count differs from the remembered ones. */
  check(fn: string, type: ClassificationType, numClasses: number): void {
    if (this.type === undefined) return;
    if (this.type !== type) {
      throw new ArgumentError(`${fn}: input data type has changed from ${this.type} to ${type} since the last reset()`);
    }
    if (this.numClasses !== numClasses) {
      throw new ArgumentError(`${fn}: input data number of classes has changed from ${this.numClasses} to ${numClasses} since the last reset()`);
    }
  }

  /** Remembers the type of a batch that was accepted. */
  accept(type: ClassificationType, numClasses: number): void {
    this.type = type;
    this.numClasses = numClasses;
  }
}
