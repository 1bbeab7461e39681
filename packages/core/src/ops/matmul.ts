/**
 * Matrix products with PyTorch's rules: `matmul` (1-D, 2-D, batched with broadcasting), `mm`,
 * `bmm`, `outer`, `dot`. Gradients use explicit transposes, which the wasm kernels run much
 * faster than transposed-operand matmuls.
 * @module
 */
import { apply } from '../autograd/function.js';
import { DTypeError, ShapeError } from '../errors.js';
import { tf } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { reshape, sumToShape, transpose, unsqueeze, squeeze } from './shape.js';
import { broadcastShapes, checkTensor } from './util.js';
import { mul } from './arith.js';
import { sum } from './reduce.js';

function shapeText(x: Tensor): string {
  return `[${x.shape.join(', ')}]`;
}

/** Both operands float32 (ints are computed in float32 and cast back, exact below 2^24). */
function sameFloat(fn: string, a: Tensor, b: Tensor): [Tensor, Tensor, boolean] {
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new DTypeError(`${fn}(): bool tensors can't be multiplied as matrices; cast them first`);
  if (a.dtype === 'float32' && b.dtype === 'float32') return [a, b, false];
  const both = a.dtype === 'int32' && b.dtype === 'int32';
  return [a.dtype === 'float32' ? a : cast(a, 'float32'), b.dtype === 'float32' ? b : cast(b, 'float32'), both];
}

/** The product of two tensors of rank >= 2, broadcasting batch dimensions. */
function batched(a: Tensor, b: Tensor): Tensor {
  const sa = a.shape;
  const sb = b.shape;
  const k = sa[sa.length - 1]!;
  if (k !== sb[sb.length - 2]) {
    throw new ShapeError(
      `matmul(): the last dimension of input (${k}, shape ${shapeText(a)}) must equal the second-to-last of other (${sb[sb.length - 2]}, shape ${shapeText(b)})`,
    );
  }
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const ha = a._handle;
  const hb = b._handle;
  const rank2 = sa.length === 2 && sb.length === 2;
  return apply({
    name: 'matmul',
    nodeName: rank2 ? 'MmBackward0' : 'BmmBackward0',
    inputs: [a, b],
    forward: () => {
      if (rank2 || (batchA.length === batchB.length && batchA.every((s, i) => s === batchB[i]))) return tf.matMul(ha, hb);
      const ea = tf.broadcastTo(ha, [...batch, sa[sa.length - 2]!, k]);
      const eb = tf.broadcastTo(hb, [...batch, k, sb[sb.length - 1]!]);
      return tf.matMul(ea, eb);
    },
    save: [a, b],
    backward: (g, [x, y], needs) => [
      needs[0] ? sumToShape(batched(g, transpose(y!, -1, -2)), x!.shape) : null,
      needs[1] ? sumToShape(batched(transpose(x!, -1, -2), g), y!.shape) : null,
    ],
  });
}

/**
 * Matrix product with PyTorch's rules (`torch.matmul`, Python's `@`): 1-D x 1-D is a dot
 * product; a 1-D operand is treated as a row (left) or column (right) vector and that dimension
 * is removed; higher ranks are batches of matrices whose batch dimensions broadcast.
 *
 * @example
 * ```ts
 * matmul(randn([10, 3, 4]), randn([4, 5])).shape; // [10, 3, 5]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'input', a);
  checkTensor('matmul', 'other', b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul(): both arguments need at least 1 dimension (got shapes ${shapeText(a)} and ${shapeText(b)}); use mul() for scalars`);
  }
  const [x, y, intResult] = sameFloat('matmul', a, b);
  let out: Tensor;
  if (x.ndim === 1 && y.ndim === 1) out = dot(x, y);
  else if (x.ndim === 1) out = squeeze(batched(unsqueeze(x, 0), y), -2);
  else if (y.ndim === 1) out = squeeze(batched(x, unsqueeze(y, 1)), -1);
  else out = batched(x, y);
  return intResult ? cast(out, 'int32') : out;
}

/**
 * Product of two matrices (`torch.mm`).
 *
 * @example
 * ```ts
 * mm(ones([2, 3]), ones([3, 4])).shape; // [2, 4]
 * ```
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensor('mm', 'input', a);
  checkTensor('mm', 'mat2', b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm(): both arguments must be 2-D (got shapes ${shapeText(a)} and ${shapeText(b)})`);
  return matmul(a, b);
}

/**
 * Batched product of 3-D tensors `[b, n, k] x [b, k, m]` (`torch.bmm`).
 *
 * @example
 * ```ts
 * bmm(ones([8, 2, 3]), ones([8, 3, 4])).shape; // [8, 2, 4]
 * ```
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor('bmm', 'input', a);
  checkTensor('bmm', 'mat2', b);
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`bmm(): both arguments must be 3-D (got shapes ${shapeText(a)} and ${shapeText(b)})`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm(): batch sizes differ (${a.shape[0]} vs ${b.shape[0]})`);
  return matmul(a, b);
}

/**
 * Outer product of two vectors (`torch.outer`).
 *
 * @example
 * ```ts
 * outer(tensor([1, 2]), tensor([3, 4, 5])).shape; // [2, 3]
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensor('outer', 'input', a);
  checkTensor('outer', 'vec2', b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`outer(): both arguments must be 1-D (got shapes ${shapeText(a)} and ${shapeText(b)})`);
  return mul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

/**
 * Dot product of two vectors of equal length (`torch.dot`).
 *
 * @example
 * ```ts
 * dot(tensor([1, 2]), tensor([3, 4])).item(); // 11
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor('dot', 'input', a);
  checkTensor('dot', 'other', b);
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot(): expects two 1-D tensors of equal length (got shapes ${shapeText(a)} and ${shapeText(b)})`);
  }
  return sum(mul(a, b));
}
