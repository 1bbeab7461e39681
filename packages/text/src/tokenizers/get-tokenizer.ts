/**
 * Word-level tokenizers (`torchtext.data.utils.get_tokenizer`): `'basic_english'`, `'wink'`
 * (wink-tokenizer, with its tags), whitespace, regular expressions and user functions.
 * @module
 */
/// <reference path="../wink-tokenizer.d.ts" />
import winkTokenizer from 'wink-tokenizer';
import { ArgumentError } from '@flint/core';
import { describe } from '../util.js';
import { basicEnglishNormalize } from './basic-english.js';

/** A function from a line of text to its tokens. */
export type Tokenizer = (text: string) => string[];

/** A token of {@link WinkTokenizer.tokenizeWithTags}: its text and wink's tag (`'word'`, `'number'`, `'url'`, `'emoji'`...). */
export interface TaggedToken {
  value: string;
  tag: string;
}

function checkText(fn: string, text: unknown): string {
  if (typeof text !== 'string') throw new ArgumentError(`${fn}: text must be a string (got ${describe(text)})`);
  return text;
}

/**
 * Splits on runs of whitespace, as Python's `str.split()` with no argument does (torchtext's
 * tokenizer when `get_tokenizer(None)`).
 *
 * @example
 * ```ts
 * whitespaceTokenize('  a  b\tc\n'); // ['a', 'b', 'c']
 * ```
 */
export function whitespaceTokenize(text: string): string[] {
  return checkText('whitespaceTokenize()', text).split(/\s+/).filter((t) => t.length > 0);
}

/**
 * English tokenization by wink-tokenizer: words, numbers, punctuation, URLs, emails, mentions,
 * hashtags, emoji, contractions split (`can't` -> `ca`, `n't`), each with a tag.
 *
 * @example
 * ```ts
 * const wink = new WinkTokenizer();
 * wink.tokenize('Mail me@x.org :)');          // ['Mail', 'me@x.org', ':)']
 * wink.tokenizeWithTags('Mail me@x.org :)');  // [{ value: 'Mail', tag: 'word' }, { value: 'me@x.org', tag: 'email' }, { value: ':)', tag: 'emoticon' }]
 * ```
 */
export class WinkTokenizer {
  readonly #wink = winkTokenizer();

  /** The tokens of `text`. */
  tokenize(text: string): string[] {
    return this.#wink.tokenize(checkText('WinkTokenizer.tokenize()', text)).map((t) => t.value);
  }

  /** The tokens of `text` with wink's tags. */
  tokenizeWithTags(text: string): TaggedToken[] {
    return this.#wink.tokenize(checkText('WinkTokenizer.tokenizeWithTags()', text)).map((t) => ({ value: t.value, tag: t.tag }));
  }
}

/**
 * Replaces each `[pattern, replacement]` in order, then splits on spaces
 * (`torchtext.transforms.RegexTokenizer`).
 *
 * @example
 * ```ts
 * const tok = new RegexTokenizer([[/\s+/g, ' '], [/[^a-z ]/gi, '']]);
 * tok.tokenize('Hello,   World!'); // ['Hello', 'World']
 * ```
 */
export class RegexTokenizer {
  readonly patternsList: readonly [RegExp, string][];
  constructor(patternsList: readonly (readonly [RegExp | string, string])[]) {
    if (!Array.isArray(patternsList)) {
      throw new ArgumentError(`RegexTokenizer(): patternsList must be an array of [pattern, replacement] pairs (got ${describe(patternsList)})`);
    }
    this.patternsList = patternsList.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'string' || !(pair[0] instanceof RegExp || typeof pair[0] === 'string')) {
        throw new ArgumentError(`RegexTokenizer(): patternsList[${i}] must be a [RegExp | string, string] pair (got ${describe(pair)})`);
      }
      const re = pair[0] instanceof RegExp ? new RegExp(pair[0].source, pair[0].flags.includes('g') ? pair[0].flags : pair[0].flags + 'g') : new RegExp(pair[0], 'g');
      return [re, pair[1]] as [RegExp, string];
    });
  }

  /** The tokens of `text`. */
  tokenize(text: string): string[] {
    let s = checkText('RegexTokenizer.tokenize()', text);
    for (const [re, rep] of this.patternsList) s = s.replace(re, rep);
    return s.split(' ').filter((t) => t.length > 0);
  }
}

/** What {@link getTokenizer} accepts. */
export type TokenizerSpec = 'basic_english' | 'wink' | 'whitespace' | null | RegExp | Tokenizer;

/**
 * A tokenizer function by name (`torchtext.data.utils.get_tokenizer`):
 * - `'basic_english'`: torchtext's normalisation ({@link basicEnglishNormalize});
 * - `'wink'`: wink-tokenizer's tokens ({@link WinkTokenizer});
 * - `'whitespace'` or `null`: split on whitespace, as torchtext does for `None`;
 * - a `RegExp`: the tokens are its matches (`/\w+/g`);
 * - a function: returned as it is.
 *
 * @example
 * ```ts
 * const tokenizer = getTokenizer('basic_english');
 * tokenizer('You can now install TorchText using pip!');
 * // ['you', 'can', 'now', 'install', 'torchtext', 'using', 'pip', '!']
 * getTokenizer(/[a-z]+/gi)('a1b2'); // ['a', 'b']
 * ```
 */
export function getTokenizer(tokenizer: TokenizerSpec): Tokenizer {
  if (tokenizer === null || tokenizer === 'whitespace') return whitespaceTokenize;
  if (tokenizer === 'basic_english') return basicEnglishNormalize;
  if (tokenizer === 'wink') {
    const wink = new WinkTokenizer();
    return (text) => wink.tokenize(text);
  }
  if (tokenizer instanceof RegExp) {
    const re = new RegExp(tokenizer.source, tokenizer.flags.includes('g') ? tokenizer.flags : tokenizer.flags + 'g');
    return (text) => Array.from(checkText('getTokenizer(RegExp)', text).matchAll(re), (m) => m[0]).filter((t) => t.length > 0);
  }
  if (typeof tokenizer === 'function') return tokenizer;
  throw new ArgumentError(
    `getTokenizer(): tokenizer must be 'basic_english', 'wink', 'whitespace', null, a RegExp or a function (got ${describe(tokenizer)}); ` +
      `spaCy, Moses and the other Python tokenizers are not available, pass your own function`,
  );
}
