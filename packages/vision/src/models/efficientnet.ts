/**
 * EfficientNet B0-B7 and V2 S/M/L (`torchvision.models.efficientnet`): MBConv and FusedMBConv
 * blocks with squeeze-and-excitation, SiLU and stochastic depth. State-dict keys read
 * `features.1.0.block.0.0.weight`, `features.1.0.block.1.fc1.weight`, `classifier.1.weight`.
 * @module
 */
import { ArgumentError, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { Conv2dNormActivation, SqueezeExcitation, StochasticDepth, initModules, makeDivisible, onesZeros, positiveInt, probability, type NormLayer } from './layers.js';
import {
  EfficientNetB0Weights,
  EfficientNetB1Weights,
  EfficientNetB2Weights,
  EfficientNetB3Weights,
  EfficientNetB4Weights,
  EfficientNetB5Weights,
  EfficientNetB6Weights,
  EfficientNetB7Weights,
  EfficientNetV2LWeights,
  EfficientNetV2MWeights,
  EfficientNetV2SWeights,
} from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/** One stage of an EfficientNet (torchvision's `MBConvConfig` / `FusedMBConvConfig`), channels already scaled. */
export interface MBConvConfig {
  /** `'mbconv'` (depthwise, with squeeze-and-excitation) or `'fused'` (FusedMBConv, V2's early stages). */
  block: 'mbconv' | 'fused';
  expandRatio: number;
  kernel: number;
  stride: number;
  inputChannels: number;
  outChannels: number;
  numLayers: number;
}

const silu = () => new nn.SiLU();

/**
 * torchvision's `MBConvConfig(...)`: channels scaled by `widthMult` (rounded to multiples of
 * 8) and layers by `depthMult` (rounded up).
 *
 * @example
 * ```ts
 * const stage = mbconvConfig(6, 3, 2, 16, 24, 2, 1.1, 1.2);
 * ```
 */
export function mbconvConfig(expandRatio: number, kernel: number, stride: number, inputChannels: number, outChannels: number, numLayers: number, widthMult = 1, depthMult = 1): MBConvConfig {
  return {
    block: 'mbconv',
    expandRatio,
    kernel,
    stride,
    inputChannels: makeDivisible(inputChannels * widthMult, 8),
    outChannels: makeDivisible(outChannels * widthMult, 8),
    numLayers: Math.ceil(numLayers * depthMult),
  };
}

/**
 * The inverted residual block of EfficientNet (torchvision's `MBConv`): 1x1 expansion, depthwise
 * convolution, squeeze-and-excitation, 1x1 projection; the shortcut goes through stochastic depth.
 *
 * @example
 * ```ts
 * const block = new MBConv(mbconvConfig(6, 3, 1, 24, 24, 1), 0.1, (c) => new BatchNorm2d(c));
 * block(randn([1, 24, 28, 28])).shape; // [1, 24, 28, 28]
 * ```
 */
export class MBConv extends nn.Module {
  readonly use_res_connect: boolean;
  block: nn.Sequential;
  stochastic_depth: StochasticDepth;
  readonly out_channels: number;

  constructor(cnf: MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer, options: { generator?: Generator } = {}) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new ArgumentError(`MBConv(): stride must be 1 or 2 (got ${cnf.stride})`);
    const generator = options.generator;
    this.use_res_connect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const expanded = makeDivisible(cnf.inputChannels * cnf.expandRatio, 8);
    const layers: nn.AnyModule[] = [];
    if (expanded !== cnf.inputChannels) {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: 1, normLayer, activationLayer: silu, generator }));
    }
    layers.push(
      new Conv2dNormActivation(expanded, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, groups: expanded, normLayer, activationLayer: silu, generator }),
      new SqueezeExcitation(expanded, Math.max(1, Math.floor(cnf.inputChannels / 4)), { activation: silu, generator }),
      new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null, generator }),
    );
    this.block = new nn.Sequential(...layers);
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row', { generator });
    this.out_channels = cnf.outChannels;
  }

  forward(input: Tensor): Tensor {
    const result = this.block(input);
    return this.use_res_connect ? this.stochastic_depth(result).add(input) : result;
  }
}

/**
 * EfficientNetV2's fused block (torchvision's `FusedMBConv`): a full kxk convolution instead of
 * the 1x1 expansion and the depthwise convolution, no squeeze-and-excitation.
 *
 * @example
 * ```ts
 * const block = new FusedMBConv({ block: 'fused', expandRatio: 4, kernel: 3, stride: 2, inputChannels: 24, outChannels: 48, numLayers: 1 }, 0, (c) => new BatchNorm2d(c));
 * block(randn([1, 24, 32, 32])).shape; // [1, 48, 16, 16]
 * ```
 */
export class FusedMBConv extends nn.Module {
  readonly use_res_connect: boolean;
  block: nn.Sequential;
  stochastic_depth: StochasticDepth;
  readonly out_channels: number;

  constructor(cnf: MBConvConfig, stochasticDepthProb: number, normLayer: NormLayer, options: { generator?: Generator } = {}) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new ArgumentError(`FusedMBConv(): stride must be 1 or 2 (got ${cnf.stride})`);
    const generator = options.generator;
    this.use_res_connect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const expanded = makeDivisible(cnf.inputChannels * cnf.expandRatio, 8);
    const layers: nn.AnyModule[] = [];
    if (expanded !== cnf.inputChannels) {
      layers.push(
        new Conv2dNormActivation(cnf.inputChannels, expanded, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu, generator }),
        new Conv2dNormActivation(expanded, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null, generator }),
      );
    } else {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.outChannels, { kernelSize: cnf.kernel, stride: cnf.stride, normLayer, activationLayer: silu, generator }));
    }
    this.block = new nn.Sequential(...layers);
    this.stochastic_depth = new StochasticDepth(stochasticDepthProb, 'row', { generator });
    this.out_channels = cnf.outChannels;
  }

  forward(input: Tensor): Tensor {
    const result = this.block(input);
    return this.use_res_connect ? this.stochastic_depth(result).add(input) : result;
  }
}

/** Options of {@link EfficientNet}. */
export interface EfficientNetOptions {
  /** Largest stochastic depth probability, reached by the last block (default 0.2). */
  stochasticDepthProb?: number;
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Normalization layer (default `BatchNorm2d`). */
  normLayer?: NormLayer;
  /** Channels of the last convolution (default 4x the last stage's). */
  lastChannel?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * EfficientNet (torchvision's `EfficientNet`), V1 or V2 according to `setting`.
 *
 * @example
 * ```ts
 * const { setting, lastChannel } = efficientnetConfig('efficientnet_b0');
 * const net = new EfficientNet(setting, 0.2, { lastChannel, numClasses: 10 });
 * ```
 */
export class EfficientNet extends nn.Module {
  features: nn.Sequential;
  avgpool = new nn.AdaptiveAvgPool2d(1);
  classifier: nn.Sequential;

  constructor(setting: readonly MBConvConfig[], dropout: number, options: EfficientNetOptions = {}) {
    super();
    if (!Array.isArray(setting) || setting.length === 0) throw new ArgumentError('EfficientNet(): setting must be a non-empty list of stage configurations');
    const numClasses = positiveInt('EfficientNet()', 'numClasses', options.numClasses ?? 1000);
    const sdProb = probability('EfficientNet()', 'stochasticDepthProb', options.stochasticDepthProb ?? 0.2);
    const norm = options.normLayer ?? ((c: number) => new nn.BatchNorm2d(c));
    const g = options.generator;
    const layers: nn.AnyModule[] = [new Conv2dNormActivation(3, setting[0]!.inputChannels, { kernelSize: 3, stride: 2, normLayer: norm, activationLayer: silu, generator: g })];
    const total = setting.reduce((n, c) => n + c.numLayers, 0);
    let id = 0;
    for (const cnf of setting) {
      const stage: nn.AnyModule[] = [];
      for (let i = 0; i < cnf.numLayers; i++) {
        const c = i === 0 ? cnf : { ...cnf, inputChannels: cnf.outChannels, stride: 1 };
        const p = (sdProb * id) / total;
        stage.push(cnf.block === 'fused' ? new FusedMBConv(c, p, norm, { generator: g }) : new MBConv(c, p, norm, { generator: g }));
        id++;
      }
      layers.push(new nn.Sequential(...stage));
    }
    const lastIn = setting[setting.length - 1]!.outChannels;
    const lastOut = options.lastChannel ?? 4 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer: norm, activationLayer: silu, generator: g }));
    this.features = new nn.Sequential(...layers);
    this.classifier = new nn.Sequential(new nn.Dropout(probability('EfficientNet()', 'dropout', dropout)), new nn.Linear(lastOut, numClasses, { generator: g }));
    initModules(this, {
      conv: (m) => {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', generator: g });
        if (m.bias) nn.init.zeros_(m.bias);
      },
      norm: onesZeros,
      linear: (m) => {
        const r = 1 / Math.sqrt(m.outFeatures);
        nn.init.uniform_(m.weight, -r, r, { generator: g });
        if (m.bias) nn.init.zeros_(m.bias);
      },
    });
  }

  forward(x: Tensor): Tensor {
    return this.classifier(this.avgpool(this.features(x)).flatten(1));
  }
}

/** The architectures {@link efficientnetConfig} knows. */
export type EfficientNetArch =
  | 'efficientnet_b0' | 'efficientnet_b1' | 'efficientnet_b2' | 'efficientnet_b3'
  | 'efficientnet_b4' | 'efficientnet_b5' | 'efficientnet_b6' | 'efficientnet_b7'
  | 'efficientnet_v2_s' | 'efficientnet_v2_m' | 'efficientnet_v2_l';

/** width, depth, dropout, batch norm eps and momentum of each architecture (torchvision's factories). */
const ARCH: Record<EfficientNetArch, { width: number; depth: number; dropout: number; eps: number; momentum: number }> = {
  efficientnet_b0: { width: 1.0, depth: 1.0, dropout: 0.2, eps: 1e-5, momentum: 0.1 },
  efficientnet_b1: { width: 1.0, depth: 1.1, dropout: 0.2, eps: 1e-5, momentum: 0.1 },
  efficientnet_b2: { width: 1.1, depth: 1.2, dropout: 0.3, eps: 1e-5, momentum: 0.1 },
  efficientnet_b3: { width: 1.2, depth: 1.4, dropout: 0.3, eps: 1e-5, momentum: 0.1 },
  efficientnet_b4: { width: 1.4, depth: 1.8, dropout: 0.4, eps: 1e-5, momentum: 0.1 },
  efficientnet_b5: { width: 1.6, depth: 2.2, dropout: 0.4, eps: 0.001, momentum: 0.01 },
  efficientnet_b6: { width: 1.8, depth: 2.6, dropout: 0.5, eps: 0.001, momentum: 0.01 },
  efficientnet_b7: { width: 2.0, depth: 3.1, dropout: 0.5, eps: 0.001, momentum: 0.01 },
  efficientnet_v2_s: { width: 1, depth: 1, dropout: 0.2, eps: 0.001, momentum: 0.1 },
  efficientnet_v2_m: { width: 1, depth: 1, dropout: 0.3, eps: 0.001, momentum: 0.1 },
  efficientnet_v2_l: { width: 1, depth: 1, dropout: 0.4, eps: 0.001, momentum: 0.1 },
};

type Row = [number, number, number, number, number, number];
const fused = (r: Row): MBConvConfig => ({ block: 'fused', expandRatio: r[0], kernel: r[1], stride: r[2], inputChannels: r[3], outChannels: r[4], numLayers: r[5] });
const mb = (r: Row): MBConvConfig => mbconvConfig(...r);
const V2: Record<'s' | 'm' | 'l', MBConvConfig[]> = {
  s: [fused([1, 3, 1, 24, 24, 2]), fused([4, 3, 2, 24, 48, 4]), fused([4, 3, 2, 48, 64, 4]), mb([4, 3, 2, 64, 128, 6]), mb([6, 3, 1, 128, 160, 9]), mb([6, 3, 2, 160, 256, 15])],
  m: [
    fused([1, 3, 1, 24, 24, 3]), fused([4, 3, 2, 24, 48, 5]), fused([4, 3, 2, 48, 80, 5]), mb([4, 3, 2, 80, 160, 7]),
    mb([6, 3, 1, 160, 176, 14]), mb([6, 3, 2, 176, 304, 18]), mb([6, 3, 1, 304, 512, 5]),
  ],
  l: [
    fused([1, 3, 1, 32, 32, 4]), fused([4, 3, 2, 32, 64, 7]), fused([4, 3, 2, 64, 96, 7]), mb([4, 3, 2, 96, 192, 10]),
    mb([6, 3, 1, 192, 224, 19]), mb([6, 3, 2, 224, 384, 25]), mb([6, 3, 1, 384, 640, 7]),
  ],
};

/**
 * The stage configurations, last convolution width, dropout and batch norm of an architecture
 * (torchvision's `_efficientnet_conf` plus each factory's arguments).
 *
 * @example
 * ```ts
 * const { setting, lastChannel, dropout, normLayer } = efficientnetConfig('efficientnet_b3');
 * ```
 */
export function efficientnetConfig(arch: EfficientNetArch): { setting: MBConvConfig[]; lastChannel: number | undefined; dropout: number; normLayer: NormLayer } {
  const a = ARCH[arch];
  if (a === undefined) throw new ArgumentError(`efficientnetConfig(): unknown arch ${JSON.stringify(arch)}; one of ${Object.keys(ARCH).join(', ')}`);
  const normLayer: NormLayer = (c) => new nn.BatchNorm2d(c, { eps: a.eps, momentum: a.momentum });
  if (arch.startsWith('efficientnet_b')) {
    const b = (...r: Row) => mbconvConfig(...r, a.width, a.depth);
    const setting = [b(1, 3, 1, 32, 16, 1), b(6, 3, 2, 16, 24, 2), b(6, 5, 2, 24, 40, 2), b(6, 3, 2, 40, 80, 3), b(6, 5, 1, 80, 112, 3), b(6, 5, 2, 112, 192, 4), b(6, 3, 1, 192, 320, 1)];
    return { setting, lastChannel: undefined, dropout: a.dropout, normLayer };
  }
  return { setting: V2[arch.slice(-1) as 's' | 'm' | 'l'].map((c) => ({ ...c })), lastChannel: 1280, dropout: a.dropout, normLayer };
}

/** Options of the EfficientNet factories. */
export interface EfficientNetFactoryOptions extends ClassifierFactoryOptions, Pick<EfficientNetOptions, 'stochasticDepthProb' | 'normLayer'> {
  /** Dropout before the classifier (default the architecture's: 0.2 for B0 ... 0.5 for B7). */
  dropout?: number;
}

function build(fn: string, enumObj: WeightsEnum, arch: EfficientNetArch, options: EfficientNetFactoryOptions): EfficientNet {
  const r = resolveWeights(fn, enumObj, options);
  const c = efficientnetConfig(arch);
  const net = new EfficientNet(c.setting, options.dropout ?? c.dropout, {
    lastChannel: c.lastChannel,
    normLayer: options.normLayer ?? c.normLayer,
    stochasticDepthProb: options.stochasticDepthProb,
    generator: options.generator,
    numClasses: r.numClasses,
  });
  return withWeights(fn, r, net);
}

/**
 * EfficientNet-B0 (torchvision's `efficientnet_b0`), 5.3M parameters.
 *
 * @example
 * ```ts
 * const net = efficientnetB0({ numClasses: 10 });
 * const pretrained = efficientnetB0({ weights: EfficientNetB0Weights.DEFAULT, weightsPath: 'efficientnet_b0_rwightman-3dd342df.safetensors' });
 * ```
 */
export function efficientnetB0(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB0()', EfficientNetB0Weights, 'efficientnet_b0', options);
}

/** EfficientNet-B1 (torchvision's `efficientnet_b1`), 7.8M parameters. @example `const net = efficientnetB1({ numClasses: 10 });` */
export function efficientnetB1(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB1()', EfficientNetB1Weights, 'efficientnet_b1', options);
}

/** EfficientNet-B2 (torchvision's `efficientnet_b2`), 9.1M parameters. @example `const net = efficientnetB2({ numClasses: 10 });` */
export function efficientnetB2(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB2()', EfficientNetB2Weights, 'efficientnet_b2', options);
}

/** EfficientNet-B3 (torchvision's `efficientnet_b3`), 12.2M parameters. @example `const net = efficientnetB3({ numClasses: 10 });` */
export function efficientnetB3(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB3()', EfficientNetB3Weights, 'efficientnet_b3', options);
}

/** EfficientNet-B4 (torchvision's `efficientnet_b4`), 19.3M parameters. @example `const net = efficientnetB4({ numClasses: 10 });` */
export function efficientnetB4(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB4()', EfficientNetB4Weights, 'efficientnet_b4', options);
}

/** EfficientNet-B5 (torchvision's `efficientnet_b5`), 30.4M parameters. @example `const net = efficientnetB5({ numClasses: 10 });` */
export function efficientnetB5(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB5()', EfficientNetB5Weights, 'efficientnet_b5', options);
}

/** EfficientNet-B6 (torchvision's `efficientnet_b6`), 43.0M parameters. @example `const net = efficientnetB6({ numClasses: 10 });` */
export function efficientnetB6(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB6()', EfficientNetB6Weights, 'efficientnet_b6', options);
}

/** EfficientNet-B7 (torchvision's `efficientnet_b7`), 66.3M parameters. @example `const net = efficientnetB7({ numClasses: 10 });` */
export function efficientnetB7(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetB7()', EfficientNetB7Weights, 'efficientnet_b7', options);
}

/** EfficientNetV2-S (torchvision's `efficientnet_v2_s`), 21.5M parameters. @example `const net = efficientnetV2S({ numClasses: 10 });` */
export function efficientnetV2S(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetV2S()', EfficientNetV2SWeights, 'efficientnet_v2_s', options);
}

/** EfficientNetV2-M (torchvision's `efficientnet_v2_m`), 54.1M parameters. @example `const net = efficientnetV2M({ numClasses: 10 });` */
export function efficientnetV2M(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetV2M()', EfficientNetV2MWeights, 'efficientnet_v2_m', options);
}

/** EfficientNetV2-L (torchvision's `efficientnet_v2_l`), 118.5M parameters. @example `const net = efficientnetV2L({ numClasses: 10 });` */
export function efficientnetV2L(options: EfficientNetFactoryOptions = {}): EfficientNet {
  return build('efficientnetV2L()', EfficientNetV2LWeights, 'efficientnet_v2_l', options);
}
