/**
 * Elementwise arithmetic with PyTorch broadcasting and type promotion: add, sub, mul, div, pow,
 * neg, maximum, minimum, clamp, where, and the constant fills.
 *
 * Type promotion is PyTorch's over bool < int32 < float32: `int32 + int32` is int32,
 * `int32 + float32` is float32, `int32 / int32` is float32 (true division), `bool + int32` is
 * int32, `bool + bool` is bool (logical or). A JS number next to a tensor is a "weak" scalar, as a
 * Python number is: an integer-valued one keeps the tensor's dtype (`int32 * 2` is int32) and a
 * fractional one makes int and bool results float32 (`int32 * 2.5` is float32). JS cannot tell
 * `2` from `2.0`, so `2.0` acts as Python's `2`: write `x.float().mul(2)` for a float result.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, DTypeError, describe } from '../errors.js';
import { active, useDevice } from '../kernels/backend.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor, type Device, type TensorLike } from '../tensor/tensor.js';
import { sameDevice } from './device.js';
import { sumToShape } from './shape.js';
import { log } from './unary.js';
import { broadcastHandle, broadcastShapes, checkTensor, operands, resultType } from './util.js';

/** The broadcast shape of two operands (a JS scalar is 0-d), checked before any temporary is made. */
function binaryShape(fn: string, a: TensorLike, b: TensorLike): number[] {
  return broadcastShapes(fn, a instanceof Tensor ? a.shape : [], b instanceof Tensor ? b.shape : []);
}

/**
 * The tensors a backward needs, kept only where the gradient that reads them will be computed,
 * as PyTorch saves them: after `z = y.mul(2)`, `y.add_(1)` stays legal because only the
 * gradient of the constant would read `y`. `keep[i]` says whether `ts[i]` is saved.
 */
function pick(ts: readonly Tensor[], keep: readonly boolean[]): Tensor[] {
  return ts.filter((_, i) => keep[i]);
}
/** The inverse of {@link pick}: the saved tensors back in their slots, `undefined` where dropped. */
function unpick(saved: readonly Tensor[], keep: readonly boolean[]): (Tensor | undefined)[] {
  let k = 0;
  return keep.map((on) => (on ? saved[k++] : undefined));
}

/** PyTorch refuses a fractional `alpha` when the result is an integer or bool tensor. */
function checkAlpha(fn: string, a: TensorLike, b: TensorLike, alpha: number): void {
  if (typeof alpha !== 'number') throw new ArgumentError(`${fn}(): alpha must be a number (got ${describe(alpha)})`);
  if (Number.isInteger(alpha)) return;
  const dtype = resultType(fn, [a, b]);
  if (dtype !== 'float32') {
    throw new DTypeError(`${fn}(): alpha must be an integer for ${dtype} inputs (got ${alpha}); cast the inputs to float32 first`);
  }
}

/**
 * `a + alpha * b`, broadcasting (`torch.add`).
 *
 * @example
 * ```ts
 * add(tensor([1, 2]), 10).tolist(); // [11, 12]
 * ```
 */
export function add(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  let scaled: Tensor | null = null;
  if (alpha !== 1) {
    checkAlpha('add', a, b, alpha);
    b = scaled = mul(b, alpha);
  }
  binaryShape('add', a, b);
  const { ts: [x, y], temps, dtype } = operands('add', [a, b]);
  const hx = x!._handle;
  const hy = y!._handle;
  const out = apply({
    name: 'add',
    inputs: [x!, y!],
    temps,
    // bool + bool is logical or in PyTorch; the cpu kernel would store 2 in a bool tensor.
    forward: () => (dtype === 'bool' ? tf.logicalOr(hx, hy) : tf.add(hx, hy)),
    backward: (g) => [g, g],
  });
  // The scaled operand is only an input: the graph reaches `b` through its node.
  scaled?.dispose();
  return out;
}

/**
 * `a - alpha * b`, broadcasting (`torch.sub`).
 *
 * @example
 * ```ts
 * sub(tensor([5, 5]), tensor([1, 2])).tolist(); // [4, 3]
 * ```
 */
export function sub(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  let scaled: Tensor | null = null;
  if (alpha !== 1) {
    checkAlpha('sub', a, b, alpha);
    b = scaled = mul(b, alpha);
  }
  binaryShape('sub', a, b);
  const { ts: [x, y], temps, dtype } = operands('sub', [a, b]);
  if (dtype === 'bool') {
    for (const t of temps) t.dispose();
    throw new DTypeError('sub(): subtracting bool tensors is not supported; use logicalXor() or cast to int32');
  }
  const hx = x!._handle;
  const hy = y!._handle;
  const ys = y!.shape;
  const out = apply({
    name: 'sub',
    inputs: [x!, y!],
    temps,
    forward: () => tf.sub(hx, hy),
    // Reduced before it is negated: a broadcast `y` (`x - x.logsumexp(1, keepdim)`) negates the small sum.
    backward: (g, _s, needs) => [g, needs[1] ? neg(sumToShape(g, ys)) : null],
  });
  scaled?.dispose();
  return out;
}

/**
 * Elementwise product, broadcasting (`torch.mul`).
 *
 * @example
 * ```ts
 * mul(tensor([1, 2]), tensor([3, 4])).tolist(); // [3, 8]
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  binaryShape('mul', a, b);
  const { ts: [x, y], temps, dtype } = operands('mul', [a, b]);
  const hx = x!._handle;
  const hy = y!._handle;
  // x is read only by y's gradient and y only by x's.
  const keep = [y!.requiresGrad, x!.requiresGrad];
  return apply({
    name: 'mul',
    inputs: [x!, y!],
    temps,
    forward: () => (dtype === 'bool' ? tf.logicalAnd(hx, hy) : tf.mul(hx, hy)), // bool * bool is logical and
    save: pick([x!, y!], keep),
    backward: (g, saved, needs) => {
      const [x, y] = unpick(saved, keep);
      return [needs[0] ? mul(g, y!) : null, needs[1] ? mul(g, x!) : null];
    },
  });
}

/**
 * Elementwise division, broadcasting (`torch.div`). Integer inputs give a float result, as in
 * PyTorch; `roundingMode: 'trunc' | 'floor'` rounds the quotient and keeps the input dtype
 * (its gradient is zero, as in PyTorch). Float floor division follows PyTorch's `fmod`-based
 * rule, so `div(5, 0.1, { roundingMode: 'floor' })` is 49 as in PyTorch, not 50. Integer
 * rounding division by zero is not detected (PyTorch raises `ZeroDivisionError`).
 *
 * @example
 * ```ts
 * div(tensor([7], { dtype: 'int32' }), 2).tolist();                          // [3.5]
 * div(tensor([-7], { dtype: 'int32' }), 2, { roundingMode: 'floor' }).tolist(); // [-4]
 * div(tensor([-7.5]), 2, { roundingMode: 'trunc' }).tolist();                 // [-3]
 * ```
 */
export function div(a: TensorLike, b: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): Tensor {
  const mode = options?.roundingMode;
  if (mode !== undefined && mode !== 'trunc' && mode !== 'floor') {
    throw new ArgumentError(`div(): roundingMode must be 'trunc' or 'floor' (got ${describe(mode)})`);
  }
  binaryShape('div', a, b);
  if (mode !== undefined) {
    const { ts: [x, y], temps, dtype } = operands('div', [a, b]);
    if (dtype === 'bool') {
      for (const t of temps) t.dispose();
      throw new DTypeError(`div(): roundingMode '${mode}' is not defined for bool tensors; cast them to int32 first`);
    }
    const hx = x!._handle;
    const hy = y!._handle;
    return apply({
      name: 'div',
      inputs: [x!, y!],
      temps,
      forward: () => (dtype === 'int32' ? intDivision(hx, hy, mode) : floatDivision(hx, hy, mode)),
      backward: (g, _s, needs) => [needs[0] ? mul(g, 0) : null, needs[1] ? mul(g, 0) : null],
    });
  }
  const { ts: [x, y], temps } = operands('div', [a, b], 'float32');
  const hx = x!._handle;
  const hy = y!._handle;
  // x's gradient reads y; y's gradient reads x and y.
  const keep = [y!.requiresGrad, true];
  return apply({
    name: 'div',
    inputs: [x!, y!],
    temps,
    forward: () => tf.div(hx, hy),
    save: pick([x!, y!], keep),
    backward: (g, saved, needs) => {
      const [x, y] = unpick(saved, keep);
      return [needs[0] ? div(g, y!) : null, needs[1] ? neg(div(div(mul(g, x!), y!), y!)) : null];
    },
  });
}

/** Rounded integer division in integer arithmetic (exact wherever the backend's FloorDiv is). */
function intDivision(hx: Handle, hy: Handle, mode: 'trunc' | 'floor'): Handle {
  const q = tf.floorDiv(hx, hy);
  if (mode === 'floor') return q;
  // Truncation is one more than the floor where the division is inexact and the signs differ.
  const inexact = tf.notEqual(tf.mul(q, hy), hx);
  const signsDiffer = tf.notEqual(tf.less(hx, 0), tf.less(hy, 0));
  return tf.add(q, tf.cast(tf.logicalAnd(inexact, signsDiffer), 'int32'));
}

/** Rounded float division, step for step as PyTorch's `div_trunc` and `div_floor_floating`. */
function floatDivision(hx: Handle, hy: Handle, mode: 'trunc' | 'floor'): Handle {
  const q = tf.div(hx, hy);
  if (mode === 'trunc') return tf.mul(tf.sign(q), tf.floor(tf.abs(q)));
  const zero = tf.scalar(0);
  const mod = tf.mul(tf.sign(hx), tf.mod(tf.abs(hx), tf.abs(hy))); // fmod(x, y): the sign of x
  let d = tf.div(tf.sub(hx, mod), hy);
  const adjust = tf.logicalAnd(tf.notEqual(mod, zero), tf.notEqual(tf.less(hy, zero), tf.less(mod, zero)));
  d = tf.where(adjust, tf.sub(d, 1), d);
  let f = tf.floor(d);
  f = tf.where(tf.greater(tf.sub(d, f), 0.5), tf.add(f, 1), f);
  f = tf.where(tf.equal(d, zero), tf.mul(tf.sign(q), zero), f); // a signed zero, as copysign(0, x / y)
  return tf.where(tf.equal(hy, zero), q, f); // x / 0 stays inf or nan
}

/**
 * Elementwise power, broadcasting (`torch.pow`). An int32 base with a negative integer JS
 * exponent is refused, as in PyTorch.
 *
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2).tolist(); // [4, 9]
 * pow(2, tensor([0, 0.5])).tolist(); // [1, 1.4142135]
 * ```
 */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  if (typeof exponent === 'number' && Number.isInteger(exponent) && exponent < 0 && base instanceof Tensor && base.dtype !== 'float32') {
    throw new DTypeError(`pow(): integers to negative integer powers are not allowed (got a ${base.dtype} base and exponent ${exponent}); cast the base to float32 first`);
  }
  binaryShape('pow', base, exponent);
  const { ts: [x, y], temps } = operands('pow', [base, exponent]);
  const hx = x!._handle;
  const hy = y!._handle;
  const scalarExp = typeof exponent === 'number' ? exponent : null;
  // Both gradients read x and y; only the exponent's reads the output.
  const needOut = y!.requiresGrad;
  return apply({
    name: 'pow',
    inputs: [x!, y!],
    temps,
    forward: () => tf.pow(hx, hy),
    save: (out) => (needOut ? [x!, y!, out] : [x!, y!]),
    backward: (g, [x, y, out], needs) => {
      let gx: Tensor | null = null;
      if (needs[0]) {
        if (scalarExp === 0) gx = mul(g, 0);
        else if (scalarExp === 1) gx = g;
        else if (scalarExp === 2) gx = mul(g, mul(x!, 2));
        else if (scalarExp !== null) gx = mul(g, mul(pow(x!, scalarExp - 1), scalarExp));
        // PyTorch: zero where the exponent is 0 (not 0 * x^-1, which is nan at x == 0).
        else gx = where(eqZero(y!), 0, mul(g, mul(y!, pow(x!, sub(y!, 1)))));
      }
      let gy: Tensor | null = null;
      if (needs[1]) {
        // d/dy x^y = x^y log(x); PyTorch defines it as 0 where x == 0 and y >= 0.
        const safe = where(eqZero(x!), 1, x!);
        gy = where(logicalAndHandle(eqZero(x!), y!), 0, mul(g, mul(out!, log(safe))));
      }
      return [gx, gy];
    },
  });
}

function eqZero(x: Tensor): Tensor {
  sameDevice('pow', [x]);
  const h = x._handle;
  return wrap(tf.tidy(() => tf.equal(h, tf.zerosLike(h))));
}
function logicalAndHandle(mask: Tensor, y: Tensor): Tensor {
  sameDevice('pow', [mask, y]);
  const hm = mask._handle;
  const hy = y._handle;
  return wrap(tf.tidy(() => tf.logicalAnd(hm, tf.greaterEqual(hy, 0))));
}
/**
 * `-x` (`torch.neg`). Bool tensors are refused, as in PyTorch; use `logicalNot()`.
 *
 * @example
 * ```ts
 * neg(tensor([1, -2])).tolist(); // [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  checkTensor('neg', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('neg(): negating a bool tensor is not supported; use logicalNot() to invert a mask');
  const h = x._handle;
  return apply({ name: 'neg', inputs: [x], forward: () => tf.neg(h), backward: (g) => [neg(g)] });
}

/**
 * Gradient split of maximum/minimum, as PyTorch 1.13: all of it to the winner, half each on a
 * tie, and all of it to both where the comparison is undecided (NaN).
 */
function winnerMasks(name: string, a: Tensor, b: Tensor, greater: boolean): [Tensor, Tensor] {
  sameDevice(name, [a, b]);
  const ha = a._handle;
  const hb = b._handle;
  const shape = broadcastShapes(name, a.shape, b.shape);
  const [ma, mb] = tf.tidy(() => {
    const tie = tf.equal(ha, hb);
    const aLoses = greater ? tf.less(ha, hb) : tf.greater(ha, hb);
    const bLoses = greater ? tf.greater(ha, hb) : tf.less(ha, hb);
    const mask = (loses: Handle): Handle => broadcastHandle(tf.where(tie, tf.fill(tie.shape, 0.5), tf.cast(tf.logicalNot(loses), 'float32')), shape);
    return [mask(aLoses), mask(bLoses)];
  });
  return [wrap(ma!), wrap(mb!)];
}

function extremum(name: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  binaryShape(name, a, b);
  const { ts: [x, y], temps, dtype } = operands(name, [a, b]);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name,
    inputs: [x!, y!],
    temps,
    forward: () => {
      const r = name === 'maximum' ? tf.maximum(hx, hy) : tf.minimum(hx, hy);
      if (dtype === 'bool') return tf.cast(r, 'bool'); // the kernels answer int32 for bools
      if (dtype !== 'float32') return r;
      // NaN wins, as in PyTorch; wasm's kernels return the other operand when only y is NaN.
      return tf.where(tf.logicalOr(tf.isNaN(hx), tf.isNaN(hy)), tf.add(hx, hy), r);
    },
    save: [x!, y!],
    backward: (g, [x, y], needs) => {
      const [ma, mb] = winnerMasks(name, x!, y!, name === 'maximum');
      return [needs[0] ? mul(g, ma) : null, needs[1] ? mul(g, mb) : null];
    },
  });
}

/**
 * Elementwise maximum (`torch.maximum`); NaN wins, and on ties the gradient is split evenly.
 *
 * @example
 * ```ts
 * maximum(tensor([1, 5]), tensor([3, 2])).tolist(); // [3, 5]
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('maximum', a, b);
}

/**
 * Elementwise minimum (`torch.minimum`); NaN wins, and on ties the gradient is split evenly.
 *
 * @example
 * ```ts
 * minimum(tensor([1, 5]), tensor([3, 2])).tolist(); // [1, 2]
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('minimum', a, b);
}

/**
 * Picks from `a` where `condition` is true and from `b` elsewhere, broadcasting all three
 * (`torch.where`). `condition` must be a bool tensor, as in PyTorch.
 *
 * @example
 * ```ts
 * const x = tensor([-1, 2]);
 * where(x.gt(0), x, 0).tolist(); // [0, 2]
 * ```
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', 'condition', condition);
  if (condition.dtype !== 'bool') {
    throw new DTypeError(`where(): condition must be a bool tensor (got dtype ${condition.dtype}); compare first, e.g. x.gt(0), or use x.bool()`);
  }
  const shape = broadcastShapes('where', binaryShape('where', condition, a), b instanceof Tensor ? b.shape : []);
  // The condition does not reach apply(): check it with the operands here.
  sameDevice('where', a instanceof Tensor ? (b instanceof Tensor ? [condition, a, b] : [condition, a]) : b instanceof Tensor ? [condition, b] : [condition]);
  const { ts: [x, y], temps, dtype } = operands('where', [a, b]);
  const hc = condition._handle;
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'where',
    inputs: [x!, y!],
    temps,
    forward: () => {
      const c = broadcastHandle(hc, shape);
      // wasm's Select gets bool operands wrong: pick between their int32 forms instead.
      if (dtype === 'bool') return tf.cast(tf.where(c, broadcastHandle(tf.cast(hx, 'int32'), shape), broadcastHandle(tf.cast(hy, 'int32'), shape)), 'bool');
      return tf.where(c, broadcastHandle(hx, shape), broadcastHandle(hy, shape));
    },
    save: [condition],
    backward: (g, [c], needs) => [
      needs[0] ? where(c!, g, 0) : null,
      needs[1] ? where(c!, 0, g) : null,
    ],
  });
}

/**
 * Limits every element to `[min, max]` (`torch.clamp`); either bound may be omitted or `null`,
 * and bounds may be tensors that broadcast. The result dtype promotes over the input and the
 * bounds (`clamp(intTensor, 0.5)` is float32). Where `min > max` every element becomes `max`.
 * Gradients follow PyTorch: `x` gets it where `min <= x <= max`; a tensor `min` where
 * `x < min < max`; a tensor `max` where `x > max` or `max < min`.
 *
 * @example
 * ```ts
 * clamp(tensor([-2, 0.5, 3]), 0, 1).tolist();    // [0, 0.5, 1]
 * clamp(tensor([-2, 0.5, 3]), null, 1).tolist(); // [-2, 0.5, 1]
 * ```
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  checkTensor('clamp', 'input', x);
  const hasMin = min !== undefined && min !== null;
  const hasMax = max !== undefined && max !== null;
  if (!hasMin && !hasMax) throw new ArgumentError('clamp(): at least one of min and max must be given');
  const bounds: TensorLike[] = [];
  if (hasMin) bounds.push(min);
  if (hasMax) bounds.push(max);
  let shape = x.shape;
  for (const b of bounds) shape = broadcastShapes('clamp', shape, b instanceof Tensor ? b.shape : []);
  const { ts, temps, dtype } = operands('clamp', [x, ...bounds]);
  if (dtype === 'bool') {
    for (const t of temps) t.dispose();
    throw new DTypeError('clamp(): not defined for bool tensors with bool bounds; cast to int32 first');
  }
  const a = ts[0]!;
  const lo = hasMin ? ts[1]! : null;
  const hi = hasMax ? ts[ts.length - 1]! : null;
  const ha = a._handle;
  const hlo = lo?._handle;
  const hhi = hi?._handle;
  return apply({
    name: 'clamp',
    inputs: ts,
    temps,
    forward: () => {
      let r = ha;
      if (hlo !== undefined) r = tf.maximum(r, hlo);
      if (hhi !== undefined) r = tf.minimum(r, hhi);
      return broadcastHandle(r, shape);
    },
    save: ts,
    backward: (g, saved, needs) => {
      const hs = saved.map((t) => t._handle);
      const xs = hs[0]!;
      const l = hasMin ? hs[1] : undefined;
      const h = hasMax ? hs[hs.length - 1] : undefined;
      const pass = (mask: () => Handle): Tensor => where(wrap(tf.tidy(mask)), g, 0);
      const grads: (Tensor | null)[] = [];
      const inside = (): Handle => {
        if (l !== undefined && h !== undefined) return tf.logicalAnd(tf.greaterEqual(xs, l), tf.lessEqual(xs, h));
        return l !== undefined ? tf.greaterEqual(xs, l) : tf.lessEqual(xs, h!);
      };
      grads.push(needs[0] ? pass(inside) : null);
      if (l !== undefined) {
        const below = (): Handle => (h !== undefined ? tf.logicalAnd(tf.less(xs, l), tf.less(l, h)) : tf.less(xs, l));
        grads.push(needs[1] ? pass(below) : null);
      }
      if (h !== undefined) {
        const above = (): Handle => (l !== undefined ? tf.logicalOr(tf.greater(xs, h), tf.less(h, l)) : tf.greater(xs, h));
        grads.push(needs[grads.length] ? pass(above) : null);
      }
      return grads;
    },
  });
}

/**
 * A tensor of `x`'s shape filled with `value` (`torch.full_like`). The dtype and the device
 * follow `x` unless given.
 *
 * @example
 * ```ts
 * fullLike(zeros([2]), 7).tolist(); // [7, 7]
 * ```
 */
export function fullLike(x: Tensor, value: number | boolean, options?: { dtype?: DType; device?: Device }): Tensor {
  checkTensor('fullLike', 'input', x);
  const dtype = options?.dtype ?? x.dtype;
  const device = options?.device ?? x._device;
  if (device !== active.device) useDevice(device);
  return new Tensor(tf.fill(x.shape, typeof value === 'boolean' ? Number(value) : value, dtype), device);
}

/**
 * A tensor of ones with `x`'s shape and dtype (`torch.ones_like`).
 *
 * @example
 * ```ts
 * onesLike(zeros([2, 2])).sum().item(); // 4
 * ```
 */
export function onesLike(x: Tensor, options?: { dtype?: DType; device?: Device }): Tensor {
  return fullLike(x, 1, options);
}

/**
 * A tensor of zeros with `x`'s shape and dtype (`torch.zeros_like`).
 *
 * @example
 * ```ts
 * zerosLike(ones([3])).tolist(); // [0, 0, 0]
 * ```
 */
export function zerosLike(x: Tensor, options?: { dtype?: DType; device?: Device }): Tensor {
  return fullLike(x, 0, options);
}
