/**
 * ShuffleNetV2 (`torchvision.models.shufflenetv2`): blocks that split the channels, run one half
 * through 1x1 / depthwise 3x3 / 1x1 convolutions, concatenate and shuffle the channels. State-dict
 * keys read `conv1.0.weight`, `stage2.0.branch1.0.weight`, `stage2.1.branch2.3.weight`, `fc.weight`.
 * @module
 */
import { ArgumentError, cat, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { positiveInt } from './layers.js';
import { ShuffleNetV2X0_5Weights, ShuffleNetV2X1_0Weights, ShuffleNetV2X1_5Weights, ShuffleNetV2X2_0Weights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

/**
 * Interleaves the channels of `groups` groups (torchvision's `channel_shuffle`).
 *
 * @example
 * ```ts
 * channelShuffle(arange(4).reshape(1, 4, 1, 1), 2).flatten().tolist(); // [0, 2, 1, 3]
 * ```
 */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (x.ndim !== 4 || c % groups !== 0) throw new ArgumentError(`channelShuffle(): x must be [N, C, H, W] with C divisible by groups ${groups} (got [${x.shape.join(', ')}])`);
  return x.reshape(n, groups, c / groups, h, w).transpose(1, 2).reshape(n, c, h, w);
}

function depthwise(i: number, o: number, stride: number, generator?: Generator): nn.Conv2d {
  return new nn.Conv2d(i, o, 3, { stride, padding: 1, bias: false, groups: i, generator });
}

/**
 * ShuffleNetV2's unit (torchvision's `shufflenetv2.InvertedResidual`). With stride 1 the input is
 * split in two and only `branch2` computes; with stride 2 both branches see the whole input.
 *
 * @example
 * ```ts
 * const down = new ShuffleNetV2Block(24, 116, 2);
 * down(randn([1, 24, 56, 56])).shape; // [1, 116, 28, 28]
 * ```
 */
export class ShuffleNetV2Block extends nn.Module {
  readonly stride: number;
  branch1: nn.Sequential;
  branch2: nn.Sequential;

  constructor(inp: number, oup: number, stride: number, options: { generator?: Generator } = {}) {
    super();
    if (!(stride >= 1 && stride <= 3)) throw new ArgumentError(`ShuffleNetV2Block(): stride must be 1, 2 or 3 (got ${stride})`);
    this.stride = stride;
    const g = options.generator;
    const bf = Math.floor(oup / 2);
    if (stride === 1 && inp !== bf * 2) {
      throw new ArgumentError(`ShuffleNetV2Block(): with stride 1, inp (${inp}) must equal oup (${oup}) rounded down to even`);
    }
    const conv1x1 = (i: number, o: number) => new nn.Conv2d(i, o, 1, { bias: false, generator: g });
    this.branch1 =
      stride > 1
        ? new nn.Sequential(depthwise(inp, inp, stride, g), new nn.BatchNorm2d(inp), conv1x1(inp, bf), new nn.BatchNorm2d(bf), new nn.ReLU())
        : new nn.Sequential();
    this.branch2 = new nn.Sequential(
      conv1x1(stride > 1 ? inp : bf, bf),
      new nn.BatchNorm2d(bf),
      new nn.ReLU(),
      depthwise(bf, bf, stride, g),
      new nn.BatchNorm2d(bf),
      conv1x1(bf, bf),
      new nn.BatchNorm2d(bf),
      new nn.ReLU(),
    );
  }

  forward(x: Tensor): Tensor {
    let out: Tensor;
    if (this.stride === 1) {
      const [x1, x2] = x.chunk(2, 1) as [Tensor, Tensor];
      out = cat([x1, this.branch2(x2)], 1);
    } else {
      out = cat([this.branch1(x), this.branch2(x)], 1);
    }
    return channelShuffle(out, 2);
  }
}

/**
 * ShuffleNetV2 (torchvision's `ShuffleNetV2`): a stem `conv1` and `maxpool`, stages `stage2`..
 * `stage4`, a 1x1 `conv5`, global average pooling and `fc`. Layers keep PyTorch's default
 * initialisation, as in torchvision.
 *
 * @example
 * ```ts
 * const net = new ShuffleNetV2([4, 8, 4], [24, 48, 96, 192, 1024], { numClasses: 10 });
 * net(randn([1, 3, 64, 64])).shape; // [1, 10]
 * ```
 */
export class ShuffleNetV2 extends nn.Module {
  readonly _stage_out_channels: readonly number[];
  conv1: nn.Sequential;
  maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
  stage2: nn.Sequential;
  stage3: nn.Sequential;
  stage4: nn.Sequential;
  conv5: nn.Sequential;
  fc: nn.Linear;

  constructor(stagesRepeats: readonly number[], stagesOutChannels: readonly number[], options: { numClasses?: number; generator?: Generator } = {}) {
    super();
    if (stagesRepeats.length !== 3) throw new ArgumentError(`ShuffleNetV2(): stagesRepeats must list 3 positive integers (got ${JSON.stringify(stagesRepeats)})`);
    if (stagesOutChannels.length !== 5) throw new ArgumentError(`ShuffleNetV2(): stagesOutChannels must list 5 positive integers (got ${JSON.stringify(stagesOutChannels)})`);
    const numClasses = positiveInt('ShuffleNetV2()', 'numClasses', options.numClasses ?? 1000);
    const g = options.generator;
    this._stage_out_channels = [...stagesOutChannels];
    let input = 3;
    let output = stagesOutChannels[0]!;
    this.conv1 = new nn.Sequential(new nn.Conv2d(input, output, 3, { stride: 2, padding: 1, bias: false, generator: g }), new nn.BatchNorm2d(output), new nn.ReLU());
    input = output;
    const stages: nn.Sequential[] = [];
    stagesRepeats.forEach((repeats, s) => {
      output = stagesOutChannels[s + 1]!;
      const seq: nn.AnyModule[] = [new ShuffleNetV2Block(input, output, 2, { generator: g })];
      for (let i = 0; i < repeats - 1; i++) seq.push(new ShuffleNetV2Block(output, output, 1, { generator: g }));
      stages.push(new nn.Sequential(...seq));
      input = output;
    });
    [this.stage2, this.stage3, this.stage4] = stages as [nn.Sequential, nn.Sequential, nn.Sequential];
    output = stagesOutChannels[4]!;
    this.conv5 = new nn.Sequential(new nn.Conv2d(input, output, 1, { bias: false, generator: g }), new nn.BatchNorm2d(output), new nn.ReLU());
    this.fc = new nn.Linear(output, numClasses, { generator: g });
  }

  forward(x: Tensor): Tensor {
    x = this.maxpool(this.conv1(x));
    x = this.conv5(this.stage4(this.stage3(this.stage2(x))));
    return this.fc(x.mean([2, 3]));
  }
}

function build(fn: string, enumObj: WeightsEnum, channels: number[], options: ClassifierFactoryOptions): ShuffleNetV2 {
  const r = resolveWeights(fn, enumObj, options);
  return withWeights(fn, r, new ShuffleNetV2([4, 8, 4], channels, { generator: options.generator, numClasses: r.numClasses }));
}

/**
 * ShuffleNetV2 with 0.5x output channels (torchvision's `shufflenet_v2_x0_5`), 1.4M parameters.
 *
 * @example
 * ```ts
 * const net = shufflenetV2X0_5({ numClasses: 10 });
 * ```
 */
export function shufflenetV2X0_5(options: ClassifierFactoryOptions = {}): ShuffleNetV2 {
  return build('shufflenetV2X0_5()', ShuffleNetV2X0_5Weights, [24, 48, 96, 192, 1024], options);
}

/**
 * ShuffleNetV2 with 1.0x output channels (torchvision's `shufflenet_v2_x1_0`), 2.3M parameters.
 *
 * @example
 * ```ts
 * const net = shufflenetV2X1_0({ weights: ShuffleNetV2X1_0Weights.DEFAULT, weightsPath: 'shufflenetv2_x1-5666bf0f80.safetensors' });
 * ```
 */
export function shufflenetV2X1_0(options: ClassifierFactoryOptions = {}): ShuffleNetV2 {
  return build('shufflenetV2X1_0()', ShuffleNetV2X1_0Weights, [24, 116, 232, 464, 1024], options);
}

/**
 * ShuffleNetV2 with 1.5x output channels (torchvision's `shufflenet_v2_x1_5`), 3.5M parameters.
 *
 * @example
 * ```ts
 * const net = shufflenetV2X1_5({ numClasses: 10 });
 * ```
 */
export function shufflenetV2X1_5(options: ClassifierFactoryOptions = {}): ShuffleNetV2 {
  return build('shufflenetV2X1_5()', ShuffleNetV2X1_5Weights, [24, 176, 352, 704, 1024], options);
}

/**
 * ShuffleNetV2 with 2.0x output channels (torchvision's `shufflenet_v2_x2_0`), 7.4M parameters.
 *
 * @example
 * ```ts
 * const net = shufflenetV2X2_0({ numClasses: 10 });
 * ```
 */
export function shufflenetV2X2_0(options: ClassifierFactoryOptions = {}): ShuffleNetV2 {
  return build('shufflenetV2X2_0()', ShuffleNetV2X2_0Weights, [24, 244, 488, 976, 2048], options);
}
