/**
 * The two kinds of dataset (`torch.utils.data.Dataset` and `IterableDataset`): map-style, read
 * by index, and iterable-style, read as a stream.
 * @module
 */

/**
 * A map-style dataset: `getItem(index)` returns sample `index` (`__getitem__`), `len()` says
 * how many there are (`__len__`). `getItem` may return a Promise (reading a file, decoding an
 * image); iterate the loader with `for await` then. To load it in {@link DataLoader} workers,
 * add a `workerDescriptor()` method returning a {@link WorkerDescriptor}: a worker rebuilds the
 * dataset by calling the constructor again with those arguments.
 *
 * @example
 * ```ts
 * class Squares extends Dataset<[number, number]> {
 *   constructor(readonly n: number) { super(); }
 *   getItem(i: number): [number, number] { return [i, i * i]; }
 *   len() { return this.n; }
 *   // Only needed for numWorkers > 0:
 *   workerDescriptor() { return { module: import.meta.url, exportName: 'Squares', args: [this.n] }; }
 * }
 * new Squares(4).getItem(3); // [3, 9]
 * ```
 */
export abstract class Dataset<T = unknown> {
  /** Sample `index`, for `0 <= index < len()` (`__getitem__`). */
  abstract getItem(index: number): T | Promise<T>;
  /** The number of samples (`__len__`). */
  abstract len(): number;
  /** The number of samples, as `len()`. */
  get length(): number {
    return this.len();
  }
}

/**
 * An iterable-style dataset: a stream of samples (`torch.utils.data.IterableDataset`). Implement
 * `[Symbol.iterator]` or `[Symbol.asyncIterator]` (the latter needs `for await` over the loader).
 * With workers, each worker iterates its own copy: use {@link getWorkerInfo} to split the
 * stream, or every worker yields every sample, as in PyTorch. A `len()` method is optional
 * (it lets `DataLoader.length` work); `workerDescriptor()` works as for {@link Dataset}.
 *
 * @example
 * ```ts
 * class Range extends IterableDataset<number> {
 *   constructor(readonly n: number) { super(); }
 *   *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield i; }
 * }
 * [...new Range(3)]; // [0, 1, 2]
 * ```
 */
export abstract class IterableDataset<T = unknown> {
  /** @internal Marks the sample type; never set. */
  declare readonly _sample?: T;
}

/**
 * What a loader reads by index: a {@link Dataset} or anything with `getItem` and `len`.
 *
 * @example
 * ```ts
 * const squares: MapDataset<number> = { getItem: (i) => i * i, len: () => 10 };
 * ```
 */
export interface MapDataset<T = unknown> {
  getItem(index: number): T | Promise<T>;
  len(): number;
}

/**
 * What a loader reads as a stream: an {@link IterableDataset} or any (async) iterable.
 *
 * @example
 * ```ts
 * const lines: StreamDataset<string> = readline.createInterface({ input: createReadStream('data.txt') });
 * ```
 */
export type StreamDataset<T = unknown> = Iterable<T> | AsyncIterable<T>;

/** Whether `d` is read by index (`getItem` and `len`) rather than iterated. @internal */
export function isMapDataset(d: unknown): d is MapDataset {
  return (
    typeof d === 'object' &&
    d !== null &&
    !(d instanceof IterableDataset) &&
    typeof (d as MapDataset).getItem === 'function' &&
    typeof (d as MapDataset).len === 'function'
  );
}

/** Whether `d` is read as a stream. @internal */
export function isStreamDataset(d: unknown): d is StreamDataset {
  return (
    typeof d === 'object' &&
    d !== null &&
    !isMapDataset(d) &&
    (typeof (d as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (d as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}
