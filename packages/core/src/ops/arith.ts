/**
 * Elementwise arithmetic with PyTorch broadcasting and type promotion: add, sub, mul, div, pow,
 * neg, maximum, minimum, clamp, where, and the constant fills.
 * @module
 */
import { apply, wrap } from '../autograd/function.js';
import { ArgumentError, DTypeError, describe } from '../errors.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { log } from './unary.js';
import { broadcastHandle, broadcastShapes, checkTensor, operands } from './util.js';

function binaryShape(fn: string, a: Tensor, b: Tensor): number[] {
  return broadcastShapes(fn, a.shape, b.shape);
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
  if (alpha !== 1) b = mul(b, alpha);
  const { ts: [x, y], temps } = operands('add', [a, b]);
  binaryShape('add', x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'add',
    inputs: [x!, y!],
    temps,
    forward: () => tf.add(hx, hy),
    backward: (g) => [g, g],
  });
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
  if (alpha !== 1) b = mul(b, alpha);
  const { ts: [x, y], temps, dtype } = operands('sub', [a, b]);
  if (dtype === 'bool') throw new DTypeError('sub(): subtracting bool tensors is not supported; use logicalXor() or cast to int32');
  binaryShape('sub', x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'sub',
    inputs: [x!, y!],
    temps,
    forward: () => tf.sub(hx, hy),
    backward: (g, _s, needs) => [g, needs[1] ? neg(g) : null],
  });
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
  const { ts: [x, y], temps } = operands('mul', [a, b]);
  binaryShape('mul', x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'mul',
    inputs: [x!, y!],
    temps,
    forward: () => tf.mul(hx, hy),
    save: [x!, y!],
    backward: (g, [x, y], needs) => [needs[0] ? mul(g, y!) : null, needs[1] ? mul(g, x!) : null],
  });
}

/**
 * Elementwise division, broadcasting (`torch.div`). Integer inputs give a float result, as in
 * PyTorch; `roundingMode: 'trunc' | 'floor'` rounds the quotient and keeps the input dtype.
 *
 * @example
 * ```ts
 * div(tensor([7], { dtype: 'int32' }), 2).tolist();                          // [3.5]
 * div(tensor([-7], { dtype: 'int32' }), 2, { roundingMode: 'floor' }).tolist(); // [-4]
 * ```
 */
export function div(a: TensorLike, b: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): Tensor {
  const mode = options?.roundingMode;
  if (mode !== undefined && mode !== 'trunc' && mode !== 'floor') {
    throw new ArgumentError(`div(): roundingMode must be 'trunc' or 'floor' (got ${describe(mode)})`);
  }
  if (mode !== undefined) {
    const { ts: [x, y], temps, dtype } = operands('div', [a, b]);
    binaryShape('div', x!, y!);
    const hx = x!._handle;
    const hy = y!._handle;
    const out = apply({
      name: 'div',
      inputs: [x!, y!],
      forward: () => {
        const q = tf.div(tf.cast(hx, 'float32'), tf.cast(hy, 'float32'));
        const r = mode === 'floor' ? tf.floor(q) : tf.mul(tf.sign(q), tf.floor(tf.abs(q)));
        return dtype === 'float32' ? r : tf.cast(r, dtype);
      },
    });
    for (const t of temps) t.dispose();
    return out;
  }
  const { ts: [x, y], temps } = operands('div', [a, b], 'float32');
  binaryShape('div', x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'div',
    inputs: [x!, y!],
    temps,
    forward: () => tf.div(hx, hy),
    save: [x!, y!],
    backward: (g, [x, y], needs) => [
      needs[0] ? div(g, y!) : null,
      needs[1] ? neg(div(mul(g, x!), mul(y!, y!))) : null,
    ],
  });
}

/**
 * Elementwise power, broadcasting (`torch.pow`).
 *
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2).tolist(); // [4, 9]
 * ```
 */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  const { ts: [x, y], temps } = operands('pow', [base, exponent]);
  binaryShape('pow', x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  const scalarExp = typeof exponent === 'number' ? exponent : null;
  return apply({
    name: 'pow',
    inputs: [x!, y!],
    temps,
    forward: () => tf.pow(hx, hy),
    save: (out) => [x!, y!, out],
    backward: (g, [x, y, out], needs) => {
      let gx: Tensor | null = null;
      if (needs[0]) {
        if (scalarExp === 0) gx = mul(g, 0);
        else if (scalarExp === 1) gx = g;
        else if (scalarExp === 2) gx = mul(g, mul(x!, 2));
        else gx = mul(g, mul(y!, pow(x!, sub(y!, 1))));
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
  const h = x._handle;
  return wrap(tf.equal(h, tf.zerosLike(h)));
}
function logicalAndHandle(mask: Tensor, y: Tensor): Tensor {
  const hm = mask._handle;
  const hy = y._handle;
  return wrap(tf.tidy(() => tf.logicalAnd(hm, tf.greaterEqual(hy, 0))));
}
/**
 * `-x` (`torch.neg`).
 *
 * @example
 * ```ts
 * neg(tensor([1, -2])).tolist(); // [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  checkTensor('neg', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('neg(): negating a bool tensor is not supported; use logicalNot()');
  const h = x._handle;
  return apply({ name: 'neg', inputs: [x], forward: () => tf.neg(h), backward: (g) => [neg(g)] });
}

/** Gradient split of maximum/minimum: 1 where `a` wins, 0.5 on ties, as PyTorch does. */
function winnerMask(a: Tensor, b: Tensor, greater: boolean): [Tensor, Tensor] {
  const ha = a._handle;
  const hb = b._handle;
  const shape = broadcastShapes('maximum', a.shape, b.shape);
  const ma = wrap(
    tf.tidy(() => {
      const win = greater ? tf.greater(ha, hb) : tf.less(ha, hb);
      const tie = tf.equal(ha, hb);
      return broadcastHandle(tf.add(tf.cast(win, 'float32'), tf.mul(tf.cast(tie, 'float32'), 0.5)), shape);
    }),
  );
  const mb = wrap(tf.tidy(() => tf.sub(1, ma._handle)));
  return [ma, mb];
}

function extremum(name: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const { ts: [x, y], temps } = operands(name, [a, b]);
  binaryShape(name, x!, y!);
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name,
    inputs: [x!, y!],
    temps,
    forward: () => (name === 'maximum' ? tf.maximum(hx, hy) : tf.minimum(hx, hy)),
    save: [x!, y!],
    backward: (g, [x, y], needs) => {
      const [ma, mb] = winnerMask(x!, y!, name === 'maximum');
      return [needs[0] ? mul(g, ma) : null, needs[1] ? mul(g, mb) : null];
    },
  });
}

/**
 * Elementwise maximum (`torch.maximum`); on ties the gradient is split evenly.
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
 * Elementwise minimum (`torch.minimum`); on ties the gradient is split evenly.
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
 * (`torch.where`).
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
    throw new DTypeError(`where(): condition must be a bool tensor (got dtype ${condition.dtype}); compare first, e.g. x.gt(0)`);
  }
  const { ts: [x, y], temps } = operands('where', [a, b]);
  const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, x!.shape), y!.shape);
  const hc = condition._handle;
  const hx = x!._handle;
  const hy = y!._handle;
  return apply({
    name: 'where',
    inputs: [x!, y!],
    temps,
    forward: () => tf.where(broadcastHandle(hc, shape), broadcastHandle(hx, shape), broadcastHandle(hy, shape)),
    save: [condition],
    backward: (g, [c], needs) => [
      needs[0] ? where(c!, g, 0) : null,
      needs[1] ? where(c!, 0, g) : null,
    ],
  });
}

/**
 * Limits every element to `[min, max]` (`torch.clamp`); either bound may be omitted or `null`,
 * and bounds may be tensors that broadcast. The gradient passes where `min <= x <= max`.
 *
 * @example
 * ```ts
 * clamp(tensor([-2, 0.5, 3]), 0, 1).tolist(); // [0, 0.5, 1]
 * ```
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  checkTensor('clamp', 'input', x);
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new ArgumentError('clamp(): at least one of min and max must be given');
  }
  const lo = min ?? null;
  const hi = max ?? null;
  const low = lo === null ? x : clampSide(x, lo, true);
  return hi === null ? low : clampSide(low, hi, false);
}

/** One side of clamp: gradient to x where x is inside the bound (inclusive), to the bound elsewhere. */
function clampSide(x: Tensor, bound: TensorLike, lower: boolean): Tensor {
  const { ts: [a, b], temps } = operands('clamp', [x, bound]);
  broadcastShapes('clamp', a!.shape, b!.shape);
  const ha = a!._handle;
  const hb = b!._handle;
  return apply({
    name: 'clamp',
    inputs: [a!, b!],
    temps,
    forward: () => (lower ? tf.maximum(ha, hb) : tf.minimum(ha, hb)),
    save: [a!, b!],
    backward: (g, [a, b], needs) => {
      const ha2 = a!._handle;
      const hb2 = b!._handle;
      const inside = wrap(tf.tidy(() => (lower ? tf.greaterEqual(ha2, hb2) : tf.lessEqual(ha2, hb2))));
      return [needs[0] ? where(inside, g, 0) : null, needs[1] ? where(inside, 0, g) : null];
    },
  });
}

/**
 * A tensor of `x`'s shape filled with `value` (`torch.full_like`). The dtype follows `x` unless given.
 *
 * @example
 * ```ts
 * fullLike(zeros([2]), 7).tolist(); // [7, 7]
 * ```
 */
export function fullLike(x: Tensor, value: number | boolean, options?: { dtype?: DType }): Tensor {
  checkTensor('fullLike', 'input', x);
  const dtype = options?.dtype ?? x.dtype;
  return wrap(tf.fill(x.shape, typeof value === 'boolean' ? Number(value) : value, dtype));
}

/**
 * A tensor of ones with `x`'s shape and dtype (`torch.ones_like`).
 *
 * @example
 * ```ts
 * onesLike(zeros([2, 2])).sum().item(); // 4
 * ```
 */
export function onesLike(x: Tensor, options?: { dtype?: DType }): Tensor {
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
export function zerosLike(x: Tensor, options?: { dtype?: DType }): Tensor {
  return fullLike(x, 0, options);
}

/** Reads a handle's values as a tensor without recording (for masks in backward). @internal */
export function fromHandle(h: Handle): Tensor {
  return wrap(h);
}
