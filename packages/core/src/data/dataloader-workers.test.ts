import { describe, expect, it } from 'vitest';
import { memory } from '../memory/scope.js';
import { Generator } from '../random/generator.js';
import { arange, tensor } from '../tensor/create.js';
import { ConcatDataset } from './concat-dataset.js';
import { DataLoader, type DataLoaderOptions } from './dataloader.js';
import { DataLoaderError } from './dataloader-error.js';
import { Dataset } from './dataset.js';
import { Subset } from './subset.js';
import { TensorDataset } from './tensor-dataset.js';
import type { Tensor } from '../tensor/tensor.js';
import { NoisyDataset, RangeStream, SquaresDataset, sumY, type Square } from './test-fixtures/squares-dataset.js';
import { getWorkerInfo } from './worker-info.js';
import { liveWorkers } from './worker-pool.js';

/** Live tensors, not counting those the garbage-collector safety net frees meanwhile (other tests' leftovers). */
const live = (): number => memory().numTensors + memory().numCollected;

/** Every batch of an epoch, read inside the loop (batches are freed when the next is asked for). */
async function epoch<T, B>(loader: DataLoader<T, B>, read: (b: B) => unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of loader) out.push(read(b));
  return out;
}


describe('DataLoader workers', () => {
  it('give exactly the batches of numWorkers 0, shuffled or not, and leave no thread behind', async () => {
    const cases: DataLoaderOptions<Square>[] = [
      { batchSize: 3 },
      { batchSize: 4, shuffle: true, generator: new Generator(8), dropLast: true },
      { batchSize: null },
      { batchSize: 2, prefetchFactor: 1 },
    ];
    const read = (b: unknown) => {
      const s = b as { x: Tensor; y: Tensor | number };
      return [s.x.tolist(), typeof s.y === 'number' ? s.y : s.y.tolist()];
    };
    for (const o of cases) {
      const state = o.generator?.getState();
      const { prefetchFactor: _, ...main } = o;
      const ref = await epoch(new DataLoader(new SquaresDataset(11), main), read);
      if (state !== undefined) o.generator!.setState(state);
      const got = await epoch(new DataLoader(new SquaresDataset(11), { ...o, numWorkers: 2 }), read);
      expect(got, JSON.stringify(o)).toEqual(ref);
      expect(got.length).toBeGreaterThanOrEqual(2);
      expect(liveWorkers()).toBe(0);
    }
  });

  it('send TensorDataset, Subset and ConcatDataset with their tensors', async () => {
    const a = new TensorDataset(arange(12).reshape(6, 2), tensor([0, 1, 2, 3, 4, 5], { dtype: 'int32' }));
    const b = new TensorDataset(arange(4).reshape(2, 2).neg(), tensor([true, false]).int());
    const ds = new ConcatDataset([new Subset(a, [5, 3, 1]), b]);
    const read = ([x, y]: unknown[]) => [(x as { tolist(): unknown }).tolist(), (y as { tolist(): unknown }).tolist(), (y as { dtype: string }).dtype];
    const ref = await epoch(new DataLoader(ds, { batchSize: 2 }), read);
    const got = await epoch(new DataLoader(ds, { batchSize: 2, numWorkers: 3 }), read);
    expect(got).toEqual(ref);
    expect(got[0]).toEqual([[[10, 11], [6, 7]], [5, 3], 'int32']);
    // The main thread's tensors are untouched by the transfer.
    expect(a.tensors[0]!.sum().item()).toBe(66);
  });

  it('run a sendable collateFn in the workers', async () => {
    const got = await epoch(new DataLoader(new SquaresDataset(7), { batchSize: 3, collateFn: sumY, numWorkers: 2 }), (b) => b);
    expect(got).toEqual([
      { total: 3, count: 3 },
      { total: 12, count: 3 },
      { total: 6, count: 1 },
    ]);
    const byRef = new DataLoader(new SquaresDataset(4), { batchSize: 2, collateFn: { module: sumY.workerDescriptor.module, exportName: 'sumY' } });
    expect(await epoch(byRef, (b) => b)).toEqual([
      { total: 1, count: 2 },
      { total: 5, count: 2 },
    ]);
    // A { module, exportName } collateFn must be imported first, which for...of cannot wait for.
    expect(() => {
      for (const _ of byRef) break;
    }).toThrow(/collateFn was given as \{ module, exportName \}.*for await/);
  });

  it('hand batch i to worker i % numWorkers, seed worker k with base seed + k, and run workerInitFn', async () => {
    const run = async (seed: number) =>
      epoch(
        new DataLoader(new NoisyDataset(12), {
          batchSize: 2,
          numWorkers: 3,
          generator: new Generator(seed),
          workerInitFn: { module: new URL('./test-fixtures/squares-dataset.ts', import.meta.url).href, exportName: 'markWorker' },
        }),
        (b) => ({ worker: b.worker.tolist(), seed: b.seed.map(Number), noise: b.noise.tolist(), thread: b.thread.tolist(), init: b.init }),
      );
    const a = await run(1);
    expect(a).toHaveLength(6);
    a.forEach((b, i) => {
      const batch = b as { worker: number[]; seed: number[]; init: string[]; thread: number[] };
      expect(batch.worker).toEqual([i % 3, i % 3]);
      expect(batch.init).toEqual([`init-${i % 3}`, `init-${i % 3}`]);
      expect(batch.thread[0]).not.toBe(0);
    });
    const seeds = [0, 1, 2].map((k) => (a[k] as { seed: number[] }).seed[0]!);
    expect(seeds[1]! - seeds[0]!).toBe(1);
    expect(seeds[2]! - seeds[0]!).toBe(2);
    // Random transforms in workers replay from the loader's generator, and change with it.
    expect(await run(1)).toEqual(a.map((b) => ({ ...(b as object), thread: expect.anything() })));
    const other = await run(2);
    expect(other.map((b) => (b as { noise: unknown }).noise)).not.toEqual(a.map((b) => (b as { noise: unknown }).noise));
    expect(getWorkerInfo()).toBeNull();
    expect(liveWorkers()).toBe(0);
  });

  it("give a dataset module that imports '@flint/core' by name the worker's own copy of Flint", async () => {
    // Described without importing the module here: only the worker loads it.
    const ds = {
      getItem: (i: number) => i,
      len: () => 4,
      workerDescriptor: () => ({
        module: new URL('./test-fixtures/package-import-dataset.js', import.meta.url).href,
        exportName: 'PackageImportDataset',
        args: [4],
      }),
    };
    const got = await epoch(new DataLoader(ds, { batchSize: 2, numWorkers: 1 }), (b) => (b as unknown as Tensor).tolist());
    expect(got).toEqual([[[0], [1]], [[2], [3]]]);
  });

  it('read an iterable-style dataset in each worker, round robin', async () => {
    const ref = await epoch(new DataLoader(new RangeStream(10), { batchSize: 2 }), (b) => b.tolist());
    expect(ref).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
    const got = await epoch(new DataLoader(new RangeStream(10), { batchSize: 2, numWorkers: 2 }), (b) => b.tolist());
    // Worker 0 streams 0, 2, 4, ...; worker 1 streams 1, 3, 5, ...; batches alternate.
    expect(got).toEqual([[0, 2], [1, 3], [4, 6], [5, 7], [8], [9]]);
    const dropped = await epoch(new DataLoader(new RangeStream(10), { batchSize: 2, numWorkers: 2, dropLast: true }), (b) => b.tolist());
    expect(dropped).toEqual([[0, 2], [1, 3], [4, 6], [5, 7]]);
  });

  it("report a worker's error with the dataset index and the original stack, and stop the workers", async () => {
    const loader = new DataLoader(new SquaresDataset(20, { failAt: 13 }), { batchSize: 2, numWorkers: 2 });
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const b of loader) seen.push(...(b.y.tolist() as number[]));
    } catch (e) {
      error = e;
    }
    expect(DataLoaderError.isInstance(error)).toBe(true);
    const e = error as DataLoaderError;
    expect(e.index).toBe(13);
    expect(e.batchIndex).toBe(6);
    expect(e.workerId).toBe(0);
    expect(e.message).toMatch(/worker 0 failed in dataset\.getItem\(13\) for batch 6: RangeError: sample 13 is corrupt/);
    expect(e.message).toMatch(/failingSample/);
    expect(e.message).toMatch(/squares-dataset\.ts/);
    expect((e.cause as Error).name).toBe('RangeError');
    // Batches before the failing one arrive first, in order.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(liveWorkers()).toBe(0);
  });

  it('stop the workers on break and on an exception in the loop body', async () => {
    const loader = new DataLoader(new SquaresDataset(100), { batchSize: 2, numWorkers: 2 });
    let n = 0;
    for await (const b of loader) {
      expect(b.y.shape).toEqual([2]);
      if (++n === 3) break;
    }
    expect(liveWorkers()).toBe(0);
    await expect(
      (async () => {
        for await (const b of loader) if (b.y.tolist()) throw new Error('boom in the body');
      })(),
    ).rejects.toThrow('boom in the body');
    expect(liveWorkers()).toBe(0);
  });

  it('fail instead of hanging: timeout, and a worker that dies', async () => {
    const hang = new DataLoader(new SquaresDataset(10, { hangAt: 5 }), { batchSize: 2, numWorkers: 2, timeout: 300 });
    await expect(epoch(hang, (b) => b.y.tolist())).rejects.toThrow(/timed out after 300 ms waiting for batch 2 from worker 0/);
    expect(liveWorkers()).toBe(0);
    const dies = new DataLoader(new SquaresDataset(10, { exitAt: 3 }), { batchSize: 2, numWorkers: 2 });
    await expect(epoch(dies, (b) => b.y.tolist())).rejects.toThrow(/worker 1 exited unexpectedly \(exit code 7\)/);
    expect(liveWorkers()).toBe(0);
  });

  it('keep persistent workers across epochs until shutdown()', async () => {
    const loader = new DataLoader(new NoisyDataset(4), { batchSize: 2, numWorkers: 2, persistentWorkers: true, generator: new Generator(0) });
    const threads = async () => epoch(loader, (b) => b.thread.tolist());
    const first = await threads();
    expect(liveWorkers()).toBe(2);
    expect(await threads()).toEqual(first);
    let n = 0;
    for await (const _ of loader) if (++n === 1) break;
    expect(liveWorkers()).toBe(2);
    expect(await threads()).toEqual(first);
    await loader.shutdown();
    expect(liveWorkers()).toBe(0);
    // A failure in the workers stops even persistent ones.
    const failing = new DataLoader(new SquaresDataset(6, { failAt: 4 }), { batchSize: 2, numWorkers: 2, persistentWorkers: true });
    await expect(epoch(failing, (b) => b.y.tolist())).rejects.toThrow(/getItem\(4\)/);
    expect(liveWorkers()).toBe(0);
  });

  it('keep the main thread tensor count flat over 200 batches', async () => {
    const ds = new TensorDataset(arange(800).reshape(400, 2), arange(400));
    const start = live();
    const counts: number[] = [];
    for await (const [x, y] of new DataLoader(ds, { batchSize: 2, numWorkers: 2 })) {
      x!.sum().add(y!.sum()).item();
      counts.push(live());
    }
    expect(counts).toHaveLength(200);
    expect(Math.max(...counts)).toBe(counts[0]);
    expect(live()).toBe(start);
  });

  it('say what to add when something cannot be sent, and to use for await', () => {
    class Local extends Dataset<number> {
      getItem(i: number) {
        return i;
      }
      len() {
        return 3;
      }
    }
    expect(() => new DataLoader(new Local(), { numWorkers: 2 })).toThrow(DataLoaderError);
    expect(() => new DataLoader(new Local(), { numWorkers: 2 })).toThrow(
      /DataLoader\(\): dataset \(Local\) cannot be sent to a worker \(numWorkers = 2\): .*add a method workerDescriptor\(\) \{ return \{ module: import\.meta\.url, exportName: 'Local'/,
    );
    expect(() => new DataLoader({ getItem: (i: number) => i, len: () => 2 }, { numWorkers: 1 })).toThrow(/dataset \(Object\) cannot be sent to a worker .*make it an exported class and add a method workerDescriptor/);
    expect(() => new DataLoader(new Subset(new Local(), [0]), { numWorkers: 1 })).toThrow(/dataset\.workerDescriptor\(\)\.args\[0\] cannot be sent/);
    expect(() => new DataLoader(new SquaresDataset(3), { numWorkers: 1, collateFn: (x: unknown[]) => x })).toThrow(
      /collateFn \(collateFn\) cannot be sent to a worker.*exportName/,
    );
    expect(() => new DataLoader(new SquaresDataset(3), { numWorkers: 1, workerInitFn: () => undefined })).toThrow(/workerInitFn .* cannot be sent to a worker/);
    expect(() => new DataLoader(new SquaresDataset(3), { numWorkers: 1, workerInitFn: { module: '/tmp/x.js', exportName: 'f' } })).toThrow(
      /workerInitFn\.module must be the URL of a module, as import\.meta\.url gives it/,
    );
    const loader = new DataLoader(new SquaresDataset(3), { numWorkers: 2 });
    expect(() => {
      for (const _ of loader) break;
    }).toThrow(/with numWorkers = 2 batches arrive asynchronously from worker threads; iterate with for await/);
  });
});
