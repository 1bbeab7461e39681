/**
 * `F.embedding_bag`: the sum, mean or max of the embedding rows of each bag of indices, without
 * building the `[batch, length, dim]` tensor of `F.embedding` for sum and mean. The bags are laid
 * out on the host from the indices and offsets; the device then does one gather of the rows
 * ({@link embedding}, whose backward is one scatter) and one segment sum into the bags (a
 * scatter whose backward is one gather), or a plain reduction when the bags have one length.
 * `max` finds the rows holding the maxima in a masked `[bags, longest, dim]` layout and takes
 * just those values, so its backward is one small scatter. No kernel runs once per bag.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { scope } from '../../memory/scope.js';
import { div, where } from '../../ops/arith.js';
import { gather, indexSelect } from '../../ops/gather.js';
import { argmax } from '../../ops/reduce-extreme.js';
import { boundIndex, take } from '../../ops/take.js';
import { checkTensor } from '../../ops/util.js';
import { arange, fromTypedArray } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkFloat } from './activation.js';
import { embedding, normalizePaddingIdx } from './embedding.js';

/** How the rows of a bag are reduced. */
export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

/** Options of {@link embeddingBag}. @example `embeddingBag(ids, w, { offsets, mode: 'sum' })` */
export interface EmbeddingBagOptions {
  /**
   * With a 1-D `input`: the int32 start of each bag in `input` (the first must be 0, and they
   * may not decrease); a bag ends where the next one starts, the last one at the end of `input`.
   * Must be absent with a 2-D `input`, whose rows are the bags.
   */
  offsets?: Tensor | null;
  /** Rows looked up whose `normType`-norm exceeds this are rescaled to it, in place; default none. */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in the batch (default false; not with `'max'`). */
  scaleGradByFreq?: boolean;
  /** `'sum'`, `'mean'` (default) or `'max'` of the rows of each bag. */
  mode?: EmbeddingBagMode;
  /** Sparse gradients are not supported; must be false. */
  sparse?: boolean;
  /** A float32 weight per index, shaped like `input`, multiplying its row (`mode: 'sum'` only). */
  perSampleWeights?: Tensor | null;
  /**
   * `offsets` holds one more entry than there are bags: the end of the last bag (default false).
   * Indices after that end belong to no bag.
   */
  includeLastOffset?: boolean;
  /** Indices equal to this (negative counts from the end) are left out of their bag, and of the mean's count; default none. */
  paddingIdx?: number | null;
}

const MODES: readonly string[] = ['sum', 'mean', 'max'];
const FN = 'embeddingBag';

/**
 * `out[b] = sum of rows[k] with seg[k] = b`, shaped `[n, dim]`: an unsorted segment sum, as one
 * scatter that adds repeated rows up. Its backward is one gather (`indexSelect`).
 */
function segmentSum(rows: Tensor, seg: Int32Array, n: number): Tensor {
  const hr = rows._handle;
  const dim = rows.shape[1]!;
  const segments = fromTypedArray(seg, [seg.length], 'int32', rows.device);
  const hs = segments._handle;
  return apply({
    name: 'segment_reduce',
    inputs: [rows],
    temps: [segments],
    forward: () => (seg.length === 0 || n === 0 || dim === 0 ? tf.zeros([n, dim]) : tf.scatterND(tf.reshape(hs, [-1, 1]), hr, [n, dim])),
    save: [segments],
    backward: (g, [s]) => [indexSelect(g, 0, s!)],
  });
}

/** Where each bag starts in the flat indices, checked; and how many bags there are. */
function bagStarts(input: Tensor, offsets: Tensor | null | undefined, includeLast: boolean): { starts: Int32Array; bags: number } {
  const length = input.numel();
  let starts: Int32Array;
  if (input.ndim === 2) {
    if (offsets !== undefined && offsets !== null) {
      throw new ArgumentError(`${FN}(): offsets must be absent when input is 2-D (each row of input is one bag; got ${describe(offsets)})`);
    }
    const [b, n] = input.shape as [number, number];
    starts = Int32Array.from({ length: b }, (_, i) => i * n);
  } else {
    if (offsets === undefined || offsets === null) {
      throw new ArgumentError(`${FN}(): offsets is required when input is 1-D (the start of each bag in input); pass a 1-D int32 tensor such as [0, 3, 7]`);
    }
    checkTensor(FN, 'offsets', offsets);
    if (offsets.dtype !== 'int32') throw new DTypeError(`${FN}(): offsets must be an int32 tensor (got dtype ${offsets.dtype}); convert it with .int()`);
    if (offsets.ndim !== 1) throw new ShapeError(`${FN}(): offsets must be 1-D (got shape [${offsets.shape.join(', ')}])`);
    starts = offsets._handle.dataSync() as Int32Array;
  }
  if (includeLast && starts.length === 0) {
    throw new ShapeError(`${FN}(): with includeLastOffset, offsets needs at least 1 entry (the end of the last bag; got none)`);
  }
  if (starts.length > 0 && starts[0] !== 0) {
    throw new ArgumentError(`${FN}(): offsets[0] must be 0, the first bag starting at the start of input (got ${starts[0]})`);
  }
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! < starts[i - 1]!) {
      throw new ArgumentError(`${FN}(): offsets must not decrease (got offsets[${i - 1}] = ${starts[i - 1]} > offsets[${i}] = ${starts[i]})`);
    }
  }
  const last = starts.length === 0 ? 0 : starts[starts.length - 1]!;
  if (last > length) throw new ShapeError(`${FN}(): offsets[-1] (${last}) can not be greater than the number of indices in input (${length})`);
  return { starts, bags: includeLast ? starts.length - 1 : starts.length };
}

function checkOptions(input: Tensor, weight: Tensor, options: EmbeddingBagOptions): EmbeddingBagMode {
  checkTensor(FN, 'input', input);
  if (input.dtype !== 'int32') throw new DTypeError(`${FN}(): input must be an int32 tensor of indices (got dtype ${input.dtype}); convert it with .int()`);
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new ShapeError(`${FN}(): input must be 1-D (with offsets) or 2-D (one bag per row) (got shape [${input.shape.join(', ')}])`);
  }
  checkFloat(FN, weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`${FN}(): weight must be 2-D [numEmbeddings, embeddingDim] (got shape [${weight.shape.join(', ')}])`);
  const mode = options.mode ?? 'mean';
  if (!MODES.includes(mode)) throw new ArgumentError(`${FN}(): mode must be 'sum', 'mean' or 'max' (got ${describe(mode)})`);
  if (options.sparse === true) throw new ArgumentError(`${FN}(): sparse gradients are not supported by Flint; use sparse: false (dense gradients)`);
  if (options.scaleGradByFreq === true && mode === 'max') throw new ArgumentError(`${FN}(): mode 'max' does not support scaleGradByFreq; use 'sum' or 'mean'`);
  const { maxNorm } = options;
  if (maxNorm !== undefined && maxNorm !== null && (typeof maxNorm !== 'number' || !(maxNorm >= 0))) {
    throw new ArgumentError(`${FN}(): maxNorm must be a number >= 0 (got ${describe(maxNorm)})`);
  }
  const psw = options.perSampleWeights;
  if (psw !== undefined && psw !== null) {
    if (mode !== 'sum') throw new ArgumentError(`${FN}(): perSampleWeights is only supported with mode 'sum' (got mode '${mode}')`);
    checkFloat(FN, psw, 'perSampleWeights');
    if (psw.shape.length !== input.ndim || psw.shape.some((s, i) => s !== input.shape[i])) {
      throw new ShapeError(`${FN}(): perSampleWeights must have the shape of input [${input.shape.join(', ')}] (got [${psw.shape.join(', ')}])`);
    }
  }
  return mode;
}

/**
 * The sum, mean or max of the embedding rows of each bag of indices (`F.embedding_bag`), shaped
 * `[bags, embeddingDim]`. A 2-D `input` `[B, N]` is `B` bags of `N` indices; a 1-D `input` is cut
 * into bags at `offsets`. Empty bags give zeros. `perSampleWeights` (with `'sum'`) weighs each
 * index's row; indices equal to `paddingIdx` are left out, and not counted by the mean. The
 * gradient flows to `weight` and to `perSampleWeights` (with `'max'`, to the first maximum of
 * each column, as in PyTorch).
 *
 * @example
 * ```ts
 * const w = randn([10, 3], { requiresGrad: true });
 * const ids = tensor([1, 2, 4, 5, 4, 3, 2, 9], { dtype: 'int32' });
 * const offsets = tensor([0, 4], { dtype: 'int32' });
 * embeddingBag(ids, w, { offsets, mode: 'sum' }).shape;                 // [2, 3]
 * embeddingBag(ids.reshape(2, 4), w, { mode: 'max', paddingIdx: 9 }).shape; // [2, 3]
 * ```
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  const mode = checkOptions(input, weight, options);
  const { starts, bags } = bagStarts(input, options.offsets, options.includeLastOffset === true);
  const [rows, dim] = weight.shape as [number, number];
  const paddingIdx = normalizePaddingIdx(FN, options.paddingIdx, rows);
  const psw = options.perSampleWeights ?? null;
  return scope(() => {
    const idx = boundIndex(FN, input.reshape(-1), rows, 0, false);
    const ids = idx._handle.dataSync() as Int32Array;
    const maxNorm = options.maxNorm;
    if (maxNorm !== undefined && maxNorm !== null) {
      // Every index of input is renormalised, as in PyTorch, padding and indices after the last bag included.
      noGrad(() => embedding(idx, weight, { maxNorm, normType: options.normType ?? 2 }));
    }
    // The entries that take part, in order: their position in input, their index and their bag.
    const pos = new Int32Array(ids.length);
    const keptIds = new Int32Array(ids.length);
    const seg = new Int32Array(ids.length);
    const counts = new Int32Array(bags);
    let kept = 0;
    for (let b = 0; b < bags; b++) {
      const end = b + 1 < starts.length ? starts[b + 1]! : ids.length;
      for (let n = starts[b]!; n < end; n++) {
        const v = ids[n]!;
        if (v === paddingIdx) continue;
        pos[kept] = n;
        keptIds[kept] = v;
        seg[kept++] = b;
        counts[b]!++;
      }
    }
    const device = weight.device;
    if (mode === 'max' && kept > 0) return bagMax(weight, keptIds.subarray(0, kept), seg.subarray(0, kept), counts);
    const every = kept === ids.length; // no padding and no index after the last bag: pos is 0, 1, 2, ...
    let picked = embedding(every ? idx : fromTypedArray(keptIds.subarray(0, kept), [kept], 'int32', device), weight, {
      scaleGradByFreq: options.scaleGradByFreq === true,
    });
    if (psw !== null) {
      const flat = psw.reshape(-1);
      const w = every ? flat : indexSelect(flat, 0, fromTypedArray(pos.subarray(0, kept), [kept], 'int32', device));
      picked = picked.mul(w.reshape(kept, 1));
    }
    const size = bags > 0 ? counts[0]! : 0;
    if (size > 0 && counts.every((c) => c === size)) {
      // Bags of one length, back to back (a 2-D input without padding): a plain reduction, whose backward broadcasts.
      const laid = picked.reshape(bags, size, dim);
      return mode === 'mean' ? laid.mean(1) : laid.sum(1);
    }
    const summed = segmentSum(picked, seg.subarray(0, kept), bags);
    if (mode !== 'mean') return summed;
    return div(summed, fromTypedArray(Float32Array.from(counts, (c) => Math.max(c, 1)), [bags, 1], 'float32', device));
  });
}

/**
 * The max of each bag, column by column: the rows are laid out as `[bags, longest bag, dim]`
 * (unused slots at -Infinity) only to find, outside autograd, which row holds each maximum (the
 * first one, as in PyTorch); the result then takes those `bags * dim` values from `weight`, so
 * the backward is one small scatter. Empty bags give zeros. `ids` and `seg` are the entries in
 * order, at least one.
 */
function bagMax(weight: Tensor, ids: Int32Array, seg: Int32Array, counts: Int32Array): Tensor {
  const bags = counts.length;
  const dim = weight.shape[1]!;
  const longest = counts.reduce((a, c) => Math.max(a, c), 0);
  const slots = new Int32Array(bags * longest); // unused slots read row 0 (there is one) and are masked
  const used = new Uint8Array(bags * longest);
  const filled = new Int32Array(bags);
  for (let k = 0; k < ids.length; k++) {
    const b = seg[k]!;
    const at = b * longest + filled[b]!++;
    slots[at] = ids[k]!;
    used[at] = 1;
  }
  const device = weight.device;
  const rowOfMax = noGrad(() => {
    const slotIds = fromTypedArray(slots, [bags, longest], 'int32', device);
    const laid = embedding(slotIds, weight);
    const masked = ids.length === slots.length ? laid : where(fromTypedArray(used, [bags, longest, 1], 'bool', device), laid, -Infinity);
    return gather(slotIds, 1, argmax(masked, 1)); // [bags, dim]
  });
  const out = take(weight, rowOfMax.mul(dim).add(arange(dim, { dtype: 'int32', device })), 'EmbeddingBagBackward0');
  if (counts.every((c) => c > 0)) return out;
  return where(fromTypedArray(Uint8Array.from(counts, (c) => (c > 0 ? 1 : 0)), [bags, 1], 'bool', device), out, 0);
}
