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
export { embeddingBag } from './embedding-bag.js';
export type { EmbeddingBagOptions, EmbeddingBagMode } from './embedding-bag.js';
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
export { conv1d, conv2d, convTranspose1d, convTranspose2d } from './conv.js';
export type { Conv1dOptions, Conv2dOptions, ConvTranspose1dOptions, ConvTranspose2dOptions } from './conv.js';
export type { Size1, Size2 } from './conv-args.js';
export {
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d,
} from './pooling.js';
export type { MaxPool1dOptions, MaxPool2dOptions, AvgPool1dOptions, AvgPool2dOptions, AdaptiveSize2, WithIndices } from './pooling.js';
export { pad } from './padding.js';
export type { PadMode, PadOptions } from './padding.js';
export { interpolate, pixelShuffle, pixelUnshuffle } from './upsampling.js';
export type { InterpolateMode, InterpolateOptions } from './upsampling.js';
