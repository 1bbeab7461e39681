/**
 * `nn.functional` (PyTorch's `torch.nn.functional`, usually imported as `F`): the stateless forms
 * of every layer, activation and loss.
 *
 * @example
 * ```ts
 * import { functional as F } from '@flint/core/nn';
 * const loss = F.crossEntropy(logits, labels, { labelSmoothing: 0.1 });
 * ```
 * @module
 */
export {
  relu, relu6, leakyRelu, prelu, elu, selu, gelu, silu, mish, sigmoid, tanh, hardtanh, hardswish, hardsigmoid,
  softplus, softsign, softmax, logSoftmax,
} from './activation.js';
export type { InplaceOptions, GeluOptions, SoftplusOptions } from './activation.js';
export { linear, bilinear } from './linear.js';
export { dropout, dropout2d } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export { embedding, oneHot } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { normalize, cosineSimilarity, pairwiseDistance } from './distance.js';
export type { NormalizeOptions, CosineSimilarityOptions, PairwiseDistanceOptions } from './distance.js';
export { batchNorm, layerNorm, groupNorm } from './normalization.js';
export type { BatchNormFunctionOptions, NormOptions } from './normalization.js';
export {
  l1Loss, mseLoss, smoothL1Loss, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, nllLoss,
  klDiv, marginRankingLoss, multilabelMarginLoss, softMarginLoss, multilabelSoftMarginLoss, cosineEmbeddingLoss,
  tripletMarginLoss, poissonNllLoss, gaussianNllLoss, ctcLoss,
} from './loss.js';
export type {
  Reduction, ReductionOptions, SmoothL1Options, HuberOptions, BinaryCrossEntropyOptions, BinaryCrossEntropyWithLogitsOptions,
  KlDivOptions, PoissonNllOptions, GaussianNllOptions, CrossEntropyOptions, NllLossOptions, MarginOptions,
  MultilabelSoftMarginOptions, TripletMarginOptions, CtcLossOptions, Lengths,
} from './loss.js';
export { scaledDotProductAttention, multiHeadAttentionForward } from './attention.js';
export type { ScaledDotProductAttentionOptions, MultiHeadAttentionForwardOptions } from './attention.js';
export { rnnTanhCell, rnnReluCell, lstmCell, gruCell, rnnLayers, gateCount } from './rnn.js';
export type { RNNMode, RNNWeights, RNNLayersOptions, RNNLayersResult } from './rnn.js';
