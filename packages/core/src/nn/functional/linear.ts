/**
 * `F.linear` and `F.bilinear`. `linear` is a primitive: the forward is one product with the bias
 * fused in, and the backward two products and a sum, written with Flint ops so that it is
 * differentiable again. With native kernels active the products read the transposed weight and
 * output gradient in place; otherwise the weight is transposed explicitly (tfjs's wasm kernels run
 * transposed-operand products several times slower).
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ShapeError } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { tf } from '../../kernels/tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/arith.js';
import { matmul, mmTransposed } from '../../ops/matmul.js';
import { nativeMatMulActive } from '../../kernels/native.js';
import { sum } from '../../ops/reduce.js';
import { permute, reshape, unsqueeze } from '../../ops/shape.js';
import { checkFloat } from './activation.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Checks `bias` against the number of output features. */
function checkBias(fn: string, bias: Tensor | null | undefined, out: number, weightName: string): Tensor | null {
  if (bias === undefined || bias === null) return null;
  checkFloat(fn, bias, 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== out) {
    throw new ShapeError(`${fn}(): bias must have shape [${out}] (${weightName}.shape[0]) (got shape ${fmt(bias.shape)})`);
  }
  return bias;
}

/** `x @ w^T (+ b)` for a 2-D `x`, one node. */
function linear2d(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const hx = x._handle;
  const hw = w._handle;
  const hb = b?._handle;
  const [rows, inF] = x.shape as [number, number];
  const outF = w.shape[0]!;
  // x is read only by the weight's gradient and the weight only by x's.
  const keep = [w.requiresGrad, x.requiresGrad];
  return apply({
    name: 'linear',
    nodeName: b === null ? 'MmBackward0' : 'AddmmBackward0',
    inputs: b === null ? [x, w] : [x, w, b],
    forward: () => {
      // wasm's XNNPACK fails on empty operands; an empty sum is zero.
      if (rows === 0 || inF === 0 || outF === 0) {
        const y = tf.zeros([rows, outF]);
        return hb === undefined ? y : tf.add(y, hb);
      }
      // The native kernel reads the weight transposed in place and adds the bias in the same pass.
      if (nativeMatMulActive()) return tf.fused.matMul({ a: hx, b: hw, transposeB: true, bias: hb });
      // One or two rows: the transposed-operand product beats transposing the whole weight.
      // Not fused with the bias: wasm's fused kernel adds a bias wrongly to a transposed
      // operand's product of more than one row. (And never a reshape of x as the right operand:
      // wasm caches that operand's packing by its data, ignoring its shape, and the backward
      // multiplies by x in another shape.)
      if (rows <= 2) {
        const y = tf.matMul(hx, hw, false, true);
        return hb === undefined ? y : tf.add(y, hb);
      }
      return tf.fused.matMul({ a: hx, b: tf.transpose(hw), bias: hb });
    },
    save: [x, w].filter((_, i) => keep[i]),
    backward: (g, saved, needs) => {
      const sx = keep[0] ? saved[0] : undefined;
      const sw = keep[1] ? saved[keep[0] ? 1 : 0] : undefined;
      return [
        needs[0] ? matmul(g, sw!) : null,
        needs[1] ? mmTransposed(g, sx!, true, false) : null,
        needs[2] ? sum(g, 0) : null,
      ];
    },
  });
}

/**
 * `x @ weight^T + bias` over the last dimension of `x` (`F.linear`): `x` is `[..., in]`, `weight`
 * `[out, in]`, `bias` `[out]` or absent; the result is `[..., out]`.
 *
 * @example
 * ```ts
 * const y = linear(randn([32, 784]), randn([128, 784]), zeros([128]));
 * y.shape; // [32, 128]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkFloat('linear', x);
  checkFloat('linear', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear(): weight must be 2-D [outFeatures, inFeatures] (got shape ${fmt(weight.shape)})`);
  const [outF, inF] = weight.shape as [number, number];
  const b = checkBias('linear', bias, outF, 'weight');
  if (x.ndim === 0) throw new ShapeError(`linear(): input must have at least 1 dimension (got a 0-D tensor); reshape it to [1]`);
  const last = x.shape[x.ndim - 1]!;
  if (last !== inF) {
    throw new ShapeError(`linear(): input.shape[-1] (${last}) must equal weight.shape[1] (${inF}) (input shape ${fmt(x.shape)}, weight shape ${fmt(weight.shape)})`);
  }
  if (x.ndim === 2) return linear2d(x, weight, b);
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((n, s) => n * s, 1);
  return scope(() => reshape(linear2d(reshape(x, [rows, inF]), weight, b), [...lead, outF]));
}

/**
 * `x1^T A x2 + b` for each output feature (`F.bilinear`): `x1` is `[..., in1]`, `x2` `[..., in2]`
 * with the same leading shape, `weight` `[out, in1, in2]`, `bias` `[out]` or absent; the result
 * is `[..., out]`.
 *
 * @example
 * ```ts
 * bilinear(randn([8, 5]), randn([8, 3]), randn([4, 5, 3])).shape; // [8, 4]
 * ```
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkFloat('bilinear', x1, 'input1');
  checkFloat('bilinear', x2, 'input2');
  checkFloat('bilinear', weight, 'weight');
  if (weight.ndim !== 3) throw new ShapeError(`bilinear(): weight must be 3-D [outFeatures, in1Features, in2Features] (got shape ${fmt(weight.shape)})`);
  const [outF, in1, in2] = weight.shape as [number, number, number];
  const b = checkBias('bilinear', bias, outF, 'weight');
  if (x1.ndim === 0 || x2.ndim === 0) throw new ShapeError('bilinear(): inputs must have at least 1 dimension (got a 0-D tensor)');
  if (x1.shape[x1.ndim - 1] !== in1) {
    throw new ShapeError(`bilinear(): input1.shape[-1] (${x1.shape[x1.ndim - 1]}) must equal weight.shape[1] (${in1})`);
  }
  if (x2.shape[x2.ndim - 1] !== in2) {
    throw new ShapeError(`bilinear(): input2.shape[-1] (${x2.shape[x2.ndim - 1]}) must equal weight.shape[2] (${in2})`);
  }
  const lead = x1.shape.slice(0, -1);
  const lead2 = x2.shape.slice(0, -1);
  if (lead.length !== lead2.length || lead.some((s, i) => s !== lead2[i])) {
    throw new ShapeError(`bilinear(): input1 and input2 must have the same shape except the last dimension (got ${fmt(x1.shape)} and ${fmt(x2.shape)})`);
  }
  return scope(() => {
    const n = lead.reduce((m, s) => m * s, 1);
    const a = reshape(x1, [n, in1]);
    const c = reshape(x2, [n, in2]);
    // t[n, o, j] = sum_i x1[n, i] A[o, i, j]; then y[n, o] = sum_j t[n, o, j] x2[n, j].
    const wm = reshape(permute(weight, [1, 0, 2]), [in1, outF * in2]);
    const t = reshape(matmul(a, wm), [n, outF, in2]);
    let y = sum(mul(t, unsqueeze(c, 1)), 2);
    if (b !== null) y = add(y, b);
    return reshape(y, [...lead, outF]);
  });
}
