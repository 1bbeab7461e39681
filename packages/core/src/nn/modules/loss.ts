/**
 * Loss modules (`nn.L1Loss`, `nn.CrossEntropyLoss`...): each stores its options, checked when it
 * is made, and calls its function in `nn/functional/loss.ts`. Class weights are buffers named as
 * in PyTorch (`weight`, `pos_weight`), so they appear in the state dict as they do there.
 * @module
 */
import type { Tensor } from '../../tensor/tensor.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  cosineEmbeddingLoss,
  crossEntropy,
  ctcLoss,
  gaussianNllLoss,
  huberLoss,
  klDiv,
  l1Loss,
  marginRankingLoss,
  mseLoss,
  multilabelMarginLoss,
  multilabelSoftMarginLoss,
  nllLoss,
  poissonNllLoss,
  smoothL1Loss,
  softMarginLoss,
  tripletMarginLoss,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
  type CrossEntropyOptions,
  type CtcLossOptions,
  type GaussianNllOptions,
  type HuberOptions,
  type KlDivOptions,
  type Lengths,
  type MarginOptions,
  type MultilabelSoftMarginOptions,
  type NllLossOptions,
  type PoissonNllOptions,
  type Reduction,
  type ReductionOptions,
  type SmoothL1Options,
  type TripletMarginOptions,
} from '../functional/loss.js';
import { checkReduction } from '../functional/loss-util.js';
import { Module } from '../module.js';

/**
 * What every loss module has: its `reduction`, checked when the module is made (PyTorch's
 * `_Loss`). `In` is the forward's arguments.
 *
 * @example
 * ```ts
 * const losses: Loss[] = [new MSELoss(), new L1Loss({ reduction: 'sum' })];
 * ```
 */
export abstract class Loss<In extends unknown[] = [Tensor, Tensor]> extends Module<In, Tensor> {
  /** `'mean'`, `'sum'` or `'none'`. */
  reduction: Reduction;
  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = checkReduction(new.target.name, options.reduction);
  }
}

/** A loss with an optional `weight` buffer (PyTorch's `_WeightedLoss`). */
abstract class WeightedLoss<In extends unknown[] = [Tensor, Tensor]> extends Loss<In> {
  /** The weights given at construction (a buffer, in the state dict as `weight`), or null. */
  declare weight: Tensor | null;
  constructor(options: ReductionOptions & { weight?: Tensor | null } = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }
}

/**
 * Mean absolute error (`nn.L1Loss`); see {@link l1Loss}.
 *
 * @example
 * ```ts
 * const loss = new L1Loss()(prediction, target);
 * ```
 */
export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean squared error (`nn.MSELoss`); see {@link mseLoss}.
 *
 * @example
 * ```ts
 * const criterion = new MSELoss();
 * criterion(model(x), y).backward();
 * ```
 */
export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Smooth L1 loss (`nn.SmoothL1Loss`); see {@link smoothL1Loss}.
 *
 * @example
 * ```ts
 * const loss = new SmoothL1Loss({ beta: 0.5 })(boxes, targetBoxes);
 * ```
 */
export class SmoothL1Loss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  beta: number;
  constructor(options: SmoothL1Options = {}) {
    super(options);
    this.beta = options.beta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Huber loss (`nn.HuberLoss`); see {@link huberLoss}.
 *
 * @example
 * ```ts
 * const loss = new HuberLoss({ delta: 2 })(prediction, target);
 * ```
 */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  delta: number;
  constructor(options: HuberOptions = {}) {
    super(options);
    this.delta = options.delta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * Binary cross entropy on probabilities (`nn.BCELoss`); see {@link binaryCrossEntropy}.
 *
 * @example
 * ```ts
 * const loss = new BCELoss()(sigmoid(logits), labels);
 * ```
 */
export class BCELoss extends WeightedLoss {
  constructor(options: BinaryCrossEntropyOptions = {}) {
    super(options);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Binary cross entropy on logits (`nn.BCEWithLogitsLoss`), stable and exact at any logit; see
 * {@link binaryCrossEntropyWithLogits}. `posWeight` is a buffer (`pos_weight` in the state dict).
 *
 * @example
 * ```ts
 * const criterion = new BCEWithLogitsLoss({ posWeight: tensor([3]) });
 * criterion(logits, labels).backward();
 * ```
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  /** The positive-example weights (PyTorch's buffer name), or null. */
  declare pos_weight: Tensor | null;
  constructor(options: BinaryCrossEntropyWithLogitsOptions = {}) {
    super(options);
    this.registerBuffer('pos_weight', options.posWeight ?? null);
  }
  /** The positive-example weights (`pos_weight`). */
  get posWeight(): Tensor | null {
    return this.pos_weight;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.pos_weight });
  }
}

/**
 * Cross entropy on logits (`nn.CrossEntropyLoss`): class-index (int32) or probability (float32)
 * targets, class weights, `ignoreIndex` and label smoothing; see {@link crossEntropy}.
 *
 * @example
 * ```ts
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = criterion(model(images), labels); // [N, C] logits, int32 [N] labels
 * loss.backward();
 * ```
 */
export class CrossEntropyLoss extends WeightedLoss {
  /** The target value that is skipped. */
  ignoreIndex: number;
  /** The weight of the uniform distribution mixed into the targets. */
  labelSmoothing: number;
  constructor(options: CrossEntropyOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing });
  }
}

/**
 * Negative log likelihood of class indices under log-probabilities (`nn.NLLLoss`); see
 * {@link nllLoss}.
 *
 * @example
 * ```ts
 * const loss = new NLLLoss({ ignoreIndex: 0 })(logSoftmax(logits, 1), labels);
 * ```
 */
export class NLLLoss extends WeightedLoss {
  /** The target value that is skipped. */
  ignoreIndex: number;
  constructor(options: NllLossOptions = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
}

/**
 * Kullback-Leibler divergence (`nn.KLDivLoss`); `reduction` also takes `'batchmean'`. See
 * {@link klDiv}.
 *
 * @example
 * ```ts
 * const kl = new KLDivLoss({ reduction: 'batchmean' });
 * kl(logSoftmax(student, 1), softmax(teacher, 1));
 * ```
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  /** `'mean'`, `'batchmean'`, `'sum'` or `'none'`. */
  reduction: 'mean' | 'batchmean' | 'sum' | 'none';
  /** Whether the target holds log-probabilities. */
  logTarget: boolean;
  constructor(options: KlDivOptions = {}) {
    super();
    this.reduction = checkReduction('KLDivLoss', options.reduction, ['batchmean'] as const);
    this.logTarget = options.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/**
 * Margin ranking loss (`nn.MarginRankingLoss`); see {@link marginRankingLoss}.
 *
 * @example
 * ```ts
 * const loss = new MarginRankingLoss({ margin: 0.1 })(scoreA, scoreB, tensor([1, -1, 1]));
 * ```
 */
export class MarginRankingLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin. */
  margin: number;
  constructor(options: MarginOptions = {}) {
    super(options);
    this.margin = options.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}

/**
 * Multi-class multi-label hinge loss (`nn.MultiLabelMarginLoss`); see {@link multilabelMarginLoss}.
 *
 * @example
 * ```ts
 * const loss = new MultiLabelMarginLoss()(scores, tensor([[3, 0, -1, 1]], { dtype: 'int32' }));
 * ```
 */
export class MultiLabelMarginLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Two-class logistic loss with ±1 targets (`nn.SoftMarginLoss`); see {@link softMarginLoss}.
 *
 * @example
 * ```ts
 * const loss = new SoftMarginLoss()(scores, tensor([1, -1, 1]));
 * ```
 */
export class SoftMarginLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * One-versus-all multi-label logistic loss (`nn.MultiLabelSoftMarginLoss`); see
 * {@link multilabelSoftMarginLoss}.
 *
 * @example
 * ```ts
 * const loss = new MultiLabelSoftMarginLoss()(logits, labels01);
 * ```
 */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(options: MultilabelSoftMarginOptions = {}) {
    super(options);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Cosine embedding loss (`nn.CosineEmbeddingLoss`); see {@link cosineEmbeddingLoss}.
 *
 * @example
 * ```ts
 * const loss = new CosineEmbeddingLoss({ margin: 0.5 })(a, b, tensor([1, -1]));
 * ```
 */
export class CosineEmbeddingLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin for dissimilar pairs. */
  margin: number;
  constructor(options: MarginOptions = {}) {
    super(options);
    this.margin = options.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
}

/**
 * Triplet margin loss (`nn.TripletMarginLoss`); see {@link tripletMarginLoss}.
 *
 * @example
 * ```ts
 * const loss = new TripletMarginLoss({ margin: 1, p: 2 })(anchor, positive, negative);
 * ```
 */
export class TripletMarginLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** The margin. */
  margin: number;
  /** The norm order. */
  p: number;
  /** Added to the differences before the norm. */
  eps: number;
  /** Whether to use the distance swap. */
  swap: boolean;
  constructor(options: TripletMarginOptions = {}) {
    super(options);
    this.margin = options.margin ?? 1;
    this.p = options.p ?? 2;
    this.eps = options.eps ?? 1e-6;
    this.swap = options.swap ?? false;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, { reduction: this.reduction, margin: this.margin, p: this.p, eps: this.eps, swap: this.swap });
  }
}

/**
 * Poisson negative log likelihood (`nn.PoissonNLLLoss`); see {@link poissonNllLoss}.
 *
 * @example
 * ```ts
 * const loss = new PoissonNLLLoss({ full: true })(logRate, counts);
 * ```
 */
export class PoissonNLLLoss extends Loss {
  /** Whether the input is the log of the rate. */
  logInput: boolean;
  /** Whether the Stirling term is added. */
  full: boolean;
  /** Added to the rate inside the log when `logInput` is false. */
  eps: number;
  constructor(options: PoissonNllOptions = {}) {
    super(options);
    this.logInput = options.logInput ?? true;
    this.full = options.full ?? false;
    this.eps = options.eps ?? 1e-8;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, { reduction: this.reduction, logInput: this.logInput, full: this.full, eps: this.eps });
  }
}

/**
 * Gaussian negative log likelihood (`nn.GaussianNLLLoss`), called with the variance as third
 * argument; see {@link gaussianNllLoss}.
 *
 * @example
 * ```ts
 * const loss = new GaussianNLLLoss()(mean, target, variance);
 * ```
 */
export class GaussianNLLLoss extends Loss<[Tensor, Tensor, Tensor]> {
  /** Whether the constant term is added. */
  full: boolean;
  /** The smallest variance used. */
  eps: number;
  constructor(options: GaussianNllOptions = {}) {
    super(options);
    this.full = options.full ?? false;
    this.eps = options.eps ?? 1e-6;
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, { reduction: this.reduction, full: this.full, eps: this.eps });
  }
}

/**
 * Connectionist temporal classification loss (`nn.CTCLoss`); see {@link ctcLoss}.
 *
 * @example
 * ```ts
 * const ctc = new CTCLoss({ blank: 0, zeroInfinity: true });
 * const loss = ctc(logSoftmax(outputs, 2), targets, inputLengths, targetLengths);
 * ```
 */
export class CTCLoss extends Loss<[Tensor, Tensor, Lengths, Lengths]> {
  /** The blank label. */
  blank: number;
  /** Whether infinite losses and their gradients become zero. */
  zeroInfinity: boolean;
  constructor(options: CtcLossOptions = {}) {
    super(options);
    this.blank = options.blank ?? 0;
    this.zeroInfinity = options.zeroInfinity ?? false;
  }
  forward(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { reduction: this.reduction, blank: this.blank, zeroInfinity: this.zeroInfinity });
  }
}
