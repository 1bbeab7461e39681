/**
 * The base of the text transforms (`torchtext.transforms` are `nn.Module`s): callable like a
 * function (`t(tokens)`), with `forward` holding the work; and `Sequential`, which chains them.
 * @module
 */
import { ArgumentError } from '@flint/core';
import { describe } from '../util.js';

/** Transforms are callable: `t(x)` is `t.forward(x)`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Transform<In = unknown, Out = unknown> {
  (input: In): Out;
}

/**
 * The base class of text transforms: subclasses validate and store their parameters in the
 * constructor and implement `forward`.
 *
 * @example
 * ```ts
 * class Lower extends Transform<string, string> {
 *   forward(s: string) { return s.toLowerCase(); }
 * }
 * new Lower()('ABC'); // 'abc'
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Transform<In = unknown, Out = unknown> {
  constructor() {
    const self = ((input: In): Out => (self as unknown as Transform<In, Out>).forward(input)) as unknown as Transform<In, Out>;
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }

  /** Applies the transform; calling the transform itself does the same. */
  abstract forward(input: In): Out;
}

/** Anything {@link Sequential} can chain: a transform or a plain function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TransformFn = (input: any) => any;

/**
 * Applies transforms in order (`torchtext.transforms.Sequential`).
 *
 * @example
 * ```ts
 * const textTransform = new Sequential(getTokenizer('basic_english'), new VocabTransform(v), new Truncate(256), new AddToken(bos, { begin: true }));
 * textTransform('Hello world!'); // [bos, 17, 240, 9]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class Sequential<In = any, Out = any> extends Transform<In, Out> {
  readonly transforms: readonly TransformFn[];
  constructor(...transforms: TransformFn[]) {
    super();
    transforms.forEach((t, i) => {
      if (typeof t !== 'function') throw new ArgumentError(`Sequential(): transforms[${i}] must be a transform or a function (got ${describe(t)})`);
    });
    this.transforms = transforms;
  }
  forward(input: In): Out {
    let x: unknown = input;
    for (const t of this.transforms) x = t(x);
    return x as Out;
  }
}
