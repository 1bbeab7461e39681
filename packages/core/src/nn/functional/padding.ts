/**
 * `pad` with PyTorch 1.13's semantics (`torch.nn.functional.pad`): the pad list names the last
 * dimension first (`[left, right, top, bottom, front, back]`); modes `'constant'` (any number of
 * dimensions, negative pads crop), `'reflect'`, `'replicate'` and `'circular'` (the last one, two
 * or three dimensions). Reflection, replication and wrapping are built from slices, flips and
 * concatenations, so their gradients fold the padding back onto the input.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { cat, expand, flip, narrow } from '../../ops/shape.js';
import { sliceRange } from '../../ops/slice-pad.js';
import { checkTensor } from '../../ops/util.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropTemps, fmtShape } from './conv-args.js';

/** How {@link pad} fills the new elements. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of {@link pad}. */
export interface PadOptions {
  /** `'constant'` (default), `'reflect'`, `'replicate'` or `'circular'`. */
  mode?: PadMode;
  /** The fill value of `'constant'` mode (default 0). */
  value?: number;
}

/** `x` with `before[d]` and `after[d]` elements of `value` around every dimension (all >= 0). */
function padConstant(x: Tensor, before: readonly number[], after: readonly number[], value: number): Tensor {
  const h = x._handle;
  const shape = x.shape;
  return apply({
    name: 'constantPadNd',
    inputs: [x],
    forward: () => tf.pad(h, shape.map((_, d) => [before[d]!, after[d]!] as [number, number]), value),
    backward: (g) => [sliceRange(g, before, shape)],
  });
}

/** `x` cut by the negative entries of `before` / `after` (zero where they are not negative). */
function crop(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  const begin = x.shape.map((_, d) => Math.max(0, -before[d]!));
  const size = x.shape.map((s, d) => s - begin[d]! - Math.max(0, -after[d]!));
  return sliceRange(x, begin, size);
}

/** Pads dimension `d` of `x` by `l` and `r` (both >= 0) in a non-constant mode. */
function padDim(x: Tensor, d: number, l: number, r: number, mode: Exclude<PadMode, 'constant'>, temps: Tensor[]): Tensor {
  const n = x.shape[d]!;
  const keep = (t: Tensor): Tensor => {
    temps.push(t);
    return t;
  };
  const edge = (start: number, size: number, reversed: boolean): Tensor => {
    const part = keep(narrow(x, d, start, size));
    return reversed ? keep(flip(part, d)) : part;
  };
  const parts: Tensor[] = [];
  if (mode === 'reflect') {
    if (l > 0) parts.push(edge(1, l, true));
    parts.push(x);
    if (r > 0) parts.push(edge(n - 1 - r, r, true));
  } else if (mode === 'circular') {
    if (l > 0) parts.push(edge(n - l, l, false));
    parts.push(x);
    if (r > 0) parts.push(edge(0, r, false));
  } else {
    const grow = (start: number, size: number): Tensor => keep(expand(edge(start, 1, false), x.shape.map((s, k) => (k === d ? size : s))));
    if (l > 0) parts.push(grow(0, l));
    parts.push(x);
    if (r > 0) parts.push(grow(n - 1, r));
  }
  return parts.length === 1 ? x : keep(cat(parts, d));
}

/**
 * Pads `input` (`F.pad`). `padding` lists `[before, after]` pairs starting from the last
 * dimension: `[1, 2]` pads the last dimension with 1 before and 2 after; `[1, 1, 2, 2]` also pads
 * the second-to-last with 2 on each side. In `'constant'` mode negative values crop. The other
 * modes pad the last 1, 2 or 3 dimensions of a tensor with one or two leading dimensions
 * (`'circular'`: exactly two, batch and channel); `'reflect'` needs each pad smaller than its
 * dimension, `'circular'` at most its size. Negative pads in those modes crop first.
 *
 * @example
 * ```ts
 * pad(ones([1, 2, 2]), [1, 1]).shape;                         // [1, 2, 4]
 * pad(x, [1, 1, 1, 1], { mode: 'reflect' });                   // x: [N, C, H, W] -> [N, C, H + 2, W + 2]
 * pad(tensor([[1, 2, 3]]), [2, 0], { value: 9 }).tolist();     // [[9, 9, 1, 2, 3]]
 * ```
 */
export function pad(input: Tensor, padding: readonly number[], options: PadOptions = {}): Tensor {
  checkTensor('pad', 'input', input);
  const mode = options.mode ?? 'constant';
  const value = options.value ?? 0;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new ArgumentError(`pad(): mode must be 'constant', 'reflect', 'replicate' or 'circular' (got ${describe(mode)})`);
  }
  if (!Array.isArray(padding) || padding.length % 2 !== 0 || padding.some((p) => !Number.isInteger(p))) {
    throw new ArgumentError(`pad(): padding must be an array of an even number of integers (got ${describe(padding)})`);
  }
  if (typeof value !== 'number') throw new ArgumentError(`pad(): value must be a number (got ${describe(value)})`);
  const k = padding.length / 2;
  const rank = input.ndim;
  if (k > rank) throw new ShapeError(`pad(): padding has ${padding.length} values, so it pads ${k} dimensions, but input has only ${rank} (shape ${fmtShape(input.shape)})`);
  if (mode !== 'constant') {
    if (value !== 0) throw new ArgumentError(`pad(): value is only used in 'constant' mode (got value ${value} with mode '${mode}')`);
    if (k < 1 || k > 3) throw new ArgumentError(`pad(): mode '${mode}' pads the last 1, 2 or 3 dimensions, so padding must have 2, 4 or 6 values (got ${padding.length})`);
    const ranks = mode === 'circular' ? [k + 2] : [k + 1, k + 2];
    if (!ranks.includes(rank)) {
      throw new ShapeError(`pad(): mode '${mode}' with ${padding.length} padding values needs a ${ranks.map((r) => `${r}-D`).join(' or ')} input (got shape ${fmtShape(input.shape)})`);
    }
  }
  const before = new Array<number>(rank).fill(0);
  const after = new Array<number>(rank).fill(0);
  for (let i = 0; i < k; i++) {
    before[rank - 1 - i] = padding[2 * i]!;
    after[rank - 1 - i] = padding[2 * i + 1]!;
  }
  input.shape.forEach((s, d) => {
    if (s + before[d]! + after[d]! < 0) {
      throw new ShapeError(`pad(): dimension ${d} of size ${s} padded by ${before[d]} and ${after[d]} would have a negative size`);
    }
  });
  const temps: Tensor[] = [];
  const negative = before.some((p) => p < 0) || after.some((p) => p < 0);
  let x = input;
  if (negative) {
    x = crop(input, before, after);
    temps.push(x);
  }
  const lo = before.map((p) => Math.max(0, p));
  const hi = after.map((p) => Math.max(0, p));
  if (mode === 'constant') return dropTemps(padConstant(x, lo, hi, value), temps);
  for (let d = rank - k; d < rank; d++) {
    const n = x.shape[d]!;
    const [l, r] = [lo[d]!, hi[d]!];
    if (mode === 'reflect' && (l >= n || r >= n)) {
      throw new ShapeError(`pad(): in 'reflect' mode each pad must be smaller than its dimension: dimension ${d} has size ${n} (after cropping) but the padding is (${l}, ${r})`);
    }
    if (mode === 'circular' && (l > n || r > n)) {
      throw new ShapeError(`pad(): in 'circular' mode a pad can't exceed its dimension: dimension ${d} has size ${n} (after cropping) but the padding is (${l}, ${r})`);
    }
    if ((l > 0 || r > 0) && n === 0) throw new ShapeError(`pad(): mode '${mode}' can't pad dimension ${d}, which is empty`);
    x = padDim(x, d, l, r, mode, temps);
  }
  if (x === input) x = padConstant(input, lo, hi, 0); // nothing to pad: still a new tensor, as in PyTorch
  return dropTemps(x, temps);
}
