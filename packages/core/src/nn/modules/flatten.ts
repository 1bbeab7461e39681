/**
 * `Flatten` and `Unflatten`: reshaping layers for `Sequential` models.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { flatten, reshape } from '../../ops/shape.js';
import { normDim } from '../../ops/util.js';
import { Module } from '../module.js';

/**
 * Flattens dimensions `startDim..endDim` into one (`nn.Flatten`); by default every dimension but
 * the batch dimension.
 *
 * @example
 * ```ts
 * new Flatten()(zeros([32, 1, 28, 28])).shape;        // [32, 784]
 * new Flatten(0, 1)(zeros([2, 3, 4])).shape;          // [6, 4]
 * ```
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new ArgumentError(`Flatten(): startDim and endDim must be integers (got ${describe(startDim)} and ${describe(endDim)})`);
    }
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Splits dimension `dim` into `unflattenedSize` (`nn.Unflatten`); one size may be -1.
 *
 * @example
 * ```ts
 * new Unflatten(1, [2, 5])(zeros([3, 10])).shape;  // [3, 2, 5]
 * new Unflatten(-1, [4, -1])(zeros([8])).shape;    // [4, 2]
 * ```
 */
export class Unflatten extends Module {
  /** The sizes that dimension `dim` is split into. */
  readonly unflattenedSize: readonly number[];
  constructor(
    readonly dim: number,
    unflattenedSize: readonly number[],
  ) {
    super();
    if (!Number.isInteger(dim)) throw new ArgumentError(`Unflatten(): dim must be an integer (got ${describe(dim)})`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || unflattenedSize.some((s) => !Number.isInteger(s) || s < -1)) {
      throw new ArgumentError(`Unflatten(): unflattenedSize must be a non-empty array of integers >= 0 or -1 (got ${describe(unflattenedSize)})`);
    }
    this.unflattenedSize = [...unflattenedSize];
  }
  forward(x: Tensor): Tensor {
    const d = normDim('Unflatten', this.dim, x.ndim);
    const size = x.shape[d]!;
    const known = this.unflattenedSize.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const free = this.unflattenedSize.filter((s) => s === -1).length;
    if (free === 0 ? known !== size : free > 1 || known === 0 || size % known !== 0) {
      throw new ShapeError(
        `Unflatten(): unflattenedSize [${this.unflattenedSize.join(', ')}] does not fit dimension ${this.dim} of size ${size} (input shape [${x.shape.join(', ')}])`,
      );
    }
    return reshape(x, [...x.shape.slice(0, d), ...this.unflattenedSize, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.unflattenedSize.join(', ')}]`;
  }
}
