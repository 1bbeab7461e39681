/**
 * ResNet, ResNeXt and Wide ResNet (`torchvision.models.resnet`): `ResNet` with `BasicBlock` or
 * `Bottleneck` blocks (ResNet v1.5: the stride sits on the 3x3 convolution), and the factories
 * `resnet18` ... `wideResnet101_2`. Fields carry torchvision's names, so state-dict keys read
 * `conv1.weight`, `bn1.running_mean`, `layer1.0.downsample.0.weight`, `fc.bias`.
 * @module
 */
import { ArgumentError, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { initModules, onesZeros, positiveInt, type NormLayer } from './layers.js';
import {
  ResNet101Weights,
  ResNet152Weights,
  ResNet18Weights,
  ResNet34Weights,
  ResNet50Weights,
  ResNeXt101_32X8DWeights,
  ResNeXt101_64X4DWeights,
  ResNeXt50_32X4DWeights,
  WideResNet101_2Weights,
  WideResNet50_2Weights,
} from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type Weights, type WeightsEnum } from './weights.js';

/** Options of a residual block (torchvision's block arguments). */
export interface ResidualBlockOptions {
  /** Stride of the block (default 1). */
  stride?: number;
  /** The shortcut's projection, or null for the identity (default null). */
  downsample?: nn.Sequential | null;
  /** Groups of the 3x3 convolution (default 1; ResNeXt uses 32 or 64). */
  groups?: number;
  /** Width per group (default 64; Wide ResNet uses 128). */
  baseWidth?: number;
  /** Dilation of the 3x3 convolution (default 1). */
  dilation?: number;
  /** Normalization layer (default `BatchNorm2d`). */
  normLayer?: NormLayer;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

const batchNorm: NormLayer = (c) => new nn.BatchNorm2d(c);

function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1, generator?: Generator): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, groups, bias: false, dilation, generator });
}

function conv1x1(inPlanes: number, outPlanes: number, stride = 1, generator?: Generator): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 1, { stride, bias: false, generator });
}

/**
 * The two-convolution residual block of ResNet-18 and -34 (torchvision's `BasicBlock`).
 *
 * @example
 * ```ts
 * const block = new BasicBlock(64, 64);
 * block(randn([1, 64, 56, 56])).shape; // [1, 64, 56, 56]
 * ```
 */
export class BasicBlock extends nn.Module {
  /** Output channels per `planes`. */
  static readonly expansion = 1;
  conv1: nn.Conv2d;
  bn1: nn.AnyModule;
  relu = new nn.ReLU();
  conv2: nn.Conv2d;
  bn2: nn.AnyModule;
  downsample: nn.Sequential | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, options: ResidualBlockOptions = {}) {
    super();
    const norm = options.normLayer ?? batchNorm;
    if ((options.groups ?? 1) !== 1 || (options.baseWidth ?? 64) !== 64) {
      throw new ArgumentError(`BasicBlock(): only groups 1 and baseWidth 64 are supported (got groups ${options.groups}, baseWidth ${options.baseWidth})`);
    }
    if ((options.dilation ?? 1) > 1) throw new ArgumentError(`BasicBlock(): dilation > 1 is not supported (got ${options.dilation})`);
    this.stride = options.stride ?? 1;
    this.conv1 = conv3x3(inplanes, planes, this.stride, 1, 1, options.generator);
    this.bn1 = norm(planes);
    this.conv2 = conv3x3(planes, planes, 1, 1, 1, options.generator);
    this.bn2 = norm(planes);
    this.downsample = options.downsample ?? null;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)));
    out = this.bn2(this.conv2(out));
    const identity = this.downsample ? this.downsample(x) : x;
    return this.relu(out.add(identity));
  }
}

/**
 * The 1x1-3x3-1x1 residual block of ResNet-50 and deeper, ResNeXt and Wide ResNet (torchvision's
 * `Bottleneck`); the output has `4 * planes` channels.
 *
 * @example
 * ```ts
 * const down = new Sequential(new Conv2d(64, 256, 1, { bias: false }), new BatchNorm2d(256));
 * const block = new Bottleneck(64, 64, { downsample: down });
 * block(randn([1, 64, 56, 56])).shape; // [1, 256, 56, 56]
 * ```
 */
export class Bottleneck extends nn.Module {
  /** Output channels per `planes`. */
  static readonly expansion = 4;
  conv1: nn.Conv2d;
  bn1: nn.AnyModule;
  conv2: nn.Conv2d;
  bn2: nn.AnyModule;
  conv3: nn.Conv2d;
  bn3: nn.AnyModule;
  relu = new nn.ReLU();
  downsample: nn.Sequential | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, options: ResidualBlockOptions = {}) {
    super();
    const norm = options.normLayer ?? batchNorm;
    const groups = options.groups ?? 1;
    const width = Math.floor(planes * ((options.baseWidth ?? 64) / 64)) * groups;
    const g = options.generator;
    this.stride = options.stride ?? 1;
    this.conv1 = conv1x1(inplanes, width, 1, g);
    this.bn1 = norm(width);
    this.conv2 = conv3x3(width, width, this.stride, groups, options.dilation ?? 1, g);
    this.bn2 = norm(width);
    this.conv3 = conv1x1(width, planes * Bottleneck.expansion, 1, g);
    this.bn3 = norm(planes * Bottleneck.expansion);
    this.downsample = options.downsample ?? null;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)));
    out = this.relu(this.bn2(this.conv2(out)));
    out = this.bn3(this.conv3(out));
    const identity = this.downsample ? this.downsample(x) : x;
    return this.relu(out.add(identity));
  }
}

/** `BasicBlock` or `Bottleneck`. */
export type ResNetBlock = typeof BasicBlock | typeof Bottleneck;

/** Options of {@link ResNet} (torchvision's keyword arguments). */
export interface ResNetOptions {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Zero the last batch norm of each residual branch, so each block starts as the identity (default false). */
  zeroInitResidual?: boolean;
  /** Groups of the 3x3 convolutions (default 1). */
  groups?: number;
  /** Width per group (default 64). */
  widthPerGroup?: number;
  /** For layer2..layer4: replace the 2x2 stride by a dilation (default all false). */
  replaceStrideWithDilation?: readonly [boolean, boolean, boolean];
  /** Normalization layer (default `BatchNorm2d`). */
  normLayer?: NormLayer;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * The ResNet family (torchvision's `ResNet`): a 7x7 stem, four stages of residual blocks
 * (`layer1`..`layer4`), global average pooling and a `fc` classifier. Convolutions start from
 * `kaimingNormal_(fan_out, relu)`, batch norms from weight 1 and bias 0, as in torchvision.
 *
 * @example
 * ```ts
 * const net = new ResNet(BasicBlock, [2, 2, 2, 2], { numClasses: 10 });
 * net.eval();
 * const logits = noGrad(() => net(randn([1, 3, 224, 224]))); // [1, 10]
 * ```
 */
export class ResNet extends nn.Module {
  /** Input channels of the next stage while building. */
  inplanes = 64;
  /** Current dilation while building. */
  dilation = 1;
  readonly groups: number;
  readonly base_width: number;
  conv1: nn.Conv2d;
  bn1: nn.AnyModule;
  relu = new nn.ReLU();
  maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
  layer1: nn.Sequential;
  layer2: nn.Sequential;
  layer3: nn.Sequential;
  layer4: nn.Sequential;
  avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
  fc: nn.Linear;
  /** @internal */ private readonly normLayer: NormLayer;
  /** @internal */ private readonly generator: Generator | undefined;

  constructor(block: ResNetBlock, layers: readonly [number, number, number, number], options: ResNetOptions = {}) {
    super();
    if (block !== BasicBlock && block !== Bottleneck) throw new ArgumentError(`ResNet(): block must be BasicBlock or Bottleneck (got ${String(block)})`);
    if (!Array.isArray(layers) || layers.length !== 4) throw new ArgumentError(`ResNet(): layers must list 4 block counts (got ${JSON.stringify(layers)})`);
    layers.forEach((n, i) => positiveInt('ResNet()', `layers[${i}]`, n));
    const dilate = options.replaceStrideWithDilation ?? [false, false, false];
    if (dilate.length !== 3) throw new ArgumentError(`ResNet(): replaceStrideWithDilation must have 3 entries (got ${JSON.stringify(dilate)})`);
    this.normLayer = options.normLayer ?? batchNorm;
    this.generator = options.generator;
    this.groups = positiveInt('ResNet()', 'groups', options.groups ?? 1);
    this.base_width = positiveInt('ResNet()', 'widthPerGroup', options.widthPerGroup ?? 64);
    const numClasses = positiveInt('ResNet()', 'numClasses', options.numClasses ?? 1000);
    this.conv1 = new nn.Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false, generator: this.generator });
    this.bn1 = this.normLayer(this.inplanes);
    this.layer1 = this.makeLayer(block, 64, layers[0]);
    this.layer2 = this.makeLayer(block, 128, layers[1], 2, dilate[0]);
    this.layer3 = this.makeLayer(block, 256, layers[2], 2, dilate[1]);
    this.layer4 = this.makeLayer(block, 512, layers[3], 2, dilate[2]);
    this.fc = new nn.Linear(512 * block.expansion, numClasses, { generator: this.generator });

    initModules(this, {
      conv: (m) => nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu', generator: this.generator }),
      norm: onesZeros,
    });
    if (options.zeroInitResidual) {
      for (const m of this.modules()) {
        const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
        const w = (last as { weight?: nn.Parameter | null } | null)?.weight;
        if (w) nn.init.zeros_(w);
      }
    }
  }

  /** torchvision's `_make_layer`: one stage of `blocks` blocks, the first one strided. */
  private makeLayer(block: ResNetBlock, planes: number, blocks: number, stride = 1, dilate = false): nn.Sequential {
    const g = this.generator;
    let downsample: nn.Sequential | null = null;
    const previousDilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new nn.Sequential(conv1x1(this.inplanes, planes * block.expansion, stride, g), this.normLayer(planes * block.expansion));
    }
    const common = { groups: this.groups, baseWidth: this.base_width, normLayer: this.normLayer, generator: g };
    const out: nn.AnyModule[] = [new block(this.inplanes, planes, { ...common, stride, downsample, dilation: previousDilation })];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) out.push(new block(this.inplanes, planes, { ...common, dilation: this.dilation }));
    return new nn.Sequential(...out);
  }

  forward(x: Tensor): Tensor {
    x = this.maxpool(this.relu(this.bn1(this.conv1(x))));
    x = this.layer4(this.layer3(this.layer2(this.layer1(x))));
    return this.fc(this.avgpool(x).flatten(1));
  }
}

/** Options of the ResNet factories: {@link ResNetOptions} plus `weights`. */
export interface ResNetFactoryOptions<W extends Weights = Weights> extends ClassifierFactoryOptions<W>, Omit<ResNetOptions, 'numClasses' | 'generator'> {}

/** Options of the ResNeXt and Wide ResNet factories, whose groups and widths are fixed. */
export type ResNeXtFactoryOptions<W extends Weights = Weights> = Omit<ResNetFactoryOptions<W>, 'groups' | 'widthPerGroup'>;

function build(fn: string, enumObj: WeightsEnum, block: ResNetBlock, layers: [number, number, number, number], options: ResNetFactoryOptions, fixed: Partial<ResNetOptions> = {}): ResNet {
  const r = resolveWeights(fn, enumObj, options);
  for (const [k, v] of Object.entries(fixed)) {
    const given = (options as Record<string, unknown>)[k];
    if (given !== undefined && given !== v) throw new ArgumentError(`${fn}: ${k} is fixed at ${v} for this model (got ${String(given)})`);
  }
  const { weights: _w, weightsPath: _p, ...rest } = options;
  return withWeights(fn, r, new ResNet(block, layers, { ...rest, ...fixed, numClasses: r.numClasses }));
}

/**
 * ResNet-18 (torchvision's `resnet18`), 11.7M parameters.
 *
 * @example
 * ```ts
 * const net = resnet18({ numClasses: 10 });
 * const pretrained = resnet18({ weights: ResNet18Weights.IMAGENET1K_V1, weightsPath: 'resnet18-f37072fd.safetensors' });
 * ```
 */
export function resnet18(options: ResNetFactoryOptions = {}): ResNet {
  return build('resnet18()', ResNet18Weights, BasicBlock, [2, 2, 2, 2], options);
}

/**
 * ResNet-34 (torchvision's `resnet34`), 21.8M parameters.
 *
 * @example
 * ```ts
 * const net = resnet34({ weights: ResNet34Weights.DEFAULT, weightsPath: 'resnet34-b627a593.safetensors' });
 * ```
 */
export function resnet34(options: ResNetFactoryOptions = {}): ResNet {
  return build('resnet34()', ResNet34Weights, BasicBlock, [3, 4, 6, 3], options);
}

/**
 * ResNet-50 (torchvision's `resnet50`), 25.6M parameters.
 *
 * @example
 * ```ts
 * const net = resnet50({ zeroInitResidual: true, numClasses: 100 });
 * ```
 */
export function resnet50(options: ResNetFactoryOptions = {}): ResNet {
  return build('resnet50()', ResNet50Weights, Bottleneck, [3, 4, 6, 3], options);
}

/**
 * ResNet-101 (torchvision's `resnet101`), 44.5M parameters.
 *
 * @example
 * ```ts
 * const net = resnet101({ weights: ResNet101Weights.IMAGENET1K_V2, weightsPath: 'resnet101-cd907fc2.safetensors' });
 * ```
 */
export function resnet101(options: ResNetFactoryOptions = {}): ResNet {
  return build('resnet101()', ResNet101Weights, Bottleneck, [3, 4, 23, 3], options);
}

/**
 * ResNet-152 (torchvision's `resnet152`), 60.2M parameters.
 *
 * @example
 * ```ts
 * const net = resnet152({ numClasses: 10 });
 * ```
 */
export function resnet152(options: ResNetFactoryOptions = {}): ResNet {
  return build('resnet152()', ResNet152Weights, Bottleneck, [3, 8, 36, 3], options);
}

/**
 * ResNeXt-50 32x4d (torchvision's `resnext50_32x4d`): 32 groups of width 4, 25.0M parameters.
 *
 * @example
 * ```ts
 * const net = resnext50_32x4d({ numClasses: 10 });
 * ```
 */
export function resnext50_32x4d(options: ResNeXtFactoryOptions = {}): ResNet {
  return build('resnext50_32x4d()', ResNeXt50_32X4DWeights, Bottleneck, [3, 4, 6, 3], options, { groups: 32, widthPerGroup: 4 });
}

/**
 * ResNeXt-101 32x8d (torchvision's `resnext101_32x8d`), 88.8M parameters.
 *
 * @example
 * ```ts
 * const net = resnext101_32x8d({ weights: ResNeXt101_32X8DWeights.DEFAULT, weightsPath: 'resnext101_32x8d-110c445d.safetensors' });
 * ```
 */
export function resnext101_32x8d(options: ResNeXtFactoryOptions = {}): ResNet {
  return build('resnext101_32x8d()', ResNeXt101_32X8DWeights, Bottleneck, [3, 4, 23, 3], options, { groups: 32, widthPerGroup: 8 });
}

/**
 * ResNeXt-101 64x4d (torchvision's `resnext101_64x4d`), 83.5M parameters.
 *
 * @example
 * ```ts
 * const net = resnext101_64x4d({ numClasses: 10 });
 * ```
 */
export function resnext101_64x4d(options: ResNeXtFactoryOptions = {}): ResNet {
  return build('resnext101_64x4d()', ResNeXt101_64X4DWeights, Bottleneck, [3, 4, 23, 3], options, { groups: 64, widthPerGroup: 4 });
}

/**
 * Wide ResNet-50-2 (torchvision's `wide_resnet50_2`): bottlenecks twice as wide, 68.9M parameters.
 *
 * @example
 * ```ts
 * const net = wideResnet50_2({ numClasses: 10 });
 * ```
 */
export function wideResnet50_2(options: ResNeXtFactoryOptions = {}): ResNet {
  return build('wideResnet50_2()', WideResNet50_2Weights, Bottleneck, [3, 4, 6, 3], options, { widthPerGroup: 128 });
}

/**
 * Wide ResNet-101-2 (torchvision's `wide_resnet101_2`), 126.9M parameters.
 *
 * @example
 * ```ts
 * const net = wideResnet101_2({ weights: WideResNet101_2Weights.IMAGENET1K_V2, weightsPath: 'wide_resnet101_2-d733dc28.safetensors' });
 * ```
 */
export function wideResnet101_2(options: ResNeXtFactoryOptions = {}): ResNet {
  return build('wideResnet101_2()', WideResNet101_2Weights, Bottleneck, [3, 4, 23, 3], options, { widthPerGroup: 128 });
}
