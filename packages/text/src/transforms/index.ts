/**
 * `@flint/text` transforms (`torchtext.transforms`) and their functions (`functional`).
 *
 * @example
 * ```ts
 * import { transforms as T } from '@flint/text';
 * const pipeline = new T.Sequential(tokenizer, new T.VocabTransform(v), new T.Truncate(128), new T.AddToken(0));
 * ```
 * @module
 */
export { Transform, Sequential } from './transform.js';
export type { TransformFn } from './transform.js';
export { VocabTransform, Truncate, AddToken, ToTensor, PadTransform, LabelToIndex } from './transforms.js';
export type { AddTokenOptions, LabelToIndexOptions } from './transforms.js';
export * as functional from './functional.js';
export type { Sequences, ToTensorOptions } from './functional.js';
