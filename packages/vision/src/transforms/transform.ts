/**
 * The base of every transform class: callable like a function (`t(img)`, as in torchvision),
 * with `forward` holding the work, a PyTorch-style `toString()`, and a `workerDescriptor()` so a
 * DataLoader worker can rebuild it from its constructor arguments.
 * @module
 */
import { ArgumentError, rand, randint as randintTensor, randn as randnTensor, randperm as randpermTensor, type Generator } from '@flint/core';

/** Transforms are callable: `t(x)` is `t.forward(x)`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Transform<In = unknown, Out = unknown> {
  (input: In): Out;
}

/** How a worker rebuilds a transform: `new (await import(module))[exportName](...args)`. */
export interface TransformDescriptor {
  module: string;
  exportName: string;
  args: readonly unknown[];
}

/** The module every transform class is exported from (the transforms index). */
const INDEX_URL = import.meta.url.replace(/transform\.(ts|js)$/, 'index.$1');

/**
 * The base class of transforms (the torchvision `transforms` classes are `nn.Module`s or plain
 * callables). Subclasses validate and store their parameters in the constructor, pass the
 * constructor's arguments to `super(...)` (for `toString` and `workerDescriptor`), and implement
 * `forward`.
 *
 * @example
 * ```ts
 * class AddOne extends Transform<Tensor, Tensor> {
 *   constructor() { super(); }
 *   forward(x: Tensor) { return x.add(1); }
 * }
 * const t = new AddOne();
 * t(flint.zeros([2])); // tensor([1, 1])
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Transform<In = unknown, Out = unknown> {
  /** The constructor's arguments, as given. @internal */
  declare readonly _args: readonly unknown[];

  constructor(...args: unknown[]) {
    const self = ((input: In): Out => (self as unknown as Transform<In, Out>).forward(input)) as unknown as Transform<In, Out>;
    // A function object carries `name` and `length`; transforms may want fields of those names.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, '_args', { value: args, enumerable: false, writable: false });
    return self;
  }

  /** Applies the transform; calling the transform itself does the same. */
  abstract forward(input: In): Out;

  /** `Name(arg, ...)`, as torchvision's `__repr__`. */
  toString(): string {
    const show = (v: unknown): string => {
      if (typeof v === 'function') return (v as { toString(): string }).toString === Function.prototype.toString ? `<function ${v.name || 'anonymous'}>` : String(v);
      if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
      if (typeof v === 'object' && v !== null) {
        if (v.constructor !== Object) return String(v);
        return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')} }`;
      }
      return typeof v === 'string' ? `'${v}'` : String(v);
    };
    return `${this.constructor.name}(${this._args.map(show).join(', ')})`;
  }

  /** How a DataLoader worker rebuilds this transform (its class and constructor arguments). */
  workerDescriptor(): TransformDescriptor {
    return { module: INDEX_URL, exportName: this.constructor.name, args: this._args };
  }

  /** @internal */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Options every random transform takes. */
export interface RandomOptions {
  /** The generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** One float uniform in [low, high) (`torch.empty(1).uniform_(low, high)`). @internal */
export function uniform(low: number, high: number, generator?: Generator): number {
  const t = rand([1], { generator });
  const u = t.dataSync()[0]!;
  t.dispose();
  return low + u * (high - low);
}

/** One integer in [low, high) (`torch.randint(low, high, (1,))`). @internal */
export function randint(low: number, high: number, generator?: Generator): number {
  const t = randintTensor(low, high, [1], { generator });
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** A random permutation of 0..n-1 (`torch.randperm`). @internal */
export function randperm(n: number, generator?: Generator): number[] {
  const t = randpermTensor(n, { generator });
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** `n` standard normal floats. @internal */
export function normal(n: number, generator?: Generator): Float32Array {
  const t = randnTensor([n], { generator });
  const v = Float32Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Whether a draw `torch.rand(1) < p` succeeds. @internal */
export function chance(p: number, generator?: Generator): boolean {
  return uniform(0, 1, generator) < p;
}

/** Checks a probability option. @internal */
export function checkP(fn: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`${fn}: p must be a probability in [0, 1] (got ${p})`);
  return p;
}
