/**
 * Reading the samples of one batch, the same on the main thread and in workers: by index from a
 * map-style dataset, or the next ones from a stream.
 * @internal
 * @module
 */
import { DataLoaderError } from './dataloader-error.js';
import type { MapDataset } from './dataset.js';

/** `getItem(index)` threw (or rejected) with `error`. */
export class ItemFailure {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {}
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** The samples at `indices`, read synchronously; a Promise from `getItem` is an error. */
export function fetchSync(dataset: MapDataset, indices: readonly number[]): unknown[] {
  return indices.map((i) => {
    const v = dataset.getItem(i);
    if (isThenable(v)) {
      Promise.resolve(v).catch(() => undefined);
      throw new DataLoaderError(
        `DataLoader: dataset.getItem(${i}) returned a Promise, which a for...of loop cannot wait for; iterate the loader with for await (const batch of loader)`,
      );
    }
    return v;
  });
}

/** The samples at `indices`, read concurrently; rejects with an {@link ItemFailure}. */
export async function fetchAsync(dataset: MapDataset, indices: readonly number[]): Promise<unknown[]> {
  const pending = indices.map((i) => {
    try {
      return Promise.resolve(dataset.getItem(i)).catch((e: unknown) => Promise.reject(new ItemFailure(i, e)));
    } catch (e) {
      return Promise.reject(new ItemFailure(i, e));
    }
  });
  // Wait for all before reporting, so that no rejection is left unhandled.
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
}

/**
 * The next `size` samples of a stream (all that is left, if fewer), or `null` at its end or
 * when fewer are left and `dropLast`. `size` null reads one sample and returns it alone.
 */
export function nextSync(it: Iterator<unknown>, size: number | null, dropLast: boolean): unknown[] | null {
  const out: unknown[] = [];
  const want = size ?? 1;
  while (out.length < want) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out.length === 0 || (dropLast && out.length < want) ? null : out;
}

/** As {@link nextSync}, for an async iterator. */
export async function nextAsync(it: AsyncIterator<unknown> | Iterator<unknown>, size: number | null, dropLast: boolean): Promise<unknown[] | null> {
  const out: unknown[] = [];
  const want = size ?? 1;
  while (out.length < want) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out.length === 0 || (dropLast && out.length < want) ? null : out;
}

/** The iterator of a stream: its async one if it has one and `async`, else its sync one. */
export function streamIterator(dataset: object, async: boolean): Iterator<unknown> | AsyncIterator<unknown> {
  const d = dataset as Partial<Iterable<unknown> & AsyncIterable<unknown>>;
  if (async && typeof d[Symbol.asyncIterator] === 'function') return d[Symbol.asyncIterator]!();
  if (typeof d[Symbol.iterator] === 'function') return d[Symbol.iterator]!();
  throw new DataLoaderError(
    'DataLoader: the dataset can only be iterated asynchronously ([Symbol.asyncIterator]); iterate the loader with for await (const batch of loader)',
  );
}
