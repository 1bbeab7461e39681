/**
 * Comparisons and logic. Results are bool tensors, which never carry gradients.
 * @module
 */
import { wrap } from '../autograd/function.js';
import { active, useDevice } from '../kernels/backend.js';
import { tf, type Handle } from '../kernels/tf.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { sameDevice } from './device.js';
import { broadcastShapes, checkTensor, operands } from './util.js';

/** An operand's shape (a JS scalar is 0-d), checked before any temporary is made. */
function shapeOf(x: TensorLike): number[] {
  return x instanceof Tensor ? x.shape : [];
}

/** Runs a two-operand kernel on its operands' device, which must be one (see {@link sameDevice}). */
function run2(name: string, x: Tensor, y: Tensor, kernel: (x: Handle, y: Handle) => Handle): Tensor {
  if (x._device !== active.device || y._device !== active.device) sameDevice(name, [x, y]);
  const hx = x._handle;
  const hy = y._handle;
  return wrap(tf.tidy(() => kernel(hx, hy)));
}

/** A one-operand kernel run on its operand's device (also for a 0-d operand, whose handle joins any device). */
function run1(x: Tensor, kernel: (h: Handle) => Handle): Tensor {
  const h = x._handle;
  if (x._device !== active.device) useDevice(x._device);
  return wrap(kernel(h));
}

function compare(name: string, a: TensorLike, b: TensorLike, kernel: (x: Handle, y: Handle) => Handle): Tensor {
  broadcastShapes(name, shapeOf(a), shapeOf(b));
  const { ts: [x, y], temps } = operands(name, [a, b]);
  const out = run2(name, x!, y!, kernel);
  for (const t of temps) t.dispose();
  return out;
}

function logical(name: string, a: TensorLike, b: TensorLike, kernel: (x: Handle, y: Handle) => Handle): Tensor {
  broadcastShapes(name, shapeOf(a), shapeOf(b));
  const { ts: [x, y], temps } = operands(name, [a, b], 'bool');
  const out = run2(name, x!, y!, kernel);
  for (const t of temps) t.dispose();
  return out;
}

/** `a == b` elementwise (`torch.eq`). @example `eq(tensor([1, 2]), 2).tolist(); // [false, true]` */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b, tf.equal);
}
/** `a != b` elementwise (`torch.ne`). @example `ne(tensor([1, 2]), 2).tolist(); // [true, false]` */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare('ne', a, b, tf.notEqual);
}
/** `a < b` elementwise (`torch.lt`). @example `lt(tensor([1, 2]), 2).tolist(); // [true, false]` */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b, tf.less);
}
/** `a <= b` elementwise (`torch.le`). @example `le(tensor([1, 2]), 2).tolist(); // [true, true]` */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b, tf.lessEqual);
}
/** `a > b` elementwise (`torch.gt`). @example `gt(tensor([1, 2]), 1).tolist(); // [false, true]` */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b, tf.greater);
}
/** `a >= b` elementwise (`torch.ge`). @example `ge(tensor([1, 2]), 2).tolist(); // [false, true]` */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b, tf.greaterEqual);
}
/** Logical and of truth values (non-zero is true) (`torch.logical_and`). @example `logicalAnd(tensor([true, true]), tensor([true, false])).tolist(); // [true, false]` */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return logical('logicalAnd', a, b, tf.logicalAnd);
}
/** Logical or (`torch.logical_or`). @example `logicalOr(tensor([false, true]), false).tolist(); // [false, true]` */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return logical('logicalOr', a, b, tf.logicalOr);
}
/** Logical exclusive or (`torch.logical_xor`). @example `logicalXor(tensor([true, true]), tensor([true, false])).tolist(); // [false, true]` */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return logical('logicalXor', a, b, (x, y) => tf.notEqual(x, y));
}
/** Logical not (`torch.logical_not`). @example `logicalNot(tensor([true, false])).tolist(); // [false, true]` */
export function logicalNot(x: Tensor): Tensor {
  checkTensor('logicalNot', 'input', x);
  const b = cast(x, 'bool');
  const out = run1(b, tf.logicalNot);
  if (b !== x) b.dispose();
  return out;
}
/** Which elements are NaN (`torch.isnan`). @example `isnan(tensor([NaN, 1])).tolist(); // [true, false]` */
export function isnan(x: Tensor): Tensor {
  checkTensor('isnan', 'input', x);
  return run1(x, (h) => (x.dtype === 'float32' ? tf.isNaN(h) : tf.zeros(h.shape, 'bool')));
}
/** Which elements are +-Infinity (`torch.isinf`). @example `isinf(tensor([Infinity, 1])).tolist(); // [true, false]` */
export function isinf(x: Tensor): Tensor {
  checkTensor('isinf', 'input', x);
  return run1(x, (h) => (x.dtype === 'float32' ? tf.isInf(h) : tf.zeros(h.shape, 'bool')));
}
/** Which elements are finite (neither NaN nor infinite) (`torch.isfinite`). @example `isfinite(tensor([NaN, 1])).tolist(); // [false, true]` */
export function isfinite(x: Tensor): Tensor {
  checkTensor('isfinite', 'input', x);
  return run1(x, (h) => (x.dtype === 'float32' ? tf.isFinite(h) : tf.ones(h.shape, 'bool')));
}
