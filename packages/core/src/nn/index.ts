/**
 * `@flint/core/nn`: modules, layers, losses, `functional` and `init` (`torch.nn`).
 *
 * @example
 * ```ts
 * import { Module, Linear, functional as F } from '@flint/core/nn';
 * class Net extends Module {
 *   fc1 = new Linear(784, 128);
 *   fc2 = new Linear(128, 10);
 *   forward(x: Tensor) { return this.fc2(F.relu(this.fc1(x))); }
 * }
 * ```
 * @module
 */
export { Module, StateDictError } from './module.js';
export type { AnyModule, StateDict, LoadResult, RemovableHandle, ForwardHook, ForwardPreHook } from './module.js';
export { Parameter } from './parameter.js';
export * as init from './init.js';
export * as utils from './utils/index.js';
export * as functional from './functional/index.js';
export { Sequential, ModuleList, ModuleDict, ParameterList } from './modules/container.js';
export { Identity, Linear, Bilinear } from './modules/linear.js';
export type { LinearOptions } from './modules/linear.js';
export { Flatten, Unflatten } from './modules/flatten.js';
export {
  ReLU, ReLU6, LeakyReLU, PReLU, ELU, SELU, GELU, SiLU, Mish, Sigmoid, Tanh, Hardtanh, Hardswish, Hardsigmoid,
  Softplus, Softsign, Softmax, LogSoftmax,
} from './modules/activation.js';
export { Dropout, Dropout2d } from './modules/dropout.js';
export type { DropoutModuleOptions } from './modules/dropout.js';
export { Embedding } from './modules/sparse.js';
export type { EmbeddingModuleOptions, FromPretrainedOptions } from './modules/sparse.js';
export { EmbeddingBag } from './modules/embedding-bag.js';
export type { EmbeddingBagModuleOptions, EmbeddingBagFromPretrainedOptions } from './modules/embedding-bag.js';
export { BatchNormBase, BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm } from './modules/normalization.js';
export type { BatchNormOptions, LayerNormOptions, GroupNormOptions } from './modules/normalization.js';
export {
  Loss, L1Loss, MSELoss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, KLDivLoss,
  MarginRankingLoss, MultiLabelMarginLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, CosineEmbeddingLoss,
  TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss, CTCLoss,
} from './modules/loss.js';
export { RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell } from './modules/rnn.js';
export type { RNNBaseOptions, RNNOptions, RNNCellOptions } from './modules/rnn.js';
export { MultiheadAttention } from './modules/attention.js';
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from './modules/attention.js';
export { TransformerEncoderLayer, TransformerEncoder } from './modules/transformer.js';
export type {
  TransformerActivation, TransformerEncoderLayerOptions, TransformerEncoderLayerForwardOptions, TransformerEncoderOptions,
  TransformerEncoderForwardOptions,
} from './modules/transformer.js';
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from './modules/conv.js';
export type {
  PaddingMode, Conv1dModuleOptions, Conv2dModuleOptions, ConvTranspose1dModuleOptions, ConvTranspose2dModuleOptions,
} from './modules/conv.js';
export {
  MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
} from './modules/pooling.js';
export type { MaxPoolResult } from './modules/pooling.js';
export {
  ZeroPad2d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
  ReplicationPad1d, ReplicationPad2d, ReplicationPad3d,
} from './modules/padding.js';
export type { PadSize } from './modules/padding.js';
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle, PixelUnshuffle } from './modules/upsampling.js';
export type { ResizeOptions } from './modules/upsampling.js';
