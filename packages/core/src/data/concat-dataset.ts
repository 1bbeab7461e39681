/**
 * `ConcatDataset`: several map-style datasets read as one.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Dataset, isMapDataset, type MapDataset } from './dataset.js';
import { checkIndex } from './util.js';
import type { WorkerDescriptor } from './worker-descriptor.js';

/**
 * Map-style datasets one after another (`torch.utils.data.ConcatDataset`): index `i` reads the
 * dataset that holds position `i` of the concatenation. Sends to workers when every part does.
 *
 * @example
 * ```ts
 * const both = new ConcatDataset([train, extra]);
 * both.len(); // train.len() + extra.len()
 * both.getItem(train.len()); // extra.getItem(0)
 * ```
 */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  /** The parts, in order. */
  readonly datasets: readonly MapDataset<T>[];
  /** The running totals of the parts' lengths (`cumulative_sizes`). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<MapDataset<T>>) {
    super();
    const list = datasets !== null && typeof datasets === 'object' && Symbol.iterator in datasets ? [...datasets] : null;
    if (list === null || list.length === 0) {
      throw new ArgumentError(`ConcatDataset(): datasets must be a non-empty array of datasets (got ${describe(datasets)})`);
    }
    list.forEach((d, i) => {
      if (!isMapDataset(d)) {
        throw new ArgumentError(
          `ConcatDataset(): datasets[${i}] must be a map-style dataset with getItem() and len() (got ${describe(d)}); use ChainDataset for IterableDatasets`,
        );
      }
    });
    this.datasets = list;
    let total = 0;
    this.cumulativeSizes = list.map((d) => (total += d.len()));
  }

  getItem(index: number): T | Promise<T> {
    const i = checkIndex('ConcatDataset.getItem', index, this.len());
    // The first part whose running total exceeds i (bisect_right).
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1]!;
    return this.datasets[lo]!.getItem(i - start);
  }

  len(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'ConcatDataset', args: [this.datasets] };
  }
}
