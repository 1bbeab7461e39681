/**
 * What a metric's `compute()` gives: a number, or a Tensor for per-class results (a precision per
 * class, a confusion matrix). The helpers here read such values into float64 host arrays, combine
 * them elementwise, and turn the result back into a number or a float32 Tensor.
 * @module
 */
import { ArgumentError, Tensor, scope, tensor } from '@flint/core';
import type { DeviceLike } from '@flint/core';

/**
 * A metric result: a number, or a Tensor for per-class and matrix results.
 *
 * @example
 * ```ts
 * const v: MetricValue = evaluator.state.metrics.accuracy as MetricValue;
 * ```
 */
export type MetricValue = number | Tensor;

/** A value read back to the host in float64. @internal */
export interface HostArray {
  readonly shape: number[];
  readonly data: Float64Array;
}

/** Reads a Tensor (or a number) into float64; a 0-d tensor becomes a number. @internal */
export function toHost(value: unknown, fn: string): number | HostArray {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor) {
    if (value.ndim === 0) return value.item();
    return { shape: value.shape, data: Float64Array.from(value.dataSync()) };
  }
  throw new ArgumentError(`${fn}: expected a number or a Tensor; received ${describeValue(value)}`);
}

/** A Tensor (float32 unless `dtype` says int32) holding a host array, made on `device`. @internal */
export function fromHost(value: HostArray, device: DeviceLike | undefined, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  const data = dtype === 'int32' ? Int32Array.from(value.data) : Float32Array.from(value.data);
  return scope(() => tensor(data, { dtype, ...(device === undefined ? {} : { device }) }).reshape(value.shape));
}

/**
 * Applies `op` elementwise to numbers and tensors of one shape (numbers broadcast), computing in
 * float64 on the host; all-number inputs give a number. @internal
 */
export function elementwise(
  fn: string,
  values: readonly unknown[],
  op: (...xs: number[]) => number,
  device: DeviceLike | undefined,
): MetricValue {
  const host = values.map((v) => toHost(v, fn));
  let shape: number[] | undefined;
  for (const h of host) {
    if (typeof h === 'number') continue;
    if (shape === undefined) shape = h.shape;
    else if (shape.length !== h.shape.length || shape.some((s, i) => s !== h.shape[i])) {
      throw new ArgumentError(`${fn}: values must have the same shape or be numbers; received shapes [${shape.join(', ')}] and [${h.shape.join(', ')}]`);
    }
  }
  if (shape === undefined) return op(...(host as number[]));
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const args = new Array<number>(host.length);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < host.length; k++) {
      const h = host[k]!;
      args[k] = typeof h === 'number' ? h : h.data[i]!;
    }
    out[i] = op(...args);
  }
  return fromHost({ shape, data: out }, device);
}

/** Reduces a value over all its elements (`mean()`, `sum()` of a per-class result). @internal */
export function reduceAll(fn: string, value: unknown, kind: 'mean' | 'sum' | 'max' | 'min'): number {
  const h = toHost(value, fn);
  const data = typeof h === 'number' ? [h] : Array.from(h.data);
  if (data.length === 0) throw new ArgumentError(`${fn}: cannot reduce an empty value`);
  if (kind === 'max') return Math.max(...data);
  if (kind === 'min') return Math.min(...data);
  const sum = data.reduce((a, b) => a + b, 0);
  return kind === 'sum' ? sum : sum / data.length;
}

/** Short text for a value in error messages. @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Tensor) return `Tensor(shape=[${value.shape.join(', ')}], dtype=${value.dtype})`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : `an object with keys [${Object.keys(value).join(', ')}]`;
  }
  return String(value);
}
