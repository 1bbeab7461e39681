/**
 * `getWorkerInfo`: inside a DataLoader worker, which worker this is.
 * @module
 */

/**
 * What {@link getWorkerInfo} tells a worker about itself.
 *
 * @example
 * ```ts
 * const info: WorkerInfo | null = getWorkerInfo();
 * if (info !== null) console.log(`worker ${info.id} of ${info.numWorkers}, seed ${info.seed}`);
 * ```
 */
export interface WorkerInfo {
  /** This worker's id, in `[0, numWorkers)`. */
  readonly id: number;
  /** How many workers the loader runs. */
  readonly numWorkers: number;
  /** The seed of this worker's default generator: the loader's base seed plus `id`. */
  readonly seed: number;
  /** This worker's copy of the dataset. */
  readonly dataset: unknown;
}

let info: WorkerInfo | null = null;

/**
 * In a DataLoader worker, the worker's id, count, seed and dataset copy; `null` on the main
 * thread (`torch.utils.data.get_worker_info`). Use it in an IterableDataset to give each worker
 * its own share of the stream, or in a `workerInitFn`.
 *
 * @example
 * ```ts
 * *[Symbol.iterator]() {
 *   const w = getWorkerInfo();
 *   const [id, n] = w === null ? [0, 1] : [w.id, w.numWorkers];
 *   for (let i = id; i < this.n; i += n) yield i;
 * }
 * ```
 */
export function getWorkerInfo(): WorkerInfo | null {
  return info;
}

/** Set once by the worker entry. @internal */
export function setWorkerInfo(value: WorkerInfo): void {
  info = Object.freeze({ ...value });
}
