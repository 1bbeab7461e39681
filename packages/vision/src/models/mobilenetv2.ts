/**
 * MobileNetV2 (`torchvision.models.mobilenetv2`): inverted residual blocks with linear
 * bottlenecks. State-dict keys read `features.0.0.weight`, `features.1.conv.0.0.weight`,
 * `classifier.1.weight`, as in torchvision.
 * @module
 */
import { ArgumentError, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { Conv2dNormActivation, initModules, makeDivisible, onesZeros, positiveInt, probability, type NormLayer } from './layers.js';
import { MobileNetV2Weights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions } from './weights.js';

const relu6 = () => new nn.ReLU6();
const batchNorm: NormLayer = (c) => new nn.BatchNorm2d(c);

/**
 * MobileNetV2's block (torchvision's `mobilenetv2.InvertedResidual`): 1x1 expansion (unless
 * `expandRatio` is 1), 3x3 depthwise, 1x1 linear projection, with a shortcut when the shape
 * is kept.
 *
 * @example
 * ```ts
 * const block = new InvertedResidual(24, 24, 1, 6);
 * block(randn([1, 24, 56, 56])).shape; // [1, 24, 56, 56]
 * ```
 */
export class InvertedResidual extends nn.Module {
  readonly stride: number;
  readonly use_res_connect: boolean;
  conv: nn.Sequential;
  readonly out_channels: number;

  constructor(inp: number, oup: number, stride: number, expandRatio: number, options: { normLayer?: NormLayer; generator?: Generator } = {}) {
    super();
    if (stride !== 1 && stride !== 2) throw new ArgumentError(`InvertedResidual(): stride must be 1 or 2 (got ${stride})`);
    const norm = options.normLayer ?? batchNorm;
    const generator = options.generator;
    this.stride = stride;
    const hidden = Math.round(inp * expandRatio);
    this.use_res_connect = stride === 1 && inp === oup;
    const layers: nn.AnyModule[] = [];
    if (expandRatio !== 1) layers.push(new Conv2dNormActivation(inp, hidden, { kernelSize: 1, normLayer: norm, activationLayer: relu6, generator }));
    layers.push(
      new Conv2dNormActivation(hidden, hidden, { stride, groups: hidden, normLayer: norm, activationLayer: relu6, generator }),
      new nn.Conv2d(hidden, oup, 1, { bias: false, generator }),
      norm(oup),
    );
    this.conv = new nn.Sequential(...layers);
    this.out_channels = oup;
  }

  forward(x: Tensor): Tensor {
    return this.use_res_connect ? x.add(this.conv(x)) : this.conv(x);
  }
}

/** Options of {@link MobileNetV2}. */
export interface MobileNetV2Options {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Width multiplier of every layer (default 1). */
  widthMult?: number;
  /** Rows `[t, c, n, s]`: expansion, channels, repeats, first stride (default the paper's). */
  invertedResidualSetting?: readonly (readonly [number, number, number, number])[];
  /** Channels are rounded to multiples of this (default 8). */
  roundNearest?: number;
  /** Normalization layer (default `BatchNorm2d`). */
  normLayer?: NormLayer;
  /** Dropout probability before the classifier (default 0.2). */
  dropout?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

const SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * MobileNetV2 (torchvision's `MobileNetV2`).
 *
 * @example
 * ```ts
 * const net = new MobileNetV2({ numClasses: 10, widthMult: 0.5 });
 * net(randn([1, 3, 96, 96])).shape; // [1, 10]
 * ```
 */
export class MobileNetV2 extends nn.Module {
  readonly last_channel: number;
  features: nn.Sequential;
  classifier: nn.Sequential;

  constructor(options: MobileNetV2Options = {}) {
    super();
    const numClasses = positiveInt('MobileNetV2()', 'numClasses', options.numClasses ?? 1000);
    const widthMult = options.widthMult ?? 1;
    const roundNearest = options.roundNearest ?? 8;
    const norm = options.normLayer ?? batchNorm;
    const g = options.generator;
    const setting = options.invertedResidualSetting ?? SETTING;
    if (setting.length === 0 || setting[0]!.length !== 4) {
      throw new ArgumentError(`MobileNetV2(): invertedResidualSetting must be a non-empty list of [t, c, n, s] rows (got ${JSON.stringify(setting)})`);
    }
    let inputChannel = makeDivisible(32 * widthMult, roundNearest);
    this.last_channel = makeDivisible(1280 * Math.max(1, widthMult), roundNearest);
    const features: nn.AnyModule[] = [new Conv2dNormActivation(3, inputChannel, { stride: 2, normLayer: norm, activationLayer: relu6, generator: g })];
    for (const [t, c, n, s] of setting) {
      const outputChannel = makeDivisible(c * widthMult, roundNearest);
      for (let i = 0; i < n; i++) {
        features.push(new InvertedResidual(inputChannel, outputChannel, i === 0 ? s : 1, t, { normLayer: norm, generator: g }));
        inputChannel = outputChannel;
      }
    }
    features.push(new Conv2dNormActivation(inputChannel, this.last_channel, { kernelSize: 1, normLayer: norm, activationLayer: relu6, generator: g }));
    this.features = new nn.Sequential(...features);
    this.classifier = new nn.Sequential(
      new nn.Dropout(probability('MobileNetV2()', 'dropout', options.dropout ?? 0.2)),
      new nn.Linear(this.last_channel, numClasses, { generator: g }),
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
    const f = nn.functional.adaptiveAvgPool2d(this.features(x), [1, 1]);
    return this.classifier(f.flatten(1));
  }
}

/** Options of {@link mobilenetV2}. */
export interface MobileNetV2FactoryOptions extends ClassifierFactoryOptions, Omit<MobileNetV2Options, 'numClasses' | 'generator'> {}

/**
 * MobileNetV2 (torchvision's `mobilenet_v2`), 3.5M parameters.
 *
 * @example
 * ```ts
 * const net = mobilenetV2({ numClasses: 10 });
 * const pretrained = mobilenetV2({ weights: MobileNetV2Weights.IMAGENET1K_V2, weightsPath: 'mobilenet_v2-7ebf99e0.safetensors' });
 * ```
 */
export function mobilenetV2(options: MobileNetV2FactoryOptions = {}): MobileNetV2 {
  const r = resolveWeights('mobilenetV2()', MobileNetV2Weights, options);
  const { weights: _w, weightsPath: _p, ...rest } = options;
  return withWeights('mobilenetV2()', r, new MobileNetV2({ ...rest, numClasses: r.numClasses }));
}
