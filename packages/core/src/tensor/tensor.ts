/**
 * The Tensor class: storage (a backend handle), autograd state and the method forms of every op.
 * Ops themselves live in `src/ops/`, one concept per file; methods here only delegate.
 * @module
 */
import type { BackwardOptions } from '../autograd/engine.js';
import { runBackward } from '../autograd/engine.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Node, type GradHook } from '../autograd/node.js';
import { ArgumentError, AutogradError, DeviceError, DisposedError, DTypeError, ShapeError, describe } from '../errors.js';
import { active, useDevice } from '../kernels/backend.js';
import type { Handle } from '../kernels/tf.js';
import { disposeTensor, keepTensor, redevice, retrack, track, untrackMoved, type Scope } from '../memory/scope.js';
import * as arith from '../ops/arith.js';
import * as cmp from '../ops/compare.js';
import * as gather from '../ops/gather.js';
import * as idx from '../ops/indexing.js';
import * as mm from '../ops/matmul.js';
import * as red from '../ops/reduce.js';
import * as shp from '../ops/shape.js';
import * as un from '../ops/unary.js';
import { cast } from '../ops/cast.js';
import { bytesPerElement, checkDType, isFloating, promoteTypes, type DType } from './dtype.js';
import { formatValues } from './format.js';
import { toDevice } from './to-device.js';

/** The devices a tensor can live on. */
export type Device = 'cpu' | 'gpu';
/** A device as users write it: `'cuda'` and `'cuda:0'` mean the GPU, as in PyTorch. */
export type DeviceLike = Device | 'cuda' | `cuda:${number}` | `gpu:${number}`;
/** A tensor, or a JS number or boolean that broadcasts like a 0-d tensor. */
export type TensorLike = Tensor | number | boolean;
/** Nested arrays of numbers or booleans, as `tensor()` reads them. */
export type NestedArray = number | boolean | readonly NestedArray[];
/** A dimension index or several (negative counts from the end). */
export type Dims = number | readonly number[];
/** Shapes given as one array or as separate numbers: `x.reshape([2, 3])` or `x.reshape(2, 3)`. */
export type ShapeArgs = [readonly number[]] | number[];

/** Options of {@link Tensor.backward}. */
export type { BackwardOptions };

/** Resolves a user-written device name. @internal */
export function parseDevice(fn: string, d: unknown): Device {
  if (d === 'cpu') return 'cpu';
  if (typeof d === 'string' && /^(gpu|cuda)(:\d+)?$/.test(d)) return 'gpu';
  throw new DeviceError(`${fn}(): device must be 'cpu', 'gpu' or 'cuda' (got ${describe(d)})`);
}

/** Reads shape arguments written either as one array or as separate numbers. @internal */
export function shapeArgs(args: ShapeArgs): readonly number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);
}

/**
 * An n-dimensional array of float32, int32 or bool values, with PyTorch's autograd.
 * Make tensors with {@link tensor}, {@link zeros}, {@link randn} and friends; every op exists as a
 * function (`add(x, y)`) and as a method (`x.add(y)`), and in-place forms end in `_`.
 *
 * @example
 * ```ts
 * import { tensor } from '@flint/core';
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const loss = w.mul(w).sum();
 * loss.backward();
 * console.log(w.grad!.toString()); // tensor([[2, 4], [6, 8]])
 * ```
 */
export class Tensor {
  /** @internal */ _h: Handle;
  /** @internal */ _scope: Scope | undefined = undefined;
  /** @internal */ _disposed = false;
  /** @internal */ _bytes: number;
  /** @internal */ _device: Device;
  /** @internal */ _version = 0;
  /** @internal */ _requiresGrad = false;
  /** @internal */ _grad: Tensor | null = null;
  /** @internal */ _retainsGrad = false;
  /** @internal */ _hooks: GradHook[] | null = null;
  /** The autograd node that made this tensor, or `null` for a leaf (`grad_fn`). */
  gradFn: Node | null = null;

  /**
   * Wraps a backend handle, by default on the device whose backend made it. Users make tensors
   * with `tensor()`, `zeros()`... @internal
   */
  constructor(handle: Handle, device: Device = active.device) {
    this._h = handle;
    this._device = device;
    this._bytes = handle.size * bytesPerElement(handle.dtype as DType);
    track(this);
  }

  /**
   * The backend handle, checked for use after free. Kernels run on the active backend, so reaching
   * for a handle makes this tensor's device the active one (0-d tensors excepted: like PyTorch's
   * CPU scalars they join ops on any device). @internal
   */
  get _handle(): Handle {
    if (this._disposed) {
      throw new DisposedError(
        `Tensor(shape=[${this._h.shape.join(', ')}], dtype=${this._h.dtype}) was used after its memory was freed ` +
          '(by dispose() or by the scope() that made it); return it from the scope, or clone() it first',
      );
    }
    if (this._device !== active.device && this._h.rank !== 0) useDevice(this._device);
    return this._h;
  }

  /** The size of each dimension. */
  get shape(): number[] {
    return this._h.shape;
  }
  /** The element type. */
  get dtype(): DType {
    return this._h.dtype as DType;
  }
  /** Where the data lives: `'cpu'` or `'gpu'`. */
  get device(): Device {
    return this._device;
  }
  /** Number of dimensions (`ndim`). */
  get ndim(): number {
    return this._h.rank;
  }
  /** Whether freed. */
  get isDisposed(): boolean {
    return this._disposed;
  }
  /** Number of elements. */
  numel(): number {
    return this._h.size;
  }
  /** Number of dimensions. */
  dim(): number {
    return this._h.rank;
  }
  /** The shape, or the size of one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape;
    return this.shape[shp.normDim('size', dim, this.ndim)]!;
  }

  /** Whether autograd records ops on this tensor (`requires_grad`). */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(v: boolean) {
    if (!v && this.gradFn !== null) {
      throw new AutogradError(
        'requiresGrad: only leaf tensors can change it; this tensor was made by ' +
          `${this.gradFn.name}. Use detach() to get a tensor without history`,
      );
    }
    if (v && !isFloating(this.dtype)) {
      throw new AutogradError(`requiresGrad: only float32 tensors can require gradients (got dtype ${this.dtype})`);
    }
    this._requiresGrad = v;
  }
  /** Sets {@link requiresGrad} and returns this tensor (`requires_grad_()`). */
  requiresGrad_(v = true): this {
    this.requiresGrad = v;
    return this;
  }
  /** True for tensors made by the user rather than by an op that autograd recorded. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Whether this non-leaf tensor keeps its gradient (see {@link retainGrad}). */
  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /**
   * The gradient accumulated by `backward()`, or `null`. The tensor belongs to this one: setting
   * `grad` (or `zeroGrad()` in optim) frees it; `clone()` it to keep a copy.
   */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new ArgumentError(`grad: expected a Tensor or null (got ${describe(g)})`);
      if (g.shape.length !== this.shape.length || g.shape.some((s, i) => s !== this.shape[i])) {
        throw new ArgumentError(`grad: shape [${g.shape.join(', ')}] must equal the tensor's shape [${this.shape.join(', ')}]`);
      }
      if (g._device !== this._device) {
        throw new DeviceError(`grad: the gradient is on '${g._device}' but the tensor is on '${this._device}'; move it with .to('${this._device}')`);
      }
    }
    const old = this._grad;
    this._grad = g === null ? null : keepTensor(g);
    if (old !== null && old !== g) old.dispose();
  }

  /**
   * Computes the gradient of this tensor with respect to the leaves of its graph and accumulates
   * it into their `.grad`. A non-scalar tensor needs `gradient` (the vector in the
   * vector-Jacobian product). Options may come first for a scalar: `loss.backward({ retainGraph: true })`.
   */
  backward(gradient?: Tensor | BackwardOptions, options: BackwardOptions = {}): void {
    if (gradient !== undefined && !(gradient instanceof Tensor)) {
      options = gradient;
      gradient = undefined;
    }
    runBackward([this], [gradient], options);
  }

  /** Keeps the gradient of this non-leaf tensor in `.grad` during backward (`retain_grad()`). */
  retainGrad(): void {
    if (!this._requiresGrad) throw new AutogradError("retainGrad(): can't retain the gradient of a tensor that does not require grad");
    if (this.gradFn === null) return;
    this._retainsGrad = true;
    this.gradFn._retained = this;
  }

  /**
   * Registers `hook(grad)`, called with this tensor's gradient during backward; it may return a
   * replacement gradient. Returns a handle whose `remove()` unregisters it.
   */
  registerHook(hook: GradHook): { remove(): void } {
    if (!this._requiresGrad) {
      throw new AutogradError("registerHook(): can't register a hook on a tensor that does not require grad");
    }
    if (this.gradFn !== null) return { remove: this.gradFn._addHook(hook) };
    const hooks = (this._hooks ??= []);
    hooks.push(hook);
    return {
      remove: () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      },
    };
  }

  /** A new tensor sharing this one's values, cut from the graph. */
  detach(): Tensor {
    return shp.detach(this);
  }
  /** Cuts this tensor from the graph in place, making it a leaf. */
  detach_(): this {
    this.gradFn = null;
    this._requiresGrad = false;
    return this;
  }

  /** Frees the memory now. Later use is an error. Safe to call twice. */
  dispose(): void {
    disposeTensor(this);
  }
  /** Frees the memory at the end of a `using` block. */
  [Symbol.dispose](): void {
    disposeTensor(this);
  }

  /** The only value of a one-element tensor, as a JS number (a bool tensor gives 1 or 0). */
  item(): number {
    if (this.numel() !== 1) {
      throw new ArgumentError(`item(): only a one-element tensor can be read as a number (got shape [${this.shape.join(', ')}])`);
    }
    return this._handle.dataSync()[0] as number;
  }
  /** The values as nested JS arrays (numbers, or booleans for bool). A 0-d tensor gives a number. */
  tolist(): NestedArray {
    const flat = Array.from(this._handle.dataSync() as ArrayLike<number>, (v) => (this.dtype === 'bool' ? v !== 0 : v));
    const shape = this.shape;
    if (shape.length === 0) return flat[0]!;
    const rec = (d: number, off: number): NestedArray[] => {
      const n = shape[d]!;
      const step = shape.slice(d + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(d === shape.length - 1 ? flat[off + i]! : rec(d + 1, off + i * step));
      return out;
    };
    return rec(0, 0);
  }
  /** The values as a flat typed array, read without blocking. */
  async data(): Promise<Float32Array | Int32Array | Uint8Array> {
    return (await this._handle.data()) as Float32Array | Int32Array | Uint8Array;
  }
  /** The values as a flat typed array (blocks until they are computed). */
  dataSync(): Float32Array | Int32Array | Uint8Array {
    return this._handle.dataSync() as Float32Array | Int32Array | Uint8Array;
  }
  /** PyTorch-style text: `tensor([[1.0000, 2.0000]], requiresGrad=true)`. */
  toString(): string {
    if (this._disposed) return `tensor(<freed>, shape=[${this._h.shape.join(', ')}], dtype=${this._h.dtype})`;
    const body = formatValues(this._h.dataSync() as ArrayLike<number>, this.shape, this.dtype);
    const extra: string[] = [];
    if (this.numel() === 0) extra.push(`size=[${this.shape.join(', ')}]`);
    if (this.dtype !== 'float32') extra.push(`dtype=${this.dtype}`);
    if (this._device !== 'cpu') extra.push(`device='${this._device}'`);
    if (this.gradFn !== null) extra.push(`gradFn=<${this.gradFn.name}>`);
    else if (this._requiresGrad) extra.push('requiresGrad=true');
    return `tensor(${body}${extra.map((e) => ', ' + e).join('')})`;
  }
  /** @internal */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * A copy with another dtype or on another device: `x.to('float32')`, `x.to('gpu')`,
   * `x.to({ dtype: 'int32', device: 'cpu' })`. Returns this tensor when nothing changes. A copy
   * to another device is recorded by autograd: the gradient flows back to this device.
   *
   * @example
   * ```ts
   * const device = gpu.isAvailable() ? 'gpu' : 'cpu';
   * const x = randn([64, 784]).to(device);
   * ```
   */
  to(target: DType | DeviceLike | { dtype?: DType; device?: DeviceLike }): Tensor {
    const opts = typeof target === 'string' ? (/^(cpu|gpu|cuda)/.test(target) ? { device: target } : { dtype: target }) : target;
    if (typeof opts !== 'object' || opts === null) {
      throw new ArgumentError(`to(): expected a dtype, a device or { dtype, device } (got ${describe(target)})`);
    }
    let out: Tensor = this;
    if (opts.device !== undefined) {
      const d = parseDevice('to', opts.device);
      if (d !== this._device) out = toDevice(this, d);
    }
    if (opts.dtype !== undefined) {
      const c = cast(out, checkDType('to', opts.dtype));
      if (out !== this && c !== out) out.dispose();
      out = c;
    }
    return out;
  }
  /** This tensor on the CPU (`x.cpu()`); this tensor itself when it is there already. @example `const host = y.cpu();` */
  cpu(): Tensor {
    return this.to('cpu');
  }
  /** This tensor on the GPU (`x.cuda()`); a {@link DeviceError} when there is none. @example `const xg = x.cuda();` */
  cuda(): Tensor {
    return this.to('gpu');
  }
  /** A float32 copy (or this tensor if already float32). */
  float(): Tensor {
    return cast(this, 'float32');
  }
  /** An int32 copy (values truncated toward zero). */
  int(): Tensor {
    return cast(this, 'int32');
  }
  /** A bool copy (non-zero is true). */
  bool(): Tensor {
    return cast(this, 'bool');
  }
  /** A copy of the given dtype (`x.type('int32')`). */
  type(dtype: DType): Tensor {
    return cast(this, checkDType('type', dtype));
  }

  /**
   * Replaces this tensor's value with `result`'s (the core of every `op_` method), following
   * PyTorch's rules: refused on a leaf that requires grad while grad mode is on; the tensor takes
   * the result's autograd history; its version goes up so stale saved copies are detected.
   * @internal
   */
  _assign(fn: string, result: Tensor, options: { retype?: boolean } = {}): this {
    if (result === this) return this;
    const shape = this._h.shape;
    const rs = result.shape;
    if (rs.length !== shape.length || rs.some((d, i) => d !== shape[i])) {
      result.dispose();
      throw new ShapeError(`${fn}(): the result has shape [${rs.join(', ')}], which doesn't match this tensor's shape [${shape.join(', ')}] for an in-place op`);
    }
    if (result.dtype !== this.dtype && !options.retype) {
      const r = result;
      if (promoteTypes(this.dtype, r.dtype) !== this.dtype) {
        r.dispose();
        throw new DTypeError(`${fn}(): the result has dtype ${r.dtype}, which can't be written into a ${this.dtype} tensor in place`);
      }
      result = cast(r, this.dtype);
      if (result !== r) r.dispose();
    }
    const h = result._handle;
    untrackMoved(result);
    const old = this._h;
    const node = result.gradFn;
    // The op may have saved this tensor's value from before the change: hand it the old storage
    // (no copy) under a snapshot tensor of its own, as PyTorch saves `original_self`.
    let snapshot: Tensor | null = null;
    const saved = node?._saved ?? null;
    if (saved !== null) {
      for (let i = 0; i < saved.length; i++) {
        if (saved[i] === this && node!._savedVersions[i] === this._version) {
          snapshot ??= new Tensor(old, this._device);
          saved[i] = snapshot;
          node!._savedVersions[i] = 0;
        }
      }
      if (snapshot !== null) node!._owned.push(snapshot);
    }
    this._h = h;
    if (snapshot === null && old !== h) old.dispose();
    if (result._device !== this._device) redevice(this, result._device);
    retrack(this, h.size * bytesPerElement(h.dtype as DType));
    this._version++;
    if (node !== null) {
      if (saved !== null) {
        for (let i = 0; i < saved.length; i++) {
          if (saved[i] === result) {
            saved[i] = this;
            node._savedVersions[i] = this._version;
          }
        }
      }
      this.gradFn = node;
      this._requiresGrad = true;
      if (this._retainsGrad) this.gradFn._retained = this;
    }
    return this;
  }
  /** Refuses in-place ops on leaves that require grad (PyTorch's rule). @internal */
  _checkInplace(fn: string): void {
    if (this._disposed) void this._handle;
    if (this._requiresGrad && this.gradFn === null && isGradEnabled()) {
      throw new AutogradError(
        `${fn}(): a leaf tensor that requires grad can't be changed in place while grad mode is on; ` +
          'wrap the update in noGrad(() => ...), or work on a clone()',
      );
    }
  }
  /**
   * The value of an op that overwrites this tensor with `value`: on a tensor with history, the
   * result is recorded so that the old history gets a zero gradient (PyTorch's `FillBackward`).
   * @internal
   */
  _overwrite(value: Tensor): Tensor {
    if (!(this._requiresGrad && isGradEnabled())) return value;
    const all = arith.fullLike(this, true, { dtype: 'bool' });
    const out = arith.where(all, value, this);
    all.dispose();
    value.dispose();
    return out;
  }
  /** Runs an in-place op: checks, computes out of place, assigns. @internal */
  _inplace(fn: string, compute: () => Tensor): this {
    this._checkInplace(fn);
    // The result must land on this tensor's device, also when it is made without reading it.
    if (this._device !== active.device) useDevice(this._device);
    return this._assign(fn, compute());
  }

  // ---- arithmetic -----------------------------------------------------------------------------
  /** `this + alpha * other`, broadcasting. */
  add(other: TensorLike, options?: { alpha?: number }): Tensor { return arith.add(this, other, options); }
  /** `this - alpha * other`, broadcasting. */
  sub(other: TensorLike, options?: { alpha?: number }): Tensor { return arith.sub(this, other, options); }
  /** Elementwise product, broadcasting. */
  mul(other: TensorLike): Tensor { return arith.mul(this, other); }
  /** Elementwise true division (ints give floats); `roundingMode` 'trunc' or 'floor'. */
  div(other: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): Tensor { return arith.div(this, other, options); }
  /** Elementwise power. */
  pow(exponent: TensorLike): Tensor { return arith.pow(this, exponent); }
  /** `-this`. */
  neg(): Tensor { return arith.neg(this); }
  /** Elementwise maximum of two tensors. */
  maximum(other: TensorLike): Tensor { return arith.maximum(this, other); }
  /** Elementwise minimum of two tensors. */
  minimum(other: TensorLike): Tensor { return arith.minimum(this, other); }
  /** Limits values to `[min, max]`; either bound may be null. */
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return arith.clamp(this, min, max); }
  /** Picks `this` where `condition` is true, else `other` (`x.where(cond, y)`). */
  where(condition: Tensor, other: TensorLike): Tensor { return arith.where(condition, this, other); }

  add_(other: TensorLike, options?: { alpha?: number }): this { return this._inplace('add_', () => arith.add(this, other, options)); }
  sub_(other: TensorLike, options?: { alpha?: number }): this { return this._inplace('sub_', () => arith.sub(this, other, options)); }
  mul_(other: TensorLike): this { return this._inplace('mul_', () => arith.mul(this, other)); }
  div_(other: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): this { return this._inplace('div_', () => arith.div(this, other, options)); }
  pow_(exponent: TensorLike): this { return this._inplace('pow_', () => arith.pow(this, exponent)); }
  neg_(): this { return this._inplace('neg_', () => arith.neg(this)); }
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this { return this._inplace('clamp_', () => arith.clamp(this, min, max)); }

  // ---- unary ----------------------------------------------------------------------------------
  abs(): Tensor { return un.abs(this); }
  exp(): Tensor { return un.exp(this); }
  log(): Tensor { return un.log(this); }
  log1p(): Tensor { return un.log1p(this); }
  sqrt(): Tensor { return un.sqrt(this); }
  rsqrt(): Tensor { return un.rsqrt(this); }
  sin(): Tensor { return un.sin(this); }
  cos(): Tensor { return un.cos(this); }
  tanh(): Tensor { return un.tanh(this); }
  sigmoid(): Tensor { return un.sigmoid(this); }
  relu(): Tensor { return un.relu(this); }
  floor(): Tensor { return un.floor(this); }
  ceil(): Tensor { return un.ceil(this); }
  round(): Tensor { return un.round(this); }
  sign(): Tensor { return un.sign(this); }
  reciprocal(): Tensor { return un.reciprocal(this); }
  square(): Tensor { return un.square(this); }
  abs_(): this { return this._inplace('abs_', () => un.abs(this)); }
  exp_(): this { return this._inplace('exp_', () => un.exp(this)); }
  log_(): this { return this._inplace('log_', () => un.log(this)); }
  log1p_(): this { return this._inplace('log1p_', () => un.log1p(this)); }
  sqrt_(): this { return this._inplace('sqrt_', () => un.sqrt(this)); }
  rsqrt_(): this { return this._inplace('rsqrt_', () => un.rsqrt(this)); }
  sin_(): this { return this._inplace('sin_', () => un.sin(this)); }
  cos_(): this { return this._inplace('cos_', () => un.cos(this)); }
  tanh_(): this { return this._inplace('tanh_', () => un.tanh(this)); }
  sigmoid_(): this { return this._inplace('sigmoid_', () => un.sigmoid(this)); }
  relu_(): this { return this._inplace('relu_', () => un.relu(this)); }
  floor_(): this { return this._inplace('floor_', () => un.floor(this)); }
  ceil_(): this { return this._inplace('ceil_', () => un.ceil(this)); }
  round_(): this { return this._inplace('round_', () => un.round(this)); }
  sign_(): this { return this._inplace('sign_', () => un.sign(this)); }
  reciprocal_(): this { return this._inplace('reciprocal_', () => un.reciprocal(this)); }
  /** Sets every element to zero. */
  zero_(): this { return this._inplace('zero_', () => this._overwrite(arith.fullLike(this, 0))); }
  /** Sets every element to `value`. */
  fill_(value: number | boolean): this { return this._inplace('fill_', () => this._overwrite(arith.fullLike(this, value))); }
  /** Copies `src`'s values (broadcast to this shape) into this tensor. */
  copy_(src: Tensor): this { return this._inplace('copy_', () => this._overwrite(shp.expand(src, this.shape).clone())); }

  // ---- comparison and logic -------------------------------------------------------------------
  eq(other: TensorLike): Tensor { return cmp.eq(this, other); }
  ne(other: TensorLike): Tensor { return cmp.ne(this, other); }
  lt(other: TensorLike): Tensor { return cmp.lt(this, other); }
  le(other: TensorLike): Tensor { return cmp.le(this, other); }
  gt(other: TensorLike): Tensor { return cmp.gt(this, other); }
  ge(other: TensorLike): Tensor { return cmp.ge(this, other); }
  logicalAnd(other: TensorLike): Tensor { return cmp.logicalAnd(this, other); }
  logicalOr(other: TensorLike): Tensor { return cmp.logicalOr(this, other); }
  logicalXor(other: TensorLike): Tensor { return cmp.logicalXor(this, other); }
  logicalNot(): Tensor { return cmp.logicalNot(this); }
  isnan(): Tensor { return cmp.isnan(this); }
  isfinite(): Tensor { return cmp.isfinite(this); }
  isinf(): Tensor { return cmp.isinf(this); }

  // ---- reductions -----------------------------------------------------------------------------
  sum(dim?: Dims | null, options?: red.ReduceOptions): Tensor { return red.sum(this, dim, options); }
  mean(dim?: Dims | null, options?: red.ReduceOptions): Tensor { return red.mean(this, dim, options); }
  prod(dim?: number | null, options?: red.ReduceOptions): Tensor { return red.prod(this, dim, options); }
  /** The largest value; with `dim`, `{ values, indices }` along it. */
  max(): Tensor;
  max(dim: number, options?: red.ReduceOptions): red.ValuesIndices;
  max(dim?: number, options?: red.ReduceOptions): Tensor | red.ValuesIndices {
    return dim === undefined ? red.max(this) : red.max(this, dim, options);
  }
  /** The smallest value; with `dim`, `{ values, indices }` along it. */
  min(): Tensor;
  min(dim: number, options?: red.ReduceOptions): red.ValuesIndices;
  min(dim?: number, options?: red.ReduceOptions): Tensor | red.ValuesIndices {
    return dim === undefined ? red.min(this) : red.min(this, dim, options);
  }
  amax(dim?: Dims | null, options?: red.ReduceOptions): Tensor { return red.amax(this, dim, options); }
  amin(dim?: Dims | null, options?: red.ReduceOptions): Tensor { return red.amin(this, dim, options); }
  argmax(dim?: number | null, options?: red.ReduceOptions): Tensor { return red.argmax(this, dim, options); }
  argmin(dim?: number | null, options?: red.ReduceOptions): Tensor { return red.argmin(this, dim, options); }
  var(dim?: Dims | null, options?: red.VarOptions): Tensor { return red.var_(this, dim, options); }
  std(dim?: Dims | null, options?: red.VarOptions): Tensor { return red.std(this, dim, options); }
  logsumexp(dim: Dims, options?: red.ReduceOptions): Tensor { return red.logsumexp(this, dim, options); }
  norm(p?: number | 'fro', dim?: Dims | null, options?: red.ReduceOptions): Tensor { return red.norm(this, p, dim, options); }
  all(dim?: number | null, options?: red.ReduceOptions): Tensor { return red.all(this, dim, options); }
  any(dim?: number | null, options?: red.ReduceOptions): Tensor { return red.any(this, dim, options); }
  cumsum(dim: number): Tensor { return red.cumsum(this, dim); }

  // ---- linear algebra -------------------------------------------------------------------------
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  mm(other: Tensor): Tensor { return mm.mm(this, other); }
  bmm(other: Tensor): Tensor { return mm.bmm(this, other); }
  outer(other: Tensor): Tensor { return mm.outer(this, other); }
  dot(other: Tensor): Tensor { return mm.dot(this, other); }

  // ---- shape ----------------------------------------------------------------------------------
  reshape(...shape: ShapeArgs): Tensor { return shp.reshape(this, shapeArgs(shape)); }
  view(...shape: ShapeArgs): Tensor { return shp.reshape(this, shapeArgs(shape)); }
  viewAs(other: Tensor): Tensor { return shp.reshape(this, other.shape); }
  reshapeAs(other: Tensor): Tensor { return shp.reshape(this, other.shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return shp.flatten(this, startDim, endDim); }
  squeeze(dim?: Dims): Tensor { return shp.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return shp.unsqueeze(this, dim); }
  permute(...dims: ShapeArgs): Tensor { return shp.permute(this, shapeArgs(dims)); }
  transpose(dim0: number, dim1: number): Tensor { return shp.transpose(this, dim0, dim1); }
  /** Transpose of a 2-D tensor (0-D and 1-D come back as they are). */
  t(): Tensor { return shp.t(this); }
  /** The matrix transpose (`x.T` in PyTorch for 2-D). */
  get T(): Tensor { return shp.t(this); }
  /** The transpose of the last two dimensions (`x.mT`). */
  get mT(): Tensor { return shp.transpose(this, -2, -1); }
  expand(...sizes: ShapeArgs): Tensor { return shp.expand(this, shapeArgs(sizes)); }
  expandAs(other: Tensor): Tensor { return shp.expand(this, other.shape); }
  repeat(...sizes: ShapeArgs): Tensor { return shp.repeat(this, shapeArgs(sizes)); }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return shp.split(this, splitSize, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return shp.chunk(this, chunks, dim); }
  narrow(dim: number, start: number, length: number): Tensor { return shp.narrow(this, dim, start, length); }
  /** A copy that autograd sees as a function of this tensor. */
  clone(): Tensor { return shp.clone(this); }
  /** This tensor (Flint tensors are always contiguous). */
  contiguous(): Tensor { return this; }
  unbind(dim = 0): Tensor[] { return shp.unbind(this, dim); }
  flip(dims: Dims): Tensor { return shp.flip(this, dims); }

  // ---- indexing -------------------------------------------------------------------------------
  /**
   * Python's `x[...]`: numbers pick, `':'`/`'1:3'`/`'::2'` or `slice(1, 3)` slice, `'...'` fills,
   * `null` adds a dimension, an int tensor or number array gathers, a bool tensor masks.
   * `x.index(0, ':', '1:3')` is `x[0, :, 1:3]`; `x.index('...', -1)` is `x[..., -1]`.
   */
  index(...indices: idx.Index[]): Tensor { return idx.index(this, ...indices); }
  /** Python's `x[indices] = value`, in place. */
  indexPut_(indices: readonly idx.Index[], value: TensorLike): this {
    return this._inplace('indexPut_', () => idx.indexPut(this, indices, value));
  }
  indexSelect(dim: number, index: Tensor): Tensor { return gather.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return gather.gather(this, dim, index); }
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor { return gather.scatter(this, dim, index, src); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return gather.scatterAdd(this, dim, index, src); }
  maskedFill(mask: Tensor, value: TensorLike): Tensor { return gather.maskedFill(this, mask, value); }
  scatter_(dim: number, index: Tensor, src: TensorLike): this { return this._inplace('scatter_', () => gather.scatter(this, dim, index, src)); }
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this { return this._inplace('scatterAdd_', () => gather.scatterAdd(this, dim, index, src)); }
  maskedFill_(mask: Tensor, value: TensorLike): this { return this._inplace('maskedFill_', () => gather.maskedFill(this, mask, value)); }
}
