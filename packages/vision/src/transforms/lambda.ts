/**
 * `Lambda`: a user function as a transform (`transforms.Lambda`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { Transform } from './transform.js';

/**
 * Wraps a function as a transform (`transforms.Lambda`). Functions cannot be sent to DataLoader
 * workers; use an exported Transform subclass there.
 *
 * @example
 * ```ts
 * const double = new Lambda((x: Tensor) => x.mul(2));
 * ```
 */
export class Lambda<In = unknown, Out = unknown> extends Transform<In, Out> {
  readonly lambd: (input: In) => Out;

  constructor(lambd: (input: In) => Out) {
    super(lambd);
    if (typeof lambd !== 'function') throw new ArgumentError(`Lambda(): lambd must be a function (got ${lambd === null ? 'null' : typeof lambd})`);
    this.lambd = lambd;
  }

  forward(input: In): Out {
    return this.lambd(input);
  }
}
