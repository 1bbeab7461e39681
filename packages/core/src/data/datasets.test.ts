import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors.js';
import { Generator } from '../random/generator.js';
import { arange, tensor, zeros } from '../tensor/create.js';
import { ChainDataset } from './chain-dataset.js';
import { ConcatDataset } from './concat-dataset.js';
import { Dataset, IterableDataset } from './dataset.js';
import { randomSplit } from './random-split.js';
import { Subset } from './subset.js';
import { TensorDataset } from './tensor-dataset.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/data.json', import.meta.url), 'utf8')) as {
  randomSplit: { n: number; fractions: number[]; lengths: number[] }[];
};

class Range extends Dataset<number> {
  constructor(readonly n: number, readonly offset = 0) {
    super();
  }
  getItem(i: number): number {
    return this.offset + i;
  }
  len(): number {
    return this.n;
  }
}

class Stream extends IterableDataset<number> {
  constructor(readonly values: number[]) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    yield* this.values;
  }
  len(): number {
    return this.values.length;
  }
}

class AsyncStream extends IterableDataset<number> {
  constructor(readonly values: number[]) {
    super();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<number> {
    for (const v of this.values) yield v;
  }
}

describe('Dataset', () => {
  it('reads by index and reports its length through len() and length', () => {
    const d = new Range(4, 10);
    expect(d.getItem(2)).toBe(12);
    expect(d.len()).toBe(4);
    expect(d.length).toBe(4);
  });
});

describe('TensorDataset', () => {
  it('sees in-place changes of its tensors, and keeps the graph of tensors that require grad', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const ds = new TensorDataset(x);
    expect(ds.getItem(1)[0]!.tolist()).toEqual([3, 4]);
    x.mul_(10);
    expect(ds.getItem(1)[0]!.tolist()).toEqual([30, 40]);
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const row = new TensorDataset(w).getItem(0)[0]!;
    row.sum().backward();
    expect(w.grad!.tolist()).toEqual([[1, 1], [0, 0]]);
  });

  it('returns the rows of every tensor', () => {
    const ds = new TensorDataset(arange(6).reshape(3, 2), tensor([7, 8, 9], { dtype: 'int32' }));
    expect(ds.len()).toBe(3);
    const [x, y] = ds.getItem(1);
    expect(x!.tolist()).toEqual([2, 3]);
    expect(y!.tolist()).toBe(8);
    expect(y!.dtype).toBe('int32');
    expect(ds.getItem(-1)[0]!.tolist()).toEqual([4, 5]);
  });

  it('rejects tensors of different lengths, 0-d tensors and out-of-range indices', () => {
    expect(() => new TensorDataset(zeros([3, 2]), zeros([4]))).toThrow(ShapeError);
    expect(() => new TensorDataset(zeros([3, 2]), zeros([4]))).toThrow(/tensors\[0\] has 3 but tensors\[1\] has 4/);
    expect(() => new TensorDataset(tensor(1))).toThrow(/at least one dimension/);
    expect(() => new TensorDataset()).toThrow(ArgumentError);
    expect(() => new TensorDataset(zeros([2]), [1, 2] as never)).toThrow(/tensors\[1\] must be a Tensor/);
    expect(() => new TensorDataset(zeros([2])).getItem(2)).toThrow(/TensorDataset.getItem\(\): index must be an integer in \[-2, 1\] \(got 2\)/);
  });
});

describe('ConcatDataset', () => {
  it('maps indices onto its parts, with cumulative sizes as PyTorch', () => {
    const c = new ConcatDataset([new Range(3, 0), new Range(0, 50), new Range(2, 100), new Range(4, 200)]);
    expect(c.cumulativeSizes).toEqual([3, 3, 5, 9]);
    expect(c.len()).toBe(9);
    const all = Array.from({ length: 9 }, (_, i) => c.getItem(i));
    expect(all).toEqual([0, 1, 2, 100, 101, 200, 201, 202, 203]);
    expect(c.getItem(-1)).toBe(203);
    expect(() => c.getItem(9)).toThrow(ShapeError);
  });

  it('rejects an empty list and iterable-style parts', () => {
    expect(() => new ConcatDataset([])).toThrow(/non-empty array of datasets/);
    expect(() => new ConcatDataset([new Range(2), new Stream([1]) as never])).toThrow(/datasets\[1\] must be a map-style dataset .* use ChainDataset/);
  });
});

describe('Subset', () => {
  it('reads the chosen indices in order', () => {
    const s = new Subset(new Range(10, 100), [9, 0, 4]);
    expect([0, 1, 2].map((i) => s.getItem(i))).toEqual([109, 100, 104]);
    expect(s.len()).toBe(3);
    expect(() => s.getItem(3)).toThrow(ShapeError);
    expect(() => new Subset(new Range(3), [0.5])).toThrow(/indices\[0\] must be an integer/);
    expect(() => new Subset({} as never, [0])).toThrow(/map-style dataset/);
  });
});

describe('ChainDataset', () => {
  it('chains streams, synchronously and asynchronously, and sums their lengths', async () => {
    const c = new ChainDataset([new Stream([1, 2]), new Stream([]), new Stream([3])]);
    expect([...c]).toEqual([1, 2, 3]);
    const seen: number[] = [];
    for await (const v of new ChainDataset<number>([new Stream([1]), new AsyncStream([2, 3])])) seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
    expect(c.len()).toBe(3);
  });

  it('says when a part can only be read asynchronously or has no length', () => {
    const c = new ChainDataset<number>([new Stream([1]), new AsyncStream([2])]);
    expect(() => [...c]).toThrow(/datasets\[1\] can only be iterated asynchronously; iterate with for await/);
    expect(() => c.len()).toThrow(/datasets\[1\] must have a len\(\) method/);
    expect(() => new ChainDataset([5 as never])).toThrow(/datasets\[0\] must be iterable/);
  });
});

describe('randomSplit', () => {
  it('gives the lengths PyTorch 1.13 gives for fractions', () => {
    for (const c of fixture.randomSplit) {
      const parts = randomSplit(new Range(c.n), c.fractions, { generator: new Generator(0) });
      expect(parts.map((p) => p.len()), `n=${c.n} fractions=${c.fractions}`).toEqual(c.lengths);
    }
  });

  it('partitions the dataset, reproducibly from the generator', () => {
    const parts = randomSplit(new Range(20), [5, 15], { generator: new Generator(3) });
    const flat = parts.flatMap((p) => Array.from({ length: p.len() }, (_, i) => p.getItem(i) as number));
    expect([...flat].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(flat).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    const again = randomSplit(new Range(20), [5, 15], { generator: new Generator(3) });
    expect(again.map((p) => p.indices)).toEqual(parts.map((p) => p.indices));
    const other = randomSplit(new Range(20), [5, 15], { generator: new Generator(4) });
    expect(other.map((p) => p.indices)).not.toEqual(parts.map((p) => p.indices));
  });

  it('rejects lengths that do not add up', () => {
    expect(() => randomSplit(new Range(10), [3, 3])).toThrow(/lengths must sum to the dataset's length 10 \(got \[3,3\], summing to 6\)/);
    expect(() => randomSplit(new Range(10), [0.5, 0.6])).toThrow(/lengths\[0\] must be an integer >= 0, or all lengths fractions summing to 1/);
    expect(() => randomSplit(new Range(10), [])).toThrow(/non-empty array of numbers/);
  });
});
