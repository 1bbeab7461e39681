/**
 * Readable text for tensors, in PyTorch's layout: nested brackets, aligned columns, and "..."
 * past 1000 elements.
 * @internal
 * @module
 */
import type { DType } from './dtype.js';

const THRESHOLD = 1000;
const EDGE = 3;

function fmtNumber(v: number, dtype: DType, fixed: boolean): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (fixed) return v.toFixed(4);
  return v.toExponential(4);
}

/** Formats values of the given shape as nested rows. */
export function formatValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  const n = values.length;
  const summarize = n > THRESHOLD;
  let fixed = true;
  if (dtype === 'float32') {
    let maxAbs = 0;
    let minAbs = Infinity;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(values[i]!);
      if (!Number.isFinite(a)) continue;
      if (a > maxAbs) maxAbs = a;
      if (a > 0 && a < minAbs) minAbs = a;
    }
    fixed = maxAbs < 1e8 && (minAbs === Infinity || minAbs >= 1e-4);
  }
  const strs: string[] = new Array(n);
  let width = 0;
  for (let i = 0; i < n; i++) {
    strs[i] = fmtNumber(values[i]!, dtype, fixed);
    if (strs[i]!.length > width) width = strs[i]!.length;
  }
  if (shape.length === 0) return strs[0]!;
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const indent = 'tensor('.length;
  const rec = (dim: number, offset: number): string => {
    const size = shape[dim]!;
    const idx: (number | null)[] = [];
    if (summarize && size > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = size - EDGE; i < size; i++) idx.push(i);
    } else for (let i = 0; i < size; i++) idx.push(i);
    if (dim === shape.length - 1) {
      const parts = idx.map((i) => (i === null ? '...' : strs[offset + i]!.padStart(width)));
      return `[${parts.join(', ')}]`;
    }
    const sep = ',' + '\n'.repeat(shape.length - 1 - dim) + ' '.repeat(indent + dim + 1);
    const parts = idx.map((i) => (i === null ? '...' : rec(dim + 1, offset + i * strides[dim]!)));
    return `[${parts.join(sep)}]`;
  };
  return rec(0, 0);
}
