import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors.js';
import { Generator, manualSeed } from '../random/generator.js';
import { randperm, tensor } from '../tensor/create.js';
import { BatchSampler } from './batch-sampler.js';
import { DistributedSampler } from './distributed-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { SequentialSampler } from './sequential-sampler.js';
import { SubsetRandomSampler } from './subset-random-sampler.js';
import { WeightedRandomSampler } from './weighted-random-sampler.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/data.json', import.meta.url), 'utf8')) as {
  distributed: { n: number; numReplicas: number; dropLast: boolean; ranks: number[][] }[];
  batchSampler: { n: number; batchSize: number; dropLast: boolean; batches: number[][]; len: number }[];
};

const sized = (n: number) => ({ len: () => n });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

describe('SequentialSampler', () => {
  it('yields 0..n-1', () => {
    const s = new SequentialSampler(sized(4));
    expect([...s]).toEqual([0, 1, 2, 3]);
    expect(s.len()).toBe(4);
    expect(s.length).toBe(4);
    expect(() => new SequentialSampler({} as never)).toThrow(/dataSource must have a len\(\) method/);
  });
});

describe('RandomSampler', () => {
  it("is randperm(n) of its generator, and a fresh permutation every epoch", () => {
    const g = new Generator(11);
    const s = new RandomSampler(sized(10), { generator: g });
    const expected = randperm(10, { generator: new Generator(11) }).tolist();
    const first = [...s];
    expect(first).toEqual(expected);
    const second = [...s];
    expect(sorted(second)).toEqual(range(10));
    expect(second).not.toEqual(first);
  });

  it('replays from the default generator when it has none', () => {
    const s = new RandomSampler(sized(12));
    manualSeed(5);
    const a = [...s];
    manualSeed(5);
    expect([...s]).toEqual(a);
    manualSeed(6);
    expect([...s]).not.toEqual(a);
  });

  it('repeats permutations for numSamples > n and draws with replacement', () => {
    const s = new RandomSampler(sized(4), { numSamples: 10, generator: new Generator(1) });
    const v = [...s];
    expect(v).toHaveLength(10);
    expect(sorted(v.slice(0, 4))).toEqual(range(4));
    expect(sorted(v.slice(4, 8))).toEqual(range(4));
    expect(s.len()).toBe(10);
    const r = [...new RandomSampler(sized(3), { replacement: true, numSamples: 300, generator: new Generator(2) })];
    expect(r).toHaveLength(300);
    expect(new Set(r)).toEqual(new Set([0, 1, 2]));
    for (const k of [0, 1, 2]) expect(r.filter((x) => x === k).length).toBeGreaterThan(60);
  });

  it('checks its arguments', () => {
    expect(() => new RandomSampler(sized(0))).toThrow(/numSamples must be a positive integer \(got 0\)/);
    expect(() => new RandomSampler(sized(3), { numSamples: 1.5 })).toThrow(ArgumentError);
    expect(() => new RandomSampler(sized(3), { replacement: 1 as never })).toThrow(/replacement must be true or false/);
    expect(() => new RandomSampler(sized(3), { generator: 3 as never })).toThrow(/generator must be a Generator/);
  });
});

describe('SubsetRandomSampler', () => {
  it('yields the given indices in a random order', () => {
    const idx = [3, 8, 20, 21, 40];
    const s = new SubsetRandomSampler(idx, { generator: new Generator(7) });
    const v = [...s];
    expect(sorted(v)).toEqual(idx);
    const p = randperm(5, { generator: new Generator(7) }).tolist() as number[];
    expect(v).toEqual(p.map((i) => idx[i]));
    expect(s.len()).toBe(5);
  });
});

describe('WeightedRandomSampler', () => {
  it('draws in proportion to the weights and never draws a zero weight', () => {
    const s = new WeightedRandomSampler([1, 0, 3, 6], 10000, { generator: new Generator(0) });
    const v = [...s];
    const count = (k: number) => v.filter((x) => x === k).length / v.length;
    expect(count(1)).toBe(0);
    expect(count(0)).toBeCloseTo(0.1, 1);
    expect(count(2)).toBeCloseTo(0.3, 1);
    expect(count(3)).toBeCloseTo(0.6, 1);
    expect(s.len()).toBe(10000);
  });

  it('without replacement gives distinct indices, heavier ones first on average', () => {
    const w = tensor([0, 1, 1, 1, 100]);
    let firstIsHeavy = 0;
    const g = new Generator(1);
    for (let t = 0; t < 50; t++) {
      const v = [...new WeightedRandomSampler(w, 4, { replacement: false, generator: g })];
      expect(sorted(v)).toEqual([1, 2, 3, 4]);
      if (v[0] === 4) firstIsHeavy++;
    }
    expect(firstIsHeavy).toBeGreaterThan(40);
  });

  it('is reproducible and checks its arguments', () => {
    const a = [...new WeightedRandomSampler([1, 2, 3], 20, { generator: new Generator(9) })];
    expect([...new WeightedRandomSampler([1, 2, 3], 20, { generator: new Generator(9) })]).toEqual(a);
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(/weights\[1\] must be a finite number >= 0 \(got -1\)/);
    expect(() => new WeightedRandomSampler([0, 0], 2)).toThrow(/positive value/);
    expect(() => new WeightedRandomSampler([1, 1, 0], 3, { replacement: false })).toThrow(/numSamples \(3\) must not exceed the number of positive weights \(2\)/);
    expect(() => new WeightedRandomSampler([1], 0)).toThrow(/numSamples must be an integer >= 1/);
  });
});

describe('BatchSampler', () => {
  it('groups indices as PyTorch does', () => {
    for (const c of fixture.batchSampler) {
      const b = new BatchSampler(new SequentialSampler(sized(c.n)), c.batchSize, c.dropLast);
      expect([...b], JSON.stringify(c)).toEqual(c.batches);
      expect(b.len()).toBe(c.len);
    }
  });

  it('checks its arguments', () => {
    expect(() => new BatchSampler(new SequentialSampler(sized(3)), 0, false)).toThrow(/batchSize must be an integer >= 1 \(got 0\)/);
    expect(() => new BatchSampler(new SequentialSampler(sized(3)), 2, 'no' as never)).toThrow(/dropLast must be true or false/);
    expect(() => new BatchSampler(5 as never, 2, false)).toThrow(/sampler must be an iterable of indices/);
    expect(() => new BatchSampler([0, 1, 2], 2, false).len()).toThrow(/sampler must have a len\(\) method/);
  });
});

describe('DistributedSampler', () => {
  it('partitions unshuffled indices exactly as PyTorch 1.13', () => {
    for (const c of fixture.distributed) {
      for (let rank = 0; rank < c.numReplicas; rank++) {
        const s = new DistributedSampler(sized(c.n), { numReplicas: c.numReplicas, rank, shuffle: false, dropLast: c.dropLast });
        expect([...s], JSON.stringify({ ...c, rank })).toEqual(c.ranks[rank]);
        expect(s.len()).toBe(c.ranks[rank]!.length);
      }
    }
  });

  it('shuffles with seed + epoch, the same permutation on every replica, padded the same way', () => {
    const n = 10;
    const replicas = 4;
    const perm = randperm(n, { generator: new Generator(5 + 2) }).tolist() as number[];
    const padded = [...perm, perm[0]!, perm[1]!];
    const all: number[] = [];
    for (let rank = 0; rank < replicas; rank++) {
      const s = new DistributedSampler(sized(n), { numReplicas: replicas, rank, seed: 5 });
      s.setEpoch(2);
      const v = [...s];
      expect(v).toEqual(padded.filter((_, i) => i % replicas === rank));
      all.push(...v);
    }
    expect(new Set(all)).toEqual(new Set(range(n)));
    const s = new DistributedSampler(sized(n), { numReplicas: replicas, rank: 0, seed: 5 });
    const e0 = [...s];
    s.setEpoch(1);
    expect([...s]).not.toEqual(e0);
    s.setEpoch(0);
    expect([...s]).toEqual(e0);
  });

  it('checks its arguments', () => {
    expect(() => new DistributedSampler(sized(4), { numReplicas: 2, rank: 2 })).toThrow(/rank must be in \[0, 1\] for numReplicas 2 \(got 2\)/);
    expect(() => new DistributedSampler(sized(4), undefined as never)).toThrow(/options \{ numReplicas, rank \} are required/);
    expect(() => new DistributedSampler(sized(4), { numReplicas: 0, rank: 0 })).toThrow(/numReplicas must be an integer >= 1/);
    expect(() => new DistributedSampler(sized(4), { numReplicas: 2, rank: 0 }).setEpoch(-1)).toThrow(/epoch must be an integer >= 0/);
  });
});
