/**
 * The loader's side of its worker threads: starting them, handing out batches round robin with
 * `prefetchFactor` batches in flight per worker, giving batches back in sampler order whatever
 * finishes first, turning a worker's failure, death or silence into a {@link DataLoaderError},
 * and stopping the threads.
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { backend } from '../kernels/backend.js';
import { encode, modulesOf } from './codec.js';
import { DataLoaderError } from './dataloader-error.js';
import type { FromWorker, SentError, ToWorker, WorkerInit } from './worker-main.js';
import type { ModuleExport } from './worker-descriptor.js';

/** What the pool needs to start its workers. */
export interface PoolOptions {
  numWorkers: number;
  prefetchFactor: number;
  /** Milliseconds to wait for a batch; 0 waits forever. */
  timeout: number;
  dataset: object;
  stream: boolean;
  batchSize: number | null;
  dropLast: boolean;
  collate: ModuleExport;
  workerInitFn: ModuleExport | null;
  /** Worker `i` seeds its default generator with `baseSeed + i`. */
  baseSeed: number;
}

/** What {@link Epoch.next} returns when the epoch is over. */
export const DONE: unique symbol = Symbol('done');

let liveCount = 0;

/** How many DataLoader worker threads are running in this process (for tests). @internal */
export function liveWorkers(): number {
  return liveCount;
}

const TS = /\.(ts|mts|cts|tsx)$/;

/** The URL of tsx's ESM register API, looked up from each of `from` in turn. */
function findTsx(from: readonly string[]): string | null {
  for (const base of from) {
    try {
      const pkgPath = createRequire(base).resolve('tsx/package.json');
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, unknown> };
      const api = pkg.exports?.['./esm/api'] as { import?: string | { default?: string } } | undefined;
      const rel = typeof api?.import === 'string' ? api.import : api?.import?.default;
      if (rel !== undefined) return pathToFileURL(join(dirname(pkgPath), rel)).href;
    } catch {
      // Not found from here; try the next place.
    }
  }
  return null;
}

/**
 * How to start a worker: the built `worker-main.js` directly, or, when Flint runs from its
 * TypeScript sources or a module the worker loads is TypeScript, a bootstrap that registers
 * tsx in the worker first (Node does not pass a parent's loaders on to worker threads).
 */
function workerEntry(modules: readonly string[]): { script: string | URL; eval: boolean; execArgv?: string[] } {
  const ownTs = TS.test(new URL(import.meta.url).pathname);
  const entry = new URL(`./worker-main.${ownTs ? 'ts' : 'js'}`, import.meta.url);
  const tsModules = modules.filter((m) => m.startsWith('file:') && TS.test(new URL(m).pathname));
  if (!ownTs && tsModules.length === 0) return { script: entry, eval: false };
  const from = [...tsModules.map((m) => fileURLToPath(m)), join(process.cwd(), 'noop.js'), fileURLToPath(import.meta.url)];
  const tsx = findTsx(from);
  if (tsx === null) {
    throw new DataLoaderError(
      `DataLoader: workers must load TypeScript (${ownTs ? entry.href : tsModules[0]}), which needs tsx: install it (npm i -D tsx), build to JavaScript, or use numWorkers: 0`,
    );
  }
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  // From sources, modules that import '@flint/core' by name must get these same source files
  // (the package's `source` export condition), not a built copy: one copy of Tensor per thread.
  // Only resolution flags are passed on: a worker rejects process-wide ones (--max-old-space-size).
  const conditions = process.execArgv.filter((a) => a.startsWith('--conditions='));
  return ownTs ? { script: code, eval: true, execArgv: [...conditions, '--conditions=source'] } : { script: code, eval: true };
}

function causeOf(e: SentError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = e.stack;
  return err;
}

interface Slot {
  id: number;
  worker: Worker;
  exited: Promise<number>;
  /** Whether the worker has started (rebuilt the dataset, run workerInitFn). */
  ready: boolean;
}

/** One epoch of batches from the pool, in sampler order. */
export class Epoch {
  private sendIdx = 0;
  private rcvdIdx = 0;
  private readonly owner = new Map<number, number>();
  private readonly results = new Map<number, Exclude<FromWorker, { type: 'ready' }>>();
  private readonly active: boolean[];
  private cursor = 0;
  private wake: (() => void) | null = null;
  private error: DataLoaderError | null = null;
  /** The batch being waited for, and when waiting for it times out. */
  private waitIdx = -1;
  private deadline = Infinity;

  constructor(
    private readonly pool: WorkerPool,
    readonly id: number,
    private readonly batches: Iterator<number[]> | null,
  ) {
    this.active = pool.slots.map(() => true);
    for (let i = 0; i < pool.options.prefetchFactor * pool.slots.length; i++) if (!this.put()) break;
  }

  /** Sends the next request to the next worker in the cycle; false when there is none. */
  private put(): boolean {
    const n = this.active.length;
    let w = -1;
    for (let k = 0; k < n; k++) {
      const c = (this.cursor + k) % n;
      if (this.active[c]) {
        w = c;
        break;
      }
    }
    if (w < 0) return false;
    let msg: ToWorker;
    if (this.batches === null) msg = { type: 'next', epoch: this.id, idx: this.sendIdx };
    else {
      const r = this.batches.next();
      if (r.done) return false;
      msg = { type: 'fetch', epoch: this.id, idx: this.sendIdx, indices: r.value };
    }
    this.cursor = (w + 1) % n;
    this.owner.set(this.sendIdx, w);
    this.sendIdx++;
    this.pool.slots[w]!.worker.postMessage(msg);
    return true;
  }

  /** A message from a worker for this epoch. */
  deliver(m: Exclude<FromWorker, { type: 'ready' }>): void {
    if (m.idx === undefined) return;
    this.results.set(m.idx, m);
    this.wake?.();
  }

  /** Wakes a pending `next()` to look again (a worker became ready). */
  poke(): void {
    this.wake?.();
  }

  /** Ends the epoch with `e`: the pending and every later `next()` throw it. */
  fail(e: DataLoaderError): void {
    this.error ??= e;
    this.wake?.();
  }

  private failure(m: Extract<FromWorker, { type: 'error' }>, idx: number): DataLoaderError {
    const w = this.owner.get(idx)!;
    const where =
      m.phase === 'fetch' && m.index !== undefined
        ? `dataset.getItem(${m.index})`
        : m.phase === 'collate'
          ? 'collateFn'
          : m.phase === 'send'
            ? 'sending the batch to the main thread (is every part of it structured-cloneable?)'
            : 'reading the dataset stream';
    return new DataLoaderError(
      `DataLoader worker ${w} failed in ${where} for batch ${idx}: ${m.error.name}: ${m.error.message}\n\nOriginal stack (worker ${w}):\n${m.error.stack}`,
      { workerId: w, index: m.index, batchIndex: idx, cause: causeOf(m.error) },
    );
  }

  /** The next batch (encoded), in sampler order, or {@link DONE}. */
  async next(): Promise<unknown> {
    for (;;) {
      if (this.error !== null) throw this.error;
      if (this.rcvdIdx === this.sendIdx) return DONE;
      const idx = this.rcvdIdx;
      const r = this.results.get(idx);
      if (r === undefined) {
        await this.waitForMessage(idx);
        continue;
      }
      this.results.delete(idx);
      const w = this.owner.get(idx)!;
      if (r.type === 'error') {
        this.fail(this.failure(r, idx));
        continue;
      }
      this.owner.delete(idx);
      this.rcvdIdx++;
      if (r.type === 'end') {
        this.active[w] = false;
        this.put();
        continue;
      }
      this.put();
      return r.data;
    }
  }

  /**
   * Waits for the next message. With a timeout, batch `idx` fails `timeout` ms after it was first
   * waited for, counted from when its worker finished starting (start-up is not counted).
   */
  private async waitForMessage(idx: number): Promise<void> {
    const timeout = this.pool.options.timeout;
    const w = this.owner.get(idx)!;
    if (this.waitIdx !== idx) {
      this.waitIdx = idx;
      this.deadline = Infinity;
    }
    if (timeout > 0 && this.deadline === Infinity && this.pool.slots[w]!.ready) this.deadline = Date.now() + timeout;
    let timer: NodeJS.Timeout | undefined;
    this.pool.ref(true);
    try {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (this.deadline !== Infinity) {
          timer = setTimeout(() => {
            this.fail(new DataLoaderError(`DataLoader timed out after ${timeout} ms waiting for batch ${idx} from worker ${w}`, { workerId: w, batchIndex: idx }));
          }, Math.max(0, this.deadline - Date.now()));
        }
      });
    } finally {
      this.wake = null;
      if (timer !== undefined) clearTimeout(timer);
      this.pool.ref(false);
    }
  }
}

/** The worker threads of one loader (for one epoch, or for all with `persistentWorkers`). */
export class WorkerPool {
  readonly slots: Slot[] = [];
  private epochs = 0;
  private current: Epoch | null = null;
  private broken: DataLoaderError | null = null;
  private closing = false;

  constructor(readonly options: PoolOptions) {
    const o = options;
    // Each worker gets its own copy of the dataset's tensors: transferring detaches the buffers.
    const inits = Array.from({ length: o.numWorkers }, (_, id) => {
      const transfer: ArrayBuffer[] = [];
      const init: WorkerInit = {
        workerId: id,
        numWorkers: o.numWorkers,
        seed: o.baseSeed + id,
        dataset: encode('DataLoader', o.dataset, transfer),
        stream: o.stream,
        batchSize: o.batchSize,
        dropLast: o.dropLast,
        autoCollation: o.batchSize !== null,
        collate: o.collate,
        workerInitFn: o.workerInitFn,
      };
      return { init, transfer };
    });
    const modules = [...modulesOf(inits[0]!.init.dataset), o.collate.module];
    if (o.workerInitFn !== null) modules.push(o.workerInitFn.module);
    const entry = workerEntry(modules);
    // tfjs-node is not known to load in worker threads: its workers use wasm instead.
    const workerBackend = backend() === 'tensorflow' ? 'wasm' : backend();
    try {
      for (const { init, transfer } of inits) {
        const id = init.workerId;
        const worker = new Worker(entry.script, {
          eval: entry.eval,
          ...(entry.execArgv === undefined ? {} : { execArgv: entry.execArgv }),
          workerData: init,
          transferList: transfer,
          env: { ...process.env, FLINT_BACKEND: workerBackend },
        });
        liveCount++;
        const exited = new Promise<number>((resolve) => {
          worker.once('exit', (code) => {
            liveCount--;
            if (!this.closing) {
              this.fail(new DataLoaderError(`DataLoader worker ${id} exited unexpectedly (exit code ${code})`, { workerId: id }));
            }
            resolve(code);
          });
        });
        worker.on('message', (m: FromWorker) => this.onMessage(id, m));
        worker.on('error', (e: Error) => {
          this.fail(
            new DataLoaderError(`DataLoader worker ${id} crashed: ${e.name}: ${e.message}\n\nOriginal stack (worker ${id}):\n${e.stack ?? ''}`, {
              workerId: id,
              cause: e,
            }),
          );
        });
        worker.unref();
        this.slots.push({ id, worker, exited, ready: false });
      }
    } catch (e) {
      void this.terminate();
      throw new DataLoaderError(`DataLoader: could not start worker threads: ${(e as Error).message}`, { cause: e as Error });
    }
  }

  private onMessage(id: number, m: FromWorker): void {
    if (m.type === 'ready') {
      this.slots[id]!.ready = true;
      this.current?.poke();
      return;
    }
    if (m.type === 'error' && m.phase === 'init') {
      this.fail(
        new DataLoaderError(
          `DataLoader worker ${id} failed while starting (rebuilding the dataset, loading collateFn or running workerInitFn): ${m.error.name}: ${m.error.message}\n\nOriginal stack (worker ${id}):\n${m.error.stack}`,
          { workerId: id, cause: causeOf(m.error) },
        ),
      );
      return;
    }
    if (this.current !== null && m.epoch === this.current.id) this.current.deliver(m);
  }

  private fail(e: DataLoaderError): void {
    this.broken ??= e;
    this.current?.fail(e);
  }

  /** Whether the pool can run another epoch. */
  get usable(): boolean {
    return this.broken === null && !this.closing;
  }

  /** Keeps the process alive while waiting for workers (`true`), or not. */
  ref(on: boolean): void {
    for (const s of this.slots) {
      if (on) s.worker.ref();
      else s.worker.unref();
    }
  }

  /** Starts an epoch over `batches` (index lists), or over the workers' streams when `null`. */
  startEpoch(batches: Iterator<number[]> | null): Epoch {
    if (this.broken !== null) throw this.broken;
    const id = ++this.epochs;
    this.current?.fail(
      new DataLoaderError('DataLoader: this iteration was superseded by a newer one over the same DataLoader (persistentWorkers); finish or break one loop before starting another'),
    );
    if (batches === null) for (const s of this.slots) s.worker.postMessage({ type: 'reset', epoch: id } satisfies ToWorker);
    this.current = null;
    const epoch = new Epoch(this, id, batches);
    this.current = epoch;
    return epoch;
  }

  /** Stops every worker and waits until their threads are gone. Safe to call twice. */
  async terminate(): Promise<void> {
    this.closing = true;
    this.current?.fail(new DataLoaderError('DataLoader: the workers were shut down'));
    await Promise.all(
      this.slots.map(async (s) => {
        await s.worker.terminate();
        await s.exited;
      }),
    );
  }
}
