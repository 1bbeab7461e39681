/**
 * SqueezeNet 1.0 and 1.1 (`torchvision.models.squeezenet`): `Fire` modules (a 1x1 squeeze, then
 * 1x1 and 3x3 expands concatenated) and a convolutional classifier.
 * @module
 */
import { ArgumentError, cat, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { initModules, positiveInt, probability } from './layers.js';
import { SqueezeNet1_0Weights, SqueezeNet1_1Weights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/**
 * SqueezeNet's Fire module (torchvision's `Fire`): output channels `expand1x1 + expand3x3`.
 *
 * @example
 * ```ts
 * const fire = new Fire(96, 16, 64, 64);
 * fire(randn([1, 96, 54, 54])).shape; // [1, 128, 54, 54]
 * ```
 */
export class Fire extends nn.Module {
  readonly inplanes: number;
  squeeze: nn.Conv2d;
  squeeze_activation = new nn.ReLU();
  expand1x1: nn.Conv2d;
  expand1x1_activation = new nn.ReLU();
  expand3x3: nn.Conv2d;
  expand3x3_activation = new nn.ReLU();

  constructor(inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number, options: { generator?: Generator } = {}) {
    super();
    const generator = options.generator;
    this.inplanes = inplanes;
    this.squeeze = new nn.Conv2d(inplanes, squeezePlanes, 1, { generator });
    this.expand1x1 = new nn.Conv2d(squeezePlanes, expand1x1Planes, 1, { generator });
    this.expand3x3 = new nn.Conv2d(squeezePlanes, expand3x3Planes, 3, { padding: 1, generator });
  }

  forward(x: Tensor): Tensor {
    const s = this.squeeze_activation(this.squeeze(x));
    return cat([this.expand1x1_activation(this.expand1x1(s)), this.expand3x3_activation(this.expand3x3(s))], 1);
  }
}

/** Options of {@link SqueezeNet}. */
export interface SqueezeNetOptions {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Dropout probability before the final convolution (default 0.5). */
  dropout?: number;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * SqueezeNet (torchvision's `SqueezeNet`), version `'1_0'` or `'1_1'`. The classifier is a 1x1
 * convolution to `numClasses` channels, a ReLU and a global average pool.
 *
 * @example
 * ```ts
 * const net = new SqueezeNet('1_1', { numClasses: 10 });
 * net(randn([2, 3, 64, 64])).shape; // [2, 10]
 * ```
 */
export class SqueezeNet extends nn.Module {
  readonly num_classes: number;
  features: nn.Sequential;
  classifier: nn.Sequential;

  constructor(version: '1_0' | '1_1' = '1_0', options: SqueezeNetOptions = {}) {
    super();
    this.num_classes = positiveInt('SqueezeNet()', 'numClasses', options.numClasses ?? 1000);
    const p = probability('SqueezeNet()', 'dropout', options.dropout ?? 0.5);
    const g = options.generator;
    const fire = (i: number, s: number, e1: number, e3: number) => new Fire(i, s, e1, e3, { generator: g });
    const pool = () => new nn.MaxPool2d(3, { stride: 2, ceilMode: true });
    if (version === '1_0') {
      this.features = new nn.Sequential(
        new nn.Conv2d(3, 96, 7, { stride: 2, generator: g }),
        new nn.ReLU(),
        pool(),
        fire(96, 16, 64, 64),
        fire(128, 16, 64, 64),
        fire(128, 32, 128, 128),
        pool(),
        fire(256, 32, 128, 128),
        fire(256, 48, 192, 192),
        fire(384, 48, 192, 192),
        fire(384, 64, 256, 256),
        pool(),
        fire(512, 64, 256, 256),
      );
    } else if (version === '1_1') {
      this.features = new nn.Sequential(
        new nn.Conv2d(3, 64, 3, { stride: 2, generator: g }),
        new nn.ReLU(),
        pool(),
        fire(64, 16, 64, 64),
        fire(128, 16, 64, 64),
        pool(),
        fire(128, 32, 128, 128),
        fire(256, 32, 128, 128),
        pool(),
        fire(256, 48, 192, 192),
        fire(384, 48, 192, 192),
        fire(384, 64, 256, 256),
        fire(512, 64, 256, 256),
      );
    } else {
      throw new ArgumentError(`SqueezeNet(): version must be '1_0' or '1_1' (got ${JSON.stringify(version)})`);
    }
    const finalConv = new nn.Conv2d(512, this.num_classes, 1, { generator: g });
    this.classifier = new nn.Sequential(new nn.Dropout(p), finalConv, new nn.ReLU(), new nn.AdaptiveAvgPool2d([1, 1]));
    initModules(this, {
      conv: (m) => {
        if (m === finalConv) nn.init.normal_(m.weight, 0, 0.01, { generator: g });
        else nn.init.kaimingUniform_(m.weight, { generator: g });
        if (m.bias) nn.init.zeros_(m.bias);
      },
    });
  }

  forward(x: Tensor): Tensor {
    return this.classifier(this.features(x)).flatten(1);
  }
}

/** Options of the SqueezeNet factories. */
export interface SqueezeNetFactoryOptions extends ClassifierFactoryOptions, Omit<SqueezeNetOptions, 'numClasses' | 'generator'> {}

function build(fn: string, enumObj: WeightsEnum, version: '1_0' | '1_1', options: SqueezeNetFactoryOptions): SqueezeNet {
  const r = resolveWeights(fn, enumObj, options);
  return withWeights(fn, r, new SqueezeNet(version, { dropout: options.dropout, generator: options.generator, numClasses: r.numClasses }));
}

/**
 * SqueezeNet 1.0 (torchvision's `squeezenet1_0`), 1.2M parameters; inputs of at least 21x21.
 *
 * @example
 * ```ts
 * const net = squeezenet1_0({ numClasses: 10 });
 * ```
 */
export function squeezenet1_0(options: SqueezeNetFactoryOptions = {}): SqueezeNet {
  return build('squeezenet1_0()', SqueezeNet1_0Weights, '1_0', options);
}

/**
 * SqueezeNet 1.1 (torchvision's `squeezenet1_1`): 2.4x less computation than 1.0 at the same
 * accuracy, 1.2M parameters; inputs of at least 17x17.
 *
 * @example
 * ```ts
 * const net = squeezenet1_1({ weights: SqueezeNet1_1Weights.DEFAULT, weightsPath: 'squeezenet1_1-b8a52dc0.safetensors' });
 * ```
 */
export function squeezenet1_1(options: SqueezeNetFactoryOptions = {}): SqueezeNet {
  return build('squeezenet1_1()', SqueezeNet1_1Weights, '1_1', options);
}
