/**
 * Python-style indexing: `x.index(0, ':', '1:3')` is `x[0, :, 1:3]`.
 * @module
 */
import { ArgumentError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';

/** A slice `start:stop:step` (Python's `slice`); missing ends run to the edge. */
export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

/** One entry of an index: a number, a slice (object or `'a:b:c'` string), `'...'`, `null` (new axis), an int or bool tensor, or a number array. */
export type Index = number | string | Slice | null | Tensor | readonly number[];

/**
 * A slice object, as Python's `slice(start, stop, step)`.
 *
 * @example
 * ```ts
 * x.index(slice(1, 3)); // x[1:3]
 * ```
 */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/** `x[indices]` (see {@link Tensor.index}). */
export function index(x: Tensor, ...indices: Index[]): Tensor {
  throw new ArgumentError(`index() is not available yet (${indices.length} for ${x.shape})`);
}

/** A copy of `x` with `x[indices] = value` applied (the value behind `indexPut_`). */
export function indexPut(x: Tensor, indices: readonly Index[], value: TensorLike): Tensor {
  throw new ArgumentError(`indexPut() is not available yet (${indices.length} ${x.shape} ${String(value)})`);
}
