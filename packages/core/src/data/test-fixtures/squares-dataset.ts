/**
 * Test datasets that DataLoader workers rebuild from `workerDescriptor()`: sample `i` is
 * `{ x: [i, i*i], y: i }`, with switches to fail, hang or kill the worker at one index.
 */
import { threadId } from 'node:worker_threads';
import { tensor } from '../../tensor/create.js';
import { rand } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Dataset, IterableDataset } from '../dataset.js';
import { getWorkerInfo } from '../worker-info.js';
import type { WorkerDescriptor } from '../worker-descriptor.js';

export interface SquaresOptions {
  /** getItem(failAt) throws a RangeError. */
  failAt?: number;
  /** getItem(hangAt) never resolves. */
  hangAt?: number;
  /** getItem(exitAt) ends the worker thread. */
  exitAt?: number;
  /** getItem returns a Promise. */
  async?: boolean;
}

export interface Square {
  x: Tensor;
  y: number;
}

function failingSample(i: number): never {
  throw new RangeError(`sample ${i} is corrupt`);
}

export class SquaresDataset extends Dataset<Square> {
  constructor(
    readonly n: number,
    readonly options: SquaresOptions = {},
  ) {
    super();
  }

  getItem(i: number): Square | Promise<Square> {
    const o = this.options;
    if (i === o.failAt) failingSample(i);
    if (i === o.hangAt) return new Promise<Square>(() => {});
    if (i === o.exitAt) process.exit(7);
    const sample = { x: tensor([i, i * i]), y: i };
    return o.async ? Promise.resolve(sample) : sample;
  }

  len(): number {
    return this.n;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'SquaresDataset', args: [this.n, this.options] };
  }
}

/** Samples with a random "augmentation" from the default generator, and who made them. */
export class NoisyDataset extends Dataset<{ i: number; noise: Tensor; worker: number; seed: string; thread: number; init: string }> {
  constructor(readonly n: number) {
    super();
  }

  getItem(i: number) {
    const w = getWorkerInfo();
    const init = (globalThis as { __flintInit?: string }).__flintInit ?? '';
    return { i, noise: rand([2]), worker: w?.id ?? -1, seed: String(w?.seed ?? -1), thread: threadId, init };
  }

  len(): number {
    return this.n;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'NoisyDataset', args: [this.n] };
  }
}

/** The stream 0 .. n-1, split between workers by getWorkerInfo(). */
export class RangeStream extends IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }

  *[Symbol.iterator](): Iterator<number> {
    const w = getWorkerInfo();
    const [id, k] = w === null ? [0, 1] : [w.id, w.numWorkers];
    for (let i = id; i < this.n; i += k) yield i;
  }

  len(): number {
    return this.n;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'RangeStream', args: [this.n] };
  }
}

/** A workerInitFn: marks the worker so NoisyDataset can report it. */
export function markWorker(workerId: number): void {
  (globalThis as { __flintInit?: string }).__flintInit = `init-${workerId}`;
}

/** A collateFn that sums the `y` of a batch of Squares, sendable to workers. */
export function sumY(samples: Square[]): { total: number; count: number } {
  return { total: samples.reduce((s, v) => s + v.y, 0), count: samples.length };
}
sumY.workerDescriptor = { module: import.meta.url, exportName: 'sumY' };
