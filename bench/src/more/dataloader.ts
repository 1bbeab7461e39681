/**
 * DataLoader throughput over 10,000 in-memory 28x28 images (see `image-dataset.ts`) at batch 64,
 * shuffled, with `numWorkers` worker threads (persistent, so a sample is a steady-state epoch
 * rather than worker start-up). `make_loader` in `more_torch.py` is the same.
 *
 * Indexing one row of the `[10000, 1, 28, 28]` tensor costs milliseconds on wasm (tfjs-wasm's
 * Slice kernel copies its whole input out of the heap first), so with the tensor-held images an
 * epoch runs over a fixed random subset of `SUBSET` samples (still indexing the full tensor)
 * to keep the run short; the rate is per sample either way.
 */
import { performance } from 'node:perf_hooks';
import * as flint from '@flint/core';
import { data } from '@flint/core';
import { flintSampler, type Sampler } from './harness.js';
import { makeImages } from './image-dataset.js';

/** Samples in the dataset (and per PyTorch epoch). */
export const N_IMAGES = 10_000;
export const BATCH = 64;
/** Samples per epoch with the tensor-held images: 4 batches, 2 for each of 2 workers. */
export const SUBSET = 4 * BATCH;

/** Samples in one epoch of `kind`. */
export const epochSamples = (kind: 'tensor' | 'array') => (kind === 'tensor' ? SUBSET : N_IMAGES);

/** A sampler whose iteration is one epoch (its time in ms; throughput is epochSamples / time). */
export function loaderSampler(kind: 'tensor' | 'array', numWorkers: number): () => Promise<Sampler> {
  return flintSampler('wasm', () => {
    const ds = makeImages(N_IMAGES, kind);
    const generator = new flint.Generator(0);
    const subset = Array.from({ length: SUBSET }, (_, i) => Math.floor((i * N_IMAGES) / SUBSET));
    const order = kind === 'tensor' ? { sampler: new data.SubsetRandomSampler(subset, { generator }) } : { shuffle: true };
    const loader = new data.DataLoader<unknown, [flint.Tensor, flint.Tensor]>(ds, {
      batchSize: BATCH,
      ...order,
      numWorkers,
      persistentWorkers: numWorkers > 0,
      generator,
    });
    let seen = 0;
    const epoch =
      numWorkers === 0
        ? () => {
            for (const [, y] of loader) seen += y.shape[0]!;
          }
        : async () => {
            for await (const [, y] of loader) seen += y.shape[0]!;
          };
    return {
      iter: epoch,
      dispose: async () => {
        await loader.shutdown();
        ds.dispose();
        const n = epochSamples(kind);
        if (seen % n !== 0) throw new Error(`DataLoader epochs gave ${seen} samples, not a multiple of ${n}`);
      },
    };
  });
}

/** Mean ms of one `images.index(i)` on an `[n, 1, 28, 28]` int32 tensor on `backend`. */
export async function indexCost(backend: flint.BackendName, n: number): Promise<number> {
  await flint.setBackend(backend);
  const images = flint.randint(0, 256, [n, 1, 28, 28], { generator: new flint.Generator(0) });
  const reps = 20;
  for (let i = 0; i < 3; i++) flint.scope(() => images.index(i).dataSync());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) flint.scope(() => images.index((i * 7919) % n).dataSync());
  const ms = (performance.now() - t0) / reps;
  images.dispose();
  return ms;
}
