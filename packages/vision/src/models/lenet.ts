/**
 * LeNet-5 (LeCun et al., 1998), which torchvision does not have. Flint's layout is the network
 * of PyTorch's "Neural Networks" tutorial, so its state dict loads from the PyTorch code most
 * people have written for it:
 *
 * ```
 * input [N, inChannels, 32, 32]            (pad 28x28 MNIST digits by 2)
 * conv1  Conv2d(inChannels, 6, 5)   -> [N, 6, 28, 28]   act, 2x2 pool -> [N, 6, 14, 14]
 * conv2  Conv2d(6, 16, 5)           -> [N, 16, 10, 10]  act, 2x2 pool -> [N, 16, 5, 5]
 * flatten                           -> [N, 400]
 * fc1    Linear(400, 120)  act
 * fc2    Linear(120, 84)   act
 * fc3    Linear(84, numClasses)
 * state dict: conv1.weight conv1.bias conv2.weight conv2.bias fc1.weight fc1.bias
 *             fc2.weight fc2.bias fc3.weight fc3.bias
 * ```
 *
 * `act` is ReLU and the pool is max pooling by default (the tutorial's choice); the 1998
 * paper's tanh and average pooling are `{ activation: 'tanh', pooling: 'avg' }`. The layers
 * start from PyTorch's default initialisation.
 * @module
 */
import { ArgumentError, ShapeError, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { positiveInt } from './layers.js';
import { resolveWeights, withWeights, type WeightsOptions } from './weights.js';

const F = nn.functional;

/** Options of {@link LeNet5}. */
export interface LeNet5Options {
  /** Number of classes (default 10). */
  numClasses?: number;
  /** Channels of the input images (default 1). */
  inChannels?: number;
  /** The activation after every layer but the last (default `'relu'`; the paper's is `'tanh'`). */
  activation?: 'relu' | 'tanh';
  /** The 2x2 subsampling (default `'max'`; the paper's is `'avg'`). */
  pooling?: 'max' | 'avg';
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * LeNet-5 for 32x32 inputs; see the module documentation for the layout and the state-dict keys.
 *
 * @example
 * ```ts
 * const net = new LeNet5();
 * net(randn([8, 1, 32, 32])).shape; // [8, 10]
 * const classic = new LeNet5({ activation: 'tanh', pooling: 'avg' });
 * ```
 */
export class LeNet5 extends nn.Module {
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  fc1: nn.Linear;
  fc2: nn.Linear;
  fc3: nn.Linear;
  readonly activation: 'relu' | 'tanh';
  readonly pooling: 'max' | 'avg';
  readonly inChannels: number;

  constructor(options: LeNet5Options = {}) {
    super();
    const numClasses = positiveInt('LeNet5()', 'numClasses', options.numClasses ?? 10);
    this.inChannels = positiveInt('LeNet5()', 'inChannels', options.inChannels ?? 1);
    this.activation = options.activation ?? 'relu';
    this.pooling = options.pooling ?? 'max';
    if (this.activation !== 'relu' && this.activation !== 'tanh') {
      throw new ArgumentError(`LeNet5(): activation must be 'relu' or 'tanh' (got ${JSON.stringify(this.activation)})`);
    }
    if (this.pooling !== 'max' && this.pooling !== 'avg') {
      throw new ArgumentError(`LeNet5(): pooling must be 'max' or 'avg' (got ${JSON.stringify(this.pooling)})`);
    }
    const generator = options.generator;
    this.conv1 = new nn.Conv2d(this.inChannels, 6, 5, { generator });
    this.conv2 = new nn.Conv2d(6, 16, 5, { generator });
    this.fc1 = new nn.Linear(16 * 5 * 5, 120, { generator });
    this.fc2 = new nn.Linear(120, 84, { generator });
    this.fc3 = new nn.Linear(84, numClasses, { generator });
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels || x.shape[2] !== 32 || x.shape[3] !== 32) {
      throw new ShapeError(
        `LeNet5.forward(): input must be [N, ${this.inChannels}, 32, 32] (got [${x.shape.join(', ')}]); pad 28x28 images by 2 on each side`,
      );
    }
    const act = (t: Tensor) => (this.activation === 'relu' ? F.relu(t) : F.tanh(t));
    const pool = (t: Tensor) => (this.pooling === 'max' ? F.maxPool2d(t, 2) : F.avgPool2d(t, 2));
    x = pool(act(this.conv1(x)));
    x = pool(act(this.conv2(x)));
    x = act(this.fc1(x.flatten(1)));
    x = act(this.fc2(x));
    return this.fc3(x);
  }

  override extraRepr(): string {
    return `activation=${this.activation}, pooling=${this.pooling}`;
  }
}

/** Options of {@link lenet5}: `weights` can only be a file path (there are no published weights). */
export interface LeNet5FactoryOptions extends Omit<WeightsOptions, 'weightsPath'>, LeNet5Options {
  weights?: string | null;
}

/**
 * LeNet-5 (see {@link LeNet5}), 61,706 parameters with 10 classes.
 *
 * @example
 * ```ts
 * const net = lenet5();
 * const trained = lenet5({ weights: 'lenet5-mnist.safetensors' });
 * ```
 */
export function lenet5(options: LeNet5FactoryOptions = {}): LeNet5 {
  const r = resolveWeights('lenet5()', null, options);
  return withWeights('lenet5()', r, new LeNet5({ ...options, numClasses: r.numClasses }));
}
