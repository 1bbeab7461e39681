/**
 * The functions behind the transforms (`torchtext.functional`): `toTensor`, `truncate`,
 * `addToken`. Each works on one sequence or on a batch (a list of sequences).
 * @module
 */
import { ArgumentError, nn, tensor, type DType, type Tensor } from '@flint/core';
import { checkInt, describe } from '../util.js';

/** A sequence of ids or tokens, or a batch of them. */
export type Sequences<T> = T[] | T[][];

const isBatch = <T>(x: Sequences<T>): x is T[][] => x.length > 0 && Array.isArray(x[0]);

function checkList(fn: string, input: unknown): void {
  if (!Array.isArray(input)) throw new ArgumentError(`${fn}: input must be a list of tokens or ids, or a list of such lists (got ${describe(input)})`);
}

/** Options of {@link toTensor}. */
export interface ToTensorOptions {
  /** Pad the sequences of a batch to the longest with this value (required for ragged batches). */
  paddingValue?: number | null;
  /** `'int32'` (default) or `'float32'`. */
  dtype?: DType;
}

/**
 * A sequence of ids as a 1-D tensor, or a batch as a 2-D tensor `[batch, maxLen]` padded with
 * `paddingValue` (`torchtext.functional.to_tensor`; int32, as flint has no int64).
 *
 * @example
 * ```ts
 * toTensor([[1, 2, 3], [4]], { paddingValue: 0 }).tolist(); // [[1, 2, 3], [4, 0, 0]]
 * ```
 */
export function toTensor(input: Sequences<number>, options: ToTensorOptions = {}): Tensor {
  const fn = 'toTensor()';
  checkList(fn, input);
  const dtype = options.dtype ?? 'int32';
  if (!isBatch(input)) return tensor(input as number[], { dtype });
  const lengths = input.map((s) => s.length);
  const maxLen = Math.max(...lengths);
  const pad = options.paddingValue ?? null;
  if (pad === null) {
    if (lengths.some((l) => l !== maxLen)) {
      throw new ArgumentError(`${fn}: the sequences have different lengths (${lengths.slice(0, 8).join(', ')}${lengths.length > 8 ? ', ...' : ''}); pass paddingValue to pad them`);
    }
    return tensor(input, { dtype });
  }
  return tensor(input.map((s) => (s.length === maxLen ? s : [...s, ...new Array<number>(maxLen - s.length).fill(pad)])), { dtype });
}

/**
 * Cuts a sequence (or each sequence of a batch) to at most `maxSeqLen` items
 * (`torchtext.functional.truncate`).
 *
 * @example
 * ```ts
 * truncate([[1, 2, 3], [4]], 2); // [[1, 2], [4]]
 * ```
 */
export function truncate<T>(input: Sequences<T>, maxSeqLen: number): Sequences<T> {
  checkList('truncate()', input);
  checkInt('truncate()', 'maxSeqLen', maxSeqLen, 0);
  return isBatch(input) ? input.map((s) => s.slice(0, maxSeqLen)) : (input as T[]).slice(0, maxSeqLen);
}

/**
 * Adds `token` at the beginning (`begin: true`) or the end of a sequence or of each sequence of
 * a batch (`torchtext.functional.add_token`).
 *
 * @example
 * ```ts
 * addToken([[5, 6], [7]], 1, true); // [[1, 5, 6], [1, 7]]
 * ```
 */
export function addToken<T>(input: Sequences<T>, token: T, begin: boolean): Sequences<T> {
  checkList('addToken()', input);
  const add = (s: T[]): T[] => (begin ? [token, ...s] : [...s, token]);
  return isBatch(input) ? input.map(add) : add(input as T[]);
}

/**
 * Pads the last dimension of `input` with `padValue` up to `maxLength` (unchanged if it is
 * already that long) (`torchtext.transforms.PadTransform`).
 *
 * @example
 * ```ts
 * padTo(tensor([[1, 2]], { dtype: 'int32' }), 4, 0).tolist(); // [[1, 2, 0, 0]]
 * ```
 */
export function padTo(input: Tensor, maxLength: number, padValue: number): Tensor {
  checkInt('padTo()', 'maxLength', maxLength, 0);
  const n = input.shape[input.ndim - 1] ?? 0;
  if (n >= maxLength) return input;
  return nn.functional.pad(input, [0, maxLength - n], { value: padValue });
}
