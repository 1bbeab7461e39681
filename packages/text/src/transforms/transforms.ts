/**
 * The text transforms (`torchtext.transforms`): `VocabTransform`, `Truncate`, `AddToken`,
 * `ToTensor`, `PadTransform`, `LabelToIndex`. Each stores and checks its parameters and calls
 * the function of the same job in `functional`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { ArgumentError, type DType, type Tensor } from '@flint/core';
import { DatasetError } from '../errors.js';
import { checkInt, describe } from '../util.js';
import type { Vocab } from '../vocab/vocab.js';
import { addToken, padTo, toTensor, truncate, type Sequences } from './functional.js';
import { Transform } from './transform.js';

/**
 * Tokens to indices through a {@link Vocab}, for one sequence or a batch
 * (`torchtext.transforms.VocabTransform`).
 *
 * @example
 * ```ts
 * new VocabTransform(v)([['hello', 'world'], ['hi']]); // [[12, 40], [7]]
 * ```
 */
export class VocabTransform extends Transform<Sequences<string>, Sequences<number>> {
  constructor(readonly vocab: Vocab) {
    super();
    if (vocab === null || (typeof vocab !== 'object' && typeof vocab !== 'function') || typeof (vocab as Vocab).lookupIndices !== 'function') {
      throw new ArgumentError(`VocabTransform(): vocab must be a Vocab (got ${describe(vocab)})`);
    }
  }
  forward(input: Sequences<string>): Sequences<number> {
    if (!Array.isArray(input)) throw new ArgumentError(`VocabTransform: input must be a list of tokens or a list of such lists (got ${describe(input)})`);
    return input.length > 0 && Array.isArray(input[0]) ? (input as string[][]).map((s) => this.vocab.lookupIndices(s)) : this.vocab.lookupIndices(input as string[]);
  }
}

/**
 * Cuts sequences to `maxSeqLen` items (`torchtext.transforms.Truncate`).
 *
 * @example
 * ```ts
 * new Truncate(2)([1, 2, 3]); // [1, 2]
 * ```
 */
export class Truncate<T = number> extends Transform<Sequences<T>, Sequences<T>> {
  readonly maxSeqLen: number;
  constructor(maxSeqLen: number) {
    super();
    this.maxSeqLen = checkInt('Truncate()', 'maxSeqLen', maxSeqLen, 0);
  }
  forward(input: Sequences<T>): Sequences<T> {
    return truncate(input, this.maxSeqLen);
  }
}

/** Options of {@link AddToken}. */
export interface AddTokenOptions {
  /** At the beginning (default true) or at the end. */
  begin?: boolean;
}

/**
 * Adds a token (an id or a string) at the beginning or the end of sequences
 * (`torchtext.transforms.AddToken`).
 *
 * @example
 * ```ts
 * new AddToken(2, { begin: false })([[5], [6, 7]]); // [[5, 2], [6, 7, 2]]
 * ```
 */
export class AddToken<T extends number | string = number> extends Transform<Sequences<T>, Sequences<T>> {
  readonly begin: boolean;
  constructor(readonly token: T, options: AddTokenOptions = {}) {
    super();
    if (typeof token !== 'number' && typeof token !== 'string') throw new ArgumentError(`AddToken(): token must be a number or a string (got ${describe(token)})`);
    this.begin = options.begin ?? true;
  }
  forward(input: Sequences<T>): Sequences<T> {
    return addToken(input, this.token, this.begin);
  }
}

/**
 * Ids to a tensor; a batch is padded with `paddingValue` to `[batch, maxLen]`
 * (`torchtext.transforms.ToTensor`).
 *
 * @example
 * ```ts
 * new ToTensor({ paddingValue: 1 })([[5, 6, 7], [8]]).tolist(); // [[5, 6, 7], [8, 1, 1]]
 * ```
 */
export class ToTensor extends Transform<Sequences<number>, Tensor> {
  readonly paddingValue: number | null;
  readonly dtype: DType;
  constructor(options: { paddingValue?: number | null; dtype?: DType } = {}) {
    super();
    this.paddingValue = options.paddingValue ?? null;
    this.dtype = options.dtype ?? 'int32';
  }
  forward(input: Sequences<number>): Tensor {
    return toTensor(input, { paddingValue: this.paddingValue, dtype: this.dtype });
  }
}

/**
 * Pads the last dimension of a tensor to `maxLength` with `padValue`
 * (`torchtext.transforms.PadTransform`).
 *
 * @example
 * ```ts
 * new PadTransform(5, 0)(tensor([1, 2], { dtype: 'int32' })).tolist(); // [1, 2, 0, 0, 0]
 * ```
 */
export class PadTransform extends Transform<Tensor, Tensor> {
  readonly maxLength: number;
  constructor(maxLength: number, readonly padValue: number) {
    super();
    this.maxLength = checkInt('PadTransform()', 'maxLength', maxLength, 1);
    if (typeof padValue !== 'number') throw new ArgumentError(`PadTransform(): padValue must be a number (got ${describe(padValue)})`);
  }
  forward(input: Tensor): Tensor {
    return padTo(input, this.maxLength, this.padValue);
  }
}

/** Options of {@link LabelToIndex}: the names, or a file of one name per line. */
export interface LabelToIndexOptions {
  labelNames?: readonly string[];
  labelPath?: string;
  /** Sort the names first (default false). */
  sortNames?: boolean;
}

/**
 * Label names to indices, for one label or a list (`torchtext.transforms.LabelToIndex`).
 *
 * @example
 * ```ts
 * const toIndex = new LabelToIndex({ labelNames: ['ham', 'spam'] });
 * toIndex('spam');            // 1
 * toIndex(['spam', 'ham']);   // [1, 0]
 * ```
 */
export class LabelToIndex extends Transform<string | string[], number | number[]> {
  readonly labelNames: readonly string[];
  readonly #index: Map<string, number>;
  constructor(options: LabelToIndexOptions) {
    super();
    const fn = 'LabelToIndex()';
    const { labelNames, labelPath } = options ?? {};
    if ((labelNames === undefined) === (labelPath === undefined)) throw new ArgumentError(`${fn}: pass exactly one of labelNames and labelPath (got ${describe(options)})`);
    let names: string[];
    if (labelPath !== undefined) {
      try {
        names = readFileSync(labelPath, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
      } catch (e) {
        throw new DatasetError(`${fn}: cannot read labelPath ${labelPath} (${(e as Error).message})`);
      }
    } else names = [...labelNames!];
    if (options.sortNames) names.sort();
    if (new Set(names).size !== names.length) throw new ArgumentError(`${fn}: label names must be unique (got ${describe(names)})`);
    this.labelNames = names;
    this.#index = new Map(names.map((n, i) => [n, i]));
  }
  forward(input: string | string[]): number | number[] {
    const one = (l: string): number => {
      const i = this.#index.get(l);
      if (i === undefined) throw new ArgumentError(`LabelToIndex: unknown label ${describe(l)} (the labels are ${describe(this.labelNames)})`);
      return i;
    };
    return Array.isArray(input) ? input.map(one) : one(input);
  }
}
