import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DisposedError } from '../errors.js';
import { keep, memory, scope } from '../memory/scope.js';
import { Generator, manualSeed } from '../random/generator.js';
import { arange, randn, tensor } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { BatchSampler } from './batch-sampler.js';
import { DataLoader } from './dataloader.js';
import { DataLoaderError } from './dataloader-error.js';
import { Dataset, IterableDataset } from './dataset.js';
import { RandomSampler } from './random-sampler.js';
import { SequentialSampler } from './sequential-sampler.js';
import { TensorDataset } from './tensor-dataset.js';
import { SquaresDataset } from './test-fixtures/squares-dataset.js';

/** Live tensors, not counting those the garbage-collector safety net frees meanwhile (other tests' leftovers). */
const live = (): number => memory().numTensors + memory().numCollected;

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/data.json', import.meta.url), 'utf8')) as {
  loaderLength: { n: number; batchSize: number; dropLast: boolean; len: number; batches: number[][] }[];
};

class Range extends Dataset<number> {
  constructor(readonly n: number) {
    super();
  }
  getItem(i: number): number {
    return i;
  }
  len(): number {
    return this.n;
  }
}

class Stream extends IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.n; i++) yield i;
  }
}

class AsyncOnlyStream extends IterableDataset<number> {
  async *[Symbol.asyncIterator](): AsyncIterator<number> {
    yield 1;
  }
}

/** Reads each batch inside the loop: a batch is freed when the next one is asked for. */
function lists(loader: Iterable<Tensor>): unknown[] {
  const out: unknown[] = [];
  for (const b of loader) out.push(b.tolist());
  return out;
}

async function collectAsync<B>(loader: AsyncIterable<B>, read: (b: B) => unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of loader) out.push(read(b));
  return out;
}

describe('DataLoader', () => {
  it('batches in order with the lengths and batches of PyTorch', () => {
    for (const c of fixture.loaderLength) {
      const loader = new DataLoader(new Range(c.n), { batchSize: c.batchSize, dropLast: c.dropLast });
      expect(loader.len(), JSON.stringify(c)).toBe(c.len);
      expect(loader.length).toBe(c.len);
      expect(lists(loader)).toEqual(c.batches);
    }
  });

  it('collates tensors, numbers and structures (batchSize 1 by default)', () => {
    const ds = new TensorDataset(arange(8).reshape(4, 2), tensor([0, 1, 0, 1], { dtype: 'int32' }));
    const shapes: number[][] = [];
    let last: unknown;
    for (const [x, y] of new DataLoader(ds, { batchSize: 3 })) {
      shapes.push(x!.shape);
      last = y!.tolist();
    }
    expect(shapes).toEqual([[3, 2], [1, 2]]);
    expect(last).toEqual([1]);
    const one: unknown[] = [];
    for (const b of new DataLoader(new SquaresDataset(2))) one.push([b.x.tolist(), b.y.tolist()]);
    expect(one).toEqual([
      [[[0, 0]], [0]],
      [[[1, 1]], [1]],
    ]);
  });

  it('shuffles reproducibly from its generator, with a fresh order each epoch', () => {
    const run = (seed: number) => {
      const loader = new DataLoader(new Range(20), { batchSize: 4, shuffle: true, generator: new Generator(seed) });
      return [lists(loader), lists(loader)];
    };
    const [e1, e2] = run(1);
    expect(run(1)).toEqual([e1, e2]);
    expect(e2).not.toEqual(e1);
    expect(run(2)[0]).not.toEqual(e1);
    expect((e1!.flat() as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Without a generator, the default one decides.
    const plain = new DataLoader(new Range(20), { batchSize: 4, shuffle: true });
    manualSeed(3);
    const a = lists(plain);
    manualSeed(3);
    expect(lists(plain)).toEqual(a);
  });

  it('gives the same batches through for...of and for await', async () => {
    const make = () => new DataLoader(new Range(11), { batchSize: 3, shuffle: true, generator: new Generator(4) });
    expect(await collectAsync(make(), (b) => b.tolist())).toEqual(lists(make()));
  });

  it('supports batchSize null, samplers, batch samplers and collateFn', async () => {
    const none = [...new DataLoader(new Range(3), { batchSize: null })];
    expect(none).toEqual([0, 1, 2]);
    for (const t of new DataLoader({ getItem: () => new Float32Array([1, 2]), len: () => 1 }, { batchSize: null })) {
      expect((t as unknown as Tensor).shape).toEqual([2]);
    }
    const sampled = new DataLoader(new Range(6), { sampler: [5, 3, 1], batchSize: 2 });
    expect(lists(sampled)).toEqual([[5, 3], [1]]);
    expect(() => sampled.len()).toThrow(ArgumentError);
    const bs = new DataLoader(new Range(5), { batchSampler: new BatchSampler(new SequentialSampler(new Range(5)), 2, true) });
    expect(lists(bs)).toEqual([[0, 1], [2, 3]]);
    expect(bs.length).toBe(2);
    const summed = new DataLoader(new Range(5), { batchSize: 2, collateFn: (xs: number[]) => xs.reduce((s, v) => s + v, 0) });
    expect([...summed]).toEqual([1, 5, 4]);
    expect(await collectAsync(summed, (b) => b)).toEqual([1, 5, 4]);
    const rs = new DataLoader(new Range(4), { sampler: new RandomSampler(new Range(4), { generator: new Generator(0) }) });
    expect((lists(rs).flat() as number[]).sort()).toEqual([0, 1, 2, 3]);
  });

  it('reads iterable-style datasets in batches, synchronously or not', async () => {
    expect(lists(new DataLoader(new Stream(7), { batchSize: 3 }))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(lists(new DataLoader(new Stream(7), { batchSize: 3, dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect([...new DataLoader(new Stream(2), { batchSize: null })]).toEqual([0, 1]);
    expect(await collectAsync(new DataLoader(new Stream(5), { batchSize: 2 }), (b) => b.tolist())).toEqual([[0, 1], [2, 3], [4]]);
    expect(await collectAsync(new DataLoader(new AsyncOnlyStream(), { batchSize: 2 }), (b) => b.tolist())).toEqual([[1]]);
    expect(() => [...new DataLoader(new AsyncOnlyStream())]).toThrow(/can only be iterated asynchronously.*for await/);
    expect(() => new DataLoader(new Stream(5)).len()).toThrow(/has no len\(\)/);
    expect(() => new DataLoader(new Stream(5), { shuffle: true })).toThrow(/iterable-style dataset sets its own order, so shuffle must not be given/);
  });

  it('waits for async getItem with for await, and says to use it otherwise', async () => {
    const ds = new SquaresDataset(5, { async: true });
    const got = await collectAsync(new DataLoader(ds, { batchSize: 2 }), (b) => b.y.tolist());
    expect(got).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => [...new DataLoader(ds, { batchSize: 2 })]).toThrow(DataLoaderError);
    expect(() => [...new DataLoader(ds, { batchSize: 2 })]).toThrow(/getItem\(0\) returned a Promise.*for await/);
  });

  it("raises getItem's own error on the main thread", async () => {
    const loader = new DataLoader(new SquaresDataset(6, { failAt: 3 }), { batchSize: 2 });
    expect(() => [...loader]).toThrow(RangeError);
    await expect(collectAsync(loader, (b) => b)).rejects.toThrow(/sample 3 is corrupt/);
  });

  it('checks its options as PyTorch does', () => {
    const ds = new Range(4);
    expect(() => new DataLoader({} as never)).toThrow(/dataset must be a Dataset/);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1 \(got 0\)/);
    expect(() => new DataLoader(ds, { sampler: [0], shuffle: true })).toThrow(/sampler is mutually exclusive with shuffle/);
    expect(() => new DataLoader(ds, { batchSampler: [[0]], batchSize: 2 })).toThrow(/batchSampler is mutually exclusive/);
    expect(() => new DataLoader(ds, { batchSize: null, dropLast: true })).toThrow(/dropLast needs batching/);
    expect(() => new DataLoader(ds, { numWorkers: -1 })).toThrow(/numWorkers must be an integer >= 0/);
    expect(() => new DataLoader(ds, { persistentWorkers: true })).toThrow(/persistentWorkers needs numWorkers > 0/);
    expect(() => new DataLoader(ds, { prefetchFactor: 4 })).toThrow(/prefetchFactor only applies with worker threads/);
    expect(() => new DataLoader(ds, { timeout: -5 })).toThrow(/timeout must be a number of milliseconds >= 0/);
    expect(() => new DataLoader(ds, { generator: 1 as never })).toThrow(/generator must be a Generator/);
    expect(() => new DataLoader(ds, { sampler: 3 as never })).toThrow(/sampler must be an iterable of indices/);
    expect(() => new DataLoader(ds, { collateFn: 3 as never })).toThrow(/collateFn must be a function or \{ module, exportName \}/);
    expect(new DataLoader(ds, { pinMemory: true }).pinMemory).toBe(true);
  });
});

describe('DataLoader memory', () => {
  const data = new TensorDataset(randn([400, 8]), randn([400, 1]));
  const w = keep(randn([8, 1]));

  it('keeps the tensor count flat over 200 batches of a for...of loop with tensor work', () => {
    const loader = new DataLoader(data, { batchSize: 2, shuffle: true });
    let before = -1;
    let i = 0;
    for (const [x, y] of loader) {
      const loss = x!.matmul(w).sub(y!).pow(2).mean();
      loss.item();
      if (i === 5) before = live();
      i++;
    }
    expect(i).toBe(200);
    const after = live();
    expect(after).toBeLessThanOrEqual(before);
    // Everything made in the loop is gone once it ends.
    expect(after).toBeLessThan(before);
  });

  it('keeps the tensor count flat in a for await loop, and frees all at the end', async () => {
    const start = live();
    const loader = new DataLoader(data, { batchSize: 2 });
    const counts: number[] = [];
    for await (const [x, y] of loader) {
      x!.matmul(w).sub(y!).pow(2).mean().item();
      counts.push(live());
    }
    expect(counts).toHaveLength(200);
    expect(Math.max(...counts.slice(5))).toBe(counts[5]);
    expect(live()).toBe(start);
  });

  it('keeps the count flat for a stream that makes tensors, with for...of and for await', async () => {
    class TensorStream extends IterableDataset<Tensor> {
      *[Symbol.iterator](): Iterator<Tensor> {
        for (let i = 0; i < 400; i++) yield tensor([i, -i]);
      }
    }
    const start = live();
    const sync: number[] = [];
    for (const b of new DataLoader(new TensorStream(), { batchSize: 2 })) {
      b.abs().sum().item();
      sync.push(live());
    }
    const async: number[] = [];
    for await (const b of new DataLoader(new TensorStream(), { batchSize: 2 })) {
      b.abs().sum().item();
      async.push(live());
    }
    for (const counts of [sync, async]) {
      expect(counts).toHaveLength(200);
      expect(Math.max(...counts)).toBe(counts[0]);
    }
    expect(live()).toBe(start);
  });

  it('frees the batch when the next one is asked for or the loop breaks; keep() saves it', () => {
    const loader = new DataLoader(data, { batchSize: 4 });
    let first: Tensor | undefined;
    let kept: Tensor | undefined;
    for (const [x] of loader) {
      if (first === undefined) first = x;
      else {
        expect(first.isDisposed).toBe(true);
        kept = keep(x!.sum());
        break;
      }
    }
    expect(() => first!.tolist()).toThrow(DisposedError);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
  });

  it('inside scope(), what the loop returns survives', () => {
    const total = scope(() => {
      let acc = tensor(0);
      for (const [, y] of new DataLoader(data, { batchSize: 100 })) acc = keep(acc.add(y!.sum()));
      return acc;
    });
    expect(Number.isFinite(total.item())).toBe(true);
    total.dispose();
  });
});
