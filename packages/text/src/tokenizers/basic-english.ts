/**
 * torchtext's `basic_english` normalisation (`torchtext.data.utils._basic_english_normalize`),
 * rule for rule: lowercase, then in order: `'` -> ` '  `, drop `"`, `.` -> ` . `, `<br />` -> ` `,
 * `,` -> ` , `, `(` -> ` ( `, `)` -> ` ) `, `!` -> ` ! `, `?` -> ` ? `, `;` -> ` `, `:` -> ` `,
 * runs of whitespace -> ` `, then Python's `str.split()`. "Whitespace" is Python's (which, unlike
 * JavaScript's `\s`, includes U+001C..U+001F and U+0085 and excludes U+FEFF), so that the tokens
 * are exactly torchtext's.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { describe } from '../util.js';

/** Python's `str.isspace()` characters, which both `re`'s `\s` and `str.split()` use. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * The rules after the quote removal in one pass. Equivalent to applying them in torchtext's
 * order: none of their replacements contains a character another rule matches, and `<br />`
 * shares no character with the rules before it; only removing `"` (rule 2) can make a `<br />`
 * (from `<br "/>`), so quotes go first. The final `\s+` -> ` ` is folded into the split.
 */
const ONE_PASS = /<br \/>|['.,()!?;:]/g;
const REPLACEMENT: Readonly<Record<string, string>> = {
  "'": " '  ", '.': ' . ', '<br />': ' ', ',': ' , ', '(': ' ( ', ')': ' ) ', '!': ' ! ', '?': ' ? ', ';': ' ', ':': ' ',
};
const replace = (m: string): string => REPLACEMENT[m]!;
const SPLIT = new RegExp(`[${PY_SPACE}]+`);

/**
 * Splits a line into tokens as torchtext's `get_tokenizer('basic_english')` does.
 *
 * @example
 * ```ts
 * basicEnglishNormalize("You can't stop (it)!"); // ['you', 'can', "'", 't', 'stop', '(', 'it', ')', '!']
 * ```
 */
export function basicEnglishNormalize(line: string): string[] {
  if (typeof line !== 'string') throw new ArgumentError(`basicEnglishNormalize(): line must be a string (got ${describe(line)})`);
  const s = line.toLowerCase().replaceAll('"', '').replace(ONE_PASS, replace);
  const parts = s.split(SPLIT);
  // Only the first and last parts can be empty (leading or trailing whitespace).
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 0 && parts[0] === '') parts.shift();
  return parts;
}
