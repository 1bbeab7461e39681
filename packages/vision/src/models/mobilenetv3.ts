/**
 * MobileNetV3 Large and Small (`torchvision.models.mobilenetv3`): inverted residual blocks with
 * squeeze-and-excitation and hard-swish. State-dict keys read `features.1.block.0.0.weight`,
 * `features.1.block.1.fc1.weight`, `classifier.3.bias`, as in torchvision.
 * @module
 */
import { ArgumentError, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { Conv2dNormActivation, SqueezeExcitation, initModules, makeDivisible, onesZeros, positiveInt, probability, type NormLayer } from './layers.js';
import { MobileNetV3LargeWeights, MobileNetV3SmallWeights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/**
 * One block of a MobileNetV3 (torchvision's `InvertedResidualConfig`); channels are already
 * multiplied by the width and rounded.
 */
export interface InvertedResidualConfig {
  inputChannels: number;
  kernel: number;
  expandedChannels: number;
  outChannels: number;
  useSe: boolean;
  /** Hard-swish (`'HS'`) or ReLU (`'RE'`). */
  activation: 'HS' | 'RE';
  stride: number;
  dilation: number;
}

/**
 * torchvision's `InvertedResidualConfig(...)`: a block configuration with channels scaled by
 * `widthMult` and rounded to multiples of 8.
 *
 * @example
 * ```ts
 * const cnf = invertedResidualConfig(16, 3, 64, 24, false, 'RE', 2, 1, 1.0);
 * ```
 */
export function invertedResidualConfig(
  inputChannels: number,
  kernel: number,
  expandedChannels: number,
  outChannels: number,
  useSe: boolean,
  activation: 'HS' | 'RE',
  stride: number,
  dilation: number,
  widthMult: number,
): InvertedResidualConfig {
  const adjust = (c: number) => makeDivisible(c * widthMult, 8);
  return { inputChannels: adjust(inputChannels), kernel, expandedChannels: adjust(expandedChannels), outChannels: adjust(outChannels), useSe, activation, stride, dilation };
}

/**
 * MobileNetV3's block (torchvision's `mobilenetv3.InvertedResidual`): expansion, depthwise
 * convolution, optional squeeze-and-excitation with a hard-sigmoid gate, linear projection.
 *
 * @example
 * ```ts
 * const norm = (c: number) => new BatchNorm2d(c, { eps: 0.001, momentum: 0.01 });
 * const block = new MobileNetV3Block(invertedResidualConfig(16, 3, 16, 16, true, 'RE', 2, 1, 1), norm);
 * block(randn([1, 16, 112, 112])).shape; // [1, 16, 56, 56]
 * ```
 */
export class MobileNetV3Block extends nn.Module {
  readonly use_res_connect: boolean;
  block: nn.Sequential;
  readonly out_channels: number;

  constructor(cnf: InvertedResidualConfig, normLayer: NormLayer, options: { generator?: Generator } = {}) {
    super();
    if (!(cnf.stride >= 1 && cnf.stride <= 2)) throw new ArgumentError(`MobileNetV3Block(): stride must be 1 or 2 (got ${cnf.stride})`);
    const generator = options.generator;
    this.use_res_connect = cnf.stride === 1 && cnf.inputChannels === cnf.outChannels;
    const act = cnf.activation === 'HS' ? () => new nn.Hardswish() : () => new nn.ReLU();
    const layers: nn.AnyModule[] = [];
    if (cnf.expandedChannels !== cnf.inputChannels) {
      layers.push(new Conv2dNormActivation(cnf.inputChannels, cnf.expandedChannels, { kernelSize: 1, normLayer, activationLayer: act, generator }));
    }
    layers.push(
      new Conv2dNormActivation(cnf.expandedChannels, cnf.expandedChannels, {
        kernelSize: cnf.kernel,
        stride: cnf.dilation > 1 ? 1 : cnf.stride,
        dilation: cnf.dilation,
        groups: cnf.expandedChannels,
        normLayer,
        activationLayer: act,
        generator,
      }),
    );
    if (cnf.useSe) {
      const squeeze = makeDivisible(Math.floor(cnf.expandedChannels / 4), 8);
      layers.push(new SqueezeExcitation(cnf.expandedChannels, squeeze, { scaleActivation: () => new nn.Hardsigmoid(), generator }));
    }
    layers.push(new Conv2dNormActivation(cnf.expandedChannels, cnf.outChannels, { kernelSize: 1, normLayer, activationLayer: null, generator }));
    this.block = new nn.Sequential(...layers);
    this.out_channels = cnf.outChannels;
  }

  forward(input: Tensor): Tensor {
    const result = this.block(input);
    return this.use_res_connect ? result.add(input) : result;
  }
}

/** Options of {@link MobileNetV3}. */
export interface MobileNetV3Options {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Normalization layer (default `BatchNorm2d` with eps 0.001 and momentum 0.01). */
  normLayer?: NormLayer;
  /** Dropout probability in the classifier (default 0.2). */
  dropout?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * MobileNetV3 (torchvision's `MobileNetV3`) from a list of block configurations and the width
 * of the classifier's hidden layer.
 *
 * @example
 * ```ts
 * const { setting, lastChannel } = mobilenetV3Config('mobilenet_v3_small');
 * const net = new MobileNetV3(setting, lastChannel, { numClasses: 10 });
 * ```
 */
export class MobileNetV3 extends nn.Module {
  features: nn.Sequential;
  avgpool = new nn.AdaptiveAvgPool2d(1);
  classifier: nn.Sequential;

  constructor(invertedResidualSetting: readonly InvertedResidualConfig[], lastChannel: number, options: MobileNetV3Options = {}) {
    super();
    if (!Array.isArray(invertedResidualSetting) || invertedResidualSetting.length === 0) {
      throw new ArgumentError('MobileNetV3(): invertedResidualSetting must be a non-empty list of block configurations');
    }
    const numClasses = positiveInt('MobileNetV3()', 'numClasses', options.numClasses ?? 1000);
    const norm = options.normLayer ?? ((c: number) => new nn.BatchNorm2d(c, { eps: 0.001, momentum: 0.01 }));
    const g = options.generator;
    const hs = () => new nn.Hardswish();
    const first = invertedResidualSetting[0]!.inputChannels;
    const layers: nn.AnyModule[] = [new Conv2dNormActivation(3, first, { kernelSize: 3, stride: 2, normLayer: norm, activationLayer: hs, generator: g })];
    for (const cnf of invertedResidualSetting) layers.push(new MobileNetV3Block(cnf, norm, { generator: g }));
    const lastIn = invertedResidualSetting[invertedResidualSetting.length - 1]!.outChannels;
    const lastOut = 6 * lastIn;
    layers.push(new Conv2dNormActivation(lastIn, lastOut, { kernelSize: 1, normLayer: norm, activationLayer: hs, generator: g }));
    this.features = new nn.Sequential(...layers);
    this.classifier = new nn.Sequential(
      new nn.Linear(lastOut, lastChannel, { generator: g }),
      new nn.Hardswish(),
      new nn.Dropout(probability('MobileNetV3()', 'dropout', options.dropout ?? 0.2)),
      new nn.Linear(lastChannel, numClasses, { generator: g }),
    );
    initModules(this, {
      conv: (m) => {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', generator: g });
        if (m.bias) nn.init.zeros_(m.bias);
      },
      norm: onesZeros,
      linear: (m) => {
        nn.init.normal_(m.weight, 0, 0.01, { generator: g });
        if (m.bias) nn.init.zeros_(m.bias);
      },
    });
  }

  forward(x: Tensor): Tensor {
    return this.classifier(this.avgpool(this.features(x)).flatten(1));
  }
}

/** Options of torchvision's `_mobilenet_v3_conf`. */
export interface MobileNetV3ConfigOptions {
  /** Width multiplier (default 1). */
  widthMult?: number;
  /** Halve the channels of the last blocks (default false; used for detection backbones). */
  reducedTail?: boolean;
  /** Dilate the last stage instead of striding (default false; used for segmentation). */
  dilated?: boolean;
}

/**
 * The block configurations and classifier width of `'mobilenet_v3_large'` or
 * `'mobilenet_v3_small'` (torchvision's `_mobilenet_v3_conf`).
 *
 * @example
 * ```ts
 * const { setting, lastChannel } = mobilenetV3Config('mobilenet_v3_large', { widthMult: 0.75 });
 * ```
 */
export function mobilenetV3Config(arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', options: MobileNetV3ConfigOptions = {}): { setting: InvertedResidualConfig[]; lastChannel: number } {
  const w = options.widthMult ?? 1;
  const r = options.reducedTail ? 2 : 1;
  const d = options.dilated ? 2 : 1;
  const b = (i: number, k: number, e: number, o: number, se: boolean, a: 'HS' | 'RE', s: number, dil: number) => invertedResidualConfig(i, k, e, o, se, a, s, dil, w);
  if (arch === 'mobilenet_v3_large') {
    const setting = [
      b(16, 3, 16, 16, false, 'RE', 1, 1),
      b(16, 3, 64, 24, false, 'RE', 2, 1),
      b(24, 3, 72, 24, false, 'RE', 1, 1),
      b(24, 5, 72, 40, true, 'RE', 2, 1),
      b(40, 5, 120, 40, true, 'RE', 1, 1),
      b(40, 5, 120, 40, true, 'RE', 1, 1),
      b(40, 3, 240, 80, false, 'HS', 2, 1),
      b(80, 3, 200, 80, false, 'HS', 1, 1),
      b(80, 3, 184, 80, false, 'HS', 1, 1),
      b(80, 3, 184, 80, false, 'HS', 1, 1),
      b(80, 3, 480, 112, true, 'HS', 1, 1),
      b(112, 3, 672, 112, true, 'HS', 1, 1),
      b(112, 5, 672, Math.floor(160 / r), true, 'HS', 2, d),
      b(Math.floor(160 / r), 5, Math.floor(960 / r), Math.floor(160 / r), true, 'HS', 1, d),
      b(Math.floor(160 / r), 5, Math.floor(960 / r), Math.floor(160 / r), true, 'HS', 1, d),
    ];
    return { setting, lastChannel: makeDivisible(Math.floor(1280 / r) * w, 8) };
  }
  if (arch === 'mobilenet_v3_small') {
    const setting = [
      b(16, 3, 16, 16, true, 'RE', 2, 1),
      b(16, 3, 72, 24, false, 'RE', 2, 1),
      b(24, 3, 88, 24, false, 'RE', 1, 1),
      b(24, 5, 96, 40, true, 'HS', 2, 1),
      b(40, 5, 240, 40, true, 'HS', 1, 1),
      b(40, 5, 240, 40, true, 'HS', 1, 1),
      b(40, 5, 120, 48, true, 'HS', 1, 1),
      b(48, 5, 144, 48, true, 'HS', 1, 1),
      b(48, 5, 288, Math.floor(96 / r), true, 'HS', 2, d),
      b(Math.floor(96 / r), 5, Math.floor(576 / r), Math.floor(96 / r), true, 'HS', 1, d),
      b(Math.floor(96 / r), 5, Math.floor(576 / r), Math.floor(96 / r), true, 'HS', 1, d),
    ];
    return { setting, lastChannel: makeDivisible(Math.floor(1024 / r) * w, 8) };
  }
  throw new ArgumentError(`mobilenetV3Config(): arch must be 'mobilenet_v3_large' or 'mobilenet_v3_small' (got ${JSON.stringify(arch)})`);
}

/** Options of the MobileNetV3 factories. */
export interface MobileNetV3FactoryOptions extends ClassifierFactoryOptions, Omit<MobileNetV3Options, 'numClasses' | 'generator'>, MobileNetV3ConfigOptions {}

function build(fn: string, enumObj: WeightsEnum, arch: 'mobilenet_v3_large' | 'mobilenet_v3_small', options: MobileNetV3FactoryOptions): MobileNetV3 {
  const r = resolveWeights(fn, enumObj, options);
  const { setting, lastChannel } = mobilenetV3Config(arch, options);
  const net = new MobileNetV3(setting, lastChannel, { normLayer: options.normLayer, dropout: options.dropout, generator: options.generator, numClasses: r.numClasses });
  return withWeights(fn, r, net);
}

/**
 * MobileNetV3-Large (torchvision's `mobilenet_v3_large`), 5.5M parameters.
 *
 * @example
 * ```ts
 * const net = mobilenetV3Large({ numClasses: 10 });
 * const pretrained = mobilenetV3Large({ weights: MobileNetV3LargeWeights.DEFAULT, weightsPath: 'mobilenet_v3_large-5c1a4163.safetensors' });
 * ```
 */
export function mobilenetV3Large(options: MobileNetV3FactoryOptions = {}): MobileNetV3 {
  return build('mobilenetV3Large()', MobileNetV3LargeWeights, 'mobilenet_v3_large', options);
}

/**
 * MobileNetV3-Small (torchvision's `mobilenet_v3_small`), 2.5M parameters.
 *
 * @example
 * ```ts
 * const net = mobilenetV3Small({ numClasses: 10 });
 * net.eval();
 * const logits = noGrad(() => net(randn([1, 3, 224, 224])));
 * ```
 */
export function mobilenetV3Small(options: MobileNetV3FactoryOptions = {}): MobileNetV3 {
  return build('mobilenetV3Small()', MobileNetV3SmallWeights, 'mobilenet_v3_small', options);
}
