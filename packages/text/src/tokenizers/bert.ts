/**
 * BERT's WordPiece tokenizer (`torchtext.transforms.BERTTokenizer`, Google's
 * `tokenization.py`): a basic pass (clean control characters, space out CJK characters,
 * lowercase and strip accents for uncased vocabularies, split punctuation) then greedy
 * longest-match-first WordPiece over a `vocab.txt` (one token per line, `##` marking pieces
 * that continue a word).
 * @module
 */
import { readFileSync } from 'node:fs';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';

/** Options of {@link BERTTokenizer}. */
export interface BERTTokenizerOptions {
  /** Lowercase (and strip accents) first, for uncased vocabularies (default true). */
  doLowerCase?: boolean;
  /** Strip accents (default: as `doLowerCase`). */
  stripAccents?: boolean;
  /** The token for words the vocabulary cannot spell (default `'[UNK]'`). */
  unkToken?: string;
  /** Longer words become `unkToken` (default 100). */
  maxInputCharsPerWord?: number;
  /** Tokens kept whole, never lowercased or split (default the `[CLS]`-style tokens of the vocabulary). */
  neverSplit?: readonly string[];
}

const isControl = (ch: string): boolean => ch !== '\t' && ch !== '\n' && ch !== '\r' && /[\p{Cc}\p{Cf}]/u.test(ch);
const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /\p{Zs}/u.test(ch);
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}
function isCJK(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/**
 * A WordPiece tokenizer over a BERT vocabulary.
 *
 * @example
 * ```ts
 * const bert = BERTTokenizer.fromFile('bert-base-uncased-vocab.txt');
 * bert.tokenize('I like strawberries');  // ['i', 'like', 'straw', '##berries']
 * bert.encode('I like strawberries');    // [1045, 2066, 13137, 20968]
 * bert.decode([1045, 2066, 13137, 20968]); // 'i like strawberries'
 * ```
 */
export class BERTTokenizer {
  /** Token -> id. */
  readonly vocab: ReadonlyMap<string, number>;
  /** Id -> token. */
  readonly itos: readonly string[];
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean;
  readonly unkToken: string;
  readonly maxInputCharsPerWord: number;
  readonly neverSplit: ReadonlySet<string>;

  constructor(vocab: readonly string[], options: BERTTokenizerOptions = {}) {
    if (!Array.isArray(vocab) || vocab.length === 0 || vocab.some((t) => typeof t !== 'string')) {
      throw new ArgumentError(`BERTTokenizer(): vocab must be a non-empty array of token strings, one per id (got ${describe(vocab)})`);
    }
    this.itos = [...vocab];
    const map = new Map<string, number>();
    vocab.forEach((t, i) => {
      if (!map.has(t)) map.set(t, i);
    });
    this.vocab = map;
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? this.doLowerCase;
    this.unkToken = options.unkToken ?? '[UNK]';
    if (!map.has(this.unkToken)) throw new ArgumentError(`BERTTokenizer(): unkToken ${describe(this.unkToken)} is not in the vocabulary`);
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.neverSplit = new Set(options.neverSplit ?? vocab.filter((t) => /^\[[A-Z]+\]$/.test(t)));
  }

  /** Reads a `vocab.txt` (one token per line; the line number is the id). */
  static fromFile(path: string, options: BERTTokenizerOptions = {}): BERTTokenizer {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new DatasetError(`BERTTokenizer.fromFile(): cannot read the vocabulary file ${path} (${(e as Error).message})`);
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return new BERTTokenizer(lines.map((l) => l.replace(/\r$/, '')), options);
  }

  /** The basic pass: words and punctuation marks, before WordPiece. */
  basicTokenize(text: string): string[] {
    if (typeof text !== 'string') throw new ArgumentError(`BERTTokenizer.basicTokenize(): text must be a string (got ${describe(text)})`);
    let clean = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      clean += isWhitespace(ch) ? ' ' : isCJK(cp) ? ` ${ch} ` : ch;
    }
    const out: string[] = [];
    for (let word of clean.split(' ')) {
      if (word === '') continue;
      if (this.neverSplit.has(word)) {
        out.push(word);
        continue;
      }
      if (this.doLowerCase) word = word.toLowerCase();
      if (this.stripAccents) word = word.normalize('NFD').replace(/\p{Mn}/gu, '');
      let cur = '';
      for (const ch of word) {
        if (isPunctuation(ch)) {
          if (cur !== '') out.push(cur);
          out.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur !== '') out.push(cur);
    }
    return out;
  }

  /** WordPiece on one word: greedy longest match first; `unkToken` if it cannot be spelled. */
  wordpiece(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > this.maxInputCharsPerWord) return [this.unkToken];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === null) return [this.unkToken];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /** The WordPiece tokens of `text`. */
  tokenize(text: string): string[] {
    return this.basicTokenize(text).flatMap((w) => (this.neverSplit.has(w) ? [w] : this.wordpiece(w)));
  }

  /** The token ids of `text`. */
  encode(text: string): number[] {
    return this.tokenize(text).map((t) => this.vocab.get(t)!);
  }

  /** The text of `ids`: tokens joined by spaces, `##` pieces glued to the word before. */
  decode(ids: readonly number[]): string {
    const tokens = ids.map((id, i) => {
      const t = this.itos[id];
      if (t === undefined) throw new ArgumentError(`BERTTokenizer.decode(): ids[${i}] (${id}) is not an id of the vocabulary (0..${this.itos.length - 1})`);
      return t;
    });
    return tokens.join(' ').replace(/ ##/g, '');
  }
}
