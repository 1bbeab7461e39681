/**
 * Building blocks the models share, as torchvision keeps them in `torchvision.ops.misc` and
 * `torchvision.ops.stochastic_depth`: `Conv2dNormActivation`, `SqueezeExcitation`, `MLP`,
 * `StochasticDepth`; plus the initialisation loops and `makeDivisible` of `models/_utils.py`.
 * @module
 */
import { ArgumentError, rand, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';

type AnyModule = nn.AnyModule;

/** Makes a normalization layer for `channels` channels (torchvision's `norm_layer`). */
export type NormLayer = (channels: number) => AnyModule;
/** Makes an activation layer (torchvision's `activation_layer`). */
export type ActivationLayer = () => AnyModule;

/** Options of {@link Conv2dNormActivation}. */
export interface Conv2dNormActivationOptions {
  /** Kernel size (default 3). */
  kernelSize?: number;
  /** Stride (default 1). */
  stride?: number;
  /** Padding (default `(kernelSize - 1) / 2 * dilation`, which keeps the size at stride 1). */
  padding?: number;
  /** Groups of the convolution (default 1). */
  groups?: number;
  /** Normalization after the convolution (default `BatchNorm2d`; null for none). */
  normLayer?: NormLayer | null;
  /** Activation at the end (default `ReLU`; null for none). */
  activationLayer?: ActivationLayer | null;
  /** Dilation (default 1). */
  dilation?: number;
  /** Bias of the convolution (default: only without a normalization layer). */
  bias?: boolean;
  /** The generator the convolution's initial values are drawn from. */
  generator?: Generator;
}

/**
 * Convolution, normalization, activation as one `Sequential` (torchvision's
 * `Conv2dNormActivation`), so that its state-dict keys read `0.weight`, `1.running_mean`.
 *
 * @example
 * ```ts
 * const stem = new Conv2dNormActivation(3, 32, { stride: 2, activationLayer: () => new ReLU6() });
 * stem(randn([1, 3, 224, 224])).shape; // [1, 32, 112, 112]
 * ```
 */
export class Conv2dNormActivation extends nn.Sequential {
  readonly outChannels: number;
  constructor(inChannels: number, outChannels: number, options: Conv2dNormActivationOptions = {}) {
    super(...Conv2dNormActivation.layers(inChannels, outChannels, options));
    this.outChannels = outChannels;
  }
  private static layers(inChannels: number, outChannels: number, o: Conv2dNormActivationOptions): AnyModule[] {
    const kernelSize = o.kernelSize ?? 3;
    const dilation = o.dilation ?? 1;
    const normLayer = o.normLayer === undefined ? (c: number) => new nn.BatchNorm2d(c) : o.normLayer;
    const activationLayer = o.activationLayer === undefined ? () => new nn.ReLU() : o.activationLayer;
    const layers: AnyModule[] = [
      new nn.Conv2d(inChannels, outChannels, kernelSize, {
        stride: o.stride ?? 1,
        padding: o.padding ?? Math.floor((kernelSize - 1) / 2) * dilation,
        dilation,
        groups: o.groups ?? 1,
        bias: o.bias ?? normLayer === null,
        generator: o.generator,
      }),
    ];
    if (normLayer !== null) layers.push(normLayer(outChannels));
    if (activationLayer !== null) layers.push(activationLayer());
    return layers;
  }
}

/** Options of {@link SqueezeExcitation}. */
export interface SqueezeExcitationOptions {
  /** The activation between the two 1x1 convolutions (default `ReLU`). */
  activation?: ActivationLayer;
  /** The activation of the scale (default `Sigmoid`). */
  scaleActivation?: ActivationLayer;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * Squeeze-and-Excitation (torchvision's `SqueezeExcitation`): channel weights from a global
 * average, two 1x1 convolutions `fc1`, `fc2`, and a gate, multiplied into the input.
 *
 * @example
 * ```ts
 * const se = new SqueezeExcitation(64, 16, { scaleActivation: () => new Hardsigmoid() });
 * se(randn([2, 64, 8, 8])).shape; // [2, 64, 8, 8]
 * ```
 */
export class SqueezeExcitation extends nn.Module {
  avgpool = new nn.AdaptiveAvgPool2d(1);
  fc1: nn.Conv2d;
  fc2: nn.Conv2d;
  activation: AnyModule;
  scale_activation: AnyModule;
  constructor(inputChannels: number, squeezeChannels: number, options: SqueezeExcitationOptions = {}) {
    super();
    this.fc1 = new nn.Conv2d(inputChannels, squeezeChannels, 1, { generator: options.generator });
    this.fc2 = new nn.Conv2d(squeezeChannels, inputChannels, 1, { generator: options.generator });
    this.activation = (options.activation ?? (() => new nn.ReLU()))();
    this.scale_activation = (options.scaleActivation ?? (() => new nn.Sigmoid()))();
  }
  forward(input: Tensor): Tensor {
    const scale = this.scale_activation(this.fc2(this.activation(this.fc1(this.avgpool(input)))));
    return scale.mul(input);
  }
}

/**
 * A multi-layer perceptron as a `Sequential` (torchvision's `MLP`): for each hidden size a
 * `Linear`, an activation and a `Dropout`; the last size gets a `Linear` and a `Dropout`.
 *
 * @example
 * ```ts
 * const mlp = new MLP(768, [3072, 768], { activationLayer: () => new GELU() });
 * Object.keys(mlp.stateDict()); // ['0.weight', '0.bias', '3.weight', '3.bias']
 * ```
 */
export class MLP extends nn.Sequential {
  constructor(inChannels: number, hiddenChannels: readonly number[], options: { activationLayer?: ActivationLayer; dropout?: number; bias?: boolean; generator?: Generator } = {}) {
    if (hiddenChannels.length === 0) throw new ArgumentError('MLP(): hiddenChannels must list at least one size (got [])');
    const act = options.activationLayer ?? (() => new nn.ReLU());
    const p = options.dropout ?? 0;
    const layers: AnyModule[] = [];
    let inDim = inChannels;
    for (const h of hiddenChannels.slice(0, -1)) {
      layers.push(new nn.Linear(inDim, h, { bias: options.bias ?? true, generator: options.generator }), act(), new nn.Dropout(p));
      inDim = h;
    }
    layers.push(new nn.Linear(inDim, hiddenChannels[hiddenChannels.length - 1]!, { bias: options.bias ?? true, generator: options.generator }), new nn.Dropout(p));
    super(...layers);
  }
}

/**
 * Randomly drops whole residual branches in training (torchvision's `StochasticDepth`): in
 * `'row'` mode each sample's branch is zeroed with probability `p` and the others scaled by
 * `1 / (1 - p)`; in `'batch'` mode the whole batch at once. The identity in eval mode.
 *
 * @example
 * ```ts
 * const sd = new StochasticDepth(0.2, 'row');
 * const y = sd(branch).add(x);
 * ```
 */
export class StochasticDepth extends nn.Module {
  readonly p: number;
  readonly mode: 'row' | 'batch';
  /** The generator of the drop masks (default: the global one). */
  generator: Generator | undefined;
  constructor(p: number, mode: 'row' | 'batch', options: { generator?: Generator } = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`StochasticDepth(): p must be a probability in [0, 1] (got ${String(p)})`);
    if (mode !== 'row' && mode !== 'batch') throw new ArgumentError(`StochasticDepth(): mode must be 'row' or 'batch' (got ${String(mode)})`);
    this.p = p;
    this.mode = mode;
    this.generator = options.generator;
  }
  forward(input: Tensor): Tensor {
    if (!this.training || this.p === 0) return input;
    const survival = 1 - this.p;
    const size = this.mode === 'row' ? [input.shape[0]!, ...input.shape.slice(1).map(() => 1)] : input.shape.map(() => 1);
    const keep = rand(size, { generator: this.generator }).lt(survival).float();
    return input.mul(survival > 0 ? keep.div(survival) : keep);
  }
  override extraRepr(): string {
    return `p=${this.p}, mode=${this.mode}`;
  }
}

/**
 * torchvision's `_make_divisible`: `v` rounded to a multiple of `divisor` (at least `minValue`),
 * never more than 10% below `v`.
 * @internal
 */
export function makeDivisible(v: number, divisor: number, minValue?: number): number {
  const min = minValue ?? divisor;
  let out = Math.max(min, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}

/** Per-layer-type initialisers, run over every submodule (torchvision's `for m in self.modules()`). @internal */
export interface InitRules {
  conv?: (m: nn.Conv2d) => void;
  norm?: (m: nn.BatchNormBase | nn.GroupNorm) => void;
  linear?: (m: nn.Linear) => void;
}

/** Runs `rules` over every submodule of `model`. @internal */
export function initModules(model: AnyModule, rules: InitRules): void {
  for (const m of model.modules()) {
    if (m instanceof nn.Conv2d) rules.conv?.(m);
    else if (m instanceof nn.BatchNormBase || m instanceof nn.GroupNorm) rules.norm?.(m);
    else if (m instanceof nn.Linear) rules.linear?.(m);
  }
}

/** Batch norm (and group norm) weight 1, bias 0: the `constant_(m.weight, 1)` loop. @internal */
export function onesZeros(m: nn.BatchNormBase | nn.GroupNorm): void {
  if (m.weight) nn.init.ones_(m.weight);
  if (m.bias) nn.init.zeros_(m.bias);
}

/** Checks a positive integer option. @internal */
export function positiveInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${fn}: ${arg} must be a positive integer (got ${String(v)})`);
  return v;
}

/** Checks a probability option. @internal */
export function probability(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ArgumentError(`${fn}: ${arg} must be a number in [0, 1] (got ${String(v)})`);
  return v;
}
