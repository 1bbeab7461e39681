/**
 * `Compose`: a list of transforms applied in order (`transforms.Compose`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Transform } from './transform.js';

/** Anything a pipeline can call: a transform or a plain function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TransformFn = (input: any) => any;

/** Checks a list of transforms. @internal */
export function checkTransforms(fn: string, transforms: readonly TransformFn[]): TransformFn[] {
  if (!Array.isArray(transforms)) throw new ArgumentError(`${fn}: transforms must be an array of transforms (got ${typeof transforms})`);
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new ArgumentError(`${fn}: transforms[${i}] must be a transform or a function (got ${t === null ? 'null' : typeof t})`);
  });
  return [...transforms];
}

/**
 * Applies `transforms` one after the other (`transforms.Compose`: a loop).
 *
 * @example
 * ```ts
 * const transform = new Compose([new ToTensor(), new Normalize([0.5], [0.5])]);
 * const x = transform(img); // Tensor [1, 28, 28]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class Compose<In = any, Out = any> extends Transform<In, Out> {
  readonly transforms: TransformFn[];

  constructor(transforms: readonly TransformFn[]) {
    super(transforms);
    this.transforms = checkTransforms('Compose()', transforms);
  }

  forward(input: In): Out {
    let x: unknown = input;
    for (const t of this.transforms) x = t(x);
    return x as Out;
  }

  override toString(): string {
    return `Compose(\n${this.transforms.map((t) => `    ${String(t)}`).join('\n')}\n)`;
  }
}
