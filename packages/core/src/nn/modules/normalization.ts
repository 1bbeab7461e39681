/**
 * Normalization layers: `BatchNorm1d`, `BatchNorm2d`, `BatchNorm3d`, `LayerNorm`, `GroupNorm`.
 * Parameters and buffers carry PyTorch's names (`weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`) so that state dicts converted from PyTorch load by name; the buffers are
 * also readable under camelCase names (`runningMean`...).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { ones, zeros } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { batchNorm, groupNorm, layerNorm } from '../functional/normalization.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of the batch norm layers. */
export interface BatchNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1); `null` keeps a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel `weight` and `bias` (default true). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default true). */
  trackRunningStats?: boolean;
}

/** A parameter made from a fresh tensor, which is freed. */
function param(t: Tensor): Parameter {
  const p = new Parameter(t);
  t.dispose();
  return p;
}

function checkPositiveInt(cls: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${cls}(): ${name} must be a positive integer (got ${describe(v)})`);
  return v;
}

function checkEps(cls: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new ArgumentError(`${cls}(): eps must be a finite number >= 0 (got ${describe(eps)})`);
  return eps;
}

/**
 * What the batch norm layers share (PyTorch's `_BatchNorm`); use `BatchNorm1d`, `BatchNorm2d`
 * or `BatchNorm3d`, or test `m instanceof BatchNormBase` to find every batch norm layer.
 *
 * @example
 * ```ts
 * const bns = [...net.modules()].filter((m) => m instanceof BatchNormBase);
 * ```
 */
export abstract class BatchNormBase extends Module {
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance for stability. */
  eps: number;
  /** Weight of each batch in the running statistics; `null` for a cumulative average. */
  momentum: number | null;
  /** Whether `weight` and `bias` are learnt. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** Per-channel scale `[C]` (ones at first), or null without `affine`. */
  weight: Parameter | null;
  /** Per-channel shift `[C]` (zeros at first), or null without `affine`. */
  bias: Parameter | null;
  /** Running mean `[C]` (PyTorch's buffer name), or null without `trackRunningStats`. */
  declare running_mean: Tensor | null;
  /** Running (unbiased) variance `[C]`, or null without `trackRunningStats`. */
  declare running_var: Tensor | null;
  /** How many training batches were seen: an int32 0-d tensor, or null without `trackRunningStats`. */
  declare num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const cls = new.target.name;
    this.numFeatures = checkPositiveInt(cls, 'numFeatures', numFeatures);
    this.eps = checkEps(cls, options.eps ?? 1e-5);
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (momentum !== null && (typeof momentum !== 'number' || !Number.isFinite(momentum))) {
      throw new ArgumentError(`${cls}(): momentum must be a number or null (got ${describe(momentum)})`);
    }
    this.momentum = momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.affine ? param(ones([numFeatures])) : null;
    this.bias = this.affine ? param(zeros([numFeatures])) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** The running mean (`running_mean`). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  set runningMean(t: Tensor | null) {
    this.running_mean = t;
  }
  /** The running variance (`running_var`). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  set runningVar(t: Tensor | null) {
    this.running_var = t;
  }
  /** The number of training batches seen (`num_batches_tracked`). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }
  set numBatchesTracked(t: Tensor | null) {
    this.num_batches_tracked = t;
  }

  /** Throws unless `input` has the rank this layer takes. */
  protected abstract checkInputDim(input: Tensor): void;

  /** Resets the running statistics to mean 0, variance 1 and no batches (`reset_running_stats`). */
  resetRunningStats(): void {
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** Resets the running statistics, `weight` to ones and `bias` to zeros (`reset_parameters`). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (input.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${this.constructor.name}(${this.numFeatures}): expected input with ${this.numFeatures} channels at dimension 1 (got shape [${input.shape.join(', ')}])`);
    }
    let factor = this.momentum ?? 0;
    const count = this.num_batches_tracked;
    if (this.training && this.trackRunningStats && count !== null) {
      noGrad(() => count.add_(1));
      factor = this.momentum ?? 1 / count.item();
    }
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || (this.running_mean === null && this.running_var === null),
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

function checkRank(m: BatchNormBase, input: Tensor, ranks: readonly number[]): void {
  if (ranks.includes(input.ndim)) return;
  const want = ranks.map((r) => `${r}D`).join(' or ');
  throw new ShapeError(`${m.constructor.name}(): expected ${want} input (got ${input.ndim}D input of shape [${input.shape.join(', ')}])`);
}

/**
 * Batch normalization over `[N, C]` or `[N, C, L]` inputs (`nn.BatchNorm1d`).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(64);
 * const y = bn(randn([32, 64]));   // training: batch statistics, running stats updated
 * bn.eval();
 * const z = bn(randn([1, 64]));    // eval: running statistics
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    checkRank(this, input, [2, 3]);
  }
}

/**
 * Batch normalization over `[N, C, H, W]` inputs (`nn.BatchNorm2d`).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(16, { momentum: 0.01 });
 * const y = bn(randn([8, 16, 28, 28]));
 * bn.stateDict(); // weight, bias, running_mean, running_var, num_batches_tracked
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    checkRank(this, input, [4]);
  }
}

/**
 * Batch normalization over `[N, C, D, H, W]` inputs (`nn.BatchNorm3d`).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm3d(4);
 * const y = bn(randn([2, 4, 3, 8, 8]));
 * ```
 */
export class BatchNorm3d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    checkRank(this, input, [5]);
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn an elementwise `weight` and `bias` of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalization over the last dimensions (`nn.LayerNorm`).
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(512);
 * const y = ln(randn([8, 20, 512]));
 * const ln2 = new LayerNorm([16, 16], { elementwiseAffine: false });
 * ```
 */
export class LayerNorm extends Module {
  /** The trailing shape normalized over. */
  readonly normalizedShape: number[];
  /** Added to the variance for stability. */
  eps: number;
  /** Whether `weight` and `bias` are learnt. */
  readonly elementwiseAffine: boolean;
  /** Elementwise scale of `normalizedShape` (ones at first), or null. */
  weight: Parameter | null;
  /** Elementwise shift of `normalizedShape` (zeros at first), or null. */
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    if (!Array.isArray(normalizedShape) && typeof normalizedShape !== 'number') {
      throw new ArgumentError(`LayerNorm(): normalizedShape must be a positive integer or an array of them (got ${describe(normalizedShape)})`);
    }
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new ArgumentError('LayerNorm(): normalizedShape must not be empty (got [])');
    shape.forEach((s) => checkPositiveInt('LayerNorm', 'normalizedShape', s));
    this.normalizedShape = shape;
    this.eps = checkEps('LayerNorm', options.eps ?? 1e-5);
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? param(ones(shape)) : null;
    this.bias = this.elementwiseAffine ? param(zeros(shape)) : null;
  }

  /** Resets `weight` to ones and `bias` to zeros (`reset_parameters`). */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/** Options of {@link GroupNorm}. */
export interface GroupNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn a per-channel `weight` and `bias` (default true). */
  affine?: boolean;
}

/**
 * Group normalization (`nn.GroupNorm`): channels split into `numGroups` groups, each normalized
 * over its channels and the spatial dimensions, then a per-channel scale and shift.
 *
 * @example
 * ```ts
 * const gn = new GroupNorm(4, 32);
 * const y = gn(randn([2, 32, 16, 16]));
 * ```
 */
export class GroupNorm extends Module {
  /** Number of groups. */
  readonly numGroups: number;
  /** Number of channels C. */
  readonly numChannels: number;
  /** Added to the variance for stability. */
  eps: number;
  /** Whether `weight` and `bias` are learnt. */
  readonly affine: boolean;
  /** Per-channel scale `[C]` (ones at first), or null. */
  weight: Parameter | null;
  /** Per-channel shift `[C]` (zeros at first), or null. */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    this.numGroups = checkPositiveInt('GroupNorm', 'numGroups', numGroups);
    this.numChannels = checkPositiveInt('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) {
      throw new ArgumentError(`GroupNorm(): numChannels must be divisible by numGroups (got numChannels ${numChannels} and numGroups ${numGroups})`);
    }
    this.eps = checkEps('GroupNorm', options.eps ?? 1e-5);
    this.affine = options.affine ?? true;
    this.weight = this.affine ? param(ones([numChannels])) : null;
    this.bias = this.affine ? param(zeros([numChannels])) : null;
  }

  /** Resets `weight` to ones and `bias` to zeros (`reset_parameters`). */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
