/**
 * Batching helpers: {@link BucketBatchSampler} (similar lengths together) and
 * {@link BPTTIterator} (language-model batches).
 * @module
 */
export { BucketBatchSampler } from './bucket-batch-sampler.js';
export type { BucketBatchSamplerOptions } from './bucket-batch-sampler.js';
export { BPTTIterator } from './bptt-iterator.js';
export type { BPTTIteratorOptions, BPTTBatch } from './bptt-iterator.js';
