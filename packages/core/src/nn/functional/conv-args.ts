/**
 * Argument checks shared by the convolution, pooling, padding and upsampling functions: sizes
 * given as a number or a tuple, input ranks and dtypes. Every message names the function, the
 * argument, what was expected and what was received.
 * @internal
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';

/** A size per spatial dimension, or one number for all of them (PyTorch's `int or tuple`). */
export type Size2 = number | readonly [number, number];
/** A 1-D size: a number or a one-element tuple. */
export type Size1 = number | readonly [number];

/** A shape as messages print it. @example `fmtShape([2, 3]); // '[2, 3]'` */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Reads a number or a tuple of `n` numbers into a tuple of `n` integers `>= min`.
 *
 * @example
 * ```ts
 * tuple('conv2d', 'stride', 2, 2, 1);      // [2, 2]
 * tuple('conv2d', 'stride', [1, 2], 2, 1); // [1, 2]
 * ```
 */
export function tuple(fn: string, arg: string, value: unknown, n: number, min: number): number[] {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
  const what = min === 0 ? 'non-negative' : min === 1 ? 'positive' : `>= ${min}`;
  if (ok(value)) return new Array<number>(n).fill(value);
  if (Array.isArray(value) && value.length === n && value.every(ok)) return [...(value as number[])];
  const form = n === 1 ? `a ${what} integer` : `a ${what} integer or ${n} of them`;
  throw new ArgumentError(`${fn}(): ${arg} must be ${form} (got ${describe(value)})`);
}

/**
 * Throws unless `x` is a float32 tensor whose rank is one of `ranks`; returns it.
 *
 * @example
 * ```ts
 * floatInput('conv2d', 'input', x, [3, 4], '(C, H, W) or (N, C, H, W)');
 * ```
 */
export function floatInput(fn: string, arg: string, x: unknown, ranks: readonly number[], layout: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): ${arg} must be a Tensor (got ${describe(x)})`);
  if (!ranks.includes(x.ndim)) {
    const r = ranks.map((k) => `${k}-D`).join(' or ');
    throw new ShapeError(`${fn}(): ${arg} must be ${r} ${layout} (got shape ${fmtShape(x.shape)})`);
  }
  if (x.dtype !== 'float32') {
    throw new DTypeError(`${fn}(): ${arg} must be a float32 tensor (got dtype ${x.dtype}); convert it with .float()`);
  }
  return x;
}

/**
 * Disposes the intermediate tensors made on the way to `out` when no graph can need them (when
 * `out` requires grad they may be saved by its graph, and the enclosing scope frees them).
 *
 * @example
 * ```ts
 * const x4 = unsqueeze(x, 0);
 * return dropTemps(squeeze(conv(x4), 0), [x4]);
 * ```
 */
export function dropTemps(out: Tensor, temps: readonly Tensor[]): Tensor {
  if (!out.requiresGrad) for (const t of temps) if (t !== out) t.dispose();
  return out;
}
