/**
 * The primitive behind batch, layer and group norm: `(x - mean) * rsqrt(var + eps) * weight +
 * bias`, with statistics either taken over some dimensions of `x` (training batch norm, layer
 * norm, group norm) or given (batch norm in eval mode, from the running statistics). One node
 * with a hand-written backward instead of the ten or so a composite would record; the backward is
 * made of Flint ops, so it can be differentiated again.
 * @internal
 * @module
 */
import { apply, wrap } from '../../autograd/function.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { tf } from '../../kernels/tf.js';
import { sumToShape } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** What {@link affineNormalize} needs. */
export interface NormalizeSpec {
  /** PyTorch's op name, e.g. `'native_batch_norm'` (the node becomes `NativeBatchNormBackward0`). */
  name: string;
  /** The float32 input. */
  x: Tensor;
  /** The dimensions the statistics are taken over (sorted). */
  dims: readonly number[];
  /** Added to the variance before the square root. */
  eps: number;
  /** Scale, or null; read in `affineShape`. */
  weight: Tensor | null;
  /** Shift, or null; read in `affineShape`. */
  bias: Tensor | null;
  /** The shape weight and bias take to broadcast against `x` (`[1, C, 1, 1]` for batch norm). */
  affineShape: readonly number[];
  /** Fixed statistics (running mean and variance, any shape holding the kept-shape's values), or null to use the batch's. */
  fixed: { mean: Tensor; var: Tensor } | null;
  /** Called with the batch mean and biased variance (in the kept shape) before they are freed. */
  onStats?: (mean: Tensor, biasedVar: Tensor) => void;
}

function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/**
 * Normalizes `spec.x` as described by `spec`; see the module comment.
 *
 * @example
 * ```ts
 * // layer norm over the last dimension of a [N, D] input
 * affineNormalize({ name: 'native_layer_norm', x, dims: [1], eps: 1e-5, weight: null, bias: null, affineShape: [D], fixed: null });
 * ```
 */
export function affineNormalize(spec: NormalizeSpec): Tensor {
  const { x, dims, eps, weight, bias, affineShape, fixed } = spec;
  const hx = x._handle;
  const kept = keptShape(x.shape, dims);
  let mean: Tensor;
  let invstd: Tensor;
  if (fixed !== null) {
    const hm = fixed.mean._handle;
    const hv = fixed.var._handle;
    mean = wrap(tf.reshape(hm, kept));
    invstd = wrap(tf.tidy(() => tf.rsqrt(tf.add(tf.reshape(hv, kept), tf.scalar(eps)))));
  } else {
    const [hm, hv] = tf.tidy(() => {
      const m = tf.mean(hx, [...dims], true);
      return [m, tf.mean(tf.square(tf.sub(hx, m)), [...dims], true)];
    });
    mean = wrap(hm!);
    const variance = wrap(hv!);
    invstd = wrap(tf.tidy(() => tf.rsqrt(tf.add(hv!, tf.scalar(eps)))));
    spec.onStats?.(mean, variance);
    variance.dispose();
  }
  const hm = mean._handle;
  const hi = invstd._handle;
  const hw = weight?._handle;
  const hb = bias?._handle;
  const inputs = [x];
  if (weight !== null) inputs.push(weight);
  if (bias !== null) inputs.push(bias);
  const batchStats = fixed === null;
  const shape = affineShape as number[];
  const weightShape = weight?.shape ?? [];
  const biasShape = bias?.shape ?? [];
  return apply({
    name: spec.name,
    inputs,
    forward: () => {
      let y = tf.mul(tf.sub(hx, hm), hi);
      if (hw !== undefined) y = tf.mul(y, tf.reshape(hw, shape));
      if (hb !== undefined) y = tf.add(y, tf.reshape(hb, shape));
      return y;
    },
    save: weight !== null ? [x, weight, mean, invstd] : [x, mean, invstd],
    temps: [mean, invstd],
    backward: (g, saved, needs) => {
      const xs = saved[0]!;
      const w = weight !== null ? saved[1]! : null;
      let m = saved[saved.length - 2]!;
      let is = saved[saved.length - 1]!;
      const keepdim = { keepdim: true };
      if (batchStats && isGradEnabled() && xs.requiresGrad) {
        // Building a graph of the backward (double backward): the statistics are functions of x.
        m = xs.mean(dims, keepdim);
        const c = xs.sub(m);
        is = c.mul(c).mean(dims, keepdim).add(eps).rsqrt();
      }
      const xhat = xs.sub(m).mul(is);
      let gx: Tensor | null = null;
      if (needs[0]) {
        const gy = w !== null ? g.mul(w.reshape(shape)) : g;
        gx = batchStats ? is.mul(gy.sub(gy.mean(dims, keepdim)).sub(xhat.mul(gy.mul(xhat).mean(dims, keepdim)))) : gy.mul(is);
      }
      const grads: (Tensor | null)[] = [gx];
      if (weight !== null) grads.push(needs[1] ? sumToShape(g.mul(xhat), shape).reshape(weightShape) : null);
      if (bias !== null) grads.push(needs[grads.length] ? sumToShape(g, shape).reshape(biasShape) : null);
      return grads;
    },
  });
}
