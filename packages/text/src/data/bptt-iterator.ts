/**
 * Language-model batches over one long stream of token ids (legacy torchtext's `BPTTIterator`,
 * the `batchify`/`get_batch` of PyTorch's word language model): the stream is cut into
 * `batchSize` columns, and each step yields `bpttLen` rows of input and the same rows shifted by
 * one token as the target.
 * @module
 */
import { ArgumentError, Tensor, scope, tensor } from '@flint/core';
import { checkInt, describe } from '../util.js';

/** Options of {@link BPTTIterator}. */
export interface BPTTIteratorOptions {
  /** Columns of the stream, each a contiguous part of it. */
  batchSize: number;
  /** Rows (time steps) per batch; the last batch may be shorter. */
  bpttLen: number;
}

/** One language-model batch: `data[t, b]` is followed in the stream by `target[t, b]`. */
export interface BPTTBatch {
  /** `[seqLen, batchSize]` int32 ids. */
  data: Tensor;
  /** `[seqLen, batchSize]` int32 ids, one step later. */
  target: Tensor;
}

/**
 * Iterates `{ data, target }` batches of `[bpttLen, batchSize]` over a stream of ids. The
 * trailing ids that do not fill a column are dropped, as `batchify` does. The tensors are new on
 * each step: dispose them or run the step in a `scope`.
 *
 * @example
 * ```ts
 * const ids = vocab.lookupIndices(tokenizer(text));
 * for (const { data, target } of new BPTTIterator(ids, { batchSize: 20, bpttLen: 35 })) {
 *   scope(() => { const out = model(data); ... });
 * }
 * ```
 */
export class BPTTIterator implements Iterable<BPTTBatch> {
  readonly batchSize: number;
  readonly bpttLen: number;
  /** Rows of the batchified stream. */
  readonly numRows: number;
  /** The stream as `[numRows, batchSize]`, row-major. */
  readonly #grid: Int32Array;

  constructor(ids: ArrayLike<number> | Tensor, options: BPTTIteratorOptions) {
    const fn = 'BPTTIterator()';
    this.batchSize = checkInt(fn, 'batchSize', options?.batchSize, 1);
    this.bpttLen = checkInt(fn, 'bpttLen', options?.bpttLen, 1);
    let stream: ArrayLike<number>;
    if (ids instanceof Tensor) {
      if (ids.ndim !== 1) throw new ArgumentError(`${fn}: ids must be a 1-D tensor or an array of ids (got ${describe(ids)})`);
      stream = ids.dataSync() as ArrayLike<number>;
    } else if (ids !== null && typeof ids === 'object' && typeof ids.length === 'number') stream = ids;
    else throw new ArgumentError(`${fn}: ids must be a 1-D tensor or an array of ids (got ${describe(ids)})`);
    this.numRows = Math.floor(stream.length / this.batchSize);
    if (this.numRows < 2) {
      throw new ArgumentError(`${fn}: the stream (${stream.length} ids) must give at least 2 rows of batchSize (${this.batchSize}) ids, so that there is a target`);
    }
    // Column b holds stream[b * numRows, (b + 1) * numRows): grid[r, b] = stream[b * numRows + r].
    const grid = new Int32Array(this.numRows * this.batchSize);
    for (let b = 0; b < this.batchSize; b++) for (let r = 0; r < this.numRows; r++) grid[r * this.batchSize + b] = stream[b * this.numRows + r]!;
    this.#grid = grid;
  }

  /** The number of batches per pass. */
  len(): number {
    return Math.ceil((this.numRows - 1) / this.bpttLen);
  }
  get length(): number {
    return this.len();
  }

  *[Symbol.iterator](): Iterator<BPTTBatch> {
    const B = this.batchSize;
    for (let i = 0; i < this.numRows - 1; i += this.bpttLen) {
      const seqLen = Math.min(this.bpttLen, this.numRows - 1 - i);
      const rows = (from: number): Tensor => scope(() => tensor(this.#grid.subarray(from * B, (from + seqLen) * B), { dtype: 'int32' }).reshape([seqLen, B]));
      yield { data: rows(i), target: rows(i + 1) };
    }
  }
}
