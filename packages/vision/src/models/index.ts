/**
 * `@flint/vision` models (`torchvision.models`): classification networks whose fields, and so
 * whose state-dict keys, are torchvision 0.14's, so a converted torchvision state dict loads by
 * name. Factories are torchvision's names in camelCase (`resnet18`, `vgg16Bn`,
 * `mobilenetV3Small`, `shufflenetV2X1_0`, `vitB16`) and take `{ weights, weightsPath,
 * numClasses, generator, ... }`. Flint downloads no weights: convert them once with
 * `tools/fixtures/vision_export_weights.py` (see {@link WeightsError} for the exact commands).
 *
 * @example
 * ```ts
 * import { models } from '@flint/vision';
 * const net = models.resnet18({ weights: models.ResNet18Weights.IMAGENET1K_V1, weightsPath: 'resnet18-f37072fd.safetensors' });
 * net.eval();
 * const logits = noGrad(() => net(batch));
 * const label = models.ResNet18Weights.IMAGENET1K_V1.meta.categories![logits.argmax(1).item()];
 * ```
 * @module
 */
export { Weights, WeightsError, weightsDir, weightsFile } from './weights.js';
export type {
  WeightsEnum, WeightsMeta, WeightsOptions, ClassifierFactoryOptions, ImageClassificationTransforms, InterpolationMode,
} from './weights.js';
export * from './weights-catalog.js';
export { IMAGENET_CATEGORIES } from './imagenet-categories.js';
export { listModels, getModel, getModelBuilder, getModelWeights, getWeight } from './builders.js';
export type { ModelBuilder } from './builders.js';

export { Conv2dNormActivation, SqueezeExcitation, MLP, StochasticDepth } from './layers.js';
export type { Conv2dNormActivationOptions, SqueezeExcitationOptions, NormLayer, ActivationLayer } from './layers.js';

export { LeNet5, lenet5 } from './lenet.js';
export type { LeNet5Options, LeNet5FactoryOptions } from './lenet.js';
export { AlexNet, alexnet } from './alexnet.js';
export type { AlexNetOptions, AlexNetFactoryOptions } from './alexnet.js';
export { VGG, VGG_CONFIGS, makeLayers, vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg.js';
export type { VGGConfig, VGGOptions, VGGFactoryOptions } from './vgg.js';
export {
  ResNet, BasicBlock, Bottleneck, resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, resnext101_32x8d, resnext101_64x4d,
  wideResnet50_2, wideResnet101_2,
} from './resnet.js';
export type { ResNetOptions, ResNetBlock, ResidualBlockOptions, ResNetFactoryOptions, ResNeXtFactoryOptions } from './resnet.js';
export { MobileNetV2, InvertedResidual, mobilenetV2 } from './mobilenetv2.js';
export type { MobileNetV2Options, MobileNetV2FactoryOptions } from './mobilenetv2.js';
export { MobileNetV3, MobileNetV3Block, invertedResidualConfig, mobilenetV3Config, mobilenetV3Large, mobilenetV3Small } from './mobilenetv3.js';
export type { InvertedResidualConfig, MobileNetV3Options, MobileNetV3ConfigOptions, MobileNetV3FactoryOptions } from './mobilenetv3.js';
export { SqueezeNet, Fire, squeezenet1_0, squeezenet1_1 } from './squeezenet.js';
export type { SqueezeNetOptions, SqueezeNetFactoryOptions } from './squeezenet.js';
export { DenseNet, DenseBlock, DenseLayer, Transition, densenet121, densenet161, densenet169, densenet201 } from './densenet.js';
export type { DenseNetOptions, DenseNetFactoryOptions } from './densenet.js';
export {
  EfficientNet, MBConv, FusedMBConv, mbconvConfig, efficientnetConfig, efficientnetB0, efficientnetB1, efficientnetB2, efficientnetB3,
  efficientnetB4, efficientnetB5, efficientnetB6, efficientnetB7, efficientnetV2S, efficientnetV2M, efficientnetV2L,
} from './efficientnet.js';
export type { MBConvConfig, EfficientNetOptions, EfficientNetArch, EfficientNetFactoryOptions } from './efficientnet.js';
export { ShuffleNetV2, ShuffleNetV2Block, channelShuffle, shufflenetV2X0_5, shufflenetV2X1_0, shufflenetV2X1_5, shufflenetV2X2_0 } from './shufflenetv2.js';
export { VisionTransformer, Encoder, EncoderBlock, MLPBlock, vitB16, vitB32, vitL16, vitL32, vitH14 } from './vision-transformer.js';
export type { VisionTransformerOptions, VisionTransformerFactoryOptions } from './vision-transformer.js';
