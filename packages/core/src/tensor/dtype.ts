/**
 * Dtypes: float32 (the default), int32 and bool. Flint has no float64 or int64 kernels; asking for
 * them is a clear error.
 * @module
 */
import { DTypeError, describe } from '../errors.js';

/** The dtypes a Flint tensor can have. */
export type DType = 'float32' | 'int32' | 'bool';

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };
const BYTES: Record<DType, number> = { bool: 1, int32: 4, float32: 4 };

/** The dtype that holds both `a` and `b` (PyTorch's promotion over bool < int32 < float32). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Bytes per element of a dtype. @internal */
export function bytesPerElement(d: DType): number {
  return BYTES[d];
}

/** Whether gradients can flow through a dtype. @internal */
export function isFloating(d: DType): boolean {
  return d === 'float32';
}

/** Checks a user-given dtype, naming float64/int64 and their fixes. @internal */
export function checkDType(fn: string, d: unknown): DType {
  if (d === 'float32' || d === 'int32' || d === 'bool') return d;
  if (d === 'float64' || d === 'double') {
    throw new DTypeError(`${fn}(): dtype float64 is not supported: Flint's kernels are float32; use 'float32'`);
  }
  if (d === 'int64' || d === 'long') {
    throw new DTypeError(`${fn}(): dtype int64 is not supported: Flint's kernels are int32; use 'int32'`);
  }
  if (d === 'float' ) return 'float32';
  if (d === 'int') return 'int32';
  throw new DTypeError(`${fn}(): dtype must be 'float32', 'int32' or 'bool' (got ${describe(d)})`);
}

/** The dtype a JS scalar takes next to a tensor of dtype `t` (PyTorch's weak scalar rule). @internal */
export function scalarResultType(t: DType, v: number | boolean): DType {
  if (typeof v === 'boolean') return t;
  if (Number.isInteger(v) && t !== 'float32') return t === 'bool' ? 'int32' : t;
  return Number.isInteger(v) ? t : 'float32';
}
