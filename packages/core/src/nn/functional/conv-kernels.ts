/**
 * The three kernels of a 2-D convolution on backend handles, in PyTorch's layouts (NCHW inputs,
 * `[out, in / groups, kH, kW]` weights): the forward pass, its adjoint with respect to the input
 * (the transposed convolution) and with respect to the weight. All three are computed with
 * tfjs's forward Conv2D / DepthwiseConv2dNative kernels, which are fast on every backend;
 * Conv2DBackpropInput is slow on wasm and Conv2DBackpropFilter missing there. tfjs works in NHWC,
 * so inputs are transposed in and out.
 *
 * - Input gradient: the output gradient with `stride - 1` zeros between its elements, padded by
 *   `dilation * (k - 1) - padding`, correlated with the spatially flipped weight.
 * - Weight gradient: a convolution whose batch is the input's channels and whose channels are the
 *   input's batch, with the output gradient as the filter, stride and dilation swapped.
 * - Groups: `groups == inChannels` (depthwise) uses the depthwise kernel; other group counts
 *   loop over the groups.
 * - tfjs refuses a stride and a dilation both above 1; then the filter is dilated with zeros.
 *
 * When the native CPU kernels are active (`kernels/native.ts`), all three run there instead, in
 * NCHW as they are (im2col / col2im + sgemm), except depthwise convolutions.
 * @internal
 * @module
 */
import { convNchw, convNchwFilter, convNchwInput, nativeConvActive, type ConvNchw } from '../../kernels/native.js';
import { tf, type Handle } from '../../kernels/tf.js';

/** A 2-D convolution's geometry, with padding per side. */
export interface ConvGeometry {
  /** `[strideH, strideW]`. */
  stride: readonly [number, number];
  /** `[top, bottom, left, right]` zeros around the input. */
  padding: readonly [number, number, number, number];
  /** `[dilationH, dilationW]`. */
  dilation: readonly [number, number];
  /** Number of channel groups. */
  groups: number;
}

type Pads = readonly [number, number, number, number];

/** The output size of a convolution along one dimension. @example `convOutSize(28, 5, 1, 0, 0, 1); // 24` */
export function convOutSize(size: number, k: number, stride: number, padBefore: number, padAfter: number, dilation: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (k - 1) - 1) / stride) + 1;
}

const toNHWC = (h: Handle): Handle => tf.transpose(h, [0, 2, 3, 1]);
const toNCHW = (h: Handle): Handle => tf.transpose(h, [0, 3, 1, 2]);

/** `h` with `f - 1` zeros inserted between consecutive elements along `axis`. */
function spread(h: Handle, axis: number, f: number): Handle {
  const n = h.shape[axis]!;
  if (f === 1 || n <= 1) return h;
  const s = h.shape;
  const split = [...s.slice(0, axis + 1), 1, ...s.slice(axis + 1)];
  const pads = split.map((_, i) => [0, i === axis + 1 ? f - 1 : 0] as [number, number]);
  const wide = tf.reshape(tf.pad(tf.reshape(h, split), pads), [...s.slice(0, axis), n * f, ...s.slice(axis + 1)]);
  const size = [...s];
  size[axis] = (n - 1) * f + 1;
  return tf.slice(wide, new Array<number>(s.length).fill(0), size);
}

/**
 * tfjs's convolution of an NHWC input with an HWIO filter (or, `depthwise`, an `[kH, kW, C, m]`
 * filter), at any stride and dilation, with explicit padding and an optional fused bias.
 */
function rawConv(x: Handle, filter: Handle, stride: readonly [number, number], dilation: readonly [number, number], pads: Pads, depthwise: boolean, bias: Handle | null = null): Handle {
  let f = filter;
  let d: [number, number] = [dilation[0], dilation[1]];
  if ((stride[0] > 1 || stride[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    f = spread(spread(f, 0, d[0]), 1, d[1]);
    d = [1, 1];
  }
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]];
  const s: [number, number] = [stride[0], stride[1]];
  if (depthwise) {
    // tfjs's fused depthwise kernel takes no explicit padding: the bias is added after.
    const y = tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad, 'NHWC', d);
    return bias === null ? y : tf.add(y, bias);
  }
  if (bias !== null) return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: s, pad, dilations: d, bias });
  return tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad, 'NHWC', d);
}

/** Whether a convolution of `inChannels` with weight `[out, inPerGroup, ...]` is depthwise. */
function isDepthwise(inChannels: number, weightShape: readonly number[], groups: number): boolean {
  return groups > 1 && groups === inChannels && weightShape[1] === 1;
}

/** The native kernels' geometry, or null when they do not take this convolution. */
function nativeGeometry(
  x: readonly number[], o: number, w: readonly number[], outHW: readonly [number, number], g: ConvGeometry, dtype: string,
): ConvNchw | null {
  if (dtype !== 'float32' || !nativeConvActive() || isDepthwise(x[1]!, w, g.groups)) return null;
  return {
    batch: x[0]!, inChannels: x[1]!, inHW: [x[2]!, x[3]!], outChannels: o, outHW, kernelHW: [w[2]!, w[3]!],
    stride: g.stride, padTopLeft: [g.padding[0], g.padding[2]], dilation: g.dilation, groups: g.groups,
  };
}

/**
 * The convolution of `x` `[N, C, H, W]` with `w` `[O, C / groups, kH, kW]`, plus `bias` `[O]`;
 * the result is cut to `outHW` when given (a transposed convolution's backward may produce a
 * longer one).
 *
 * @example
 * ```ts
 * const y = tf.tidy(() => convForward(x, w, null, { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 }));
 * ```
 */
export function convForward(x: Handle, w: Handle, bias: Handle | null, g: ConvGeometry, outHW?: readonly [number, number]): Handle {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, , kh, kw] = w.shape as [number, number, number, number];
  const [pt, pb, pl, pr] = g.padding;
  let ho = convOutSize(h, kh, g.stride[0], pt, pb, g.dilation[0]);
  let wo = convOutSize(wd, kw, g.stride[1], pl, pr, g.dilation[1]);
  if (outHW !== undefined) [ho, wo] = [Math.min(ho, outHW[0]), Math.min(wo, outHW[1])];
  if (n === 0 || o === 0 || ho <= 0 || wo <= 0) return tf.zeros([n, o, Math.max(ho, 0), Math.max(wo, 0)]);
  const nat = nativeGeometry(x.shape, o, w.shape, [ho, wo], g, x.dtype);
  if (nat !== null) return convNchw(x, w, bias, nat);
  const xt = toNHWC(x);
  let y: Handle;
  if (g.groups === 1) {
    y = rawConv(xt, tf.transpose(w, [2, 3, 1, 0]), g.stride, g.dilation, g.padding, false, bias);
  } else if (isDepthwise(c, w.shape, g.groups)) {
    // Output channel c * m + j uses input channel c: tfjs's depthwise layout `[kH, kW, C, m]`.
    const f = tf.transpose(tf.reshape(w, [c, o / c, kh, kw]), [2, 3, 0, 1]);
    y = rawConv(xt, f, g.stride, g.dilation, g.padding, true, bias);
  } else {
    const xs = tf.split(xt, g.groups, 3);
    const ws = tf.split(w, g.groups, 0);
    const bs = bias === null ? null : tf.split(bias, g.groups, 0);
    y = tf.concat(xs.map((xi, i) => rawConv(xi, tf.transpose(ws[i]!, [2, 3, 1, 0]), g.stride, g.dilation, g.padding, false, bs?.[i] ?? null)), 3);
  }
  if (y.shape[1] !== ho || y.shape[2] !== wo) y = tf.slice(y, [0, 0, 0, 0], [n, ho, wo, o]);
  return toNCHW(y);
}

/**
 * The adjoint of {@link convForward} with respect to its input (a transposed convolution):
 * `gy` `[N, O, Ho, Wo]` and `w` `[O, C / groups, kH, kW]` give `[N, C, H, W]` for `inHW = [H, W]`,
 * plus `bias` `[C]` when given.
 *
 * @example
 * ```ts
 * const dx = tf.tidy(() => convInput(dy, w, null, geometry, [28, 28]));
 * ```
 */
export function convInput(gy: Handle, w: Handle, bias: Handle | null, g: ConvGeometry, inHW: readonly [number, number]): Handle {
  const [n, o, ho, wo] = gy.shape as [number, number, number, number];
  const [, cg, kh, kw] = w.shape as [number, number, number, number];
  const c = cg * g.groups;
  const [h, wd] = inHW;
  if (n === 0 || c === 0 || h === 0 || wd === 0) return tf.zeros([n, c, h, wd]);
  if (o === 0 || ho === 0 || wo === 0) {
    const z = tf.zeros([n, c, h, wd]);
    return bias === null ? z : tf.add(z, tf.reshape(bias, [1, c, 1, 1]));
  }
  const nat = nativeGeometry([n, c, h, wd], o, w.shape, [ho, wo], g, gy.dtype);
  if (nat !== null) return convNchwInput(gy, w, bias, nat);
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  // Zeros between the gradient's elements undo the stride; the rest is a stride-1 correlation.
  let gt = spread(spread(toNHWC(gy), 1, sh), 2, sw);
  const lh = (ho - 1) * sh + 1;
  const lw = (wo - 1) * sw + 1;
  const top = dh * (kh - 1) - g.padding[0];
  const left = dw * (kw - 1) - g.padding[2];
  const bottom = h + dh * (kh - 1) - top - lh;
  const right = wd + dw * (kw - 1) - left - lw;
  // Negative padding (a forward padding wider than the kernel) crops instead.
  const cut = [Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right)] as const;
  if (cut.some((v) => v > 0)) gt = tf.slice(gt, [0, cut[0], cut[2], 0], [n, lh - cut[0] - cut[1], lw - cut[2] - cut[3], o]);
  const pads: Pads = [Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)];
  const one: [number, number] = [1, 1];
  let y: Handle;
  if (g.groups === 1) {
    y = rawConv(gt, tf.reverse(tf.transpose(w, [2, 3, 0, 1]), [0, 1]), one, g.dilation, pads, false, bias);
  } else if (isDepthwise(c, w.shape, g.groups)) {
    // Each gradient channel c * m + j flows back to input channel c through its own filter.
    const f = tf.reshape(tf.reverse(tf.transpose(tf.reshape(w, [o, kh, kw]), [1, 2, 0]), [0, 1]), [kh, kw, o, 1]);
    y = rawConv(gt, f, one, g.dilation, pads, true);
    if (o !== c) y = tf.sum(tf.reshape(y, [n, h, wd, c, o / c]), 4);
    if (bias !== null) y = tf.add(y, bias);
  } else {
    const gs = tf.split(gt, g.groups, 3);
    const ws = tf.split(w, g.groups, 0);
    const bs = bias === null ? null : tf.split(bias, g.groups, 0);
    y = tf.concat(gs.map((gi, i) => rawConv(gi, tf.reverse(tf.transpose(ws[i]!, [2, 3, 0, 1]), [0, 1]), one, g.dilation, pads, false, bs?.[i] ?? null)), 3);
  }
  return toNCHW(y);
}

/**
 * The adjoint of {@link convForward} with respect to its weight: `x` `[N, C, H, W]` and `gy`
 * `[N, O, Ho, Wo]` give the weight gradient of shape `wShape` `[O, C / groups, kH, kW]`.
 *
 * @example
 * ```ts
 * const dw = tf.tidy(() => convWeight(x, dy, geometry, [6, 1, 5, 5]));
 * ```
 */
export function convWeight(x: Handle, gy: Handle, g: ConvGeometry, wShape: readonly number[]): Handle {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = wShape as [number, number, number, number];
  const [, , ho, wo] = gy.shape as [number, number, number, number];
  if (n === 0 || c === 0 || o === 0 || ho === 0 || wo === 0) return tf.zeros([o, cg, kh, kw]);
  const nat = nativeGeometry(x.shape, o, wShape, [ho, wo], g, x.dtype);
  if (nat !== null) return convNchwFilter(x, gy, nat);
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  // The padded input rows the windows reach; rows past them get no gradient and are cut off.
  const eh = (kh - 1) * dh + (ho - 1) * sh + 1;
  const ew = (kw - 1) * dw + (wo - 1) * sw + 1;
  const [pt, , pl] = g.padding;
  const bottom = eh - pt - h;
  const right = ew - pl - wd;
  let xc = x;
  if (bottom < 0 || right < 0) xc = tf.slice(x, [0, 0, 0, 0], [n, c, h + Math.min(0, bottom), wd + Math.min(0, right)]);
  const pads: Pads = [pt, Math.max(0, bottom), pl, Math.max(0, right)];
  // Stride and dilation swap roles: the gradient is the filter, dilated by the stride.
  const stride: [number, number] = [dh, dw];
  const dilation: [number, number] = [sh, sw];
  const dense = (xi: Handle, gi: Handle): Handle =>
    // x as [C, H, W, N] (batch <-> channels), gy as an HWIO filter [Ho, Wo, N, O] -> [C, kH, kW, O].
    tf.transpose(rawConv(tf.transpose(xi, [1, 2, 3, 0]), tf.transpose(gi, [2, 3, 0, 1]), stride, dilation, pads, false), [3, 0, 1, 2]);
  if (g.groups === 1) return dense(xc, gy);
  if (isDepthwise(c, wShape, g.groups)) {
    // One depthwise pass over the N * C planes of x, each with its own gradient planes as filters;
    // the batch is summed afterwards.
    const hh = xc.shape[2]!;
    const ww = xc.shape[3]!;
    const xt = tf.reshape(tf.transpose(xc, [2, 3, 0, 1]), [1, hh, ww, n * c]);
    const f = tf.reshape(tf.transpose(gy, [2, 3, 0, 1]), [ho, wo, n * c, o / c]);
    const r = tf.sum(tf.reshape(rawConv(xt, f, stride, dilation, pads, true), [kh, kw, n, o]), 2);
    return tf.reshape(tf.transpose(r, [2, 0, 1]), [o, 1, kh, kw]);
  }
  const xs = tf.split(xc, g.groups, 1);
  const gs = tf.split(gy, g.groups, 1);
  return tf.concat(xs.map((xi, i) => dense(xi, gs[i]!)), 0);
}
