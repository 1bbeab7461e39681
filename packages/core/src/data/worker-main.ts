/**
 * The entry of a DataLoader worker thread: rebuilds the dataset from its description, seeds
 * the worker's default generator, runs `workerInitFn`, then answers the loader's requests one at
 * a time: read the samples of a batch (`getItem`, or the next ones of a stream), collate them,
 * and send the batch back with its tensors' data as transferred buffers.
 * @internal
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scope } from '../memory/scope.js';
import { manualSeed } from '../random/generator.js';
import { decode, encode, modulesOf } from './codec.js';
import { fetchAsync, ItemFailure, nextAsync, streamIterator } from './fetch.js';
import type { MapDataset } from './dataset.js';
import type { ModuleExport } from './worker-descriptor.js';
import { setWorkerInfo } from './worker-info.js';

/** What a worker starts with (its `workerData`). */
export interface WorkerInit {
  workerId: number;
  numWorkers: number;
  seed: number;
  /** The encoded dataset description. */
  dataset: unknown;
  /** Whether the dataset is a stream (iterable-style). */
  stream: boolean;
  /** Samples per batch for a stream (`null`: one sample, not batched). */
  batchSize: number | null;
  dropLast: boolean;
  /** Whether samples are collated into batches (`batchSize` not null). */
  autoCollation: boolean;
  collate: ModuleExport;
  workerInitFn: ModuleExport | null;
}

/** Requests from the loader. */
export type ToWorker =
  | { type: 'fetch'; epoch: number; idx: number; indices: number[] }
  | { type: 'next'; epoch: number; idx: number }
  | { type: 'reset'; epoch: number };

/** An error as it crosses threads. */
export interface SentError {
  name: string;
  message: string;
  stack: string;
}

/** Answers to the loader. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'batch'; epoch: number; idx: number; data: unknown }
  | { type: 'end'; epoch: number; idx: number }
  | { type: 'error'; phase: 'init' | 'fetch' | 'collate' | 'send'; epoch?: number; idx?: number; index?: number; error: SentError };

function sendable(e: unknown): SentError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` };
  return { name: 'Error', message: String(e), stack: `thrown value: ${String(e)}` };
}

const port = parentPort!;
const init = workerData as WorkerInit;

function exportOf(modules: Map<string, Record<string, unknown>>, ref: ModuleExport, what: string): (...a: unknown[]) => unknown {
  const f = modules.get(ref.module)?.[ref.exportName];
  if (typeof f !== 'function') {
    throw new TypeError(`${what}: ${ref.module} has no exported function '${ref.exportName}' (got ${f === undefined ? 'no such export' : typeof f})`);
  }
  return f as (...a: unknown[]) => unknown;
}

async function start(): Promise<void> {
  const urls = modulesOf(init.dataset);
  urls.add(init.collate.module);
  if (init.workerInitFn !== null) urls.add(init.workerInitFn.module);
  const modules = new Map<string, Record<string, unknown>>();
  for (const url of urls) modules.set(url, (await import(url)) as Record<string, unknown>);
  const dataset = decode(init.dataset, modules) as object;
  const collate = exportOf(modules, init.collate, 'collateFn');
  const initFn = init.workerInitFn === null ? null : exportOf(modules, init.workerInitFn, 'workerInitFn');
  manualSeed(init.seed);
  setWorkerInfo({ id: init.workerId, numWorkers: init.numWorkers, seed: init.seed, dataset });
  if (initFn !== null) await initFn(init.workerId);

  let stream: Iterator<unknown> | AsyncIterator<unknown> | null = null;

  const handle = async (m: ToWorker): Promise<void> => {
    if (m.type === 'reset') {
      stream = streamIterator(dataset, true);
      return;
    }
    let phase: 'fetch' | 'collate' | 'send' = 'fetch';
    try {
      const out = await scope(async () => {
        let items: unknown[] | null;
        if (m.type === 'fetch') items = await fetchAsync(dataset as MapDataset, m.indices);
        else {
          stream ??= streamIterator(dataset, true);
          items = await nextAsync(stream, init.batchSize, init.dropLast);
        }
        if (items === null) return null;
        phase = 'collate';
        const batch = await (init.autoCollation ? collate(items) : collate(items[0]));
        phase = 'send';
        const transfer: ArrayBuffer[] = [];
        return { data: encode('DataLoader worker', batch, transfer), transfer };
      });
      if (out === null) port.postMessage({ type: 'end', epoch: m.epoch, idx: m.idx } satisfies FromWorker);
      else port.postMessage({ type: 'batch', epoch: m.epoch, idx: m.idx, data: out.data } satisfies FromWorker, out.transfer);
    } catch (e) {
      const failure = e instanceof ItemFailure ? e : null;
      const msg: FromWorker = {
        type: 'error',
        phase,
        epoch: m.epoch,
        idx: m.idx,
        error: sendable(failure === null ? e : failure.error),
        ...(failure === null ? {} : { index: failure.index }),
      };
      port.postMessage(msg);
    }
  };

  // One request at a time, in the order they came: a stream must be read in order.
  let queue = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    queue = queue.then(() => handle(m));
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

start().catch((e: unknown) => {
  port.postMessage({ type: 'error', phase: 'init', error: sendable(e) } satisfies FromWorker);
});
