/**
 * `Subset`: a dataset restricted to some of its indices.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { Dataset, isMapDataset, type MapDataset } from './dataset.js';
import { checkIndex } from './util.js';
import type { WorkerDescriptor } from './worker-descriptor.js';

/**
 * The samples of `dataset` at `indices`, in that order (`torch.utils.data.Subset`). Sends to
 * workers when `dataset` does.
 *
 * @example
 * ```ts
 * const firstTen = new Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * firstTen.getItem(3); // ds.getItem(3)
 * ```
 */
export class Subset<T = unknown> extends Dataset<T> {
  /** The whole dataset. */
  readonly dataset: MapDataset<T>;
  /** The indices into `dataset`, in order. */
  readonly indices: readonly number[];

  constructor(dataset: MapDataset<T>, indices: ArrayLike<number>) {
    super();
    if (!isMapDataset(dataset)) {
      throw new ArgumentError(`Subset(): dataset must be a map-style dataset with getItem() and len() (got ${describe(dataset)})`);
    }
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
      throw new ArgumentError(`Subset(): indices must be an array of integers (got ${describe(indices)})`);
    }
    const list = Array.from(indices);
    list.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ArgumentError(`Subset(): indices[${i}] must be an integer (got ${describe(v)})`);
    });
    this.dataset = dataset;
    this.indices = list;
  }

  getItem(index: number): T | Promise<T> {
    return this.dataset.getItem(this.indices[checkIndex('Subset.getItem', index, this.indices.length)]!);
  }

  len(): number {
    return this.indices.length;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'Subset', args: [this.dataset, Int32Array.from(this.indices)] };
  }
}
