/**
 * `ChainDataset`: several streams read one after another.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { IterableDataset, type StreamDataset } from './dataset.js';
import { lengthOf } from './util.js';
import type { WorkerDescriptor } from './worker-descriptor.js';

/**
 * Iterable datasets chained into one stream (`torch.utils.data.ChainDataset`). Iterable with
 * `for...of` when every part is synchronous, always with `for await`.
 *
 * @example
 * ```ts
 * const all = new ChainDataset([shard0, shard1]);
 * for (const sample of all) use(sample);
 * ```
 */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  /** The parts, in order. */
  readonly datasets: readonly StreamDataset<T>[];

  constructor(datasets: Iterable<StreamDataset<T>>) {
    super();
    if (datasets === null || typeof datasets !== 'object' || !(Symbol.iterator in datasets)) {
      throw new ArgumentError(`ChainDataset(): datasets must be an array of iterable datasets (got ${describe(datasets)})`);
    }
    const list = [...datasets];
    list.forEach((d, i) => {
      const ok = d !== null && typeof d === 'object' && (Symbol.iterator in d || Symbol.asyncIterator in d);
      if (!ok) throw new ArgumentError(`ChainDataset(): datasets[${i}] must be iterable (got ${describe(d)})`);
    });
    this.datasets = list;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.datasets.length; i++) {
      const d = this.datasets[i]!;
      if (!(Symbol.iterator in d)) {
        throw new ArgumentError(`ChainDataset: datasets[${i}] can only be iterated asynchronously; iterate with for await`);
      }
      yield* d as Iterable<T>;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const d of this.datasets) yield* d;
  }

  /** The total length; every part must have `len()`. */
  len(): number {
    return this.datasets.reduce((n, d, i) => n + lengthOf('ChainDataset.len', `datasets[${i}]`, d), 0);
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'ChainDataset', args: [this.datasets] };
  }
}
