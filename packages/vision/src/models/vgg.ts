/**
 * VGG (`torchvision.models.vgg`): `VGG` over a `features` Sequential of 3x3 convolutions and
 * max pools, with or without batch norm, and the factories `vgg11` ... `vgg19Bn`. State-dict
 * keys read `features.0.weight`, `classifier.6.bias`, as in torchvision.
 * @module
 */
import { type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { initModules, onesZeros, positiveInt, probability } from './layers.js';
import {
  VGG11BNWeights,
  VGG11Weights,
  VGG13BNWeights,
  VGG13Weights,
  VGG16BNWeights,
  VGG16Weights,
  VGG19BNWeights,
  VGG19Weights,
} from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/** A VGG configuration: output channels of each 3x3 convolution, `'M'` for a 2x2 max pool. */
export type VGGConfig = readonly (number | 'M')[];

/**
 * torchvision's `cfgs`: A = VGG-11, B = VGG-13, D = VGG-16, E = VGG-19.
 *
 * @example
 * ```ts
 * const features = makeLayers(VGG_CONFIGS.A, { batchNorm: true }); // vgg11_bn's features
 * ```
 */
export const VGG_CONFIGS: Readonly<Record<'A' | 'B' | 'D' | 'E', VGGConfig>> = Object.freeze({
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
});

/**
 * The convolutional part of a VGG (torchvision's `make_layers`): conv, [batch norm,] ReLU for
 * each number of `cfg`, a 2x2 max pool for each `'M'`.
 *
 * @example
 * ```ts
 * const features = makeLayers(VGG_CONFIGS.A, { batchNorm: true });
 * features(randn([1, 3, 64, 64])).shape; // [1, 512, 2, 2]
 * ```
 */
export function makeLayers(cfg: VGGConfig, options: { batchNorm?: boolean; generator?: Generator } = {}): nn.Sequential {
  const layers: nn.AnyModule[] = [];
  let inChannels = 3;
  for (const v of cfg) {
    if (v === 'M') {
      layers.push(new nn.MaxPool2d(2, { stride: 2 }));
      continue;
    }
    layers.push(new nn.Conv2d(inChannels, v, 3, { padding: 1, generator: options.generator }));
    if (options.batchNorm) layers.push(new nn.BatchNorm2d(v));
    layers.push(new nn.ReLU());
    inChannels = v;
  }
  return new nn.Sequential(...layers);
}

/** Options of {@link VGG}. */
export interface VGGOptions {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Re-initialise as torchvision does: kaiming-normal convolutions, N(0, 0.01) linears (default true). */
  initWeights?: boolean;
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * VGG (torchvision's `VGG`): `features`, a 7x7 adaptive average pool and a three-layer
 * `classifier` with dropout.
 *
 * @example
 * ```ts
 * const net = new VGG(makeLayers(VGG_CONFIGS.A), { numClasses: 10 });
 * net(randn([1, 3, 32, 32])).shape; // [1, 10]
 * ```
 */
export class VGG extends nn.Module {
  features: nn.AnyModule;
  avgpool = new nn.AdaptiveAvgPool2d([7, 7]);
  classifier: nn.Sequential;

  constructor(features: nn.AnyModule, options: VGGOptions = {}) {
    super();
    const numClasses = positiveInt('VGG()', 'numClasses', options.numClasses ?? 1000);
    const p = probability('VGG()', 'dropout', options.dropout ?? 0.5);
    const g = options.generator;
    this.features = features;
    this.classifier = new nn.Sequential(
      new nn.Linear(512 * 7 * 7, 4096, { generator: g }),
      new nn.ReLU(),
      new nn.Dropout(p),
      new nn.Linear(4096, 4096, { generator: g }),
      new nn.ReLU(),
      new nn.Dropout(p),
      new nn.Linear(4096, numClasses, { generator: g }),
    );
    if (options.initWeights ?? true) {
      initModules(this, {
        conv: (m) => {
          nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu', generator: g });
          if (m.bias) nn.init.zeros_(m.bias);
        },
        norm: onesZeros,
        linear: (m) => {
          nn.init.normal_(m.weight, 0, 0.01, { generator: g });
          if (m.bias) nn.init.zeros_(m.bias);
        },
      });
    }
  }

  forward(x: Tensor): Tensor {
    return this.classifier(this.avgpool(this.features(x)).flatten(1));
  }
}

/** Options of the VGG factories. */
export interface VGGFactoryOptions extends ClassifierFactoryOptions, Omit<VGGOptions, 'numClasses' | 'generator' | 'initWeights'> {}

function build(fn: string, enumObj: WeightsEnum, cfg: VGGConfig, batchNorm: boolean, options: VGGFactoryOptions): VGG {
  const r = resolveWeights(fn, enumObj, options);
  const features = makeLayers(cfg, { batchNorm, generator: options.generator });
  // With weights, torchvision skips the re-initialisation (they overwrite it anyway).
  const net = new VGG(features, { dropout: options.dropout, generator: options.generator, numClasses: r.numClasses, initWeights: r.path === null });
  return withWeights(fn, r, net);
}

/**
 * VGG-11 (torchvision's `vgg11`, configuration A), 132.9M parameters.
 *
 * @example
 * ```ts
 * const net = vgg11({ numClasses: 10 });
 * ```
 */
export function vgg11(options: VGGFactoryOptions = {}): VGG {
  return build('vgg11()', VGG11Weights, VGG_CONFIGS.A, false, options);
}

/**
 * VGG-11 with batch norm (torchvision's `vgg11_bn`).
 *
 * @example
 * ```ts
 * const net = vgg11Bn({ weights: VGG11BNWeights.DEFAULT, weightsPath: 'vgg11_bn-6002323d.safetensors' });
 * ```
 */
export function vgg11Bn(options: VGGFactoryOptions = {}): VGG {
  return build('vgg11Bn()', VGG11BNWeights, VGG_CONFIGS.A, true, options);
}

/**
 * VGG-13 (torchvision's `vgg13`, configuration B), 133.0M parameters.
 *
 * @example
 * ```ts
 * const net = vgg13({ dropout: 0.2 });
 * ```
 */
export function vgg13(options: VGGFactoryOptions = {}): VGG {
  return build('vgg13()', VGG13Weights, VGG_CONFIGS.B, false, options);
}

/**
 * VGG-13 with batch norm (torchvision's `vgg13_bn`).
 *
 * @example
 * ```ts
 * const net = vgg13Bn({ numClasses: 10 });
 * ```
 */
export function vgg13Bn(options: VGGFactoryOptions = {}): VGG {
  return build('vgg13Bn()', VGG13BNWeights, VGG_CONFIGS.B, true, options);
}

/**
 * VGG-16 (torchvision's `vgg16`, configuration D), 138.4M parameters.
 *
 * @example
 * ```ts
 * const net = vgg16({ weights: VGG16Weights.IMAGENET1K_V1, weightsPath: 'vgg16-397923af.safetensors' });
 * ```
 */
export function vgg16(options: VGGFactoryOptions = {}): VGG {
  return build('vgg16()', VGG16Weights, VGG_CONFIGS.D, false, options);
}

/**
 * VGG-16 with batch norm (torchvision's `vgg16_bn`).
 *
 * @example
 * ```ts
 * const net = vgg16Bn({ numClasses: 10 });
 * ```
 */
export function vgg16Bn(options: VGGFactoryOptions = {}): VGG {
  return build('vgg16Bn()', VGG16BNWeights, VGG_CONFIGS.D, true, options);
}

/**
 * VGG-19 (torchvision's `vgg19`, configuration E), 143.7M parameters.
 *
 * @example
 * ```ts
 * const net = vgg19({ numClasses: 10 });
 * ```
 */
export function vgg19(options: VGGFactoryOptions = {}): VGG {
  return build('vgg19()', VGG19Weights, VGG_CONFIGS.E, false, options);
}

/**
 * VGG-19 with batch norm (torchvision's `vgg19_bn`).
 *
 * @example
 * ```ts
 * const net = vgg19Bn({ numClasses: 10 });
 * ```
 */
export function vgg19Bn(options: VGGFactoryOptions = {}): VGG {
  return build('vgg19Bn()', VGG19BNWeights, VGG_CONFIGS.E, true, options);
}
