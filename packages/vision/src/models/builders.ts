/**
 * Models by name (torchvision's `list_models`, `get_model`, `get_model_builder`,
 * `get_model_weights`, `get_weight`). Names are torchvision's (`'resnet18'`, `'vgg16_bn'`,
 * `'mobilenet_v3_small'`), so configuration written for PyTorch works unchanged; the table is
 * fixed, nothing registers itself.
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { nn } from '@flint/core';
import { alexnet } from './alexnet.js';
import { densenet121, densenet161, densenet169, densenet201 } from './densenet.js';
import {
  efficientnetB0, efficientnetB1, efficientnetB2, efficientnetB3, efficientnetB4, efficientnetB5, efficientnetB6, efficientnetB7,
  efficientnetV2L, efficientnetV2M, efficientnetV2S,
} from './efficientnet.js';
import { lenet5 } from './lenet.js';
import { mobilenetV2 } from './mobilenetv2.js';
import { mobilenetV3Large, mobilenetV3Small } from './mobilenetv3.js';
import {
  resnet101, resnet152, resnet18, resnet34, resnet50, resnext101_32x8d, resnext101_64x4d, resnext50_32x4d, wideResnet101_2, wideResnet50_2,
} from './resnet.js';
import { shufflenetV2X0_5, shufflenetV2X1_0, shufflenetV2X1_5, shufflenetV2X2_0 } from './shufflenetv2.js';
import { squeezenet1_0, squeezenet1_1 } from './squeezenet.js';
import { vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg.js';
import { vitB16, vitB32, vitH14, vitL16, vitL32 } from './vision-transformer.js';
import * as catalog from './weights-catalog.js';
import type { Weights, WeightsEnum } from './weights.js';

/** A model factory as {@link getModelBuilder} returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModelBuilder = (options?: any) => nn.AnyModule;

const BUILDERS: Readonly<Record<string, ModelBuilder>> = Object.freeze({
  alexnet,
  vgg11, vgg11_bn: vgg11Bn, vgg13, vgg13_bn: vgg13Bn, vgg16, vgg16_bn: vgg16Bn, vgg19, vgg19_bn: vgg19Bn,
  resnet18, resnet34, resnet50, resnet101, resnet152,
  resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2: wideResnet50_2, wide_resnet101_2: wideResnet101_2,
  mobilenet_v2: mobilenetV2, mobilenet_v3_large: mobilenetV3Large, mobilenet_v3_small: mobilenetV3Small,
  squeezenet1_0, squeezenet1_1,
  densenet121, densenet161, densenet169, densenet201,
  efficientnet_b0: efficientnetB0, efficientnet_b1: efficientnetB1, efficientnet_b2: efficientnetB2, efficientnet_b3: efficientnetB3,
  efficientnet_b4: efficientnetB4, efficientnet_b5: efficientnetB5, efficientnet_b6: efficientnetB6, efficientnet_b7: efficientnetB7,
  efficientnet_v2_s: efficientnetV2S, efficientnet_v2_m: efficientnetV2M, efficientnet_v2_l: efficientnetV2L,
  shufflenet_v2_x0_5: shufflenetV2X0_5, shufflenet_v2_x1_0: shufflenetV2X1_0, shufflenet_v2_x1_5: shufflenetV2X1_5, shufflenet_v2_x2_0: shufflenetV2X2_0,
  vit_b_16: vitB16, vit_b_32: vitB32, vit_l_16: vitL16, vit_l_32: vitL32, vit_h_14: vitH14,
  lenet5,
});

/** Each model's weights enum, by torchvision model name. */
const WEIGHTS: Readonly<Record<string, WeightsEnum>> = Object.freeze(
  Object.fromEntries(
    Object.values(catalog).map((e) => {
      const first = Object.values(e as WeightsEnum)[0]!;
      return [modelOf(first), e as WeightsEnum];
    }),
  ),
);

/** The torchvision model name of an entry, from its enum name (`ResNeXt50_32X4D_Weights` -> `resnext50_32x4d`). */
function modelOf(w: Weights): string {
  return w.name.split('.')[0]!.replace(/_Weights$/, '').toLowerCase();
}

function builderOf(fn: string, name: string): ModelBuilder {
  const b = typeof name === 'string' && Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (b === undefined) throw new ArgumentError(`${fn}: unknown model ${JSON.stringify(name)}; one of ${Object.keys(BUILDERS).join(', ')}`);
  return b;
}

/**
 * The names of every model, sorted; `filter` keeps those containing it (torchvision's
 * `list_models`).
 *
 * @example
 * ```ts
 * listModels('resnet'); // ['resnet101', 'resnet152', 'resnet18', 'resnet34', 'resnet50']
 * ```
 */
export function listModels(filter?: string): string[] {
  return Object.keys(BUILDERS)
    .filter((n) => filter === undefined || n.includes(filter))
    .sort();
}

/**
 * The factory of a model by its torchvision name (`get_model_builder`).
 *
 * @example
 * ```ts
 * const build = getModelBuilder('mobilenet_v3_small');
 * const net = build({ numClasses: 10 });
 * ```
 */
export function getModelBuilder(name: string): ModelBuilder {
  return builderOf('getModelBuilder()', name);
}

/**
 * Builds a model by its torchvision name with the factory's options (`get_model`).
 *
 * @example
 * ```ts
 * const net = getModel('resnet50', { numClasses: 10 });
 * ```
 */
export function getModel(name: string, options: Record<string, unknown> = {}): nn.AnyModule {
  return builderOf('getModel()', name)(options);
}

/**
 * The weights enum of a model by its torchvision name (`get_model_weights`).
 *
 * @example
 * ```ts
 * getModelWeights('resnet50').DEFAULT.name; // 'ResNet50_Weights.IMAGENET1K_V2'
 * ```
 */
export function getModelWeights(name: string): WeightsEnum {
  builderOf('getModelWeights()', name);
  const e = WEIGHTS[name];
  if (e === undefined) throw new ArgumentError(`getModelWeights(): ${name} has no pretrained weights`);
  return e;
}

/**
 * A weights entry by its full torchvision name, `'Enum_Name.ENTRY'` (`get_weight`).
 *
 * @example
 * ```ts
 * getWeight('ResNet50_Weights.IMAGENET1K_V2').transforms.resizeSize; // 232
 * ```
 */
export function getWeight(name: string): Weights {
  const [enumName, key, ...rest] = typeof name === 'string' ? name.split('.') : [];
  const e = Object.values(WEIGHTS).find((x) => x.DEFAULT.name.split('.')[0] === enumName);
  const w = e !== undefined && key !== undefined && rest.length === 0 && Object.hasOwn(e, key) ? e[key] : undefined;
  if (w === undefined) throw new ArgumentError(`getWeight(): unknown weights ${JSON.stringify(name)}; expected 'Enum_Name.ENTRY' such as 'ResNet50_Weights.IMAGENET1K_V2'`);
  return w;
}
