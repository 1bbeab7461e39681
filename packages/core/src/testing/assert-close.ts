/**
 * `assertClose`: compares tensors or numbers elementwise with PyTorch's tolerance rule
 * `|actual - expected| <= atol + rtol * |expected|`.
 * @module
 */
import { ArgumentError, FlintError, describe } from '../errors.js';
import type { NestedArray } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';

/** Raised by the testing helpers when a check fails. */
export class AssertionFailed extends FlintError {}

/** Tolerances of {@link assertClose}. */
export interface CloseOptions {
  /** Relative tolerance (default 1.3e-6, PyTorch's for float32). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5, PyTorch's for float32). */
  atol?: number;
  /** Treat NaN as equal to NaN (default false). */
  equalNan?: boolean;
  /** Also require equal dtypes when both sides are tensors (default false). */
  checkDtype?: boolean;
  /** A prefix for the failure message. */
  message?: string;
}

/** Anything {@link assertClose} compares. */
export type Comparable = Tensor | NestedArray | ArrayLike<number>;

function flatten(fn: string, v: Comparable): { values: number[]; shape: number[] } {
  if (v instanceof Tensor) return { values: Array.from(v.dataSync() as ArrayLike<number>), shape: v.shape };
  if (typeof v === 'number' || typeof v === 'boolean') return { values: [Number(v)], shape: [] };
  if (ArrayBuffer.isView(v)) return { values: Array.from(v as ArrayLike<number>), shape: [(v as ArrayLike<number>).length] };
  if (!Array.isArray(v)) throw new ArgumentError(`${fn}(): expected a Tensor, number or (nested) array (got ${describe(v)})`);
  const shape: number[] = [];
  let p: unknown = v;
  while (Array.isArray(p)) {
    shape.push(p.length);
    p = p[0];
  }
  const values = (v as unknown[]).flat(Infinity).map((x) => Number(x));
  return { values, shape };
}

/**
 * Throws {@link AssertionFailed} unless `actual` and `expected` have the same shape and every
 * element is within `atol + rtol * |expected|`. The message names the worst element.
 *
 * @example
 * ```ts
 * import { testing } from '@flint/core/testing';
 * assertClose(tensor([1, 2]).mul(2), [2, 4]);
 * ```
 */
export function assertClose(actual: Comparable, expected: Comparable, options: CloseOptions = {}): void {
  const rtol = options.rtol ?? 1.3e-6;
  const atol = options.atol ?? 1e-5;
  const prefix = options.message ? `${options.message}: ` : '';
  const a = flatten('assertClose', actual);
  const e = flatten('assertClose', expected);
  if (options.checkDtype && actual instanceof Tensor && expected instanceof Tensor && actual.dtype !== expected.dtype) {
    throw new AssertionFailed(`${prefix}dtypes differ: ${actual.dtype} vs ${expected.dtype}`);
  }
  const sameShape = a.shape.length === e.shape.length && a.shape.every((s, i) => s === e.shape[i]);
  if (!sameShape) {
    throw new AssertionFailed(`${prefix}shapes differ: actual [${a.shape.join(', ')}], expected [${e.shape.join(', ')}]`);
  }
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < e.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y) && options.equalNan) continue;
      bad++;
      if (worst < 0) worst = i;
      worstExcess = Infinity;
      continue;
    }
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0) {
      bad++;
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (bad > 0) {
    const idx: number[] = [];
    let r = worst;
    for (let d = e.shape.length - 1; d >= 0; d--) {
      idx.unshift(r % e.shape[d]!);
      r = Math.floor(r / e.shape[d]!);
    }
    throw new AssertionFailed(
      `${prefix}${bad} of ${e.values.length} elements differ; worst at [${idx.join(', ')}]: actual ${a.values[worst]}, expected ${e.values[worst]} ` +
        `(|diff| ${Math.abs(a.values[worst]! - e.values[worst]!)}, allowed ${atol + rtol * Math.abs(e.values[worst]!)} with rtol ${rtol}, atol ${atol})`,
    );
  }
}
