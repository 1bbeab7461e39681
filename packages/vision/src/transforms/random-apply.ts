/**
 * Random choices among transforms: `RandomApply` (all or none), `RandomChoice` (one),
 * `RandomOrder` (all, shuffled).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { checkTransforms, type TransformFn } from './compose.js';
import { checkP, randperm, Transform, uniform, type RandomOptions } from './transform.js';

/**
 * Applies the list of transforms with probability `p`, else none (`transforms.RandomApply`).
 *
 * @example
 * ```ts
 * new RandomApply([new ColorJitter({ brightness: 0.4 })], { p: 0.8 });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class RandomApply<T = any> extends Transform<T, T> {
  readonly transforms: TransformFn[];
  readonly p: number;
  readonly generator: RandomOptions['generator'];

  constructor(transforms: readonly TransformFn[], options: { p?: number } & RandomOptions = {}) {
    super(transforms, options);
    this.transforms = checkTransforms('RandomApply()', transforms);
    this.p = checkP('RandomApply()', options.p ?? 0.5);
    this.generator = options.generator;
  }

  forward(input: T): T {
    if (this.p < uniform(0, 1, this.generator)) return input;
    let x: unknown = input;
    for (const t of this.transforms) x = t(x);
    return x as T;
  }
}

/**
 * Applies one transform picked at random, with optional weights `p` (`transforms.RandomChoice`).
 *
 * @example
 * ```ts
 * new RandomChoice([new RandomRotation(10), new RandomHorizontalFlip({ p: 1 })], { p: [0.3, 0.7] });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class RandomChoice<T = any> extends Transform<T, T> {
  readonly transforms: TransformFn[];
  readonly p: number[];
  readonly generator: RandomOptions['generator'];

  constructor(transforms: readonly TransformFn[], options: { p?: readonly number[] } & RandomOptions = {}) {
    super(transforms, options);
    this.transforms = checkTransforms('RandomChoice()', transforms);
    if (this.transforms.length === 0) throw new ArgumentError('RandomChoice(): transforms must not be empty');
    const p = options.p ?? this.transforms.map(() => 1);
    if (!Array.isArray(p) || p.length !== this.transforms.length || p.some((v) => typeof v !== 'number' || !(v >= 0))) {
      throw new ArgumentError(`RandomChoice(): p must hold one weight >= 0 per transform (${this.transforms.length}) (got ${JSON.stringify(p)})`);
    }
    this.p = [...p];
    this.generator = options.generator;
  }

  forward(input: T): T {
    const total = this.p.reduce((a, b) => a + b, 0);
    const u = uniform(0, total, this.generator);
    let acc = 0;
    let idx = this.p.length - 1;
    for (let i = 0; i < this.p.length; i++) {
      acc += this.p[i]!;
      if (u < acc) {
        idx = i;
        break;
      }
    }
    return this.transforms[idx]!(input) as T;
  }
}

/**
 * Applies all transforms in a random order (`transforms.RandomOrder`).
 *
 * @example
 * ```ts
 * new RandomOrder([new RandomRotation(10), new ColorJitter({ contrast: 0.5 })]);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class RandomOrder<T = any> extends Transform<T, T> {
  readonly transforms: TransformFn[];
  readonly generator: RandomOptions['generator'];

  constructor(transforms: readonly TransformFn[], options: RandomOptions = {}) {
    super(transforms, options);
    this.transforms = checkTransforms('RandomOrder()', transforms);
    this.generator = options.generator;
  }

  forward(input: T): T {
    let x: unknown = input;
    for (const i of randperm(this.transforms.length, this.generator)) x = this.transforms[i]!(x);
    return x as T;
  }
}
