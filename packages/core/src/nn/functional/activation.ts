/**
 * Activation functions of `nn.functional` with PyTorch 1.13's values and gradients, kinks
 * included (relu at 0 gets 0, leaky_relu at 0 gets the slope, hardtanh at its bounds gets 0).
 * The common ones are primitives: one fused forward on the kernels and a backward written with
 * Flint ops, so that gradients of any order flow. Functions PyTorch lets run in place take
 * `{ inplace: true }`, which follows PyTorch's rules (refused on a leaf that requires grad).
 * @module
 */
import { apply, wrap } from '../../autograd/function.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { tf, type Handle } from '../../kernels/tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, div, mul, sub, where } from '../../ops/arith.js';
import { gt, le, lt } from '../../ops/compare.js';
import { sum } from '../../ops/reduce.js';
import { reshape } from '../../ops/shape.js';
import * as un from '../../ops/unary.js';
import { checkTensor, normDim } from '../../ops/util.js';

/** The option of the activations that PyTorch can run in place. @example `relu(h, { inplace: true })` */
export interface InplaceOptions {
  /** Write the result into the input (default false); refused on a leaf that requires grad. */
  inplace?: boolean;
}

/** Throws unless `x` is a float32 Tensor; returns it. @internal @example `checkFloat('gelu', x)` */
export function checkFloat(fn: string, x: unknown, arg = 'input'): Tensor {
  const t = checkTensor(fn, arg, x);
  if (t.dtype !== 'float32') throw new DTypeError(`${fn}(): ${arg} must be a float32 tensor (got dtype ${t.dtype}); call .float() first`);
  return t;
}

/** Throws unless `v` is a finite number; returns it. @internal @example `checkNumber('elu', 'alpha', alpha)` */
export function checkNumber(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fn}(): ${arg} must be a finite number (got ${describe(v)})`);
  return v;
}

/**
 * Runs `compute`, writing its result into `x` when `inplace` (PyTorch's `inplace=True`). @internal
 * @example `maybeInplace('relu', x, true, () => relu(x))`
 */
export function maybeInplace(fn: string, x: Tensor, inplace: boolean | undefined, compute: () => Tensor): Tensor {
  return inplace === true ? x._inplace(`${fn}_`, compute) : compute();
}

/** A float mask (1 where `test` holds, else 0) that autograd treats as a constant. */
function mask(x: Tensor, test: (h: Handle) => Handle): Tensor {
  const h = x._handle;
  return wrap(tf.tidy(() => tf.cast(test(h), 'float32')));
}

/**
 * An elementwise primitive: `kernel` computes the output; `grad(g, x)` is the input's gradient
 * from the saved input, written with Flint ops.
 */
function pointwise(name: string, x: Tensor, kernel: (h: Handle) => Handle, grad: (g: Tensor, x: Tensor) => Tensor): Tensor {
  const h = x._handle;
  return apply({ name, inputs: [x], forward: () => kernel(h), save: [x], backward: (g, [s]) => [grad(g, s!)] });
}

/**
 * `max(x, 0)` (`F.relu`); the gradient at 0 is 0.
 *
 * @example
 * ```ts
 * relu(tensor([-1, 0, 2])).tolist(); // [0, 0, 2]
 * ```
 */
export function relu(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkTensor('relu', 'input', x);
  return maybeInplace('relu', x, options.inplace, () => un.relu(x));
}

/**
 * Clamps to `[minVal, maxVal]` (`F.hardtanh`); the gradient is 1 strictly inside and 0 at and
 * beyond the bounds, as in PyTorch.
 *
 * @example
 * ```ts
 * hardtanh(tensor([-3, 0.5, 3])).tolist();       // [-1, 0.5, 1]
 * hardtanh(tensor([-3, 0.5, 3]), -2, 2).tolist(); // [-2, 0.5, 2]
 * ```
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1, options: InplaceOptions = {}): Tensor {
  return clip('hardtanh', x, minVal, maxVal, options.inplace);
}

function clip(fn: string, x: Tensor, lo: number, hi: number, inplace: boolean | undefined): Tensor {
  checkFloat(fn, x);
  checkNumber(fn, 'minVal', lo);
  checkNumber(fn, 'maxVal', hi);
  if (lo > hi) throw new ArgumentError(`${fn}(): minVal (${lo}) must not be greater than maxVal (${hi})`);
  return maybeInplace(fn, x, inplace, () =>
    pointwise(fn, x, (h) => tf.clipByValue(h, lo, hi), (g, s) => mul(g, mask(s, (h) => tf.logicalAnd(tf.greater(h, lo), tf.less(h, hi))))),
  );
}

/**
 * `min(max(x, 0), 6)` (`F.relu6`); the gradient is 0 at 0 and at 6.
 *
 * @example
 * ```ts
 * relu6(tensor([-1, 3, 8])).tolist(); // [0, 3, 6]
 * ```
 */
export function relu6(x: Tensor, options: InplaceOptions = {}): Tensor {
  return clip('relu6', x, 0, 6, options.inplace);
}

/**
 * `x` where positive, else `negativeSlope * x` (`F.leaky_relu`); the gradient at 0 is the slope.
 *
 * @example
 * ```ts
 * leakyRelu(tensor([-2, 3])).tolist();      // [-0.02, 3]
 * leakyRelu(tensor([-2, 3]), 0.2).tolist(); // [-0.4, 3]
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01, options: InplaceOptions = {}): Tensor {
  checkFloat('leakyRelu', x);
  const a = checkNumber('leakyRelu', 'negativeSlope', negativeSlope);
  return maybeInplace('leakyRelu', x, options.inplace, () =>
    pointwise(
      'leaky_relu',
      x,
      (h) => tf.leakyRelu(h, a),
      // step(x, a) is 1 where x > 0, else a: the derivative in one kernel.
      (g, s) => mul(g, mask(s, (h) => tf.step(h, a))),
    ),
  );
}

/**
 * `x` where positive, else `weight * x`, with one learned slope per channel (dimension 1) or one
 * shared slope (`F.prelu`). `weight` is 1-D with 1 or `input.shape[1]` elements.
 *
 * @example
 * ```ts
 * prelu(tensor([[-1, 2], [-3, 4]]), tensor([0.1, 0.5])).tolist(); // [[-0.1, 2], [-1.5, 4]]
 * ```
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkFloat('prelu', x);
  checkFloat('prelu', weight, 'weight');
  if (weight.ndim > 1) throw new ShapeError(`prelu(): weight must be 0-D or 1-D (got shape [${weight.shape.join(', ')}])`);
  const channels = x.ndim >= 2 ? x.shape[1]! : 1;
  const n = weight.numel();
  if (n !== 1 && n !== channels) {
    throw new ShapeError(`prelu(): weight.numel() (${n}) must be 1 or the number of channels, input.shape[1] (${channels})`);
  }
  return scope(() => {
    const w = n === 1 ? reshape(weight, []) : reshape(weight, [n, ...new Array<number>(x.ndim - 2).fill(1)]);
    return where(gt(x, 0), x, mul(w, x));
  });
}

/** `scale * (x > 0 ? x : alpha * (exp(x) - 1))`, the ELU family, with PyTorch's gradient (alpha * scale at 0). */
function eluFamily(name: string, x: Tensor, alpha: number, scale: number, inplace: boolean | undefined): Tensor {
  return maybeInplace(name, x, inplace, () =>
    pointwise(
      name,
      x,
      (h) => tf.where(tf.greater(h, 0), scale === 1 ? h : tf.mul(h, scale), tf.mul(tf.expm1(h), alpha * scale)),
      (g, s) => {
        // exp of the input where negative and of 0 elsewhere: no inf in the unused branch (so no
        // 0 * inf in double backward), and PyTorch's second derivative of 0 at x = 0.
        return mul(g, where(gt(s, 0), scale, mul(un.exp(where(lt(s, 0), s, 0)), alpha * scale)));
      },
    ),
  );
}

/**
 * `x` where positive, else `alpha * (exp(x) - 1)` (`F.elu`).
 *
 * @example
 * ```ts
 * elu(tensor([-1, 2])).tolist(); // [-0.6321, 2]
 * ```
 */
export function elu(x: Tensor, alpha = 1, options: InplaceOptions = {}): Tensor {
  checkFloat('elu', x);
  return eluFamily('elu', x, checkNumber('elu', 'alpha', alpha), 1, options.inplace);
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Self-normalising ELU: `scale * elu(x, alpha)` with PyTorch's constants (`F.selu`).
 *
 * @example
 * ```ts
 * selu(tensor([1])).item(); // 1.0507
 * ```
 */
export function selu(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkFloat('selu', x);
  return eluFamily('selu', x, SELU_ALPHA, SELU_SCALE, options.inplace);
}

const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_KAPPA = 0.044715;

/** The standard normal density, with Flint ops. */
function normalPdf(x: Tensor): Tensor {
  return mul(un.exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
}

/** `Phi(x) + x * phi(x)`, the derivative of exact GELU, as a primitive whose own backward is `phi(x) (2 - x^2)`. */
function geluDerivative(x: Tensor): Tensor {
  const h = x._handle;
  return apply({
    name: 'gelu_backward',
    nodeName: 'GeluBackwardBackward0',
    inputs: [x],
    forward: () => {
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(h, Math.SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(h), -0.5)), INV_SQRT_2PI);
      return tf.add(cdf, tf.mul(h, pdf));
    },
    save: [x],
    backward: (g, [s]) => [mul(g, mul(normalPdf(s!), sub(2, mul(s!, s!))))],
  });
}

/** The derivative of tanh-approximated GELU, with Flint ops. */
function geluTanhDerivative(x: Tensor): Tensor {
  const x2 = mul(x, x);
  const t = un.tanh(mul(x, add(mul(x2, GELU_KAPPA * SQRT_2_OVER_PI), SQRT_2_OVER_PI)));
  const left = mul(add(t, 1), 0.5);
  const right = mul(mul(mul(x, 0.5), sub(1, mul(t, t))), mul(add(mul(x2, 3 * GELU_KAPPA), 1), SQRT_2_OVER_PI));
  return add(left, right);
}

/** Options of {@link gelu}. @example `gelu(x, { approximate: 'tanh' })` */
export interface GeluOptions {
  /** `'none'` (default): `x * Phi(x)` with the exact normal CDF; `'tanh'`: the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * Gaussian error linear unit `x * Phi(x)` (`F.gelu`), or its tanh approximation.
 *
 * @example
 * ```ts
 * gelu(tensor([1])).item();                           // 0.8413
 * gelu(tensor([1]), { approximate: 'tanh' }).item();  // 0.8412
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkFloat('gelu', x);
  const approximate = options.approximate ?? 'none';
  if (approximate === 'none') {
    return pointwise('gelu', x, (h) => tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.mul(h, Math.SQRT1_2)), 1)), (g, s) => mul(g, geluDerivative(s)));
  }
  if (approximate === 'tanh') {
    return pointwise(
      'gelu',
      x,
      (h) => tf.mul(tf.mul(h, 0.5), tf.add(tf.tanh(tf.mul(h, tf.add(tf.mul(tf.square(h), GELU_KAPPA * SQRT_2_OVER_PI), SQRT_2_OVER_PI))), 1)),
      (g, s) => mul(g, geluTanhDerivative(s)),
    );
  }
  throw new ArgumentError(`gelu(): approximate must be 'none' or 'tanh' (got ${describe(approximate)})`);
}

/**
 * `x * sigmoid(x)`, also called swish (`F.silu`).
 *
 * @example
 * ```ts
 * silu(tensor([1])).item(); // 0.7311
 * ```
 */
export function silu(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkFloat('silu', x);
  return maybeInplace('silu', x, options.inplace, () =>
    pointwise(
      'silu',
      x,
      (h) => tf.mul(h, tf.sigmoid(h)),
      (g, s) => {
        const sg = un.sigmoid(s);
        return mul(g, mul(sg, add(mul(s, sub(1, sg)), 1)));
      },
    ),
  );
}

/**
 * `x * tanh(softplus(x))` (`F.mish`).
 *
 * @example
 * ```ts
 * mish(tensor([1])).item(); // 0.8651
 * ```
 */
export function mish(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkFloat('mish', x);
  return maybeInplace('mish', x, options.inplace, () =>
    pointwise(
      'mish',
      x,
      (h) => tf.mul(h, tf.tanh(softplusKernel(h, 1, 20))),
      (g, s) => {
        const t = un.tanh(softplus(s));
        return mul(g, add(t, mul(mul(s, un.sigmoid(s)), sub(1, mul(t, t)))));
      },
    ),
  );
}

/**
 * The logistic function `1 / (1 + exp(-x))` (`F.sigmoid`, `torch.sigmoid`).
 *
 * @example
 * ```ts
 * sigmoid(tensor([0])).item(); // 0.5
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return un.sigmoid(x);
}

/**
 * Hyperbolic tangent (`F.tanh`, `torch.tanh`).
 *
 * @example
 * ```ts
 * tanh(tensor([0])).item(); // 0
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return un.tanh(x);
}

/**
 * `x * relu6(x + 3) / 6` (`F.hardswish`); the gradient is PyTorch's: 0 below -3, `x / 3 + 0.5`
 * on [-3, 3], 1 above.
 *
 * @example
 * ```ts
 * hardswish(tensor([-4, 1, 4])).tolist(); // [0, 0.6667, 4]
 * ```
 */
export function hardswish(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkFloat('hardswish', x);
  return maybeInplace('hardswish', x, options.inplace, () =>
    pointwise(
      'hardswish',
      x,
      (h) => tf.mul(h, tf.div(tf.clipByValue(tf.add(h, 3), 0, 6), 6)),
      (g, s) => mul(g, where(lt(s, -3), 0, where(le(s, 3), add(div(s, 3), 0.5), 1))),
    ),
  );
}

/**
 * `relu6(x + 3) / 6` (`F.hardsigmoid`); the gradient is 1/6 strictly inside (-3, 3), else 0.
 *
 * @example
 * ```ts
 * hardsigmoid(tensor([-4, 0, 4])).tolist(); // [0, 0.5, 1]
 * ```
 */
export function hardsigmoid(x: Tensor, options: InplaceOptions = {}): Tensor {
  checkFloat('hardsigmoid', x);
  return maybeInplace('hardsigmoid', x, options.inplace, () =>
    pointwise(
      'hardsigmoid',
      x,
      (h) => tf.div(tf.clipByValue(tf.add(h, 3), 0, 6), 6),
      (g, s) => mul(g, mask(s, (h) => tf.mul(tf.cast(tf.logicalAnd(tf.greater(h, -3), tf.less(h, 3)), 'float32'), 1 / 6))),
    ),
  );
}

/** Softplus on a handle, stably: `(max(bx, 0) + log1p(exp(-|bx|))) / beta`, and `x` past the threshold. */
function softplusKernel(h: Handle, beta: number, threshold: number): Handle {
  const bx = beta === 1 ? h : tf.mul(h, beta);
  const soft = tf.add(tf.relu(bx), tf.log1p(tf.exp(tf.neg(tf.abs(bx)))));
  return tf.where(tf.greater(bx, threshold), h, beta === 1 ? soft : tf.div(soft, beta));
}

/** Options of {@link softplus}. @example `softplus(x, { beta: 2, threshold: 10 })` */
export interface SoftplusOptions {
  /** The sharpness (default 1). */
  beta?: number;
  /** Above `beta * x > threshold` the function is `x` (default 20). */
  threshold?: number;
}

/**
 * `log(1 + exp(beta * x)) / beta`, reverting to `x` where `beta * x > threshold` (`F.softplus`).
 *
 * @example
 * ```ts
 * softplus(tensor([0])).item();                  // 0.6931
 * softplus(tensor([1]), { beta: 2 }).item();     // 1.0635
 * ```
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkFloat('softplus', x);
  const beta = checkNumber('softplus', 'beta', options.beta ?? 1);
  const threshold = checkNumber('softplus', 'threshold', options.threshold ?? 20);
  return pointwise(
    'softplus',
    x,
    (h) => softplusKernel(h, beta, threshold),
    (g, s) => {
      const bx = beta === 1 ? s : mul(s, beta);
      return mul(g, where(gt(bx, threshold), 1, un.sigmoid(bx)));
    },
  );
}

/**
 * `x / (1 + |x|)` (`F.softsign`).
 *
 * @example
 * ```ts
 * softsign(tensor([-3, 1])).tolist(); // [-0.75, 0.5]
 * ```
 */
export function softsign(x: Tensor): Tensor {
  checkFloat('softsign', x);
  return scope(() => div(x, add(un.abs(x), 1)));
}

export { logSoftmax, softmax } from './softmax.js';
