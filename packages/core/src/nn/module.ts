/**
 * `Module`, the base of every layer and model (`nn.Module`). Parameters and submodules are found
 * from the instance's fields, in the order they were assigned, so a model reads as in PyTorch:
 * assign `Linear`s and `Parameter`s to fields and write `forward`. Buffers are registered
 * explicitly with {@link Module.registerBuffer}. Modules are callable: `model(x)` runs the forward
 * hooks around `forward(x)`.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ArgumentError, FlintError, describe } from '../errors.js';
import { active } from '../kernels/backend.js';
import { keepTensor } from '../memory/scope.js';
import { Tensor, type DeviceLike } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { Parameter } from './parameter.js';

/** A state dict was loaded with keys or shapes that do not match the module. */
export class StateDictError extends FlintError {}

/** A state dict: tensors by PyTorch-style dotted name (`features.0.weight`). */
export type StateDict = Record<string, Tensor>;

/** What {@link Module.loadStateDict} reports. */
export interface LoadResult {
  /** Keys the module has but the state dict lacked. */
  missingKeys: string[];
  /** Keys the state dict has but the module lacks. */
  unexpectedKeys: string[];
}

/** A module of any forward signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** Something that can be removed again (a hook). */
export interface RemovableHandle {
  remove(): void;
}

/** A hook run before `forward`; it may return replacement arguments. */
export type ForwardPreHook = (module: AnyModule, args: unknown[]) => unknown[] | void;
/** A hook run after `forward`; it may return a replacement output. */
export type ForwardHook = (module: AnyModule, args: unknown[], output: unknown) => unknown;

const BUFFERS = Symbol('buffers');
const NON_PERSISTENT = Symbol('nonPersistent');
const PRE_HOOKS = Symbol('preHooks');
const HOOKS = Symbol('hooks');

/** Modules are callable: `model(x)` is `model.forward(x)` with hooks. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module<In extends unknown[] = [Tensor], Out = Tensor> {
  (...input: In): Out;
}

/**
 * The base class of layers and models (`torch.nn.Module`).
 *
 * @example
 * ```ts
 * class Net extends Module {
 *   fc1 = new Linear(784, 128);
 *   fc2 = new Linear(128, 10);
 *   forward(x: Tensor) { return this.fc2(this.fc1(x).relu()); }
 * }
 * const net = new Net();
 * const logits = net(flint.randn([32, 784]));
 * console.log(net.toString());
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Whether the module is in training mode (see {@link train} and {@link eval}). */
  training = true;
  /** @internal */ declare [BUFFERS]: Map<string, Tensor | null>;
  /** @internal */ declare [NON_PERSISTENT]: Set<string>;
  /** @internal */ declare [PRE_HOOKS]: ForwardPreHook[];
  /** @internal */ declare [HOOKS]: ForwardHook[];

  constructor() {
    const self = ((...input: In): Out => (self as unknown as Module<In, Out>)._call(input)) as unknown as Module<In, Out>;
    // A function object carries `name` and `length`; modules may want fields of those names.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    for (const [key, value] of [
      [BUFFERS, new Map()],
      [NON_PERSISTENT, new Set()],
      [PRE_HOOKS, []],
      [HOOKS, []],
    ] as const) {
      Object.defineProperty(self, key, { value, enumerable: false, writable: false });
    }
    self.training = true;
    return self;
  }

  /** The computation; subclasses implement it. Call the module itself to run hooks too. */
  abstract forward(...input: In): Out;

  /** @internal */
  _call(input: In): Out {
    let args = input as unknown[];
    for (const h of this[PRE_HOOKS]) {
      const r = h(this as unknown as AnyModule, args);
      if (r !== undefined) args = Array.isArray(r) ? r : [r];
    }
    // Tensors that forward makes without naming a device go to its input's device.
    let device: 'cpu' | 'gpu' | undefined;
    for (const a of args) {
      if (a instanceof Tensor) {
        device = a._device;
        break;
      }
    }
    let out: unknown;
    const ambient = active.ambient;
    if (device === undefined || device === ambient) out = this.forward(...(args as In));
    else {
      active.ambient = device;
      try {
        out = this.forward(...(args as In));
      } finally {
        active.ambient = ambient;
      }
    }
    for (const h of this[HOOKS]) {
      const r = h(this as unknown as AnyModule, args, out);
      if (r !== undefined) out = r;
    }
    return out as Out;
  }

  /** Registers a hook run before every forward (`register_forward_pre_hook`). */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this[PRE_HOOKS], hook);
  }
  /** Registers a hook run after every forward (`register_forward_hook`). */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this[HOOKS], hook);
  }

  /** Adds a parameter under `name` (null registers an absent one, like `bias=False`). */
  registerParameter(name: string, param: Parameter | null): void {
    checkName('registerParameter', name, this as unknown as AnyModule);
    if (param !== null && !(param instanceof Parameter)) {
      throw new ArgumentError(`registerParameter(): '${name}' must be a Parameter or null (got ${describe(param)}); wrap tensors in new Parameter(t)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Adds a submodule under `name` (`add_module` / `register_module`). */
  registerModule(name: string, module: AnyModule | null): void {
    checkName('registerModule', name, this as unknown as AnyModule);
    if (module !== null && !(module instanceof Module)) {
      throw new ArgumentError(`registerModule(): '${name}' must be a Module or null (got ${describe(module)})`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }
  /** Same as {@link registerModule} (`add_module`). */
  addModule(name: string, module: AnyModule | null): void {
    this.registerModule(name, module);
  }

  /**
   * Adds a buffer: state that is not trained but is saved in the state dict (`running_mean`).
   * The buffer becomes a field; assigning the field replaces it. `persistent: false` keeps it
   * out of the state dict.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    checkName('registerBuffer', name, this as unknown as AnyModule);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new ArgumentError(`registerBuffer(): '${name}' must be a Tensor or null (got ${describe(tensor)})`);
    }
    const buffers = this[BUFFERS];
    buffers.set(name, tensor === null ? null : keepTensor(tensor));
    if (options.persistent === false) this[NON_PERSISTENT].add(name);
    else this[NON_PERSISTENT].delete(name);
    Object.defineProperty(this, name, {
      enumerable: true,
      configurable: true,
      get: () => buffers.get(name) ?? null,
      set: (v: Tensor | null) => {
        const old = buffers.get(name);
        buffers.set(name, v === null ? null : keepTensor(v));
        if (old && old !== v) old.dispose();
      },
    });
  }

  /** Direct submodules with their field names (`named_children`). */
  *namedChildren(): Generator<[string, AnyModule]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) yield [k, v as AnyModule];
  }
  /** Direct submodules (`children`). */
  *children(): Generator<AnyModule> {
    for (const [, m] of this.namedChildren()) yield m;
  }
  /** This module and every submodule, depth first, with dotted names (`named_modules`). */
  *namedModules(prefix = '', seen = new Set<AnyModule>()): Generator<[string, AnyModule]> {
    const me = this as unknown as AnyModule;
    if (seen.has(me)) return;
    seen.add(me);
    yield [prefix, me];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k, seen);
  }
  /** This module and every submodule (`modules`). */
  *modules(): Generator<AnyModule> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Own parameters with their names, null ones skipped. @internal */
  *_ownParameters(): Generator<[string, Parameter]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Parameter) yield [k, v];
  }
  /** Own buffers with their names, null ones skipped. @internal */
  *_ownBuffers(): Generator<[string, Tensor, boolean]> {
    for (const [k, v] of this[BUFFERS]) if (v !== null) yield [k, v, !this[NON_PERSISTENT].has(k)];
  }

  /** Parameters with dotted names, each once (`named_parameters`). */
  *namedParameters(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    const mods = options.recurse === false ? [[options.prefix ?? '', this] as const] : this.namedModules(options.prefix ?? '');
    for (const [mp, m] of mods) {
      for (const [k, p] of (m as AnyModule)._ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [mp ? `${mp}.${k}` : k, p];
      }
    }
  }
  /** Every parameter, each once (`parameters`). */
  *parameters(options: { recurse?: boolean } = {}): Generator<Parameter> {
    for (const [, p] of this.namedParameters(options)) yield p;
  }
  /** Buffers with dotted names (`named_buffers`). */
  *namedBuffers(options: { prefix?: string; recurse?: boolean } = {}): Generator<[string, Tensor]> {
    const mods = options.recurse === false ? [[options.prefix ?? '', this] as const] : this.namedModules(options.prefix ?? '');
    for (const [mp, m] of mods) {
      for (const [k, b] of (m as AnyModule)._ownBuffers()) yield [mp ? `${mp}.${k}` : k, b];
    }
  }
  /** Every buffer (`buffers`). */
  *buffers(options: { recurse?: boolean } = {}): Generator<Tensor> {
    for (const [, b] of this.namedBuffers(options)) yield b;
  }

  /** How many numbers the parameters hold; `trainableOnly` counts those that require grad. */
  countParameters(options: { trainableOnly?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!options.trainableOnly || p.requiresGrad) n += p.numel();
    return n;
  }

  /** Sets training mode here and below (`train`). Returns `this`. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  /** Sets evaluation mode (`eval`): dropout off, batch norm uses running stats. Returns `this`. */
  eval(): this {
    return this.train(false);
  }
  /** Calls `fn` on every submodule and then on this one (`apply`). Returns `this`. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }
  /** Sets `requiresGrad` of every parameter (`requires_grad_`). Returns `this`. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }
  /** Clears gradients: frees them (default) or zeroes them in place (`zero_grad`). */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (options.setToNone === false) noGrad(() => p.grad!.zero_());
      else p.grad = null;
    }
  }

  /**
   * Moves or casts every parameter and buffer in place (`to`); gradients move with their
   * parameters. The parameter objects stay the same, so an optimizer made earlier keeps working.
   * Returns `this`.
   *
   * @example
   * ```ts
   * const model = new Net().to(gpu.isAvailable() ? 'gpu' : 'cpu');
   * ```
   */
  to(target: DType | DeviceLike | { dtype?: DType; device?: DeviceLike }): this {
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.buffers()]) {
        const grad = t.grad;
        const moved = t.to(target);
        if (moved !== t) t._assign('to', moved, { retype: true });
        if (grad !== null && grad._device !== t._device) t.grad = grad.to(t._device);
      }
    });
    return this;
  }
  /** Moves every parameter and buffer to the GPU (`cuda()`). Returns `this`. @example `const net = new Net().cuda();` */
  cuda(): this {
    return this.to('gpu');
  }
  /** Moves every parameter and buffer to the CPU (`cpu()`). Returns `this`. @example `net.cpu();` */
  cpu(): this {
    return this.to('cpu');
  }

  /**
   * The parameters and persistent buffers by dotted name, as PyTorch names them
   * (`state_dict`). The tensors are the module's own, not copies: `clone()` them to snapshot.
   */
  stateDict(options: { prefix?: string } = {}): StateDict {
    const sd: StateDict = {};
    for (const [mp, m] of this.namedModules(options.prefix ?? '')) {
      const mod = m as AnyModule;
      for (const [k, p] of mod._ownParameters()) sd[mp ? `${mp}.${k}` : k] = p;
      for (const [k, b, persistent] of mod._ownBuffers()) if (persistent) sd[mp ? `${mp}.${k}` : k] = b;
    }
    return sd;
  }

  /**
   * Copies values from a state dict into this module's parameters and buffers, in place
   * (`load_state_dict`). With `strict` (the default), missing or unexpected keys are an error
   * listing them all; shapes must always match. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean } = {}): LoadResult {
    if (typeof stateDict !== 'object' || stateDict === null) {
      throw new ArgumentError(`loadStateDict(): stateDict must be an object of tensors (got ${describe(stateDict)})`);
    }
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const problems: string[] = [];
    for (const [k, t] of Object.entries(own)) {
      const v = stateDict[k];
      if (v === undefined) continue;
      if (!(v instanceof Tensor)) problems.push(`'${k}' is ${describe(v)}, not a Tensor`);
      else if (v.shape.length !== t.shape.length || v.shape.some((s, i) => s !== t.shape[i])) {
        problems.push(`size mismatch for '${k}': the checkpoint has shape [${v.shape.join(', ')}], the module has [${t.shape.join(', ')}]`);
      }
    }
    if (strict) {
      if (missingKeys.length) problems.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    }
    if (problems.length > 0) {
      throw new StateDictError(`loadStateDict(): error(s) loading the state dict into ${this.constructor.name}:\n  ${problems.join('\n  ')}`);
    }
    noGrad(() => {
      for (const [k, t] of Object.entries(own)) {
        const v = stateDict[k];
        if (v === undefined || v === t) continue;
        // Values land on the parameter's device and dtype, as PyTorch copies into the parameter.
        const moved = v.to({ dtype: t.dtype, device: t.device });
        t._assign('loadStateDict', moved === v ? v.clone() : moved);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Frees every parameter, gradient and buffer of this module and its submodules. */
  dispose(): void {
    for (const p of this.parameters()) {
      p.grad = null;
      p.dispose();
    }
    for (const b of this.buffers()) b.dispose();
  }
  /** Frees the module at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The text inside this module's parentheses in {@link toString} (`extra_repr`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `print(net)` layout, one submodule per line. */
  toString(): string {
    const children = [...this.namedChildren()];
    const extra = this.extraRepr();
    const lines = extra ? extra.split('\n') : [];
    if (children.length === 0 && lines.length <= 1) return `${this.constructor.name}(${extra})`;
    for (const [k, m] of children) lines.push(`(${k}): ${m.toString().replace(/\n/g, '\n  ')}`);
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }
  /** @internal */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function checkName(fn: string, name: string, m: AnyModule): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new ArgumentError(`${fn}(): name must be a non-empty string without '.' (got ${describe(name)})`);
  }
  const existing = Object.getOwnPropertyDescriptor(m, name);
  if (fn !== 'registerBuffer' && existing?.get !== undefined) {
    throw new ArgumentError(`${fn}(): '${name}' is already a buffer`);
  }
}

function addHook<T>(list: T[], hook: T): RemovableHandle {
  if (typeof hook !== 'function') throw new ArgumentError(`register hook: expected a function (got ${describe(hook)})`);
  list.push(hook);
  return {
    remove() {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}

