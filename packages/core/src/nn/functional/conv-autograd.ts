/**
 * The three differentiable primitives behind every convolution: the convolution itself, its
 * adjoint with respect to the input (the transposed convolution) and its adjoint with respect to
 * the weight. Each is bilinear, and the backward of each is written with the other two, so
 * gradients of any order flow:
 *
 * - `y = conv(x, w)`:        dx = convT(gy, w),   dw = convW(x, gy)
 * - `x' = convT(gy, w)`:     dgy = conv(g, w),    dw = convW(g, gy)
 * - `w' = convW(x, gy)`:     dx = convT(gy, g),   dgy = conv(x, g)
 *
 * Arguments are unchecked: the public functions in `conv.ts` validate them.
 * @internal
 * @module
 */
import { apply } from '../../autograd/function.js';
import { sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { convForward, convInput, convWeight, type ConvGeometry } from './conv-kernels.js';

/** Saved tensors of a bilinear op: `a` is read by `b`'s gradient and `b` by `a`'s. */
function bilinearSave(a: Tensor, b: Tensor): { save: Tensor[]; read: (saved: readonly Tensor[]) => [Tensor | undefined, Tensor | undefined] } {
  const keepA = b.requiresGrad;
  const keepB = a.requiresGrad;
  const save = [...(keepA ? [a] : []), ...(keepB ? [b] : [])];
  return { save, read: (s) => [keepA ? s[0] : undefined, keepB ? s[keepA ? 1 : 0] : undefined] };
}

/** The bias gradient: `gy` summed over batch and space, innermost axis first (no transpose on wasm). */
function channelSum(gy: Tensor): Tensor {
  const [n, c, h, w] = gy.shape as [number, number, number, number];
  return sum(sum(reshape(gy, [n, c, h * w]), 2), 0);
}

function spatial(t: Tensor): [number, number] {
  return [t.shape[2]!, t.shape[3]!];
}

/**
 * The convolution of `x` `[N, C, H, W]` with `w` `[O, C / groups, kH, kW]` plus an optional
 * `bias` `[O]` (fused into the kernel). `outHW` cuts the output to a size, for the backward of a
 * transposed convolution whose output padding made its input longer.
 *
 * @example
 * ```ts
 * convOp(x, w, b, { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 });
 * ```
 */
export function convOp(x: Tensor, w: Tensor, bias: Tensor | null, g: ConvGeometry, outHW?: readonly [number, number]): Tensor {
  const hx = x._handle;
  const hw = w._handle;
  const hb = bias === null ? null : bias._handle;
  const inHW = spatial(x);
  const wShape = w.shape;
  const { save, read } = bilinearSave(x, w);
  return apply({
    name: 'convolution',
    inputs: bias === null ? [x, w] : [x, w, bias],
    forward: () => convForward(hx, hw, hb, g, outHW),
    save,
    backward: (gy, saved, needs) => {
      const [sx, sw] = read(saved);
      return [
        needs[0] ? convTransposeOp(gy, sw!, null, g, inHW) : null,
        needs[1] ? convWeightOp(sx!, gy, g, wShape) : null,
        needs[2] ? channelSum(gy) : null,
      ];
    },
  });
}

/**
 * The adjoint of {@link convOp} in its input: `gy` `[N, O, Ho, Wo]` and `w` `[O, C / groups, kH,
 * kW]` give `[N, C, ...outHW]`, plus an optional `bias` `[C]`. This is `convTranspose2d` with the
 * same geometry.
 *
 * @example
 * ```ts
 * convTransposeOp(gy, w, null, geometry, [28, 28]);
 * ```
 */
export function convTransposeOp(gy: Tensor, w: Tensor, bias: Tensor | null, g: ConvGeometry, outHW: readonly [number, number]): Tensor {
  const hg = gy._handle;
  const hw = w._handle;
  const hb = bias === null ? null : bias._handle;
  const gyHW = spatial(gy);
  const wShape = w.shape;
  const { save, read } = bilinearSave(gy, w);
  return apply({
    name: 'convolutionTranspose',
    nodeName: 'ConvolutionBackward0',
    inputs: bias === null ? [gy, w] : [gy, w, bias],
    forward: () => convInput(hg, hw, hb, g, outHW),
    save,
    backward: (gx, saved, needs) => {
      const [sg, sw] = read(saved);
      return [
        needs[0] ? convOp(gx, sw!, null, g, gyHW) : null,
        needs[1] ? convWeightOp(gx, sg!, g, wShape) : null,
        needs[2] ? channelSum(gx) : null,
      ];
    },
  });
}

/**
 * The adjoint of {@link convOp} in its weight: `x` `[N, C, H, W]` and `gy` `[N, O, Ho, Wo]` give
 * the weight gradient of shape `wShape`.
 *
 * @example
 * ```ts
 * convWeightOp(x, gy, geometry, [16, 3, 3, 3]);
 * ```
 */
export function convWeightOp(x: Tensor, gy: Tensor, g: ConvGeometry, wShape: readonly number[]): Tensor {
  const hx = x._handle;
  const hg = gy._handle;
  const xHW = spatial(x);
  const gyHW = spatial(gy);
  const { save, read } = bilinearSave(x, gy);
  return apply({
    name: 'convolutionWeight',
    nodeName: 'ConvolutionBackwardBackward0',
    inputs: [x, gy],
    forward: () => convWeight(hx, hg, g, wShape),
    save,
    backward: (gw, saved, needs) => {
      const [sx, sg] = read(saved);
      return [needs[0] ? convTransposeOp(sg!, gw, null, g, xHW) : null, needs[1] ? convOp(sx!, gw, null, g, gyHW) : null];
    },
  });
}
