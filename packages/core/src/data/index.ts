/**
 * `@flint/core/data` (`torch.utils.data`): datasets, samplers, collation and the DataLoader with
 * worker threads. A plain `for (const batch of loader)` loop frees each iteration's tensors.
 *
 * @example
 * ```ts
 * import { DataLoader, TensorDataset } from '@flint/core/data';
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * for (const [xb, yb] of loader) { ... }
 * ```
 * @module
 */
export { Dataset, IterableDataset } from './dataset.js';
export type { MapDataset, StreamDataset } from './dataset.js';
export { TensorDataset } from './tensor-dataset.js';
export { ConcatDataset } from './concat-dataset.js';
export { ChainDataset } from './chain-dataset.js';
export { Subset } from './subset.js';
export { randomSplit } from './random-split.js';
export { Sampler } from './sampler.js';
export type { SamplerLike } from './sampler.js';
export { SequentialSampler } from './sequential-sampler.js';
export { RandomSampler } from './random-sampler.js';
export type { RandomSamplerOptions } from './random-sampler.js';
export { SubsetRandomSampler } from './subset-random-sampler.js';
export { WeightedRandomSampler } from './weighted-random-sampler.js';
export { BatchSampler } from './batch-sampler.js';
export { DistributedSampler } from './distributed-sampler.js';
export type { DistributedSamplerOptions } from './distributed-sampler.js';
export { defaultCollate, defaultConvert } from './collate.js';
export type { Collated, Converted, TypedArray } from './collate.js';
export { DataLoader } from './dataloader.js';
export type { DataLoaderOptions } from './dataloader.js';
export { DataLoaderError } from './dataloader-error.js';
export type { DataLoaderErrorDetails } from './dataloader-error.js';
export { getWorkerInfo } from './worker-info.js';
export type { WorkerInfo } from './worker-info.js';
export type { WorkerDescriptor, ModuleExport, Sendable, WorkerFunction } from './worker-descriptor.js';
