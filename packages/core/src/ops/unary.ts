/**
 * Elementwise functions of one tensor, each with its derivative: abs, exp, log, log1p, sqrt,
 * rsqrt, sin, cos, tanh, sigmoid, relu, reciprocal, square, and the rounding family
 * (floor, ceil, round, sign) whose gradient is zero.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { DTypeError } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, neg, sub, zerosLike } from './arith.js';
import { cast } from './cast.js';
import { checkTensor } from './util.js';

/** Float input for float-valued functions (ints and bools are promoted, as PyTorch does). */
function floatInput(fn: string, x: Tensor): Tensor {
  checkTensor(fn, 'input', x);
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}

function unary(
  name: string,
  x: Tensor,
  kernel: (h: Handle) => Handle,
  backward: ((g: Tensor, x: Tensor, out: Tensor) => Tensor) | null,
  saveOut = false,
): Tensor {
  const input = floatInput(name, x);
  const h = input._handle;
  return apply({
    name,
    inputs: [input],
    forward: () => kernel(h),
    ...(input !== x ? { temps: [input] } : {}),
    ...(backward === null
      ? {}
      : {
          save: saveOut ? (o: Tensor) => [o] : [input],
          // One tensor is saved: the output for ops whose derivative reads it (as PyTorch saves
          // `result`), else the input. The backward reads only the one it saved.
          backward: (g: Tensor, [s]: readonly Tensor[]) => [backward(g, s!, s!)],
        }),
  });
}

/** `|x|`; the gradient at 0 is 0. @example `abs(tensor([-1, 2])).tolist(); // [1, 2]` */
export function abs(x: Tensor): Tensor {
  checkTensor('abs', 'input', x);
  if (x.dtype !== 'float32') {
    if (x.dtype === 'bool') throw new DTypeError('abs(): not defined for bool tensors');
    const h = x._handle;
    return wrap(tf.abs(h));
  }
  return unary('abs', x, tf.abs, (g, x) => mul(g, sign(x)));
}
/** `e^x`. @example `exp(tensor([0])).item(); // 1` */
export function exp(x: Tensor): Tensor {
  return unary('exp', x, tf.exp, (g, _x, out) => mul(g, out), true);
}
/** Natural logarithm. @example `log(tensor([1])).item(); // 0` */
export function log(x: Tensor): Tensor {
  return unary('log', x, tf.log, (g, x) => div(g, x));
}
/** `log(1 + x)`, accurate near 0. @example `log1p(tensor([0])).item(); // 0` */
export function log1p(x: Tensor): Tensor {
  return unary('log1p', x, tf.log1p, (g, x) => div(g, x.add(1)));
}
/** Square root. @example `sqrt(tensor([4])).item(); // 2` */
export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x, tf.sqrt, (g, _x, out) => div(g, mul(out, 2)), true);
}
/** `1 / sqrt(x)`. @example `rsqrt(tensor([4])).item(); // 0.5` */
export function rsqrt(x: Tensor): Tensor {
  return unary('rsqrt', x, tf.rsqrt, (g, _x, out) => mul(g, mul(out.pow(3), -0.5)), true);
}
/** Sine. @example `sin(tensor([0])).item(); // 0` */
export function sin(x: Tensor): Tensor {
  return unary('sin', x, tf.sin, (g, x) => mul(g, cos(x)));
}
/** Cosine. @example `cos(tensor([0])).item(); // 1` */
export function cos(x: Tensor): Tensor {
  return unary('cos', x, tf.cos, (g, x) => neg(mul(g, sin(x))));
}
/** Hyperbolic tangent. @example `tanh(tensor([0])).item(); // 0` */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x, tf.tanh, (g, _x, out) => mul(g, sub(1, mul(out, out))), true);
}
/** Logistic sigmoid `1 / (1 + e^-x)`. @example `sigmoid(tensor([0])).item(); // 0.5` */
export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x, tf.sigmoid, (g, _x, out) => mul(g, mul(out, sub(1, out))), true);
}
/**
 * relu's backward: `g` times the mask `out > 0`, the mask made by one Step kernel as a float
 * constant (no Greater, no Cast of a bool mask). The mask has no gradient, so a double backward
 * sees `mask * g` as PyTorch's does.
 */
function reluBackward(g: Tensor, out: Tensor): Tensor {
  const h = out._handle;
  return mul(g, wrap(tf.step(h)));
}
/**
 * `max(x, 0)`; the gradient at 0 is 0, as in PyTorch (where x is NaN the gradient is NaN).
 * @example `relu(tensor([-1, 2])).tolist(); // [0, 2]`
 */
export function relu(x: Tensor): Tensor {
  checkTensor('relu', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('relu(): not defined for bool tensors; cast to int32 or float32 first');
  if (x.dtype !== 'float32') return wrap(tf.relu(x._handle));
  return unary('relu', x, tf.relu, (g, _x, out) => reluBackward(g, out), true);
}
/** `1 / x`. @example `reciprocal(tensor([4])).item(); // 0.25` */
export function reciprocal(x: Tensor): Tensor {
  return unary('reciprocal', x, tf.reciprocal, (g, _x, out) => neg(mul(g, mul(out, out))), true);
}
/** `x * x`; a bool tensor gives int32, as in PyTorch. @example `square(tensor([3])).item(); // 9` */
export function square(x: Tensor): Tensor {
  checkTensor('square', 'input', x);
  if (x.dtype === 'bool') {
    const i = cast(x, 'int32');
    const out = mul(i, i);
    i.dispose();
    return out;
  }
  return mul(x, x);
}

function rounding(name: string, x: Tensor, kernel: (h: Handle) => Handle): Tensor {
  checkTensor(name, 'input', x);
  if (x.dtype !== 'float32') {
    // Integers are already whole: a copy (never the input itself), or their sign. PyTorch
    // rounds no bools, and the sign of a bool is itself.
    if (x.dtype === 'bool' && name !== 'sign') throw new DTypeError(`${name}(): not defined for bool tensors; cast to int32 or float32 first`);
    const h = x._handle;
    return wrap(name === 'sign' && x.dtype === 'int32' ? tf.tidy(() => signKernel(h)) : tf.clone(h));
  }
  // The gradient is zero and reads nothing, so nothing is saved (changing x later is fine).
  const h = x._handle;
  return apply({ name, inputs: [x], forward: () => kernel(h), backward: (g) => [zerosLike(g)] });
}
/** Rounds down. @example `floor(tensor([1.5, -1.5])).tolist(); // [1, -2]` */
export function floor(x: Tensor): Tensor {
  return rounding('floor', x, tf.floor);
}
/** Rounds up. @example `ceil(tensor([1.5, -1.5])).tolist(); // [2, -1]` */
export function ceil(x: Tensor): Tensor {
  return rounding('ceil', x, tf.ceil);
}
/** Rounds half to even, as PyTorch does. @example `round(tensor([0.5, 1.5, 2.5])).tolist(); // [0, 2, 2]` */
export function round(x: Tensor): Tensor {
  return rounding('round', x, tf.round);
}
/**
 * (x > 0) - (x < 0): wasm's Sign kernel answers 0 for |x| below about 1e-7, and PyTorch's sign
 * of NaN is 0, which this gives too.
 */
function signKernel(h: Handle): Handle {
  return tf.sub(tf.cast(tf.greater(h, 0), h.dtype), tf.cast(tf.less(h, 0), h.dtype));
}
/** -1, 0 or 1 by the sign of each element (0 for NaN). @example `sign(tensor([-3, 0, 1e-30])).tolist(); // [-1, 0, 1]` */
export function sign(x: Tensor): Tensor {
  return rounding('sign', x, signKernel);
}
