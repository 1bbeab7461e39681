import { describe, expect, it } from 'vitest';
import { Generator, data, memory, scope, tensor } from '@flint/core';
import { BPTTIterator } from './bptt-iterator.js';
import { BucketBatchSampler } from './bucket-batch-sampler.js';

describe('BucketBatchSampler', () => {
  const lengths = Array.from({ length: 103 }, (_, i) => (i * 37) % 50);

  it('yields every index once per epoch, in batches of similar lengths', () => {
    const sampler = new BucketBatchSampler(lengths, 8, { bucketSizeMultiplier: 4, generator: new Generator(0) });
    const batches = [...sampler];
    expect(batches.length).toBe(sampler.len());
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    // Within a pool of 32, sorted batches of 8 span a small range of lengths.
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i]!)) - Math.min(...b.map((i) => lengths[i]!)));
    const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
    expect(mean).toBeLessThan(15); // random batches of 8 from 0..49 spread ~38
  });

  it('is reproducible from a generator, and differs between epochs and seeds', () => {
    const a = new BucketBatchSampler(lengths, 8, { generator: new Generator(1) });
    const b = new BucketBatchSampler(lengths, 8, { generator: new Generator(1) });
    const c = new BucketBatchSampler(lengths, 8, { generator: new Generator(2) });
    const ea = [...a];
    expect([...b]).toEqual(ea);
    expect([...c]).not.toEqual(ea);
    expect([...a]).not.toEqual(ea); // the next epoch
  });

  it('sorts whole pools without shuffling, and drops short batches on request', () => {
    const s = new BucketBatchSampler([5, 1, 4, 2, 3], 2, { shuffle: false, dropLast: true });
    expect([...s]).toEqual([[1, 3], [4, 2]]);
    expect(s.len()).toBe(2);
    expect(() => new BucketBatchSampler([1, -1], 2)).toThrow(/BucketBatchSampler\(\): lengths must be an array of non-negative numbers/);
  });

  it('drives a DataLoader as its batchSampler', async () => {
    const ds = { getItem: (i: number) => i, len: () => 10 };
    const loader = new data.DataLoader(ds, { batchSampler: new BucketBatchSampler([...Array(10).keys()], 5, { shuffle: false }), collateFn: (xs: number[]) => xs });
    const out: number[][] = [];
    for await (const b of loader) out.push(b as number[]);
    expect(out).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  });
});

describe('BPTTIterator', () => {
  it('cuts the stream into columns and yields targets one step later', () => {
    scope(() => {
      const ids = Array.from({ length: 26 }, (_, i) => i); // 26 ids, 3 columns of 8, 2 dropped
      const it = new BPTTIterator(ids, { batchSize: 3, bpttLen: 3 });
      expect(it.numRows).toBe(8);
      expect(it.len()).toBe(3);
      const batches = [...it];
      expect(batches.map((b) => b.data.shape)).toEqual([[3, 3], [3, 3], [1, 3]]);
      expect(batches[0]!.data.tolist()).toEqual([[0, 8, 16], [1, 9, 17], [2, 10, 18]]);
      expect(batches[0]!.target.tolist()).toEqual([[1, 9, 17], [2, 10, 18], [3, 11, 19]]);
      expect(batches[2]!.data.tolist()).toEqual([[6, 14, 22]]);
      expect(batches[2]!.target.tolist()).toEqual([[7, 15, 23]]);
      expect(batches[0]!.data.dtype).toBe('int32');
    });
  });

  it('accepts a tensor, makes only the yielded tensors, and rejects streams too short', () => {
    const ids = tensor([...Array(20).keys()], { dtype: 'int32' });
    const before = memory().numTensors;
    const batches = [...new BPTTIterator(ids, { batchSize: 2, bpttLen: 4 })];
    expect(memory().numTensors - before).toBe(2 * batches.length);
    for (const b of batches) {
      b.data.dispose();
      b.target.dispose();
    }
    ids.dispose();
    expect(() => new BPTTIterator([1, 2, 3], { batchSize: 2, bpttLen: 2 })).toThrow(/BPTTIterator\(\): the stream \(3 ids\) must give at least 2 rows of batchSize \(2\) ids/);
  });
});
