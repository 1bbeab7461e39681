/**
 * Vocabularies (`torchtext.vocab`): `Vocab` maps tokens to indices and back, with an optional
 * default index for unknown tokens; `buildVocabFromIterator` counts tokens and orders them as
 * torchtext does (by decreasing frequency, ties in code-point order), `vocab` builds one from
 * ordered counts. `save`/`load` write and read a small JSON file.
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ArgumentError, FlintError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { Transform } from '../transforms/transform.js';
import { checkInt, describe } from '../util.js';

/**
 * A token that is not in the vocabulary, looked up with no default index set.
 *
 * @example
 * ```ts
 * try { v.lookupIndices(['zebra']); } catch (e) { if (e instanceof VocabError) v.setDefaultIndex(v.getItem('<unk>')); }
 * ```
 */
export class VocabError extends FlintError {}

/**
 * Compares strings by code point, as Python's `<` on `str` does (JavaScript's `<` compares UTF-16
 * units, which orders characters outside the BMP differently).
 *
 * @example
 * ```ts
 * ['b', '\u{1F600}', '\uFFFD'].sort(compareCodePoints); // ['b', '\uFFFD', '\u{1F600}']
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * A token <-> index map (`torchtext.vocab.Vocab`). Callable as in torchtext: `vocab(tokens)`
 * (also `lookupIndices`) maps tokens to indices; unknown tokens give the default index when one
 * is set, else an error.
 *
 * @example
 * ```ts
 * const v = buildVocabFromIterator([['a', 'b', 'a'], ['c']], { specials: ['<unk>'] });
 * v.setDefaultIndex(v.getItem('<unk>'));
 * v(['a', 'zzz']);               // [1, 0]
 * v.lookupTokens([1, 2]);        // ['a', 'b']
 * ```
 */
export class Vocab extends Transform<readonly string[], number[]> {
  #itos: string[];
  #stoi: Map<string, number>;
  #default: number | null = null;

  constructor(tokens: Iterable<string> = []) {
    super();
    this.#itos = [];
    this.#stoi = new Map();
    for (const t of tokens) this.appendToken(t);
  }

  /** The number of tokens. */
  len(): number {
    return this.#itos.length;
  }
  override get length(): number {
    return this.#itos.length;
  }

  /** Whether `token` is in the vocabulary (`token in vocab`). */
  has(token: string): boolean {
    return this.#stoi.has(token);
  }

  /** The index of `token` (`vocab[token]`): the default index if unknown, or an error when none is set. */
  getItem(token: string): number {
    const i = this.#stoi.get(token);
    if (i !== undefined) return i;
    if (this.#default !== null) return this.#default;
    throw new VocabError(`Vocab.getItem(): token ${describe(token)} is not in the vocabulary and no default index is set; call setDefaultIndex(), e.g. with the index of '<unk>'`);
  }

  /** The indices of `tokens`: what calling the vocabulary does (`vocab(tokens)`). */
  forward(tokens: readonly string[]): number[] {
    return this.lookupIndices(tokens);
  }

  /** The index that unknown tokens map to; null to make them an error. */
  setDefaultIndex(index: number | null): void {
    if (index !== null) checkInt('Vocab.setDefaultIndex()', 'index', index, 0);
    this.#default = index;
  }

  /** The default index, or null. */
  getDefaultIndex(): number | null {
    return this.#default;
  }

  /** Inserts `token` at `index`, shifting the tokens after it. */
  insertToken(token: string, index: number): void {
    if (typeof token !== 'string') throw new ArgumentError(`Vocab.insertToken(): token must be a string (got ${describe(token)})`);
    checkInt('Vocab.insertToken()', 'index', index, 0);
    if (index > this.#itos.length) throw new ArgumentError(`Vocab.insertToken(): index must be in [0, ${this.#itos.length}] (got ${index})`);
    if (this.#stoi.has(token)) throw new ArgumentError(`Vocab.insertToken(): token ${describe(token)} is already in the vocabulary (index ${this.#stoi.get(token)})`);
    this.#itos.splice(index, 0, token);
    for (let i = index; i < this.#itos.length; i++) this.#stoi.set(this.#itos[i]!, i);
  }

  /** Appends `token` at the end. */
  appendToken(token: string): void {
    this.insertToken(token, this.#itos.length);
  }

  /** The token at `index`. */
  lookupToken(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.#itos.length) {
      throw new ArgumentError(`Vocab.lookupToken(): index must be an integer in [0, ${this.#itos.length - 1}] (got ${describe(index)})`);
    }
    return this.#itos[index]!;
  }

  /** The tokens at `indices`. */
  lookupTokens(indices: readonly number[]): string[] {
    return indices.map((i) => this.lookupToken(i));
  }

  /** The indices of `tokens`. */
  lookupIndices(tokens: readonly string[]): number[] {
    if (!Array.isArray(tokens)) throw new ArgumentError(`Vocab.lookupIndices(): tokens must be an array of strings (got ${describe(tokens)})`);
    const stoi = this.#stoi;
    const n = tokens.length;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const j = stoi.get(tokens[i]!);
      out[i] = j === undefined ? this.getItem(tokens[i]!) : j;
    }
    return out;
  }

  /** A copy of the token -> index map. */
  getStoi(): Map<string, number> {
    return new Map(this.#stoi);
  }

  /** A copy of the index -> token list. */
  getItos(): string[] {
    return [...this.#itos];
  }

  /** The tokens, index order (read-only view). */
  get itos(): readonly string[] {
    return this.#itos;
  }

  /** The token -> index map (read-only view). */
  get stoi(): ReadonlyMap<string, number> {
    return this.#stoi;
  }

  /** Writes the vocabulary to a JSON file `{ format, itos, defaultIndex }` (atomically). */
  save(path: string): void {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ format: 'flint-vocab', version: 1, itos: this.#itos, defaultIndex: this.#default }));
    renameSync(tmp, path);
  }

  /** Reads a vocabulary written by {@link Vocab.save}. */
  static load(path: string): Vocab {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new DatasetError(`Vocab.load(): cannot read a vocabulary from ${path} (${(e as Error).message})`);
    }
    const obj = raw as { format?: unknown; itos?: unknown; defaultIndex?: unknown };
    if (obj?.format !== 'flint-vocab' || !Array.isArray(obj.itos) || obj.itos.some((t) => typeof t !== 'string')) {
      throw new DatasetError(`Vocab.load(): ${path} is not a vocabulary written by Vocab.save() (expected { format: 'flint-vocab', itos: string[] })`);
    }
    const v = new Vocab(obj.itos as string[]);
    if (obj.defaultIndex !== null && obj.defaultIndex !== undefined) v.setDefaultIndex(obj.defaultIndex as number);
    return v;
  }
}

/** Options of {@link vocab} and {@link buildVocabFromIterator}. */
export interface VocabOptions {
  /** Keep tokens seen at least this often (default 1). */
  minFreq?: number;
  /** Tokens added whatever their counts (`'<unk>'`, `'<pad>'`...). */
  specials?: readonly string[];
  /** Specials at the start (default true) or at the end. */
  specialFirst?: boolean;
}

/** Options of {@link buildVocabFromIterator}. */
export interface BuildVocabOptions extends VocabOptions {
  /** At most this many tokens, specials included (the most frequent kept). */
  maxTokens?: number;
}

/**
 * A vocabulary from ordered `[token, count]` pairs (`torchtext.vocab.vocab`): tokens in the
 * given order, those counted fewer than `minFreq` times dropped, `specials` first or last.
 *
 * @example
 * ```ts
 * const v = vocab(new Map([['the', 10], ['cat', 2], ['rare', 1]]), { minFreq: 2, specials: ['<unk>'] });
 * v.getItos(); // ['<unk>', 'the', 'cat']
 * ```
 */
export function vocab(orderedDict: Iterable<readonly [string, number]>, options: VocabOptions = {}): Vocab {
  const fn = 'vocab()';
  const minFreq = checkInt(fn, 'minFreq', options.minFreq ?? 1, 1);
  const specials = options.specials ?? [];
  if (!Array.isArray(specials) || specials.some((s) => typeof s !== 'string')) {
    throw new ArgumentError(`${fn}: specials must be an array of strings (got ${describe(specials)})`);
  }
  const specialSet = new Set(specials);
  const tokens: string[] = [];
  for (const [token, count] of orderedDict) {
    if (specialSet.has(token)) continue;
    if (count >= minFreq) tokens.push(token);
  }
  return new Vocab(options.specialFirst ?? true ? [...specials, ...tokens] : [...tokens, ...specials]);
}

/**
 * Counts the tokens of an iterator of token lists and builds a {@link Vocab}
 * (`torchtext.vocab.build_vocab_from_iterator`): tokens by decreasing count, ties in code-point
 * order, at most `maxTokens` (specials included).
 *
 * @example
 * ```ts
 * const tokenizer = getTokenizer('basic_english');
 * const v = buildVocabFromIterator(lines.map(tokenizer), { minFreq: 2, specials: ['<unk>', '<pad>'], maxTokens: 20000 });
 * v.setDefaultIndex(v.getItem('<unk>'));
 * ```
 */
export function buildVocabFromIterator(iterator: Iterable<Iterable<string>>, options: BuildVocabOptions = {}): Vocab {
  const fn = 'buildVocabFromIterator()';
  if (iterator === null || typeof iterator !== 'object' || typeof (iterator as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new ArgumentError(`${fn}: iterator must be an iterable of token lists (got ${describe(iterator)})`);
  }
  const specials = options.specials ?? [];
  const counts = new Map<string, number>();
  for (const tokens of iterator) {
    if (typeof tokens === 'string') throw new ArgumentError(`${fn}: iterator must yield token lists, not strings (got ${describe(tokens)}); tokenize each line first`);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  let sorted = [...counts].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  if (options.maxTokens !== undefined) {
    const maxTokens = checkInt(fn, 'maxTokens', options.maxTokens, specials.length + 1);
    const specialSet = new Set(specials);
    sorted = sorted.filter(([t]) => !specialSet.has(t)).slice(0, maxTokens - specials.length);
  }
  return vocab(sorted, options);
}
