/**
 * The networks the main job can train (model/ and model_entry.py of a PyTorch project): each takes
 * `[N, 1, 28, 28]` images and gives `[N, 10]` logits; `createModel(name)` picks one by its
 * command-line name.
 * @module
 */
import { nn, type Tensor } from '@flint/core';

/**
 * LeNet-5 with ReLU and max pooling: conv 5x5 (1->6), pool, conv 5x5 (6->16), pool, then
 * 400 -> 120 -> 84 -> 10. Small and quick: about 90% on Fashion-MNIST in three epochs.
 *
 * @example
 * ```ts
 * new LeNet5()(flint.zeros([2, 1, 28, 28])).shape; // [2, 10]
 * ```
 */
export class LeNet5 extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Linear(16 * 5 * 5, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));

  forward(x: Tensor): Tensor {
    return this.classifier(this.features(x));
  }
}

/**
 * Two conv-batchnorm-relu-pool blocks (1->16->32 channels), dropout, then 1568 -> 128 -> 10:
 * about three times LeNet-5's cost, a point or two more accurate.
 *
 * @example
 * ```ts
 * new ConvNet()(flint.zeros([2, 1, 28, 28])).shape; // [2, 10]
 * ```
 */
export class ConvNet extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(32 * 7 * 7, 128), new nn.ReLU(), new nn.Linear(128, 10));

  forward(x: Tensor): Tensor {
    return this.classifier(this.features(x));
  }
}

/**
 * A perceptron with one hidden layer (784 -> 256 -> 10) and dropout: the baseline without
 * convolutions.
 *
 * @example
 * ```ts
 * new MLP()(flint.zeros([2, 1, 28, 28])).shape; // [2, 10]
 * ```
 */
export class MLP extends nn.Module {
  net = new nn.Sequential(new nn.Flatten(), new nn.Linear(28 * 28, 256), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(256, 10));

  forward(x: Tensor): Tensor {
    return this.net(x);
  }
}

/** The models by command-line name. */
const MODELS = {
  lenet5: () => new LeNet5(),
  convnet: () => new ConvNet(),
  mlp: () => new MLP(),
} satisfies Record<string, () => nn.Module>;

/**
 * The names `--model` accepts.
 *
 * @example
 * ```ts
 * MODEL_NAMES.includes('lenet5'); // true
 * ```
 */
export const MODEL_NAMES = Object.keys(MODELS) as ReadonlyArray<keyof typeof MODELS>;

/**
 * Makes the model called `name` (its weights drawn from the default generator).
 *
 * @example
 * ```ts
 * const model = createModel('lenet5');
 * ```
 */
export function createModel(name: string): LeNet5 | ConvNet | MLP {
  const make = (MODELS as Record<string, (() => LeNet5 | ConvNet | MLP) | undefined>)[name];
  if (make === undefined) throw new Error(`createModel(): unknown model '${name}'; choose one of ${MODEL_NAMES.join(', ')}`);
  return make();
}
