/**
 * `nn.init`: in-place initialisers with PyTorch's formulas, drawing from Flint's generators.
 * Each returns the tensor it filled. They run without recording the graph, so parameters can be
 * initialised while they require grad.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { fromTypedArray } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';

/** Options of the random initialisers. */
export interface InitOptions {
  /** The generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** The nonlinearities {@link calculateGain} knows. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

function fill(fn: string, t: Tensor, values: Float32Array): Tensor {
  if (t.dtype !== 'float32') throw new ArgumentError(`${fn}(): tensor must be float32 (got dtype ${t.dtype})`);
  noGrad(() => t._assign(fn, fromTypedArray(values, t.shape, 'float32')));
  return t;
}

/**
 * The recommended gain for a nonlinearity (`nn.init.calculate_gain`).
 *
 * @example
 * ```ts
 * calculateGain('relu'); // Math.SQRT2
 * calculateGain('leaky_relu', 0.2);
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new ArgumentError(`calculateGain(): negative slope ${describe(slope)} is not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(`calculateGain(): unsupported nonlinearity ${describe(nonlinearity)}`);
  }
}

/** `[fanIn, fanOut]` of a weight shaped `[out, in, ...kernel]` (PyTorch's rule). @internal */
export function fans(fn: string, t: Tensor): [number, number] {
  const s = t.shape;
  if (s.length < 2) {
    throw new ShapeError(`${fn}(): fan in and fan out can't be computed for a tensor with fewer than 2 dimensions (got shape [${s.join(', ')}])`);
  }
  const receptive = s.slice(2).reduce((a, b) => a * b, 1);
  return [s[1]! * receptive, s[0]! * receptive];
}

/** Fills with U(a, b) (`nn.init.uniform_`). @example `uniform_(w, -0.1, 0.1)` */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  const u = (options.generator ?? defaultGenerator).uniform(t.numel());
  for (let i = 0; i < u.length; i++) u[i] = a + (b - a) * u[i]!;
  return fill('uniform_', t, u);
}

/** Fills with N(mean, std^2) (`nn.init.normal_`). @example `normal_(w, 0, 0.02)` */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  const n = (options.generator ?? defaultGenerator).normal(t.numel());
  for (let i = 0; i < n.length; i++) n[i] = mean + std * n[i]!;
  return fill('normal_', t, n);
}

/** Fills with `value` (`nn.init.constant_`). @example `constant_(bias, 0.1)` */
export function constant_(t: Tensor, value: number): Tensor {
  return fill('constant_', t, new Float32Array(t.numel()).fill(value));
}
/** Fills with zeros (`nn.init.zeros_`). @example `zeros_(bias)` */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
/** Fills with ones (`nn.init.ones_`). @example `ones_(norm.weight)` */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills a 2-D tensor with the identity (`nn.init.eye_`). @example `eye_(w)` */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new ShapeError(`eye_(): only 2-D tensors are supported (got shape [${t.shape.join(', ')}])`);
  const [r, c] = t.shape as [number, number];
  const v = new Float32Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) v[i * c + i] = 1;
  return fill('eye_', t, v);
}

/** Xavier/Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fanIn + fanOut)) (`nn.init.xavier_uniform_`). @example `xavierUniform_(w)` */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = fans('xavierUniform_', t);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(t, -a, a, options);
}
/** Xavier/Glorot normal: N(0, gain^2 * 2 / (fanIn + fanOut)) (`nn.init.xavier_normal_`). @example `xavierNormal_(w)` */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = fans('xavierNormal_', t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of the Kaiming initialisers. */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the rectifier after this layer (for leaky_relu; default 0). */
  a?: number;
  /** Preserve the variance in the forward (`'fan_in'`, default) or backward (`'fan_out'`) pass. */
  mode?: 'fan_in' | 'fan_out';
  /** The nonlinearity after this layer (default `'leaky_relu'`). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(fn: string, t: Tensor, o: KaimingOptions): number {
  const mode = o.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new ArgumentError(`${fn}(): mode must be 'fan_in' or 'fan_out' (got ${describe(mode)})`);
  const [fanIn, fanOut] = fans(fn, t);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(-b, b), b = gain * sqrt(3 / fan) (`nn.init.kaiming_uniform_`).
 * `nn.Linear` and `nn.Conv2d` use it with `a: Math.sqrt(5)`.
 *
 * @example
 * ```ts
 * kaimingUniform_(w, { a: Math.sqrt(5) });
 * ```
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -bound, bound, options);
}
/** He/Kaiming normal: N(0, gain^2 / fan) (`nn.init.kaiming_normal_`). @example `kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' })` */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options), options);
}

/** Inverse error function (Giles' approximation refined by two Newton steps). */
function erfinv(y: number): number {
  if (y <= -1) return -Infinity;
  if (y >= 1) return Infinity;
  const w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    const v = w - 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * v;
    x = p * y;
  } else {
    const v = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * v;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/** Error function (Abramowitz-Stegun 7.1.26 is too coarse; use a series / continued fraction). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

/**
 * Normal values redrawn within [a, b] (`nn.init.trunc_normal_`), by PyTorch's inverse-CDF method.
 *
 * @example
 * ```ts
 * truncNormal_(w, 0, 0.02); // ViT-style
 * ```
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, options: InitOptions = {}): Tensor {
  const cdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const l = cdf((a - mean) / std);
  const u = cdf((b - mean) / std);
  const r = (options.generator ?? defaultGenerator).uniform(t.numel());
  for (let i = 0; i < r.length; i++) {
    const p = 2 * l - 1 + (2 * u - 2 * l) * r[i]!;
    r[i] = Math.min(b, Math.max(a, erfinv(p) * std * Math.SQRT2 + mean));
  }
  return fill('truncNormal_', t, r);
}

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a normal one, scaled by `gain`
 * (`nn.init.orthogonal_`). Dimensions past the first are flattened.
 *
 * @example
 * ```ts
 * orthogonal_(rnn.weightHh_l0);
 * ```
 */
export function orthogonal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  if (t.ndim < 2) throw new ShapeError(`orthogonal_(): only tensors with 2 or more dimensions are supported (got shape [${t.shape.join(', ')}])`);
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const flat = (options.generator ?? defaultGenerator).normal(rows * cols);
  // Work on the tall orientation m x n (m >= n), as PyTorch transposes when rows < cols.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const A: Float64Array[] = Array.from({ length: n }, (_, j) => {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = tall ? flat[i * cols + j]! : flat[j * cols + i]!;
    return col;
  });
  // Modified Gram-Schmidt gives Q with R's diagonal positive, the same Q as QR with d = sign(diag(R)).
  for (let j = 0; j < n; j++) {
    const v = A[j]!;
    for (let k = 0; k < j; k++) {
      const q = A[k]!;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i]! * v[i]!;
      for (let i = 0; i < m; i++) v[i]! -= dot * q[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i]! /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      if (tall) out[i * cols + j] = gain * A[j]![i]!;
      else out[j * cols + i] = gain * A[j]![i]!;
    }
  }
  return fill('orthogonal_', t, out);
}
