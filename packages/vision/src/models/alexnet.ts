/**
 * AlexNet (`torchvision.models.alexnet`), in torchvision's single-GPU variant ("One weird
 * trick"): `features` of five convolutions, a 6x6 adaptive pool and a dropout `classifier`.
 * @module
 */
import { type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { positiveInt, probability } from './layers.js';
import { AlexNetWeights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions } from './weights.js';

/** Options of {@link AlexNet}. */
export interface AlexNetOptions {
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
  /** The generator the initial values are drawn from (PyTorch's default layer initialisation). */
  generator?: Generator;
}

/**
 * AlexNet (torchvision's `AlexNet`). Inputs of at least 63x63.
 *
 * @example
 * ```ts
 * const net = new AlexNet({ numClasses: 10 });
 * net(randn([1, 3, 224, 224])).shape; // [1, 10]
 * ```
 */
export class AlexNet extends nn.Module {
  features: nn.Sequential;
  avgpool = new nn.AdaptiveAvgPool2d([6, 6]);
  classifier: nn.Sequential;

  constructor(options: AlexNetOptions = {}) {
    super();
    const numClasses = positiveInt('AlexNet()', 'numClasses', options.numClasses ?? 1000);
    const p = probability('AlexNet()', 'dropout', options.dropout ?? 0.5);
    const generator = options.generator;
    const conv = (i: number, o: number, k: number, o2: { stride?: number; padding?: number }) => new nn.Conv2d(i, o, k, { ...o2, generator });
    this.features = new nn.Sequential(
      conv(3, 64, 11, { stride: 4, padding: 2 }),
      new nn.ReLU(),
      new nn.MaxPool2d(3, { stride: 2 }),
      conv(64, 192, 5, { padding: 2 }),
      new nn.ReLU(),
      new nn.MaxPool2d(3, { stride: 2 }),
      conv(192, 384, 3, { padding: 1 }),
      new nn.ReLU(),
      conv(384, 256, 3, { padding: 1 }),
      new nn.ReLU(),
      conv(256, 256, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = new nn.Sequential(
      new nn.Dropout(p),
      new nn.Linear(256 * 6 * 6, 4096, { generator }),
      new nn.ReLU(),
      new nn.Dropout(p),
      new nn.Linear(4096, 4096, { generator }),
      new nn.ReLU(),
      new nn.Linear(4096, numClasses, { generator }),
    );
  }

  forward(x: Tensor): Tensor {
    return this.classifier(this.avgpool(this.features(x)).flatten(1));
  }
}

/** Options of {@link alexnet}. */
export interface AlexNetFactoryOptions extends ClassifierFactoryOptions, Omit<AlexNetOptions, 'numClasses' | 'generator'> {}

/**
 * AlexNet (torchvision's `alexnet`), 61.1M parameters.
 *
 * @example
 * ```ts
 * const net = alexnet({ numClasses: 10 });
 * const pretrained = alexnet({ weights: AlexNetWeights.IMAGENET1K_V1, weightsPath: 'alexnet-owt-7be5be79.safetensors' });
 * ```
 */
export function alexnet(options: AlexNetFactoryOptions = {}): AlexNet {
  const r = resolveWeights('alexnet()', AlexNetWeights, options);
  return withWeights('alexnet()', r, new AlexNet({ dropout: options.dropout, generator: options.generator, numClasses: r.numClasses }));
}
