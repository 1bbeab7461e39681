/**
 * `softmax` and `logSoftmax` along a dimension. Small inputs on the CPU device (up to
 * {@link HOST_MAX} values) are computed in one JavaScript pass over their values, forward and
 * backward: a log-softmax is otherwise six kernels and its gradient four ops, each with a fixed
 * cost of several microseconds, which is most of the time of a classifier's loss at batch sizes
 * like 64 x 10. The host pass rounds to float32 after every step, as the kernels do, and follows
 * their rules for NaN and infinities (a row with NaN, +inf or only -inf is NaN throughout).
 * @internal
 * @module
 */
import { apply, wrap } from '../../autograd/function.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { ArgumentError, describe } from '../../errors.js';
import { tf, type Handle } from '../../kernels/tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul, sub } from '../../ops/arith.js';
import { sum } from '../../ops/reduce.js';
import * as un from '../../ops/unary.js';
import { normDim } from '../../ops/util.js';
import { checkFloat } from './activation.js';

/** Inputs up to this many values (on the CPU device) take the host pass. */
export const HOST_MAX = 16384;

/** Whether `h` (on the CPU device, float32) is small enough for the host pass. */
function onHost(x: Tensor, h: Handle): boolean {
  return x.device === 'cpu' && h.dtype === 'float32' && h.size > 0 && h.size <= HOST_MAX;
}

/** `[outer, n, inner]`: the sizes before, along and after `axis`. */
export function layout(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape.length === 0 ? 1 : shape[axis]!, inner];
}

/** `x - max - log(sum(exp(x - max)))` along the middle axis of `[outer, n, inner]`, in float32 steps. */
function logSoftmaxHost(x: Float32Array, [outer, n, inner]: [number, number, number]): Float32Array {
  const y = new Float32Array(x.length);
  const f = Math.fround;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      // A NaN anywhere makes the row NaN, through the max or through the sum.
      let m = x[base]!;
      for (let k = 1; k < n; k++) {
        const v = x[base + k * inner]!;
        if (v > m) m = v;
      }
      let s = 0;
      for (let k = 0; k < n; k++) s += f(Math.exp(f(x[base + k * inner]! - m)));
      const ls = f(Math.log(f(s)));
      for (let k = 0; k < n; k++) {
        const at = base + k * inner;
        y[at] = f(f(x[at]! - m) - ls);
      }
    }
  }
  return y;
}

/** `g - exp(y) * sum(g)` along the middle axis of `[outer, n, inner]` (log-softmax's gradient). */
function logSoftmaxGradHost(g: Float32Array, y: Float32Array, [outer, n, inner]: [number, number, number]): Float32Array {
  const dx = new Float32Array(y.length);
  const f = Math.fround;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let s = 0;
      for (let k = 0; k < n; k++) s += g[base + k * inner]!;
      const sg = f(s);
      for (let k = 0; k < n; k++) {
        const at = base + k * inner;
        dx[at] = f(g[at]! - f(f(Math.exp(y[at]!)) * sg));
      }
    }
  }
  return dx;
}

/** Checks a softmax input and dimension; returns the axis. */
function softmaxAxis(fn: string, x: Tensor, dim: number | undefined): number {
  checkFloat(fn, x);
  if (dim === undefined || dim === null) {
    throw new ArgumentError(`${fn}(): dim is required (got ${describe(dim)}); PyTorch's implicit choice of dim is deprecated, pass e.g. ${fn}(x, -1)`);
  }
  return normDim(fn, dim, x.ndim);
}

/** Runs a softmax-like kernel along `axis` of `h`, treating a 0-d tensor as one element. */
function alongAxis(h: Handle, axis: number, kernel: (v: Handle, axis: number) => Handle): Handle {
  if (h.size === 0) return tf.clone(h);
  if (h.rank === 0) return tf.reshape(kernel(tf.reshape(h, [1]), 0), []);
  return kernel(h, axis);
}

/**
 * `exp(x) / sum(exp(x))` along `dim`, computed stably (`F.softmax`).
 *
 * @example
 * ```ts
 * softmax(tensor([[1, 2, 3]]), 1).tolist(); // [[0.0900, 0.2447, 0.6652]]
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const axis = softmaxAxis('softmax', x, dim);
  const h = x._handle;
  return apply({
    name: 'softmax',
    nodeName: 'SoftmaxBackward0',
    inputs: [x],
    forward: () =>
      alongAxis(h, axis, (v, a) => {
        if (a === v.rank - 1) return tf.softmax(v);
        const e = tf.exp(tf.sub(v, tf.max(v, a, true)));
        return tf.div(e, tf.sum(e, a, true));
      }),
    save: (out) => [out],
    backward: (g, [y]) => [mul(y!, sub(g, sum(mul(g, y!), axis, { keepdim: true })))],
  });
}

/**
 * `x - log(sum(exp(x)))` along `dim`, computed stably (`F.log_softmax`). Its backward is
 * `g - softmax(x) * sum(g)`.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([[0, 0]]), 1).tolist(); // [[-0.6931, -0.6931]]
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const axis = softmaxAxis('logSoftmax', x, dim);
  const h = x._handle;
  const host = onHost(x, h);
  return apply({
    name: 'log_softmax',
    nodeName: 'LogSoftmaxBackward0',
    inputs: [x],
    forward: () =>
      host
        ? tf.tensor(logSoftmaxHost(h.dataSync() as Float32Array, layout(h.shape, axis)), h.shape, 'float32')
        : alongAxis(h, axis, (v, a) => {
            const shifted = tf.sub(v, tf.max(v, a, true));
            return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), a, true)));
          }),
    save: (out) => [out],
    backward: (g, [y]) => {
      // The host pass only when no graph of the gradient is being built (double backward needs ops).
      const hg = g._handle;
      if (host && !isGradEnabled() && onHost(g, hg) && hg.size === y!._handle.size) {
        const yh = y!._handle;
        return [wrap(tf.tensor(logSoftmaxGradHost(hg.dataSync() as Float32Array, yh.dataSync() as Float32Array, layout(yh.shape, axis)), yh.shape, 'float32'))];
      }
      return [sub(g, mul(un.exp(y!), sum(g, axis, { keepdim: true })))];
    },
  });
}
