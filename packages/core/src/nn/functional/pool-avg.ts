/**
 * Average pooling as a pair of linear primitives, each the other's backward: `avgPoolOp` is the
 * mean over full `kH x kW` windows of the input with zeros around it, and `avgPoolAdjointOp`
 * spreads each output value evenly back over its window. PyTorch's divisors (padding excluded,
 * windows cut by `ceilMode`, `divisorOverride`) are a rescaling done by the caller. The forward
 * pools the planes of an NCHW tensor as a batch of one-channel NHWC images (no transpose); the
 * adjoint is a plain loop, several times faster on wasm than tfjs's AvgPoolGrad kernel; on the
 * GPU it is that kernel, so that the gradient never leaves the device.
 * @internal
 * @module
 */
import { apply } from '../../autograd/function.js';
import { tf, type Handle } from '../../kernels/tf.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A pool's window, stride and per-side padding `[top, bottom, left, right]`; a negative side crops. */
export interface AvgGeometry {
  kernel: readonly [number, number];
  stride: readonly [number, number];
  pads: readonly [number, number, number, number];
}

function outSize(size: number, k: number, s: number, before: number, after: number): number {
  return Math.floor((size + before + after - k) / s) + 1;
}

/** The input planes as `[P, H', W', 1]`, cropped and zero-padded per `pads`. */
function padded(x: Handle, pads: AvgGeometry['pads']): Handle {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  let v = tf.reshape(x, [n * c, h, w, 1]);
  const [t, b, l, r] = pads;
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const top = Math.max(0, -t);
    const left = Math.max(0, -l);
    v = tf.slice(v, [0, top, left, 0], [n * c, h - top - Math.max(0, -b), w - left - Math.max(0, -r), 1]);
  }
  if (t > 0 || b > 0 || l > 0 || r > 0) v = tf.pad(v, [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]]);
  return v;
}

/**
 * The mean over full windows of the zero-padded planes of `x` `[N, C, H, W]`.
 *
 * @example
 * ```ts
 * avgPoolOp(x, { kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0] });
 * ```
 */
export function avgPoolOp(x: Tensor, g: AvgGeometry): Tensor {
  const hx = x._handle;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [t, b, l, r] = g.pads;
  const ho = outSize(h, g.kernel[0], g.stride[0], t, b);
  const wo = outSize(w, g.kernel[1], g.stride[1], l, r);
  const inHW: [number, number] = [h, w];
  return apply({
    name: 'avgPool2d',
    nodeName: 'AvgPool2DBackward0',
    inputs: [x],
    forward: () => {
      if (n * c === 0 || ho <= 0 || wo <= 0) return tf.zeros([n, c, Math.max(ho, 0), Math.max(wo, 0)]);
      const y = tf.avgPool(padded(hx, g.pads) as tf.Tensor4D, [g.kernel[0], g.kernel[1]], [g.stride[0], g.stride[1]], 'valid');
      return tf.reshape(y, [n, c, ho, wo]);
    },
    backward: (gy) => [avgPoolAdjointOp(gy, g, inHW)],
  });
}

/**
 * `gy` spread back over the windows: each value divided by the window size and added to every
 * input element its window covers (padding and cropped rows receive nothing). A plain loop: on
 * wasm it is several times faster than the AvgPoolGrad kernel.
 */
function spread(gy: ArrayLike<number>, planes: number, ho: number, wo: number, h: number, w: number, g: AvgGeometry): Float32Array {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const top = g.pads[0];
  const left = g.pads[2];
  const inv = 1 / (kh * kw);
  const dx = new Float32Array(planes * h * w);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < ho; i++) {
      const r0 = i * sh - top;
      const a0 = Math.max(0, -r0);
      const a1 = Math.min(kh, h - r0);
      for (let j = 0; j < wo; j++) {
        const c0 = j * sw - left;
        const b0 = Math.max(0, -c0);
        const b1 = Math.min(kw, w - c0);
        const v = gy[o++]! * inv;
        for (let a = a0; a < a1; a++) {
          const row = base + (r0 + a) * w + c0;
          for (let b = b0; b < b1; b++) dx[row + b] += v;
        }
      }
    }
  }
  return dx;
}

/** {@link spread} as a kernel on `gy`'s device: AvgPoolGrad over the padded planes, then the padding undone. */
function spreadOnDevice(hy: Handle, h: number, w: number, g: AvgGeometry): Handle {
  const [n, c, ho, wo] = hy.shape as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [t, b, l, r] = g.pads;
  const planes = n * c;
  // The planes as avgPoolOp pooled them: cropped by the negative sides, padded by the positive ones.
  const hc = h - Math.max(0, -t) - Math.max(0, -b);
  const wc = w - Math.max(0, -l) - Math.max(0, -r);
  const hp = (ho - 1) * sh + kh;
  const wp = (wo - 1) * sw + kw;
  return tf.tidy(() => {
    const dy = tf.reshape(hy, [planes, ho, wo, 1]);
    const like = tf.zeros([planes, hp, wp, 1]);
    const dp = tf.engine().runKernel('AvgPoolGrad', { dy, input: like }, { filterSize: [kh, kw], strides: [sh, sw], pad: 'valid' }) as Handle;
    let v = tf.slice(dp, [0, Math.max(0, t), Math.max(0, l), 0], [planes, hc, wc, 1]);
    if (t < 0 || b < 0 || l < 0 || r < 0) v = tf.pad(v, [[0, 0], [Math.max(0, -t), Math.max(0, -b)], [Math.max(0, -l), Math.max(0, -r)], [0, 0]]);
    return tf.reshape(v, [n, c, h, w]);
  });
}

/**
 * The adjoint of {@link avgPoolOp}: each value of `gy` `[N, C, Ho, Wo]`, divided by the window
 * size, added over its window; the result has the input's size `inHW`.
 *
 * @example
 * ```ts
 * avgPoolAdjointOp(gy, { kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0] }, [8, 8]);
 * ```
 */
export function avgPoolAdjointOp(gy: Tensor, g: AvgGeometry, inHW: readonly [number, number]): Tensor {
  const [n, c, ho, wo] = gy.shape as [number, number, number, number];
  const [h, w] = inHW;
  const onDevice = gy.device === 'gpu';
  const hy = gy._handle;
  const values = onDevice ? null : spread(gy.dataSync(), n * c, ho, wo, h, w, g);
  return apply({
    name: 'avgPool2dBackward',
    nodeName: 'AvgPool2DBackwardBackward0',
    inputs: [gy],
    forward: () =>
      values !== null ? tf.tensor(values, [n, c, h, w], 'float32') : n * c * ho * wo === 0 ? tf.zeros([n, c, h, w]) : spreadOnDevice(hy, h, w, g),
    backward: (gx) => [avgPoolOp(gx, g)],
  });
}
