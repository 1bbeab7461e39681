/**
 * Matrix products with PyTorch's rules: `matmul` (1-D, 2-D, batched with broadcasting), `mm`,
 * `bmm`, `outer`, `dot`. Gradients multiply by transposed operands: with native kernels active
 * the kernel reads them in place; otherwise they are transposed explicitly, which the wasm kernels
 * run much faster than transposed-operand products.
 *
 * Dtypes: two int32 operands give int32 (computed in float32, exact below 2^24); an int32 and a
 * float32 operand give float32 (PyTorch refuses mixed dtypes here; Flint promotes); bool is refused.
 * @module
 */
import { apply } from '../autograd/function.js';
import { DTypeError, ShapeError } from '../errors.js';
import { nativeMatMulActive } from '../kernels/native.js';
import { tf } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { reshape, sumToShape, transpose, unsqueeze, squeeze } from './shape.js';
import { broadcastShapes, checkTensor, numelOf } from './util.js';
import { mul } from './arith.js';

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

/**
 * Checks that the contracted sizes agree, naming the function and the shapes as the user passed
 * them: `input.shape[-1]` against `other.shape[-2]` (or `other.shape[0]` for a vector).
 */
function checkInner(fn: string, otherName: string, a: Tensor, b: Tensor): void {
  const k = a.shape[a.ndim - 1]!;
  const bDim = b.ndim === 1 ? 0 : -2;
  const kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2]!;
  if (k !== kb) {
    throw new ShapeError(
      `${fn}(): shapes ${shapeText(a)} and ${shapeText(b)} cannot be multiplied: ` +
        `input.shape[-1] (${k}) must equal ${otherName}.shape[${bDim}] (${kb})`,
    );
  }
}

const lastTwo = (t: Tensor): Tensor => transpose(t, -1, -2);

/**
 * `op(x) @ op(y)` where `op` transposes the last two dimensions when its flag is set. With native
 * kernels active the flags go to the kernel, which reads transposed operands in place; otherwise
 * the operands are transposed explicitly, which the wasm kernels run much faster.
 */
function productT(fn: string, x: Tensor, y: Tensor, tx: boolean, ty: boolean): Tensor {
  if (nativeMatMulActive()) return batched(fn, x, y, tx, ty);
  return batched(fn, tx ? lastTwo(x) : x, ty ? lastTwo(y) : y);
}

/**
 * The product `op(a) @ op(b)` of two float32 tensors of rank >= 2 whose inner sizes agree,
 * broadcasting batch dimensions; `ta` / `tb` use an operand with its last two dimensions swapped.
 */
function batched(fn: string, a: Tensor, b: Tensor, ta = false, tb = false): Tensor {
  const sa = a.shape;
  const sb = b.shape;
  const ra = sa.length;
  const rb = sb.length;
  const k = ta ? sa[ra - 2]! : sa[ra - 1]!;
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  const batch = broadcastShapes(fn, batchA, batchB);
  const outShape = [...batch, ta ? sa[ra - 1]! : sa[ra - 2]!, tb ? sb[rb - 2]! : sb[rb - 1]!];
  const ha = a._handle;
  const hb = b._handle;
  const rank2 = ra === 2 && rb === 2;
  // a is read only by b's gradient and b only by a's (PyTorch saves them the same way).
  const keep = [b.requiresGrad, a.requiresGrad];
  return apply({
    name: 'matmul',
    nodeName: rank2 ? 'MmBackward0' : 'BmmBackward0',
    inputs: [a, b],
    forward: () => {
      // An empty sum is zero; wasm's XNNPACK also fails on empty operands rather than answer.
      if (k === 0 || numelOf(outShape) === 0) return tf.zeros(outShape);
      if (rank2 || (batchA.length === batchB.length && batchA.every((s, i) => s === batchB[i]))) return tf.matMul(ha, hb, ta, tb);
      const ea = tf.broadcastTo(ha, [...batch, sa[ra - 2]!, sa[ra - 1]!]);
      const eb = tf.broadcastTo(hb, [...batch, sb[rb - 2]!, sb[rb - 1]!]);
      return tf.matMul(ea, eb, ta, tb);
    },
    save: [a, b].filter((_, i) => keep[i]),
    backward: (g, saved, needs) => {
      const x = keep[0] ? saved[0] : undefined;
      const y = keep[1] ? saved[keep[0] ? 1 : 0] : undefined;
      // Each gradient in the operand's stored orientation: for c = op(a) op(b),
      // da = g op(b)^T (or its transpose when ta), db = op(a)^T g (or its transpose when tb).
      const da = (): Tensor => (ta ? productT(fn, y!, g, tb, true) : productT(fn, g, y!, false, !tb));
      const db = (): Tensor => (tb ? productT(fn, g, x!, true, ta) : productT(fn, x!, g, !ta, false));
      return [needs[0] ? sumToShape(da(), sa) : null, needs[1] ? sumToShape(db(), sb) : null];
    },
  });
}

/**
 * `op(a) @ op(b)` for 2-D float32 `a` and `b`, `op` transposing when its flag is set: the flags
 * reach the kernel when native kernels are active, and become explicit transposes otherwise.
 * Differentiable. Arguments are unchecked (for Flint's own ops, such as `linear`'s gradient).
 * @internal
 *
 * @example
 * ```ts
 * const dw = mmTransposed(gradOut, x, true, false); // gradOut^T @ x
 * ```
 */
export function mmTransposed(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return productT('mm', a, b, transA, transB);
}

/** matmul's rules for operands already checked by `fn`; `otherName` names the second argument in errors. */
function product(fn: string, otherName: string, a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`${fn}(): both arguments need at least 1 dimension (got shapes ${shapeText(a)} and ${shapeText(b)}); use mul() for scalars`);
  }
  checkInner(fn, otherName, a, b);
  const [x, y, intResult] = sameFloat(fn, a, b);
  const made: Tensor[] = [];
  const keep = (t: Tensor): Tensor => {
    made.push(t);
    return t;
  };
  if (x !== a) made.push(x);
  if (y !== b) made.push(y);
  let out: Tensor;
  if (x.ndim === 1 && y.ndim === 1) out = reshape(keep(batched(fn, keep(unsqueeze(x, 0)), keep(unsqueeze(y, 1)))), []);
  else if (x.ndim === 1) out = squeeze(keep(batched(fn, keep(unsqueeze(x, 0)), y)), -2);
  else if (y.ndim === 1) out = squeeze(keep(batched(fn, x, keep(unsqueeze(y, 1)))), -1);
  else out = batched(fn, x, y);
  if (intResult) {
    const r = cast(out, 'int32');
    out.dispose();
    out = r;
  }
  // Without a graph nothing refers to the intermediates; with one they are its saved tensors.
  if (!out.requiresGrad) for (const t of made) t.dispose();
  return out;
}

/**
 * Matrix product with PyTorch's rules (`torch.matmul`, Python's `@`): 1-D x 1-D is a dot
 * product; a 1-D operand is treated as a row (left) or column (right) vector and that dimension
 * is removed; higher ranks are batches of matrices whose batch dimensions broadcast.
 *
 * @example
 * ```ts
 * matmul(randn([10, 3, 4]), randn([4, 5])).shape;    // [10, 3, 5]
 * matmul(randn([2, 1, 3, 4]), randn([5, 4, 2])).shape; // [2, 5, 3, 2]
 * matmul(randn([4]), randn([7, 4, 2])).shape;         // [7, 2]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'input', a);
  checkTensor('matmul', 'other', b);
  return product('matmul', 'other', a, b);
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
  return product('mm', 'mat2', a, b);
}

/**
 * Batched product of 3-D tensors `[b, n, k] x [b, k, m]` (`torch.bmm`); batch sizes must be
 * equal (no broadcasting, unlike `matmul`).
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
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`bmm(): batch sizes differ: input.shape[0] (${a.shape[0]}) must equal mat2.shape[0] (${b.shape[0]}) (got shapes ${shapeText(a)} and ${shapeText(b)})`);
  }
  return product('bmm', 'mat2', a, b);
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
  const col = reshape(a, [-1, 1]);
  const row = reshape(b, [1, -1]);
  const out = mul(col, row);
  if (!out.requiresGrad) {
    col.dispose();
    row.dispose();
  }
  return out;
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
  return product('dot', 'other', a, b);
}
