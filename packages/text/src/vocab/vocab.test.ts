import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { basicEnglishNormalize } from '../tokenizers/basic-english.js';
import { readFixture, spamTexts } from '../test-util.js';
import { DatasetError } from '../errors.js';
import { Vocab, VocabError, buildVocabFromIterator, compareCodePoints, vocab } from './vocab.js';

interface VocabFixture {
  files: string[];
  cases: { name: string; options: { specials?: string[]; special_first?: boolean; min_freq?: number; max_tokens?: number }; itos: string[] }[];
}

describe('buildVocabFromIterator', () => {
  it("orders tokens as torchtext's algorithm does on real emails", () => {
    const fx = readFixture<VocabFixture>('vocab.json');
    const docs = spamTexts(fx.files).map(basicEnglishNormalize);
    expect(fx.cases.length).toBe(4);
    for (const c of fx.cases) {
      const o = c.options;
      const v = buildVocabFromIterator(docs, { specials: o.specials, specialFirst: o.special_first, minFreq: o.min_freq, maxTokens: o.max_tokens });
      expect(v.getItos(), c.name).toEqual(c.itos);
    }
  });

  it('breaks ties by code point, like Python, not by UTF-16 unit', () => {
    const v = buildVocabFromIterator([['\u{1F600}', '\uFF21', 'b', 'a', 'b']]);
    expect(v.getItos()).toEqual(['b', 'a', '\uFF21', '\u{1F600}']);
    expect(compareCodePoints('\u{1F600}', '\uFF21')).toBeGreaterThan(0);
  });

  it('rejects strings where token lists are expected, and maxTokens not above the specials', () => {
    expect(() => buildVocabFromIterator(['a b'] as never)).toThrow(/buildVocabFromIterator\(\): iterator must yield token lists, not strings/);
    expect(() => buildVocabFromIterator([['a']], { specials: ['<unk>'], maxTokens: 1 })).toThrow(/maxTokens must be an integer >= 2 \(got 1\)/);
  });
});

describe('Vocab', () => {
  it('looks tokens and indices up both ways, with a default index for unknown tokens', () => {
    const v = vocab(new Map([['the', 10], ['cat', 2], ['rare', 1]]), { minFreq: 2, specials: ['<unk>'] });
    expect(v.getItos()).toEqual(['<unk>', 'the', 'cat']);
    expect(v.length).toBe(3);
    expect(v.has('cat')).toBe(true);
    expect(() => v.getItem('dog')).toThrow(VocabError);
    expect(() => v.lookupIndices(['the', 'dog'])).toThrow(/Vocab\.getItem\(\): token "dog" is not in the vocabulary and no default index is set/);
    v.setDefaultIndex(v.getItem('<unk>'));
    expect(v(['the', 'dog', 'cat'])).toEqual([1, 0, 2]);
    expect(typeof v).toBe('function');
    expect(v.lookupTokens([2, 1])).toEqual(['cat', 'the']);
    expect(() => v.lookupToken(3)).toThrow(/Vocab\.lookupToken\(\): index must be an integer in \[0, 2\] \(got 3\)/);
    v.insertToken('<pad>', 1);
    expect(v.getItos()).toEqual(['<unk>', '<pad>', 'the', 'cat']);
    expect(v.getStoi().get('cat')).toBe(3);
    v.appendToken('dog');
    expect(v.getItem('dog')).toBe(4);
    expect(() => v.appendToken('dog')).toThrow(ArgumentError);
    expect(vocab([['a', 1]], { specials: ['<s>'], specialFirst: false }).getItos()).toEqual(['a', '<s>']);
  });

  it('saves and loads through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-vocab-'));
    try {
      const v = new Vocab(['<unk>', 'a', 'b']);
      v.setDefaultIndex(0);
      v.save(join(dir, 'vocab.json'));
      const w = Vocab.load(join(dir, 'vocab.json'));
      expect(w.getItos()).toEqual(['<unk>', 'a', 'b']);
      expect(w.getDefaultIndex()).toBe(0);
      writeFileSync(join(dir, 'bad.json'), '{"itos": 3}');
      expect(() => Vocab.load(join(dir, 'bad.json'))).toThrow(DatasetError);
      expect(() => Vocab.load(join(dir, 'missing.json'))).toThrow(/Vocab\.load\(\): cannot read a vocabulary from .*missing\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
