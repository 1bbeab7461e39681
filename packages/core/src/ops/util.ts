/**
 * Argument checks and helpers shared by the ops: operands from JS scalars, type promotion,
 * broadcasting, dimension normalisation.
 * @internal
 * @module
 */
import { wrap } from '../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import { promoteTypes, scalarResultType, type DType } from '../tensor/dtype.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { cast } from './cast.js';

/** Throws unless `x` is a Tensor. */
export function checkTensor(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): ${arg} must be a Tensor (got ${describe(x)})`);
  return x;
}

/** Normalises a possibly negative dimension index against `rank`. */
export function normDim(fn: string, dim: number, rank: number, arg = 'dim'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new ShapeError(`${fn}(): ${arg} must be an integer in [${-r}, ${r - 1}] for a ${rank}-D tensor (got ${describe(dim)})`);
  }
  return dim < 0 ? dim + r : dim;
}

/** Normalises a list of dimensions (or all of them when absent), sorted and checked for repeats. */
export function normDims(fn: string, dims: number | readonly number[] | null | undefined, rank: number): number[] {
  if (dims === undefined || dims === null) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof dims === 'number') return [normDim(fn, dims, rank)];
  const list = [...dims];
  const out = list.map((d) => normDim(fn, d, rank));
  if (new Set(out).size !== out.length) throw new ShapeError(`${fn}(): dim contains a repeated dimension (got ${describe(dims)})`);
  return out.sort((a, b) => a - b);
}

/** PyTorch's broadcast of two shapes, or a ShapeError naming the op. */
export function broadcastShapes(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new ShapeError(
        `${fn}(): shapes [${a.join(', ')}] and [${b.join(', ')}] can't be broadcast together (dimension ${i - n}: ${x} vs ${y})`,
      );
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The product of a shape's sizes. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** The result dtype of an op over tensors and JS scalars. */
export function resultType(fn: string, operands: readonly TensorLike[]): DType {
  let tensorType: DType | undefined;
  for (const o of operands) if (o instanceof Tensor) tensorType = tensorType === undefined ? o.dtype : promoteTypes(tensorType, o.dtype);
  let t: DType = tensorType ?? 'float32';
  for (const o of operands) {
    if (o instanceof Tensor) continue;
    if (typeof o === 'number') t = tensorType === undefined ? (Number.isInteger(o) ? promoteTypes(t, 'int32') : 'float32') : scalarResultType(t, o);
    else if (typeof o !== 'boolean') throw new ArgumentError(`${fn}(): operands must be Tensors, numbers or booleans (got ${describe(o)})`);
  }
  if (tensorType === undefined && operands.every((o) => typeof o === 'number')) {
    t = operands.every((o) => Number.isInteger(o)) ? 'int32' : 'float32';
  }
  return t;
}

/** A 0-d tensor made from a JS scalar. */
export function scalar(v: number | boolean, dtype: DType): Tensor {
  return wrap(tf.scalar(typeof v === 'boolean' ? Number(v) : v, dtype));
}

/**
 * Turns the operands into tensors of the result dtype. `temps` collects the tensors made here
 * (from scalars or by casting), which the op hands to `apply()` so that they are freed.
 */
export function operands(fn: string, xs: readonly TensorLike[], dtype?: DType): { ts: Tensor[]; dtype: DType; temps: Tensor[] } {
  // The common case first: two tensors of one dtype, used as they are.
  if (dtype === undefined && xs.length === 2) {
    const [a, b] = xs;
    if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype) return { ts: [a, b], dtype: a.dtype, temps: [] };
  }
  const dt = dtype ?? resultType(fn, xs);
  const temps: Tensor[] = [];
  const ts = xs.map((x) => {
    if (x instanceof Tensor) {
      if (x.dtype === dt) return x;
      const c = cast(x, dt);
      temps.push(c);
      return c;
    }
    if (typeof x !== 'number' && typeof x !== 'boolean') {
      throw new ArgumentError(`${fn}(): operands must be Tensors, numbers or booleans (got ${describe(x)})`);
    }
    const s = scalar(x, dt);
    temps.push(s);
    return s;
  });
  return { ts, dtype: dt, temps };
}

/** Broadcasts a handle to `shape` (no copy when it already has it). */
export function broadcastHandle(h: Handle, shape: readonly number[]): Handle {
  return sameShape(h.shape, shape) ? h : tf.broadcastTo(h, shape as number[]);
}
