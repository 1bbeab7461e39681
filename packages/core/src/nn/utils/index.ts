/**
 * `nn.utils`: gradient clipping and parameter/vector conversion (`torch.nn.utils`).
 *
 * @example
 * ```ts
 * import { clipGradNorm_, parametersToVector } from '@flint/core/nn';
 * clipGradNorm_(model.parameters(), 1.0);
 * const flat = parametersToVector(model.parameters());
 * ```
 * @module
 */
export { clipGradNorm_, clipGradValue_ } from './clip-grad.js';
export type { ClipGradNormOptions } from './clip-grad.js';
export { parametersToVector, vectorToParameters } from './convert-parameters.js';
export { isPackedSequence, padSequence, packPaddedSequence, packSequence, padPackedSequence } from './rnn.js';
export type { PackedSequence, PadSequenceOptions, PackPaddedSequenceOptions, PackSequenceOptions, PadPackedSequenceOptions } from './rnn.js';
