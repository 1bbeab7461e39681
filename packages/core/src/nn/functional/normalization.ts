/**
 * Normalization functions (`torch.nn.functional.batch_norm`, `layer_norm`, `group_norm`), with
 * PyTorch 1.13's numbers and gradients. Each is one autograd node with a hand-written backward
 * (see `norm-normalize.ts`).
 * @module
 */
import { wrap } from '../../autograd/function.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { Tensor } from '../../tensor/tensor.js';
import { affineNormalize } from './norm-normalize.js';

/** Options of {@link batchNorm}. */
export interface BatchNormFunctionOptions {
  /** Per-channel scale `[C]` (default none). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the batch in the running-statistics update (default 0.1). */
  momentum?: number;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/** Options of {@link layerNorm} and {@link groupNorm}. */
export interface NormOptions {
  /** Elementwise (layer norm) or per-channel (group norm) scale (default none). */
  weight?: Tensor | null;
  /** Elementwise or per-channel shift (default none). */
  bias?: Tensor | null;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

function checkInput(fn: string, x: unknown, minDims: number): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): input must be a Tensor (got ${describe(x)})`);
  if (x.dtype !== 'float32') throw new DTypeError(`${fn}(): input must be float32 (got dtype ${x.dtype}); call float() first`);
  if (x.ndim < minDims) {
    throw new ShapeError(`${fn}(): input must have at least ${minDims} dimensions [N, C, ...] (got shape ${fmt(x.shape)})`);
  }
  return x;
}

function checkNumber(fn: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ArgumentError(`${fn}(): ${name} must be a finite number >= ${min} (got ${describe(v)})`);
  }
  return v;
}

/** Checks an optional per-channel tensor: float32 with `count` elements. */
function checkChannels(fn: string, name: string, t: unknown, count: number, what: string): Tensor | null {
  if (t === undefined || t === null) return null;
  if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}(): ${name} must be a Tensor or null (got ${describe(t)})`);
  if (t.dtype !== 'float32') throw new DTypeError(`${fn}(): ${name} must be float32 (got dtype ${t.dtype})`);
  if (t.numel() !== count) {
    throw new ShapeError(`${fn}(): ${name} should contain ${count} elements (${what}), not ${t.numel()} (shape ${fmt(t.shape)})`);
  }
  return t;
}

/**
 * Batch normalization (`F.batch_norm`). `input` is `[N, C, ...]`. In training mode the batch's
 * mean and (biased) variance over every dimension but C normalize it, and the running
 * statistics, when given, are updated in place:
 * `running = (1 - momentum) * running + momentum * batch`, with the unbiased variance, as in
 * PyTorch. In evaluation mode (the default, as in PyTorch) the running statistics normalize it.
 * The running statistics never receive gradients.
 *
 * @example
 * ```ts
 * const x = randn([8, 3]);
 * const rm = zeros([3]), rv = ones([3]);
 * const y = batchNorm(x, rm, rv, { training: true, momentum: 0.1 }); // rm and rv updated
 * const z = batchNorm(x, rm, rv, { weight: ones([3]), bias: zeros([3]) }); // eval mode
 * ```
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormFunctionOptions = {}): Tensor {
  const fn = 'batchNorm';
  const x = checkInput(fn, input, 2);
  const c = x.shape[1]!;
  const rm = checkChannels(fn, 'runningMean', runningMean, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const rv = checkChannels(fn, 'runningVar', runningVar, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const weight = checkChannels(fn, 'weight', options.weight, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const bias = checkChannels(fn, 'bias', options.bias, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const training = options.training ?? false;
  if (typeof training !== 'boolean') throw new ArgumentError(`${fn}(): training must be a boolean (got ${describe(training)})`);
  const momentum = checkNumber(fn, 'momentum', options.momentum ?? 0.1);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-5);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const affineShape = x.shape.map((s, i) => (i === 1 ? s : 1));
  if (!training) {
    if (rm === null || rv === null) {
      throw new ArgumentError(`${fn}(): runningMean and runningVar are required in evaluation mode (training: false), which normalizes with them (got ${describe(runningMean)} and ${describe(runningVar)})`);
    }
    return affineNormalize({ name: 'native_batch_norm', x, dims, eps, weight, bias, affineShape, fixed: { mean: rm, var: rv } });
  }
  const n = x.numel() / Math.max(c, 1);
  if (n <= 1) {
    throw new ShapeError(`${fn}(): expected more than 1 value per channel when training (got input of shape ${fmt(x.shape)}); use a batch of 2 or more, or evaluation mode`);
  }
  const onStats = (mean: Tensor, biasedVar: Tensor): void => {
    const hm = mean._handle;
    const hv = biasedVar._handle;
    const next = (running: Tensor | null, batch: typeof hm, scale: number): Tensor | null => {
      if (running === null) return null;
      const hr = running._handle;
      return wrap(tf.tidy(() => tf.add(tf.mul(hr, tf.scalar(1 - momentum)), tf.mul(tf.reshape(batch, hr.shape), tf.scalar(momentum * scale)))));
    };
    const newMean = next(rm, hm, 1);
    const newVar = next(rv, hv, n / (n - 1)); // the unbiased variance, as PyTorch keeps
    noGrad(() => {
      if (newMean !== null) rm!._assign(fn, newMean);
      if (newVar !== null) rv!._assign(fn, newVar);
    });
  };
  return affineNormalize({ name: 'native_batch_norm', x, dims, eps, weight, bias, affineShape, fixed: null, onStats });
}

/**
 * Layer normalization over the last dimensions, those of `normalizedShape` (`F.layer_norm`),
 * with an optional elementwise `weight` and `bias` of that shape.
 *
 * @example
 * ```ts
 * const x = randn([4, 10, 32]);
 * const y = layerNorm(x, [32], { weight: ones([32]), bias: zeros([32]) });
 * ```
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options: NormOptions = {}): Tensor {
  const fn = 'layerNorm';
  const x = checkInput(fn, input, 0);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ArgumentError(`${fn}(): normalizedShape must be a positive integer or a non-empty array of them (got ${describe(normalizedShape)})`);
  }
  const k = shape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (x.ndim < k || tail.some((s, i) => s !== shape[i])) {
    throw new ShapeError(`${fn}(): given normalizedShape ${fmt(shape)}, expected input of shape [*, ${shape.join(', ')}] (got shape ${fmt(x.shape)})`);
  }
  const affine = (name: string, t: Tensor | null | undefined): Tensor | null => {
    if (t === undefined || t === null) return null;
    if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}(): ${name} must be a Tensor or null (got ${describe(t)})`);
    if (t.dtype !== 'float32') throw new DTypeError(`${fn}(): ${name} must be float32 (got dtype ${t.dtype})`);
    if (t.ndim !== k || t.shape.some((s, i) => s !== shape[i])) {
      throw new ShapeError(`${fn}(): ${name} must have the shape of normalizedShape ${fmt(shape)} (got shape ${fmt(t.shape)})`);
    }
    return t;
  };
  const weight = affine('weight', options.weight);
  const bias = affine('bias', options.bias);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-5);
  const dims = shape.map((_, i) => x.ndim - k + i);
  return affineNormalize({ name: 'native_layer_norm', x, dims, eps, weight, bias, affineShape: shape, fixed: null });
}

/**
 * Group normalization (`F.group_norm`): the channels of `input` (`[N, C, ...]`) are split into
 * `numGroups` groups, each normalized over its channels and the spatial dimensions, then scaled
 * and shifted per channel by `weight` and `bias` (`[C]`).
 *
 * @example
 * ```ts
 * const x = randn([2, 6, 8, 8]);
 * const y = groupNorm(x, 3, { weight: ones([6]), bias: zeros([6]) });
 * ```
 */
export function groupNorm(input: Tensor, numGroups: number, options: NormOptions = {}): Tensor {
  const fn = 'groupNorm';
  const x = checkInput(fn, input, 2);
  const [n, c] = x.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups < 1) throw new ArgumentError(`${fn}(): numGroups must be a positive integer (got ${describe(numGroups)})`);
  if (c % numGroups !== 0) {
    throw new ShapeError(`${fn}(): the number of channels of input (shape ${fmt(x.shape)}) must be divisible by numGroups (got ${c} channels and numGroups ${numGroups})`);
  }
  const weight = checkChannels(fn, 'weight', options.weight, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const bias = checkChannels(fn, 'bias', options.bias, c, `one per channel of input of shape ${fmt(x.shape)}`);
  const eps = checkNumber(fn, 'eps', options.eps ?? 1e-5);
  const spatial = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const grouped = x.reshape([n, numGroups, c / numGroups, spatial]);
  const out = affineNormalize({
    name: 'native_group_norm',
    x: grouped,
    dims: [2, 3],
    eps,
    weight,
    bias,
    affineShape: [1, numGroups, c / numGroups, 1],
    fixed: null,
  });
  const y = out.reshape(x.shape);
  if (!out.requiresGrad) {
    // No graph holds them: free the two views now rather than at the end of the scope.
    grouped.dispose();
    out.dispose();
  }
  return y;
}
