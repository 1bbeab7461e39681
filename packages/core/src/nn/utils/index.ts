/**
 * `nn.utils`: gradient clipping, parameter/vector conversion and packed sequences
 * (`torch.nn.utils`, with `torch.nn.utils.rnn` both as `nn.utils.rnn` and flattened here).
 *
 * @example
 * ```ts
 * import { nn } from '@flint/core';
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * const flat = nn.utils.parametersToVector(model.parameters());
 * const packed = nn.utils.rnn.packPaddedSequence(x, [5, 3], { batchFirst: true });
 * ```
 * @module
 */
export { clipGradNorm_, clipGradValue_ } from './clip-grad.js';
export type { ClipGradNormOptions } from './clip-grad.js';
export { parametersToVector, vectorToParameters } from './convert-parameters.js';
export { isPackedSequence, padSequence, packPaddedSequence, packSequence, padPackedSequence } from './rnn.js';
export type { PackedSequence, PadSequenceOptions, PackPaddedSequenceOptions, PackSequenceOptions, PadPackedSequenceOptions } from './rnn.js';
/** `torch.nn.utils.rnn`: padSequence, packPaddedSequence, packSequence, padPackedSequence. */
export * as rnn from './rnn.js';
