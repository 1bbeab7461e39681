/**
 * What the loss functions share: the `reduction` option and its check, argument checks with
 * messages that name the loss, and `logSigmoid`, the stable primitive behind the logistic losses.
 * @internal
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, DTypeError, DeviceError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { mul } from '../../ops/arith.js';
import { sigmoid } from '../../ops/unary.js';
import { broadcastShapes, sameShape } from '../../ops/util.js';
import { Tensor } from '../../tensor/tensor.js';

/** How a loss combines its elements: their mean, their sum, or none (one loss per element). */
export type Reduction = 'mean' | 'sum' | 'none';

/** The `reduction` option every loss takes. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'`, or `'none'` for one loss per element. */
  reduction?: Reduction;
}

/** Formats a shape for messages. @example `fmt([2, 3]); // '[2, 3]'` */
export const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Checks `reduction` (default `'mean'`); `extra` lists values a loss adds, such as `'batchmean'`.
 *
 * @example
 * ```ts
 * checkReduction('mseLoss', undefined);                  // 'mean'
 * checkReduction('klDiv', 'batchmean', ['batchmean']);  // 'batchmean'
 * ```
 */
export function checkReduction<R extends string = Reduction>(fn: string, reduction: unknown, extra: readonly R[] = []): Reduction | R {
  const r = reduction ?? 'mean';
  const valid: string[] = ['mean', 'sum', 'none', ...extra];
  if (typeof r !== 'string' || !valid.includes(r)) {
    const list = valid.map((v) => `'${v}'`);
    throw new ArgumentError(`${fn}(): reduction must be ${list.slice(0, -1).join(', ')} or ${list[list.length - 1]} (got ${describe(reduction)})`);
  }
  return r as Reduction | R;
}

/** Applies a reduction to elementwise losses. @example `reduce(x.sub(y).abs(), 'sum')` */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

/** Throws unless `x` is a float32 Tensor; returns it. @example `checkFloat('mseLoss', 'target', target)` */
export function checkFloat(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): ${arg} must be a Tensor (got ${describe(x)})`);
  if (x.dtype !== 'float32') throw new DTypeError(`${fn}(): ${arg} must be float32 (got ${x.dtype} ${fmt(x.shape)}); call .float() first`);
  return x;
}

/** Throws unless `t` is null/undefined or a float32 Tensor that broadcasts to `shape`. @example `checkWeight('binaryCrossEntropy', 'weight', w, input.shape)` */
export function checkWeight(fn: string, arg: string, t: unknown, shape: readonly number[]): Tensor | null {
  if (t === undefined || t === null) return null;
  const w = checkFloat(fn, arg, t);
  const b = broadcastShapes(fn, w.shape, shape);
  if (!sameShape(b, shape)) throw new ShapeError(`${fn}(): ${arg} of shape ${fmt(w.shape)} must broadcast to shape ${fmt(shape)}`);
  return w;
}

/** Throws unless `v` is a finite number (at least `min`); returns it. @example `checkNumber('smoothL1Loss', 'beta', 0.5, 0)` */
export function checkNumber(fn: string, arg: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ArgumentError(`${fn}(): ${arg} must be a finite number${min > -Infinity ? ` >= ${min}` : ''} (got ${describe(v)})`);
  }
  return v;
}

/** Throws unless `v` is a boolean; returns it. @example `checkBool('klDiv', 'logTarget', false)` */
export function checkBool(fn: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}(): ${arg} must be a boolean (got ${describe(v)})`);
  return v;
}

/**
 * Checks that `t` (the argument `arg`) lives on `input`'s device, as the inputs of every op must
 * (0-d tensors join either): for losses that read targets or weights on the host. @internal
 *
 * @example
 * ```ts
 * checkSameDevice('nllLoss', logp, 'target', target); // throws for a CPU target of GPU input
 * ```
 */
export function checkSameDevice(fn: string, input: Tensor, arg: string, t: Tensor | null): void {
  if (t !== null && t.device !== input.device && t.ndim > 0 && input.ndim > 0) {
    throw new DeviceError(
      `${fn}(): expected all tensors to be on the same device, but found at least two devices, '${input.device}' (input) and '${t.device}' (${arg}). ` +
        `Move ${arg} first, e.g. with .to('${input.device}')`,
    );
  }
}

/** Throws unless `target` has `input`'s shape exactly. @example `checkSameShape('binaryCrossEntropy', input, target)` */
export function checkSameShape(fn: string, input: Tensor, target: Tensor, arg = 'target'): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`${fn}(): ${arg} must have the input's shape ${fmt(input.shape)} (got shape ${fmt(target.shape)})`);
  }
}

const warned = new Set<string>();

/**
 * Checks that `target` broadcasts with `input`, warning once per call site shape (as PyTorch
 * does) when the shapes differ, which usually means a bug such as `[N, 1]` against `[N]`.
 *
 * @example
 * ```ts
 * checkBroadcastTarget('mseLoss', randn([5, 1]), randn([5])); // warns FLINT_LOSS_BROADCAST
 * ```
 */
export function checkBroadcastTarget(fn: string, input: Tensor, target: Tensor): void {
  broadcastShapes(fn, input.shape, target.shape);
  if (sameShape(input.shape, target.shape)) return;
  const key = `${fn}:${fmt(input.shape)}:${fmt(target.shape)}`;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(
    `${fn}(): target shape ${fmt(target.shape)} differs from input shape ${fmt(input.shape)}; they are broadcast together, which is likely not what you want. Make them the same shape.`,
    { code: 'FLINT_LOSS_BROADCAST' },
  );
}

/**
 * `log(sigmoid(x))` computed stably as `-(log1p(exp(-|x|)) + max(-x, 0))` (`F.logsigmoid`); its
 * gradient `g * sigmoid(-x)` is exact everywhere, including at 0.
 *
 * @example
 * ```ts
 * logSigmoid(tensor([0, -100])).tolist(); // [-0.6931, -100]
 * ```
 */
export function logSigmoid(x: Tensor): Tensor {
  const h = x._handle;
  return apply({
    name: 'log_sigmoid',
    nodeName: 'LogSigmoidBackward0',
    inputs: [x],
    forward: () => tf.neg(tf.add(tf.log1p(tf.exp(tf.neg(tf.abs(h)))), tf.relu(tf.neg(h)))),
    save: [x],
    backward: (g, [x]) => [mul(g, sigmoid(x!.neg()))],
  });
}
