/**
 * `DataLoader`: batches from a dataset, shuffled, collated, optionally loaded by worker threads.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';
import { beginScope, currentScope, scope, type OpenScope } from '../memory/scope.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { BatchSampler } from './batch-sampler.js';
import { decode } from './codec.js';
import { defaultCollate, defaultConvert, type Collated } from './collate.js';
import { DataLoaderError } from './dataloader-error.js';
import { isMapDataset, isStreamDataset, type MapDataset, type StreamDataset } from './dataset.js';
import { drawSeed } from './draw.js';
import { fetchAsync, fetchSync, ItemFailure, nextAsync, nextSync, streamIterator } from './fetch.js';
import { RandomSampler } from './random-sampler.js';
import type { SamplerLike } from './sampler.js';
import { SequentialSampler } from './sequential-sampler.js';
import { checkBool, checkInt } from './util.js';
import { checkSendable, functionRef, isPlainObject, isSendable, type ModuleExport, type WorkerFunction } from './worker-descriptor.js';
import { DONE, WorkerPool } from './worker-pool.js';

/**
 * Options of {@link DataLoader}: PyTorch's keyword arguments, camelCased.
 *
 * @example
 * ```ts
 * const options: DataLoaderOptions = { batchSize: 64, shuffle: true, numWorkers: 4, generator: new Generator(0) };
 * ```
 */
export interface DataLoaderOptions<T = unknown, B = Collated<T>> {
  /** Samples per batch (default 1); `null` turns batching off: each sample goes through `collateFn` alone. */
  batchSize?: number | null;
  /** Draw a fresh random order every epoch (default false). */
  shuffle?: boolean;
  /** The order of indices (instead of `shuffle`). */
  sampler?: SamplerLike;
  /** Whole batches of indices (instead of `batchSize`, `shuffle`, `sampler` and `dropLast`). */
  batchSampler?: SamplerLike<number[]>;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /**
   * Makes a batch from samples (default {@link defaultCollate}, or {@link defaultConvert} when
   * `batchSize` is null). With workers it runs in the workers, so it must be sendable: a function
   * with a `workerDescriptor` property, or `{ module: import.meta.url, exportName }`.
   */
  collateFn?: WorkerFunction<(samples: T[]) => B>;
  /** The generator for `shuffle` and for the workers' base seed (default: the default generator). */
  generator?: Generator;
  /** Worker threads loading batches (default 0: load on the calling thread). Needs `for await`. */
  numWorkers?: number;
  /** Batches in flight per worker (default 2). */
  prefetchFactor?: number;
  /** Keep the workers between epochs (default false); `shutdown()` stops them. */
  persistentWorkers?: boolean;
  /**
   * Milliseconds to wait for a batch from a worker before failing (default 0: no limit). A
   * worker's start-up (importing modules, rebuilding the dataset) is not counted.
   */
  timeout?: number;
  /**
   * Runs in each worker with its id, after seeding and before loading (default none). It must be
   * sendable: `{ module: import.meta.url, exportName: 'initWorker' }`, or a function carrying such
   * a `workerDescriptor` property. Not called when `numWorkers` is 0.
   */
  workerInitFn?: WorkerFunction<(workerId: number) => unknown>;
  /** Accepted for compatibility; Flint has no pinned memory, so it does nothing. */
  pinMemory?: boolean;
}

/** How a loop's open scope is ended when its iterator is dropped without finishing. */
interface LoopState {
  loop: OpenScope | undefined;
  scopeTensors: Iterable<unknown> | undefined;
  pool: WorkerPool | null;
}

/**
 * Abandoned iterators (`loader[Symbol.iterator]().next()`, then dropped) keep nothing alive: their
 * loop scope is dissolved (its tensors live on, unscoped) and their workers are stopped.
 */
const abandoned = new FinalizationRegistry<LoopState>((s) => {
  if (s.loop !== undefined) s.loop.end(s.scopeTensors === undefined ? undefined : [...s.scopeTensors]);
  if (s.pool !== null) void s.pool.terminate();
});

/** A loader dropped with persistent workers still running stops them. */
const droppedLoaders = new FinalizationRegistry<{ pool: WorkerPool | null }>((h) => {
  if (h.pool !== null) void h.pool.terminate();
});

function openLoop(state: LoopState): OpenScope {
  const loop = beginScope();
  state.loop = loop;
  state.scopeTensors = currentScope()?.tensors;
  return loop;
}

function closeLoop(state: LoopState): void {
  state.loop?.end();
  state.loop = undefined;
  state.scopeTensors = undefined;
}

/**
 * Batches from a dataset (`torch.utils.data.DataLoader`): samples chosen by a sampler (in order,
 * or shuffled afresh each epoch from `generator`), read with `getItem`, and collated into batches
 * by {@link defaultCollate}. Iterate it with `for...of`, or with `for await` (needed when
 * `numWorkers > 0`, or when `getItem` returns Promises). Each epoch draws a base seed from
 * `generator` (as PyTorch does, workers or not), so random streams advance the same either way.
 *
 * Memory: each iteration runs in a scope that closes when the next batch is asked for or the
 * loop ends, so the batch and every tensor the loop body makes are freed then; `keep()` what must
 * outlive the iteration (a running metric, say), as parameters and optimizer state already are.
 * So `[...loader]` gives freed batches: keep() each one to collect them.
 *
 * Workers (`numWorkers > 0`) are threads that rebuild the dataset from its `workerDescriptor()`
 * (TensorDataset, Subset, ConcatDataset and ChainDataset have one), each seeded with the
 * epoch's base seed (drawn from `generator`) plus its id, so random transforms are reproducible.
 * Batch `i` goes to worker `i % numWorkers` and batches come back in sampler order: the batches
 * are exactly those of `numWorkers: 0`. A worker's error is raised here as a
 * {@link DataLoaderError} naming the dataset index, with the worker's stack. Finishing the epoch,
 * `break`, or an exception in the loop stops the workers (kept with `persistentWorkers`).
 *
 * @example
 * ```ts
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     optimizer.zeroGrad();
 *     lossFn(model.forward(xb), yb).backward();
 *     optimizer.step();
 *   }
 * }
 * // With worker threads:
 * const fast = new DataLoader(new ImageDataset(root), { batchSize: 64, numWorkers: 4 });
 * for await (const { image, label } of fast) step(image, label);
 * ```
 */
export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: MapDataset<T> | StreamDataset<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  /** The index sampler (`null` for an iterable-style dataset). */
  readonly sampler: SamplerLike | null;
  /** The batch sampler (`null` when `batchSize` is null or the dataset is iterable-style). */
  readonly batchSampler: SamplerLike<number[]> | null;
  readonly generator: Generator | undefined;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  readonly persistentWorkers: boolean;
  readonly timeout: number;
  readonly pinMemory: boolean;
  private readonly collateFn: ((samples: never) => unknown) | null;
  private readonly collateRef: ModuleExport | null;
  private readonly workerInitRef: ModuleExport | null;
  /** The persistent workers, if running (an object, so a dropped loader can stop them). */
  private readonly persistent: { pool: WorkerPool | null } = { pool: null };

  constructor(dataset: MapDataset<T> | StreamDataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const fn = 'DataLoader()';
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object (got ${describe(options)})`);
    const stream = isStreamDataset(dataset);
    if (!stream && !isMapDataset(dataset)) {
      throw new ArgumentError(
        `${fn}: dataset must be a Dataset (with getItem() and len()), an IterableDataset or an iterable (got ${describe(dataset)})`,
      );
    }
    this.dataset = dataset;
    const o = options;
    const batchSize = o.batchSize === undefined ? 1 : o.batchSize;
    if (batchSize !== null) checkInt('DataLoader', 'batchSize', batchSize, 1);
    const shuffle = checkBool('DataLoader', 'shuffle', o.shuffle ?? false);
    const dropLast = checkBool('DataLoader', 'dropLast', o.dropLast ?? false);
    this.numWorkers = checkInt('DataLoader', 'numWorkers', o.numWorkers ?? 0, 0);
    this.prefetchFactor = checkInt('DataLoader', 'prefetchFactor', o.prefetchFactor ?? 2, 1);
    this.persistentWorkers = checkBool('DataLoader', 'persistentWorkers', o.persistentWorkers ?? false);
    this.pinMemory = checkBool('DataLoader', 'pinMemory', o.pinMemory ?? false);
    const timeout = o.timeout ?? 0;
    if (typeof timeout !== 'number' || !(timeout >= 0) || timeout === Infinity) {
      throw new ArgumentError(`${fn}: timeout must be a number of milliseconds >= 0 (got ${describe(timeout)})`);
    }
    this.timeout = timeout;
    if (this.numWorkers === 0 && o.prefetchFactor !== undefined && o.prefetchFactor !== 2) {
      throw new ArgumentError(`${fn}: prefetchFactor only applies with worker threads; set numWorkers > 0 (got prefetchFactor ${o.prefetchFactor} with numWorkers 0)`);
    }
    if (this.numWorkers === 0 && this.persistentWorkers) {
      throw new ArgumentError(`${fn}: persistentWorkers needs numWorkers > 0 (got numWorkers 0)`);
    }
    if (o.generator !== undefined && !(o.generator instanceof Generator)) {
      throw new ArgumentError(`${fn}: generator must be a Generator (got ${describe(o.generator)})`);
    }
    this.generator = o.generator;
    if (stream) {
      for (const [k, bad] of [['shuffle', shuffle], ['sampler', o.sampler !== undefined], ['batchSampler', o.batchSampler !== undefined]] as const) {
        if (bad) throw new ArgumentError(`${fn}: an iterable-style dataset sets its own order, so ${k} must not be given (got ${describe(o[k])})`);
      }
    }
    if (o.batchSampler !== undefined && (batchSize !== 1 || shuffle || o.sampler !== undefined || dropLast)) {
      throw new ArgumentError(`${fn}: batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (leave those unset)`);
    }
    if (o.sampler !== undefined && shuffle) {
      throw new ArgumentError(`${fn}: sampler is mutually exclusive with shuffle (shuffle with a RandomSampler instead)`);
    }
    if (batchSize === null && dropLast) {
      throw new ArgumentError(`${fn}: dropLast needs batching; it cannot be true when batchSize is null`);
    }
    for (const [k, s] of [['sampler', o.sampler], ['batchSampler', o.batchSampler]] as const) {
      if (s !== undefined && (s === null || typeof (s as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
        throw new ArgumentError(`${fn}: ${k} must be an iterable of indices, such as a Sampler (got ${describe(s)})`);
      }
    }
    if (o.batchSampler !== undefined) {
      this.batchSize = null;
      this.dropLast = false;
      this.sampler = null;
      this.batchSampler = o.batchSampler;
    } else {
      this.batchSize = batchSize;
      this.dropLast = dropLast;
      if (stream) this.sampler = null;
      else {
        const ds = dataset as MapDataset<T>;
        this.sampler = o.sampler ?? (shuffle ? new RandomSampler(ds, { generator: o.generator }) : new SequentialSampler(ds));
      }
      this.batchSampler = this.sampler !== null && batchSize !== null ? new BatchSampler(this.sampler, batchSize, dropLast) : null;
    }

    const collate = o.collateFn;
    if (collate !== undefined && typeof collate !== 'function' && (collate === null || typeof collate !== 'object')) {
      throw new ArgumentError(`${fn}: collateFn must be a function or { module, exportName } (got ${describe(collate)})`);
    }
    const batching = this.batchSampler !== null || (stream && this.batchSize !== null);
    const fallback = batching ? defaultCollate : defaultConvert;
    this.collateFn = typeof collate === 'function' ? collate : collate === undefined ? fallback : null;
    const init = o.workerInitFn;
    if (init !== undefined && typeof init !== 'function' && (init === null || typeof init !== 'object')) {
      throw new ArgumentError(`${fn}: workerInitFn must be a function or { module, exportName } (got ${describe(init)})`);
    }
    if (this.numWorkers > 0) {
      if (!isSendable(dataset)) {
        const plain = isPlainObject(dataset);
        const name = plain ? 'MyDataset' : ((dataset as object).constructor?.name ?? 'MyDataset');
        throw new DataLoaderError(
          `${fn}: dataset (${describe(dataset)}) cannot be sent to a worker (numWorkers = ${this.numWorkers}): a worker rebuilds the dataset from a description; ` +
            `${plain ? 'make it an exported class and add' : 'add'} a method workerDescriptor() { return { module: import.meta.url, exportName: '${name}', args: [/* constructor arguments */] }; } to ${name}, or use numWorkers: 0`,
        );
      }
      checkSendable(fn, 'dataset', dataset);
      this.collateRef = functionRef(fn, 'collateFn', collate ?? fallback);
      this.workerInitRef = functionRef(fn, 'workerInitFn', init);
    } else {
      this.collateRef = collate !== undefined && typeof collate !== 'function' ? functionRef(fn, 'collateFn', collate) : null;
      this.workerInitRef = null;
    }
    if (this.persistentWorkers) droppedLoaders.register(this, this.persistent);
  }

  /** Whether samples are collated into batches (PyTorch's "automatic batching"). */
  private get batching(): boolean {
    return this.batchSampler !== null || (this.sampler === null && this.batchSize !== null);
  }

  /** The number of batches per epoch (`len(loader)`). */
  len(): number {
    const fn = 'DataLoader.len';
    if (this.sampler === null && this.batchSampler === null) {
      const len = (this.dataset as { len?: () => number }).len;
      if (typeof len !== 'function') {
        throw new ArgumentError(`${fn}(): the iterable-style dataset has no len(), so the number of batches is unknown`);
      }
      const n = len.call(this.dataset);
      if (this.batchSize === null) return n;
      return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    }
    const s = (this.batchSampler ?? this.sampler) as { len?: () => number };
    if (typeof s.len !== 'function') throw new ArgumentError(`${fn}(): the sampler has no len(), so the number of batches is unknown`);
    return s.len();
  }

  /** The number of batches per epoch, as `len()`. */
  get length(): number {
    return this.len();
  }

  /** The lists of indices of one epoch (one-element lists when not batching). */
  private indexBatches(): Iterator<number[]> {
    if (this.batchSampler !== null) return this.batchSampler[Symbol.iterator]();
    const it = this.sampler![Symbol.iterator]();
    return {
      next: () => {
        const r = it.next();
        return r.done ? { done: true, value: undefined } : { done: false, value: [r.value] };
      },
    };
  }

  private collateSync(samples: unknown[]): B {
    if (this.collateFn === null) {
      throw new DataLoaderError(
        'DataLoader: collateFn was given as { module, exportName }, which must be imported first; iterate with for await, or pass the function itself',
      );
    }
    const c = this.collateFn as (x: unknown) => B;
    return this.batching ? c(samples) : c(samples[0]);
  }

  private async collateAsync(samples: unknown[]): Promise<B> {
    if (this.collateFn !== null) return this.collateSync(samples);
    const ref = this.collateRef!;
    const f = ((await import(ref.module)) as Record<string, unknown>)[ref.exportName];
    if (typeof f !== 'function') throw new DataLoaderError(`DataLoader: ${ref.module} has no exported function '${ref.exportName}' (collateFn)`);
    const c = f as (x: unknown) => B;
    return this.batching ? c(samples) : c(samples[0]);
  }

  /**
   * Iterates one epoch on this thread. Errors when `numWorkers > 0` (use `for await`).
   *
   * @example
   * ```ts
   * for (const [x, y] of loader) step(x, y);
   * ```
   */
  [Symbol.iterator](): Iterator<B> {
    if (this.numWorkers > 0) {
      throw new DataLoaderError(
        `DataLoader: with numWorkers = ${this.numWorkers} batches arrive asynchronously from worker threads; iterate with for await (const batch of loader)`,
      );
    }
    const state: LoopState = { loop: undefined, scopeTensors: undefined, pool: null };
    const gen = this.iterateSync(state);
    abandoned.register(gen, state);
    return gen;
  }

  private *iterateSync(state: LoopState): IterableIterator<B> {
    drawSeed(this.generator ?? defaultGenerator);
    const batches = this.sampler === null && this.batchSampler === null ? null : this.indexBatches();
    const stream = batches === null ? (streamIterator(this.dataset, false) as Iterator<unknown>) : null;
    try {
      for (;;) {
        closeLoop(state);
        const r = batches?.next();
        if (r?.done) return;
        openLoop(state);
        // Samples and their temporaries are freed as soon as the batch is made.
        const batch = scope(() => {
          const items = r !== undefined ? fetchSync(this.dataset as MapDataset, r.value) : nextSync(stream!, this.batchSize, this.dropLast);
          return items === null ? DONE : this.collateSync(items);
        });
        if (batch === DONE) return;
        yield batch;
      }
    } finally {
      closeLoop(state);
    }
  }

  /**
   * Iterates one epoch asynchronously: on this thread when `numWorkers` is 0, else in workers.
   *
   * @example
   * ```ts
   * for await (const { image, label } of loader) step(image, label);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    const state: LoopState = { loop: undefined, scopeTensors: undefined, pool: null };
    const gen = this.numWorkers === 0 ? this.iterateAsync(state) : this.iterateWorkers(state);
    abandoned.register(gen, state);
    return gen;
  }

  private async *iterateAsync(state: LoopState): AsyncGenerator<B, void, undefined> {
    drawSeed(this.generator ?? defaultGenerator);
    const batches = this.sampler === null && this.batchSampler === null ? null : this.indexBatches();
    const stream = batches === null ? streamIterator(this.dataset, true) : null;
    try {
      for (;;) {
        closeLoop(state);
        const r = batches?.next();
        if (r?.done) return;
        openLoop(state);
        const batch = await scope(async () => {
          let items: unknown[] | null;
          if (r !== undefined) {
            try {
              items = await fetchAsync(this.dataset as MapDataset, r.value);
            } catch (e) {
              throw e instanceof ItemFailure ? e.error : e;
            }
          } else items = await nextAsync(stream!, this.batchSize, this.dropLast);
          return items === null ? DONE : await this.collateAsync(items);
        });
        if (batch === DONE) return;
        yield batch;
      }
    } finally {
      closeLoop(state);
    }
  }

  private async *iterateWorkers(state: LoopState): AsyncGenerator<B, void, undefined> {
    const baseSeed = drawSeed(this.generator ?? defaultGenerator);
    const batches = this.sampler === null && this.batchSampler === null ? null : this.indexBatches();
    const kept = this.persistent.pool;
    let pool = kept !== null && kept.usable ? kept : null;
    if (kept !== null && pool === null) {
      // Persistent workers that failed between epochs (one died): replace them.
      this.persistent.pool = null;
      await kept.terminate();
    }
    if (pool === null) {
      pool = new WorkerPool({
        numWorkers: this.numWorkers,
        prefetchFactor: this.prefetchFactor,
        timeout: this.timeout,
        dataset: this.dataset,
        stream: batches === null,
        batchSize: this.batchSize,
        dropLast: this.dropLast,
        collate: this.collateRef!,
        workerInitFn: this.workerInitRef,
        baseSeed,
      });
      if (this.persistentWorkers) this.persistent.pool = pool;
      else state.pool = pool;
    }
    let workersFailed = true;
    try {
      const epoch = pool.startEpoch(batches);
      for (;;) {
        closeLoop(state);
        workersFailed = true;
        const data = await epoch.next();
        workersFailed = false;
        if (data === DONE) break;
        openLoop(state);
        yield decode(data) as B;
      }
    } finally {
      closeLoop(state);
      // The end of the epoch, a break, an exception in the loop body or a worker's failure (an
      // error, a timeout): only persistent workers that did not fail outlive the loop.
      const keep = pool === this.persistent.pool && pool.usable && !workersFailed;
      if (!keep) {
        if (this.persistent.pool === pool) this.persistent.pool = null;
        state.pool = null;
        await pool.terminate();
      }
    }
  }

  /**
   * Stops persistent workers now (they also stop when the process exits, and never keep it
   * alive). Iterating again starts new ones.
   *
   * @example
   * ```ts
   * const loader = new DataLoader(ds, { numWorkers: 4, persistentWorkers: true });
   * for (let e = 0; e < epochs; e++) for await (const b of loader) step(b);
   * await loader.shutdown();
   * ```
   */
  async shutdown(): Promise<void> {
    const pool = this.persistent.pool;
    this.persistent.pool = null;
    await pool?.terminate();
  }

  /** `await using loader = new DataLoader(...)` stops persistent workers at the block's end. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}
