/**
 * Making tensors: from data (`tensor`), constant fills, ranges, identity, and random draws.
 * @module
 */
import { wrap } from '../autograd/function.js';
import { ArgumentError, DeviceError, DTypeError, ShapeError, describe } from '../errors.js';
import { active, gpuBackendName, gpuDescription, useDevice } from '../kernels/backend.js';
import { tf } from '../kernels/tf.js';
import { fullLike as fullLikeOp } from '../ops/arith.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { checkDType, type DType } from './dtype.js';
import { parseDevice, Tensor, type Device, type DeviceLike, type NestedArray } from './tensor.js';

/** Options every creation function takes. */
export interface TensorOptions {
  /** Element type (default float32, or what the data implies). */
  dtype?: DType;
  /**
   * Where the tensor lives: `'cpu'` (the default) or `'gpu'` (`'cuda'` is accepted). Inside a
   * module's forward the default is the device of the module's input.
   */
  device?: DeviceLike;
  /** Record ops on this tensor for autograd (float32 only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (default: the one {@link manualSeed} seeds). */
  generator?: Generator;
}

/** Data `tensor()` accepts: nested arrays, a number or boolean, or a typed array (1-D). */
export type TensorData = NestedArray | ArrayLike<number> | BigInt64Array;

/** Resolves the device a new tensor goes to and makes its backend the active one. */
function checkDevice(fn: string, device: DeviceLike | undefined): Device {
  const d = device === undefined ? active.ambient : parseDevice(fn, device);
  if (d === 'gpu' && gpuBackendName() === null) {
    throw new DeviceError(`${fn}(): device 'gpu' is not available (gpu.isAvailable() is false): ${gpuDescription()}; use 'cpu'`);
  }
  useDevice(d);
  return d;
}

function checkTensor(fn: string, x: unknown): void {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}(): input must be a Tensor (got ${describe(x)})`);
}

function finish(fn: string, t: Tensor, options: TensorOptions | undefined): Tensor {
  if (options?.requiresGrad) {
    if (t.dtype !== 'float32') {
      t.dispose();
      throw new DTypeError(`${fn}(): only float32 tensors can require gradients (got dtype ${t.dtype})`);
    }
    t.requiresGrad = true;
  }
  return t;
}

function checkShape(fn: string, shape: number | readonly number[]): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${fn}(): size must be an array of integers >= 0 (got ${describe(shape)})`);
  }
  return [...s];
}

function flattenNested(fn: string, data: NestedArray): { values: (number | boolean)[]; shape: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0]!;
  }
  const values: (number | boolean)[] = [];
  const walk = (v: NestedArray, d: number, path: string): void => {
    if (d === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`${fn}(): data is ragged: ${path} is an array, but its siblings hold numbers`);
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ArgumentError(`${fn}(): data must hold numbers or booleans (got ${describe(v)} at ${path})`);
      }
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new ShapeError(
        `${fn}(): data is ragged: expected ${shape[d]} entries at ${path} (like its first sibling) but got ${Array.isArray(v) ? v.length : describe(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i]!, d + 1, `${path}[${i}]`);
  };
  walk(data, 0, 'data');
  return { values, shape };
}

/**
 * A tensor holding a copy of `data` (`torch.tensor`). Nested arrays give their shape; booleans
 * give a bool tensor; JS numbers give float32 (JS does not tell `1` from `1.0`), so pass
 * `{ dtype: 'int32' }` for integers; an Int32Array gives int32. BigInt64Array values (int64
 * labels) become int32 after an overflow check.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const labels = tensor([0, 2, 1], { dtype: 'int32' });
 * ```
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  checkDevice('tensor', options.device);
  const wanted = options.dtype === undefined ? undefined : checkDType('tensor', options.dtype);
  let values: ArrayLike<number> | (number | boolean)[];
  let shape: number[];
  let inferred: DType;
  if (data instanceof Tensor) {
    throw new ArgumentError('tensor(): data is already a Tensor; use x.clone().detach() to copy it');
  }
  if (data instanceof BigInt64Array) {
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v > 2147483647n || v < -2147483648n) {
        throw new DTypeError(`tensor(): data[${i}] = ${v} does not fit in int32, and Flint has no int64`);
      }
      out[i] = Number(v);
    }
    values = out;
    shape = [out.length];
    inferred = 'int32';
  } else if (ArrayBuffer.isView(data)) {
    const ta = data as unknown as ArrayLike<number>;
    values = ta;
    shape = [ta.length];
    inferred = data instanceof Float32Array || data instanceof Float64Array ? 'float32' : 'int32';
  } else if (typeof data === 'number' || typeof data === 'boolean' || Array.isArray(data)) {
    const flat = flattenNested('tensor', data as NestedArray);
    values = flat.values;
    shape = flat.shape;
    inferred = flat.values.length > 0 && flat.values.every((v) => typeof v === 'boolean') ? 'bool' : 'float32';
    if (flat.values.some((v) => typeof v === 'boolean') && inferred !== 'bool') {
      throw new ArgumentError('tensor(): data mixes booleans and numbers; use one kind');
    }
  } else {
    throw new ArgumentError(`tensor(): data must be a number, boolean, nested array or typed array (got ${describe(data)})`);
  }
  const dtype = wanted ?? inferred;
  const nums = Array.isArray(values) ? (values as (number | boolean)[]).map(Number) : values;
  let typed: Float32Array | Int32Array | Uint8Array;
  if (dtype === 'float32') typed = nums instanceof Float32Array ? nums.slice() : Float32Array.from(nums as ArrayLike<number>);
  else if (dtype === 'int32') {
    const src = nums as ArrayLike<number>;
    typed = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = Math.trunc(src[i]!);
      if (v > 2147483647 || v < -2147483648) throw new DTypeError(`tensor(): data[${i}] = ${src[i]} does not fit in int32, and Flint has no int64`);
      typed[i] = v;
    }
  }
  else typed = Uint8Array.from(nums as ArrayLike<number>, (v) => (v !== 0 ? 1 : 0));
  return finish('tensor', wrap(tf.tensor(typed, shape, dtype)), options);
}

/**
 * A tensor made from a flat typed array and a shape, without copying nested arrays, on `device`
 * (default: where tensors made now without a device go). @internal
 */
export function fromTypedArray(values: Float32Array | Int32Array | Uint8Array, shape: readonly number[], dtype: DType, device: Device = active.ambient): Tensor {
  useDevice(device);
  return wrap(tf.tensor(values, shape as number[], dtype));
}

/**
 * A tensor of `shape` filled with `value` (`torch.full`). The dtype follows the value (booleans
 * give bool, numbers float32) unless given.
 *
 * @example
 * ```ts
 * full([2, 2], 7).tolist(); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: number | readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

function filled(fn: string, shape: number | readonly number[], value: number | boolean, options: TensorOptions): Tensor {
  checkDevice(fn, options.device);
  const s = checkShape(fn, shape);
  const dtype = options.dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDType(fn, options.dtype);
  return finish(fn, wrap(tf.fill(s, Number(value), dtype)), options);
}

/** Zeros of `shape` (`torch.zeros`). @example `zeros([2, 3]).shape; // [2, 3]` */
export function zeros(shape: number | readonly number[], options: TensorOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}
/** Ones of `shape` (`torch.ones`). @example `ones([2]).tolist(); // [1, 1]` */
export function ones(shape: number | readonly number[], options: TensorOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}
/** A tensor of `shape` (zero-filled: Flint never exposes uninitialised memory) (`torch.empty`). @example `empty([4]).shape; // [4]` */
export function empty(shape: number | readonly number[], options: TensorOptions = {}): Tensor {
  return filled('empty', shape, 0, options);
}
/** Like {@link full} with `x`'s shape and dtype (`torch.full_like`). @example `fullLike(x, 3)` */
export function fullLike(x: Tensor, value: number | boolean, options: TensorOptions = {}): Tensor {
  checkTensor('fullLike', x);
  const device = checkDevice('fullLike', options.device ?? x.device);
  return finish('fullLike', fullLikeOp(x, value, options.dtype === undefined ? { device } : { dtype: checkDType('fullLike', options.dtype), device }), options);
}
/** Zeros with `x`'s shape and dtype (`torch.zeros_like`). @example `zerosLike(x)` */
export function zerosLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return fullLike(x, 0, options);
}
/** Ones with `x`'s shape and dtype (`torch.ones_like`). @example `onesLike(x)` */
export function onesLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return fullLike(x, 1, options);
}
/** Like {@link empty} with `x`'s shape and dtype (`torch.empty_like`). @example `emptyLike(x)` */
export function emptyLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return fullLike(x, 0, options);
}

function randomFloat(fn: string, shape: number | readonly number[], options: RandomOptions, normal: boolean): Tensor {
  const device = checkDevice(fn, options.device);
  const s = checkShape(fn, shape);
  const dtype = options.dtype === undefined ? 'float32' : checkDType(fn, options.dtype);
  if (dtype !== 'float32') throw new DTypeError(`${fn}(): dtype must be float32 (got ${dtype})`);
  const g = options.generator ?? defaultGenerator;
  const n = s.reduce((a, b) => a * b, 1);
  return finish(fn, fromTypedArray(normal ? g.normal(n) : g.uniform(n), s, 'float32', device), options);
}

/** Uniform random numbers in [0, 1) (`torch.rand`). @example `rand([2, 2], { generator: g })` */
export function rand(shape: number | readonly number[], options: RandomOptions = {}): Tensor {
  return randomFloat('rand', shape, options, false);
}
/** Standard normal random numbers (`torch.randn`). @example `randn([784, 256]).mul(0.01)` */
export function randn(shape: number | readonly number[], options: RandomOptions = {}): Tensor {
  return randomFloat('randn', shape, options, true);
}
/** Like {@link rand} with `x`'s shape (`torch.rand_like`). @example `randLike(x)` */
export function randLike(x: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor('randLike', x);
  return rand(x.shape, { device: x.device, ...options });
}
/** Like {@link randn} with `x`'s shape (`torch.randn_like`). @example `randnLike(x)` */
export function randnLike(x: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor('randnLike', x);
  return randn(x.shape, { device: x.device, ...options });
}

/**
 * Random integers in `[low, high)` (`torch.randint`); int32 unless `dtype` says otherwise.
 *
 * @example
 * ```ts
 * randint(0, 10, [5]);   // five digits
 * randint(10, [5]);      // the same, low defaults to 0
 * ```
 */
export function randint(low: number, high: number | readonly number[], shape?: number | readonly number[] | RandomOptions, options: RandomOptions = {}): Tensor {
  if (Array.isArray(high)) {
    if (shape !== undefined && (typeof shape !== 'object' || Array.isArray(shape))) {
      throw new ArgumentError('randint(): with randint(high, shape), the third argument must be options');
    }
    return randint(0, low, high as readonly number[], (shape as RandomOptions | undefined) ?? {});
  }
  const hi = high as number;
  if (!Number.isInteger(low) || !Number.isInteger(hi) || hi <= low) {
    throw new ArgumentError(`randint(): low and high must be integers with low < high (got ${describe(low)}, ${describe(hi)})`);
  }
  if (shape === undefined || (typeof shape === 'object' && !Array.isArray(shape))) {
    throw new ArgumentError('randint(): size is required, e.g. randint(0, 10, [3])');
  }
  const device = checkDevice('randint', options.device);
  const s = checkShape('randint', shape as number | readonly number[]);
  const dtype = options.dtype === undefined ? 'int32' : checkDType('randint', options.dtype);
  const g = options.generator ?? defaultGenerator;
  const n = s.reduce((a, b) => a * b, 1);
  const u = g.nextUint32(n);
  const range = hi - low;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + Math.floor((u[i]! / 4294967296) * range);
  const t = fromTypedArray(out, s, 'int32', device);
  if (dtype === 'int32') return finish('randint', t, options);
  const c = t.to(dtype);
  t.dispose();
  return finish('randint', c, options);
}

/**
 * A random permutation of `0..n-1` (`torch.randperm`).
 *
 * @example
 * ```ts
 * randperm(5).tolist(); // e.g. [3, 0, 4, 1, 2]
 * ```
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`randperm(): n must be an integer >= 0 (got ${describe(n)})`);
  const device = checkDevice('randperm', options.device);
  const g = options.generator ?? defaultGenerator;
  const u = g.nextUint32(Math.max(n, 1));
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((u[i]! / 4294967296) * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  const t = fromTypedArray(out, [n], 'int32', device);
  if (options.dtype === undefined || options.dtype === 'int32') return finish('randperm', t, options);
  const c = t.to(checkDType('randperm', options.dtype));
  t.dispose();
  return finish('randperm', c, options);
}

/**
 * Evenly spaced values in `[start, end)` (`torch.arange`): `arange(end)`,
 * `arange(start, end, step?)`. Integer arguments give int32, as PyTorch gives integers.
 *
 * @example
 * ```ts
 * arange(4).tolist();          // [0, 1, 2, 3]
 * arange(0, 1, 0.25).tolist(); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function arange(start: number, end?: number | TensorOptions, step?: number | TensorOptions, options?: TensorOptions): Tensor {
  let opts: TensorOptions = options ?? {};
  if (typeof end === 'object') {
    opts = end;
    end = undefined;
  }
  if (typeof step === 'object') {
    opts = step;
    step = undefined;
  }
  const [a, b, c] = end === undefined ? [0, start, 1] : [start, end, step ?? 1];
  for (const [name, v] of [['start', a], ['end', b], ['step', c]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`arange(): ${name} must be a finite number (got ${describe(v)})`);
  }
  if (c === 0) throw new ArgumentError('arange(): step must be non-zero');
  if ((b - a) / c < 0) throw new ArgumentError(`arange(): end (${b}) must be reachable from start (${a}) with step ${c}`);
  const device = checkDevice('arange', opts.device);
  const n = Math.max(0, Math.ceil((b - a) / c));
  const dtype = opts.dtype === undefined ? ([a, b, c].every(Number.isInteger) ? 'int32' : 'float32') : checkDType('arange', opts.dtype);
  const values = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = a + i * c;
  if (dtype === 'bool') throw new DTypeError('arange(): dtype bool is not supported');
  return finish('arange', fromTypedArray(values, [n], dtype, device), opts);
}

/**
 * `steps` values evenly spaced from `start` to `end`, both included (`torch.linspace`).
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).tolist(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError(`linspace(): steps must be an integer >= 0 (got ${describe(steps)})`);
  const device = checkDevice('linspace', options.device);
  const dtype = options.dtype === undefined ? 'float32' : checkDType('linspace', options.dtype);
  const values = new Float32Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the two halves from both ends so that `end` is exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = i < half || steps === 1 ? start + step * i : end - step * (steps - 1 - i);
  const t = fromTypedArray(values, [steps], 'float32', device);
  if (dtype === 'float32') return finish('linspace', t, options);
  const c = t.to(dtype);
  t.dispose();
  return finish('linspace', c, options);
}

/**
 * The identity matrix, `n x m` (m defaults to n) (`torch.eye`).
 *
 * @example
 * ```ts
 * eye(2).tolist(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  if (typeof m === 'object') {
    options = m;
    m = undefined;
  }
  const cols = m ?? n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ArgumentError(`eye(): n and m must be integers >= 0 (got ${describe(n)}, ${describe(cols)})`);
  }
  const device = checkDevice('eye', options.device);
  const dtype = options.dtype === undefined ? 'float32' : checkDType('eye', options.dtype);
  const values = dtype === 'float32' ? new Float32Array(n * cols) : dtype === 'int32' ? new Int32Array(n * cols) : new Uint8Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
  return finish('eye', fromTypedArray(values, [n, cols], dtype, device), options);
}
