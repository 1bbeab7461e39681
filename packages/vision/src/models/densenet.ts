/**
 * DenseNet-BC (`torchvision.models.densenet`): dense blocks whose layers see the concatenation
 * of every earlier output, joined by transitions. State-dict keys read
 * `features.denseblock1.denselayer1.norm1.weight`, `features.transition1.conv.weight`,
 * `features.norm5.running_var`, `classifier.weight`; checkpoints with the old names
 * (`denselayer1.norm.1.weight`) are renamed on loading, as torchvision does.
 * @module
 */
import { cat, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { initModules, onesZeros, positiveInt, probability } from './layers.js';
import { DenseNet121Weights, DenseNet161Weights, DenseNet169Weights, DenseNet201Weights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/**
 * One layer of a dense block (torchvision's `_DenseLayer`): BN-ReLU-1x1 conv to
 * `bnSize * growthRate` channels, BN-ReLU-3x3 conv to `growthRate` channels.
 *
 * @example
 * ```ts
 * const layer = new DenseLayer(64, 32, 4, 0);
 * layer([randn([1, 64, 8, 8])]).shape; // [1, 32, 8, 8]
 * ```
 */
export class DenseLayer extends nn.Module<[Tensor[]], Tensor> {
  norm1: nn.BatchNorm2d;
  relu1 = new nn.ReLU();
  conv1: nn.Conv2d;
  norm2: nn.BatchNorm2d;
  relu2 = new nn.ReLU();
  conv2: nn.Conv2d;
  readonly drop_rate: number;

  constructor(numInputFeatures: number, growthRate: number, bnSize: number, dropRate: number, options: { generator?: Generator } = {}) {
    super();
    const generator = options.generator;
    this.norm1 = new nn.BatchNorm2d(numInputFeatures);
    this.conv1 = new nn.Conv2d(numInputFeatures, bnSize * growthRate, 1, { bias: false, generator });
    this.norm2 = new nn.BatchNorm2d(bnSize * growthRate);
    this.conv2 = new nn.Conv2d(bnSize * growthRate, growthRate, 3, { padding: 1, bias: false, generator });
    this.drop_rate = dropRate;
  }

  forward(inputs: Tensor[]): Tensor {
    const concated = inputs.length === 1 ? inputs[0]! : cat(inputs, 1);
    const bottleneck = this.conv1(this.relu1(this.norm1(concated)));
    const out = this.conv2(this.relu2(this.norm2(bottleneck)));
    return this.drop_rate > 0 ? nn.functional.dropout(out, { p: this.drop_rate, training: this.training }) : out;
  }
}

/**
 * A dense block (torchvision's `_DenseBlock`): layers `denselayer1`, `denselayer2`, ... each fed
 * with the concatenation of the block input and every earlier layer's output.
 *
 * @example
 * ```ts
 * const block = new DenseBlock(6, 64, 4, 32, 0);
 * block(randn([1, 64, 8, 8])).shape; // [1, 256, 8, 8]
 * ```
 */
export class DenseBlock extends nn.Module {
  readonly numLayers: number;
  constructor(numLayers: number, numInputFeatures: number, bnSize: number, growthRate: number, dropRate: number, options: { generator?: Generator } = {}) {
    super();
    this.numLayers = numLayers;
    for (let i = 0; i < numLayers; i++) {
      this.registerModule(`denselayer${i + 1}`, new DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize, dropRate, options));
    }
  }
  forward(initFeatures: Tensor): Tensor {
    const features = [initFeatures];
    for (const [, layer] of this.namedChildren()) features.push((layer as DenseLayer)(features));
    return cat(features, 1);
  }
}

/**
 * The transition between dense blocks (torchvision's `_Transition`): BN, ReLU, 1x1 conv, 2x2
 * average pool, as a Sequential with keys `norm`, `relu`, `conv`, `pool`.
 *
 * @example
 * ```ts
 * new Transition(256, 128)(randn([1, 256, 8, 8])).shape; // [1, 128, 4, 4]
 * ```
 */
export class Transition extends nn.Sequential {
  constructor(numInputFeatures: number, numOutputFeatures: number, options: { generator?: Generator } = {}) {
    super({
      norm: new nn.BatchNorm2d(numInputFeatures),
      relu: new nn.ReLU(),
      conv: new nn.Conv2d(numInputFeatures, numOutputFeatures, 1, { bias: false, generator: options.generator }),
      pool: new nn.AvgPool2d(2, { stride: 2 }),
    });
  }
}

/** Options of {@link DenseNet}. */
export interface DenseNetOptions {
  /** Channels each layer adds (`k` in the paper; default 32). */
  growthRate?: number;
  /** Layers in each of the four blocks (default `[6, 12, 24, 16]`, DenseNet-121). */
  blockConfig?: readonly [number, number, number, number];
  /** Channels of the first convolution (default 64). */
  numInitFeatures?: number;
  /** Bottleneck width as a multiple of `growthRate` (default 4). */
  bnSize?: number;
  /** Dropout after each dense layer (default 0). */
  dropRate?: number;
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * DenseNet-BC (torchvision's `DenseNet`). `memory_efficient` checkpointing is not offered.
 *
 * @example
 * ```ts
 * const net = new DenseNet({ numClasses: 10 });
 * net(randn([1, 3, 64, 64])).shape; // [1, 10]
 * ```
 */
export class DenseNet extends nn.Module {
  features: nn.Sequential;
  classifier: nn.Linear;

  constructor(options: DenseNetOptions = {}) {
    super();
    const growthRate = positiveInt('DenseNet()', 'growthRate', options.growthRate ?? 32);
    const blockConfig = options.blockConfig ?? [6, 12, 24, 16];
    const numInit = positiveInt('DenseNet()', 'numInitFeatures', options.numInitFeatures ?? 64);
    const bnSize = positiveInt('DenseNet()', 'bnSize', options.bnSize ?? 4);
    const dropRate = probability('DenseNet()', 'dropRate', options.dropRate ?? 0);
    const numClasses = positiveInt('DenseNet()', 'numClasses', options.numClasses ?? 1000);
    const g = options.generator;
    const f = new Map<string, nn.AnyModule>([
      ['conv0', new nn.Conv2d(3, numInit, 7, { stride: 2, padding: 3, bias: false, generator: g })],
      ['norm0', new nn.BatchNorm2d(numInit)],
      ['relu0', new nn.ReLU()],
      ['pool0', new nn.MaxPool2d(3, { stride: 2, padding: 1 })],
    ]);
    let numFeatures = numInit;
    blockConfig.forEach((numLayers, i) => {
      positiveInt('DenseNet()', `blockConfig[${i}]`, numLayers);
      f.set(`denseblock${i + 1}`, new DenseBlock(numLayers, numFeatures, bnSize, growthRate, dropRate, { generator: g }));
      numFeatures += numLayers * growthRate;
      if (i !== blockConfig.length - 1) {
        f.set(`transition${i + 1}`, new Transition(numFeatures, Math.floor(numFeatures / 2), { generator: g }));
        numFeatures = Math.floor(numFeatures / 2);
      }
    });
    f.set('norm5', new nn.BatchNorm2d(numFeatures));
    this.features = new nn.Sequential(f);
    this.classifier = new nn.Linear(numFeatures, numClasses, { generator: g });
    initModules(this, {
      conv: (m) => nn.init.kaimingNormal_(m.weight, { generator: g }),
      norm: onesZeros,
      linear: (m) => {
        if (m.bias) nn.init.zeros_(m.bias);
      },
    });
  }

  forward(x: Tensor): Tensor {
    const out = nn.functional.adaptiveAvgPool2d(nn.functional.relu(this.features(x)), [1, 1]);
    return this.classifier(out.flatten(1));
  }
}

const LEGACY_KEY = /^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$/;

/** torchvision's `_load_state_dict` renaming: `denselayer1.norm.1.weight` -> `denselayer1.norm1.weight`. @internal */
export function densenetKey(key: string): string {
  const m = LEGACY_KEY.exec(key);
  return m ? m[1]! + m[2]! : key;
}

/** Options of the DenseNet factories. */
export interface DenseNetFactoryOptions extends ClassifierFactoryOptions, Pick<DenseNetOptions, 'dropRate'> {}

function build(fn: string, enumObj: WeightsEnum, growthRate: number, blockConfig: [number, number, number, number], numInitFeatures: number, options: DenseNetFactoryOptions): DenseNet {
  const r = resolveWeights(fn, enumObj, options);
  const net = new DenseNet({ growthRate, blockConfig, numInitFeatures, dropRate: options.dropRate, generator: options.generator, numClasses: r.numClasses });
  return withWeights(fn, r, net, densenetKey);
}

/**
 * DenseNet-121 (torchvision's `densenet121`), 8.0M parameters.
 *
 * @example
 * ```ts
 * const net = densenet121({ numClasses: 10 });
 * const pretrained = densenet121({ weights: DenseNet121Weights.DEFAULT, weightsPath: 'densenet121-a639ec97.safetensors' });
 * ```
 */
export function densenet121(options: DenseNetFactoryOptions = {}): DenseNet {
  return build('densenet121()', DenseNet121Weights, 32, [6, 12, 24, 16], 64, options);
}

/**
 * DenseNet-161 (torchvision's `densenet161`), 28.7M parameters.
 *
 * @example
 * ```ts
 * const net = densenet161({ numClasses: 10 });
 * ```
 */
export function densenet161(options: DenseNetFactoryOptions = {}): DenseNet {
  return build('densenet161()', DenseNet161Weights, 48, [6, 12, 36, 24], 96, options);
}

/**
 * DenseNet-169 (torchvision's `densenet169`), 14.1M parameters.
 *
 * @example
 * ```ts
 * const net = densenet169({ numClasses: 10 });
 * ```
 */
export function densenet169(options: DenseNetFactoryOptions = {}): DenseNet {
  return build('densenet169()', DenseNet169Weights, 32, [6, 12, 32, 32], 64, options);
}

/**
 * DenseNet-201 (torchvision's `densenet201`), 20.0M parameters.
 *
 * @example
 * ```ts
 * const net = densenet201({ numClasses: 10 });
 * ```
 */
export function densenet201(options: DenseNetFactoryOptions = {}): DenseNet {
  return build('densenet201()', DenseNet201Weights, 32, [6, 12, 48, 32], 64, options);
}
