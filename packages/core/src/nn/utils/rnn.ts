/**
 * Variable-length sequences for the recurrent layers (`torch.nn.utils.rnn`): `padSequence`,
 * `packPaddedSequence`, `packSequence`, `padPackedSequence` and the `PackedSequence` they pass
 * around. A packed sequence stores the steps of a batch of sequences sorted by decreasing length,
 * time-major: `data` holds, for each time step t, the `batchSizes[t]` sequences still running at
 * t, so that `RNN`, `LSTM` and `GRU` never run a step on padding.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { cat, stack } from '../../ops/shape.js';
import { tensor } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { pad } from '../functional/padding.js';

/**
 * A batch of sequences packed for `RNN`, `LSTM` and `GRU` (`torch.nn.utils.rnn.PackedSequence`).
 * A plain object, so that `scope()` keeps the `data` of a packed sequence that it returns.
 *
 * - `data`: `[sum(batchSizes), *]`, the steps of every sequence, time-major, longest first.
 * - `batchSizes`: how many sequences run at each time step (non-increasing).
 * - `sortedIndices`: `sortedIndices[i]` is the original batch index of the i-th longest sequence
 *   (null when the batch was already sorted).
 * - `unsortedIndices`: the inverse permutation (null when sorted).
 *
 * @example
 * ```ts
 * const packed = packSequence([randn([3, 2]), randn([1, 2])]);
 * packed.batchSizes; // [2, 1, 1]
 * packed.data.shape; // [4, 2]
 * ```
 */
export interface PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: readonly number[];
  readonly sortedIndices: readonly number[] | null;
  readonly unsortedIndices: readonly number[] | null;
}

/**
 * Whether `value` is a {@link PackedSequence}.
 *
 * @example
 * ```ts
 * isPackedSequence(packSequence([ones([2, 1])])); // true
 * isPackedSequence(ones([2, 1]));                 // false
 * ```
 */
export function isPackedSequence(value: unknown): value is PackedSequence {
  if (typeof value !== 'object' || value === null || value instanceof Tensor) return false;
  const v = value as Partial<PackedSequence>;
  return v.data instanceof Tensor && Array.isArray(v.batchSizes);
}

/** Options of {@link padSequence}. */
export interface PadSequenceOptions {
  /** Output `[batch, maxLen, *]` instead of `[maxLen, batch, *]` (default false). */
  batchFirst?: boolean;
  /** The value of the padded steps (default 0). */
  paddingValue?: number;
}

function checkSequences(fn: string, sequences: unknown): Tensor[] {
  if (!Array.isArray(sequences) || sequences.length === 0) {
    throw new ArgumentError(`${fn}: sequences must be a non-empty array of Tensors (got ${describe(sequences)})`);
  }
  const list = sequences as unknown[];
  list.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new ArgumentError(`${fn}: sequences[${i}] must be a Tensor (got ${describe(s)})`);
    if (s.ndim < 1) throw new ShapeError(`${fn}: sequences[${i}] must have at least 1 dimension [length, *] (got a 0-d tensor)`);
  });
  const ts = list as Tensor[];
  const trailing = ts[0]!.shape.slice(1);
  ts.forEach((s, i) => {
    const rest = s.shape.slice(1);
    if (rest.length !== trailing.length || rest.some((d, j) => d !== trailing[j])) {
      throw new ShapeError(
        `${fn}: every sequence must have the trailing shape of sequences[0], [${trailing.join(', ')}] (got sequences[${i}] of shape [${s.shape.join(', ')}])`,
      );
    }
    if (s.dtype !== ts[0]!.dtype) throw new ArgumentError(`${fn}: every sequence must have dtype ${ts[0]!.dtype} (got sequences[${i}] of dtype ${s.dtype})`);
  });
  return ts;
}

/**
 * Pads a list of variable-length sequences `[L_i, *]` with `paddingValue` to the longest one and
 * stacks them: `[maxLen, batch, *]`, or `[batch, maxLen, *]` with `batchFirst`
 * (`torch.nn.utils.rnn.pad_sequence`). Differentiable.
 *
 * @example
 * ```ts
 * padSequence([tensor([1, 2, 3]), tensor([4])], { batchFirst: true }).tolist();
 * // [[1, 2, 3], [4, 0, 0]]
 * ```
 */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  const fn = 'padSequence()';
  const seqs = checkSequences(fn, sequences);
  const value = options.paddingValue ?? 0;
  if (typeof value !== 'number') throw new ArgumentError(`${fn}: paddingValue must be a number (got ${describe(value)})`);
  const maxLen = Math.max(...seqs.map((s) => s.shape[0]!));
  return scope(() => {
    const padded = seqs.map((s) => {
      const extra = maxLen - s.shape[0]!;
      if (extra === 0) return s;
      // pad() lists pairs from the last dimension: leave the trailing ones, pad the end of dim 0.
      return pad(s, [...new Array<number>(2 * (s.ndim - 1)).fill(0), 0, extra], { value });
    });
    return stack(padded, options.batchFirst ? 0 : 1);
  });
}

/** Options of {@link packPaddedSequence}. */
export interface PackPaddedSequenceOptions {
  /** The input is `[batch, maxLen, *]` instead of `[maxLen, batch, *]` (default false). */
  batchFirst?: boolean;
  /**
   * The sequences are already sorted by decreasing length (default true); with false, they are
   * sorted here and `sortedIndices`/`unsortedIndices` remember the order.
   */
  enforceSorted?: boolean;
}

function toLengths(fn: string, lengths: unknown, batch: number): number[] {
  let ls: unknown[];
  if (lengths instanceof Tensor) {
    if (lengths.ndim !== 1) throw new ShapeError(`${fn}: lengths must be 1-D (got shape [${lengths.shape.join(', ')}])`);
    ls = Array.from(lengths.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(lengths)) ls = lengths;
  else throw new ArgumentError(`${fn}: lengths must be an array of integers or a 1-D Tensor (got ${describe(lengths)})`);
  if (ls.length !== batch) throw new ShapeError(`${fn}: lengths must have one entry per sequence of the batch (${batch}) (got ${ls.length})`);
  ls.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1) {
      throw new ArgumentError(`${fn}: lengths[${i}] must be an integer >= 1 (got ${describe(l)}); drop empty sequences before packing`);
    }
  });
  return ls as number[];
}

/**
 * Packs a padded batch `[maxLen, batch, *]` (or `[batch, maxLen, *]` with `batchFirst`) of
 * sequences of the given lengths into a {@link PackedSequence} for `RNN`, `LSTM` and `GRU`
 * (`torch.nn.utils.rnn.pack_padded_sequence`). With `enforceSorted` (the default) the lengths
 * must be non-increasing; pass `enforceSorted: false` to let it sort them. Differentiable in the
 * input.
 *
 * @example
 * ```ts
 * const padded = padSequence([randn([4, 8]), randn([2, 8]), randn([3, 8])]);
 * const packed = packPaddedSequence(padded, [4, 2, 3], { enforceSorted: false });
 * const [out, [hN, cN]] = new LSTM(8, 16)(packed);
 * const [unpacked, lengths] = padPackedSequence(out); // [4, 3, 16], [4, 2, 3]
 * ```
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, options: PackPaddedSequenceOptions = {}): PackedSequence {
  const fn = 'packPaddedSequence()';
  if (!(input instanceof Tensor)) throw new ArgumentError(`${fn}: input must be a Tensor (got ${describe(input)})`);
  const batchFirst = options.batchFirst ?? false;
  const layout = batchFirst ? '[batch, maxLen, *]' : '[maxLen, batch, *]';
  if (input.ndim < 2) throw new ShapeError(`${fn}: input must be at least 2-D ${layout} (got shape [${input.shape.join(', ')}])`);
  const batch = input.shape[batchFirst ? 0 : 1]!;
  const maxLen = input.shape[batchFirst ? 1 : 0]!;
  const ls = toLengths(fn, lengths, batch);
  let sortedIndices: number[] | null = null;
  let unsortedIndices: number[] | null = null;
  let sorted = ls;
  if (options.enforceSorted ?? true) {
    for (let i = 1; i < ls.length; i++) {
      if (ls[i]! > ls[i - 1]!) {
        throw new ArgumentError(
          `${fn}: with enforceSorted (the default) lengths must be non-increasing (got ${describe([...ls])}); pass { enforceSorted: false } to sort them here`,
        );
      }
    }
  } else {
    sortedIndices = ls.map((_, i) => i).sort((a, b) => ls[b]! - ls[a]! || a - b);
    unsortedIndices = new Array<number>(batch);
    sortedIndices.forEach((s, i) => (unsortedIndices![s] = i));
    sorted = sortedIndices.map((i) => ls[i]!);
  }
  if (sorted[0]! > maxLen) {
    throw new ShapeError(`${fn}: the longest length (${sorted[0]}) exceeds the padded length of input ${layout} (${maxLen})`);
  }
  const batchSizes: number[] = [];
  for (let t = 0; t < sorted[0]!; t++) batchSizes.push(sorted.filter((l) => l > t).length);
  const data = scope(() => {
    let x = batchFirst ? input.transpose(0, 1) : input;
    if (sortedIndices !== null) x = x.indexSelect(1, tensor(sortedIndices, { dtype: 'int32', device: x.device }));
    const steps = batchSizes.map((bs, t) => x.index(t).narrow(0, 0, bs));
    return steps.length === 1 ? steps[0]!.clone() : cat(steps, 0);
  });
  return { data, batchSizes, sortedIndices, unsortedIndices };
}

/** Options of {@link packSequence}. */
export interface PackSequenceOptions {
  /** The sequences are already sorted by decreasing length (default true). */
  enforceSorted?: boolean;
}

/**
 * Packs a list of variable-length sequences `[L_i, *]` (`torch.nn.utils.rnn.pack_sequence`):
 * `packPaddedSequence(padSequence(sequences), lengths)`.
 *
 * @example
 * ```ts
 * const packed = packSequence([tensor([1, 2, 3]), tensor([4, 5]), tensor([6])]);
 * packed.data.tolist(); // [1, 4, 6, 2, 5, 3]
 * packed.batchSizes;    // [3, 2, 1]
 * ```
 */
export function packSequence(sequences: readonly Tensor[], options: PackSequenceOptions = {}): PackedSequence {
  const seqs = checkSequences('packSequence()', sequences);
  const lengths = seqs.map((s) => s.shape[0]!);
  return scope(() => packPaddedSequence(padSequence(seqs), lengths, { enforceSorted: options.enforceSorted ?? true }));
}

/** Options of {@link padPackedSequence}. */
export interface PadPackedSequenceOptions {
  /** Output `[batch, T, *]` instead of `[T, batch, *]` (default false). */
  batchFirst?: boolean;
  /** The value of the padded steps (default 0). */
  paddingValue?: number;
  /** Pad to this length instead of the longest sequence's (at least that long). */
  totalLength?: number;
}

/**
 * Unpacks a {@link PackedSequence} into a padded batch, in the original batch order
 * (`torch.nn.utils.rnn.pad_packed_sequence`). Returns `[padded, lengths]`: `[T, batch, *]`
 * (`[batch, T, *]` with `batchFirst`) and the int32 length of each sequence. Differentiable.
 *
 * @example
 * ```ts
 * const [out] = new GRU(8, 16)(packPaddedSequence(x, [5, 3, 2]));
 * const [padded, lengths] = padPackedSequence(out, { batchFirst: true });
 * padded.shape;      // [3, 5, 16]
 * lengths.tolist();  // [5, 3, 2]
 * ```
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedSequenceOptions = {}): [Tensor, Tensor] {
  const fn = 'padPackedSequence()';
  if (!isPackedSequence(sequence)) throw new ArgumentError(`${fn}: sequence must be a PackedSequence (got ${describe(sequence)})`);
  const { data, batchSizes, unsortedIndices } = sequence;
  const value = options.paddingValue ?? 0;
  if (typeof value !== 'number') throw new ArgumentError(`${fn}: paddingValue must be a number (got ${describe(value)})`);
  const steps = batchSizes.length;
  const total = options.totalLength ?? steps;
  if (!Number.isInteger(total) || total < steps) {
    throw new ArgumentError(`${fn}: totalLength must be an integer >= the longest sequence's length (${steps}) (got ${describe(options.totalLength)})`);
  }
  const batch = batchSizes[0] ?? 0;
  const sum = batchSizes.reduce((a, b) => a + b, 0);
  if (data.ndim < 1 || data.shape[0] !== sum) {
    throw new ShapeError(`${fn}: sequence.data.shape[0] must equal sum(batchSizes) (${sum}) (got shape [${data.shape.join(', ')}])`);
  }
  const lengthsSorted = Array.from({ length: batch }, (_, b) => batchSizes.filter((bs) => bs > b).length);
  const lengths = unsortedIndices === null ? lengthsSorted : unsortedIndices.map((i) => lengthsSorted[i]!);
  const padded = scope(() => {
    const rest = data.shape.slice(1);
    const zeroPairs = new Array<number>(2 * rest.length).fill(0);
    const rows: Tensor[] = [];
    let offset = 0;
    for (let t = 0; t < steps; t++) {
      const bs = batchSizes[t]!;
      const chunk = data.narrow(0, offset, bs);
      offset += bs;
      rows.push(bs === batch ? chunk : pad(chunk, [...zeroPairs, 0, batch - bs], { value }));
    }
    let out = stack(rows, 0); // [T, batch, *], sorted order
    if (total > steps) out = pad(out, [...zeroPairs, 0, 0, 0, total - steps], { value });
    if (unsortedIndices !== null) out = out.indexSelect(1, tensor([...unsortedIndices], { dtype: 'int32', device: out.device }));
    return options.batchFirst ? out.transpose(0, 1) : out;
  });
  // As in PyTorch, the lengths stay on the CPU whatever the data's device.
  return [padded, tensor(lengths, { dtype: 'int32', device: 'cpu' })];
}
