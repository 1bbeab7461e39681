/**
 * Containers: `Sequential`, `ModuleList`, `ModuleDict` and `ParameterList`. They keep their
 * entries in insertion order under PyTorch's names (`'0'`, `'1'`... or the given keys), so state
 * dicts read `features.3.weight` or `heads.cls.bias` exactly as in PyTorch. Entries live in the
 * container, not as fields, so any key is allowed (`'train'` does not hide `train()`); fields a
 * subclass adds are found as in any module, after the entries.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module, type AnyModule } from '../module.js';
import { Parameter } from '../parameter.js';

function checkModule(where: string, m: unknown): AnyModule {
  if (!(m instanceof Module)) throw new ArgumentError(`${where}: expected a Module (got ${describe(m)})`);
  return m as AnyModule;
}

function checkKey(where: string, key: unknown): string {
  if (typeof key !== 'string' || key === '' || key.includes('.')) {
    throw new ArgumentError(`${where}: a key must be a non-empty string without '.' (got ${describe(key)})`);
  }
  return key;
}

/** Resolves a possibly negative position against `length`, or throws naming the container. */
function position(where: string, cls: string, index: unknown, length: number, end = false): number {
  const hi = end ? length : length - 1;
  if (!Number.isInteger(index) || (index as number) < -length || (index as number) > hi) {
    throw new ShapeError(`${where}: index ${describe(index)} is out of range for a ${cls} of length ${length}`);
  }
  const i = index as number;
  return i < 0 ? i + length : i;
}

/** Normalises slice bounds as `Array.prototype.slice` does. */
function sliceBounds(length: number, start = 0, end = length): [number, number] {
  const norm = (i: number): number => Math.min(Math.max(i < 0 ? i + length : i, 0), length);
  return [norm(start), norm(end)];
}

/** The modules of an ordered container, with the methods that Sequential and ModuleList share. */
abstract class ModuleSequence<In extends unknown[], Out> extends Module<In, Out> {
  readonly #modules = new Map<string, AnyModule>();

  /** The entries by key, in order. @internal */
  protected get _entries(): Map<string, AnyModule> {
    return this.#modules;
  }
  override *namedChildren(): Generator<[string, AnyModule]> {
    yield* this.#modules;
    yield* super.namedChildren();
  }
  /** How many modules there are (`len(seq)`). */
  override get length(): number {
    return this.#modules.size;
  }
  /** The module at position `index`; negative counts from the end (`seq[i]`). */
  at(index: number): AnyModule {
    const i = position(`${this.constructor.name}.at()`, this.constructor.name, index, this.length);
    return [...this.#modules.values()][i]!;
  }
  /** Replaces the module at position `index`, keeping its key (`seq[i] = m`). Returns `this`. */
  set(index: number, module: AnyModule): this {
    const where = `${this.constructor.name}.set()`;
    const i = position(where, this.constructor.name, index, this.length);
    this.#modules.set([...this.#modules.keys()][i]!, checkModule(where, module));
    return this;
  }
  /** Adds a module at the end, under the next position as key. Returns `this`. */
  append(module: AnyModule): this {
    this.#modules.set(String(this.length), checkModule(`${this.constructor.name}.append()`, module));
    return this;
  }
  /** Appends each module in turn. Returns `this`. */
  extend(modules: Iterable<AnyModule>): this {
    for (const m of modules) this.append(m);
    return this;
  }
  /** Iterates the modules in order. */
  *[Symbol.iterator](): Iterator<AnyModule> {
    yield* this.#modules.values();
  }
}

/**
 * Modules run one after another, each on the previous one's output (`nn.Sequential`). Built from
 * modules (keys `'0'`, `'1'`, ...) or from an object or Map of named modules (PyTorch's
 * `OrderedDict`).
 *
 * @example
 * ```ts
 * const net = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * net(randn([32, 784])).shape;            // [32, 10]
 * Object.keys(net.stateDict())[0];        // '0.weight'
 * const named = new Sequential({ fc: new Linear(4, 2), act: new Tanh() });
 * named.get('fc');                        // the Linear
 * ```
 */
export class Sequential extends ModuleSequence<[Tensor], Tensor> {
  constructor(...modules: AnyModule[]);
  constructor(named: Record<string, AnyModule> | Map<string, AnyModule>);
  constructor(...args: unknown[]) {
    super();
    const first = args[0];
    if (args.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      const entries = first instanceof Map ? [...(first as Map<unknown, unknown>)] : Object.entries(first);
      for (const [k, m] of entries) this._entries.set(checkKey('Sequential()', k), checkModule(`Sequential(): '${String(k)}'`, m));
    } else {
      args.forEach((m, i) => this._entries.set(String(i), checkModule(`Sequential(): argument ${i}`, m)));
    }
  }
  /** The module under `key` (`seq.fc` for a named Sequential), or undefined. */
  get(key: string): AnyModule | undefined {
    return this._entries.get(key);
  }
  /** Inserts a module at position `index`; entries after it move up (keys are renumbered). Returns `this`. */
  insert(index: number, module: AnyModule): this {
    return insertAt(this, this._entries, index, module);
  }
  /**
   * A new Sequential of the modules in `[start, end)`, keeping their keys, as PyTorch's
   * `seq[start:end]`. The modules are shared, not copied.
   */
  slice(start?: number, end?: number): Sequential {
    const [s, e] = sliceBounds(this.length, start, end);
    return new Sequential(new Map([...this._entries].slice(s, e)));
  }
  forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this._entries.values()) x = m(x);
    return x as Tensor;
  }
}

/** Inserts at a position and renumbers the keys `'0'`, `'1'`, ... (PyTorch's `insert`). */
function insertAt<T extends ModuleSequence<never, unknown>>(self: T, entries: Map<string, AnyModule>, index: number, module: AnyModule): T {
  const cls = self.constructor.name;
  const where = `${cls}.insert()`;
  const m = checkModule(where, module);
  const i = position(where, cls, index, entries.size, true);
  const list = [...entries.values()];
  list.splice(i, 0, m);
  entries.clear();
  list.forEach((x, k) => entries.set(String(k), x));
  return self;
}

/**
 * A list of modules whose parameters the model owns (`nn.ModuleList`), named `'0'`, `'1'`, ...
 * It is not callable: iterate it in your own `forward`.
 *
 * @example
 * ```ts
 * class Net extends Module {
 *   layers = new ModuleList([new Linear(8, 8), new Linear(8, 8)]);
 *   forward(x: Tensor) { for (const l of this.layers) x = l(x).relu(); return x; }
 * }
 * Object.keys(new Net().stateDict()); // ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', ...]
 * ```
 */
export class ModuleList extends ModuleSequence<unknown[], never> {
  constructor(modules: Iterable<AnyModule> = []) {
    super();
    this.extend(modules);
  }
  /** Inserts a module at position `index`; later ones move up. Returns `this`. */
  insert(index: number, module: AnyModule): this {
    return insertAt(this, this._entries, index, module);
  }
  /** A new ModuleList of the modules in `[start, end)`, renumbered from 0 (PyTorch's `list[start:end]`). */
  slice(start?: number, end?: number): ModuleList {
    const [s, e] = sliceBounds(this.length, start, end);
    return new ModuleList([...this._entries.values()].slice(s, e));
  }
  forward(): never {
    throw new ArgumentError('ModuleList is not callable: iterate over it in your forward (for (const layer of this.layers) x = layer(x))');
  }
}

/**
 * Modules by name, in insertion order (`nn.ModuleDict`), with the methods of a Map. Iterating
 * yields `[key, module]` pairs, as a Map does. It is not callable.
 *
 * @example
 * ```ts
 * const heads = new ModuleDict({ cls: new Linear(8, 4), box: new Linear(8, 4) });
 * heads.get('cls')!(features);
 * [...heads.keys()]; // ['cls', 'box']
 * ```
 */
export class ModuleDict extends Module<unknown[], never> {
  readonly #modules = new Map<string, AnyModule>();
  constructor(modules: Record<string, AnyModule> | Iterable<readonly [string, AnyModule]> = {}) {
    super();
    this.update(modules);
  }
  override *namedChildren(): Generator<[string, AnyModule]> {
    yield* this.#modules;
    yield* super.namedChildren();
  }
  /** The module under `key`, or undefined (`dict[key]`). */
  get(key: string): AnyModule | undefined {
    return this.#modules.get(key);
  }
  /** Adds or replaces the module under `key`. Returns `this`. */
  set(key: string, module: AnyModule): this {
    this.#modules.set(checkKey('ModuleDict.set()', key), checkModule(`ModuleDict.set(): '${key}'`, module));
    return this;
  }
  /** Whether `key` is present (`key in dict`). */
  has(key: string): boolean {
    return this.#modules.has(key);
  }
  /** Removes `key`; returns whether it was present (`del dict[key]`). */
  delete(key: string): boolean {
    return this.#modules.delete(key);
  }
  /** Removes every entry. */
  clear(): void {
    this.#modules.clear();
  }
  /** Adds or replaces the entries of an object, Map or list of pairs, in order. Returns `this`. */
  update(modules: Record<string, AnyModule> | Iterable<readonly [string, AnyModule]>): this {
    const entries = Symbol.iterator in Object(modules) ? (modules as Iterable<readonly [string, AnyModule]>) : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
    return this;
  }
  /** How many entries there are (`len(dict)`). */
  get size(): number {
    return this.#modules.size;
  }
  /** The keys, in order. */
  keys(): IterableIterator<string> {
    return this.#modules.keys();
  }
  /** The modules, in order. */
  values(): IterableIterator<AnyModule> {
    return this.#modules.values();
  }
  /** `[key, module]` pairs, in order. */
  entries(): IterableIterator<[string, AnyModule]> {
    return this.#modules.entries();
  }
  /** `[key, module]` pairs, in order, as a Map iterates. */
  [Symbol.iterator](): IterableIterator<[string, AnyModule]> {
    return this.#modules.entries();
  }
  forward(): never {
    throw new ArgumentError("ModuleDict is not callable: call its entries in your forward (this.heads.get('cls')!(x))");
  }
}

/**
 * A list of parameters owned by the model (`nn.ParameterList`), named `'0'`, `'1'`, ... in the
 * state dict. Tensors that are not Parameters are made Parameters, as in PyTorch.
 *
 * @example
 * ```ts
 * class Mix extends Module {
 *   scales = new ParameterList([ones([4]), ones([4])]);
 *   forward(x: Tensor) { return x.mul(this.scales.at(0)).add(this.scales.at(1)); }
 * }
 * Object.keys(new Mix().stateDict()); // ['scales.0', 'scales.1']
 * ```
 */
export class ParameterList extends Module<unknown[], never> {
  readonly #params: Parameter[] = [];
  constructor(params: Iterable<Tensor> = []) {
    super();
    this.extend(params);
  }
  /** @internal */
  override *_ownParameters(): Generator<[string, Parameter]> {
    for (let i = 0; i < this.#params.length; i++) yield [String(i), this.#params[i]!];
    yield* super._ownParameters();
  }
  /** How many parameters there are. */
  override get length(): number {
    return this.#params.length;
  }
  /** The parameter at `index`; negative counts from the end. */
  at(index: number): Parameter {
    return this.#params[position('ParameterList.at()', 'ParameterList', index, this.length)]!;
  }
  /** Replaces the parameter at `index`. Returns `this`. */
  set(index: number, param: Tensor): this {
    this.#params[position('ParameterList.set()', 'ParameterList', index, this.length)] = asParameter('ParameterList.set()', param);
    return this;
  }
  /** Adds a parameter at the end. Returns `this`. */
  append(param: Tensor): this {
    this.#params.push(asParameter('ParameterList.append()', param));
    return this;
  }
  /** Appends each tensor in turn. Returns `this`. */
  extend(params: Iterable<Tensor>): this {
    for (const p of params) this.append(p);
    return this;
  }
  /** The parameters, in order. */
  *[Symbol.iterator](): Iterator<Parameter> {
    yield* this.#params;
  }
  forward(): never {
    throw new ArgumentError('ParameterList is not callable: read its parameters with at(i) or iterate over it');
  }
  override extraRepr(): string {
    return this.#params.map((p, i) => `  (${i}): Parameter containing: [${p.dtype} of size ${p.shape.join('x')}]`).join('\n');
  }
  /** PyTorch's `print()` layout, which puts a multi-line `extraRepr` one entry per line. */
  override toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [...this.namedChildren()].map(([k, m]) => `(${k}): ${m.toString().replace(/\n/g, '\n  ')}`);
    const lines = [...extraLines, ...childLines];
    if (lines.length === 0) return 'ParameterList()';
    if (extraLines.length === 1 && childLines.length === 0) return `ParameterList(${extraLines[0]})`;
    return `ParameterList(\n  ${lines.join('\n  ')}\n)`;
  }
}

function asParameter(where: string, t: unknown): Parameter {
  if (t instanceof Parameter) return t;
  if (t instanceof Tensor) return new Parameter(t);
  throw new ArgumentError(`${where}: expected a Tensor or Parameter (got ${describe(t)})`);
}
