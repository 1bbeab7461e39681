/**
 * `Dropout` and `Dropout2d`: active in training mode, the identity in evaluation mode
 * (`model.eval()`). Masks come from Flint's default generator, or from `generator`.
 * @module
 */
import type { Generator } from '../../random/generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkP, dropout, dropout2d } from '../functional/dropout.js';
import { Module } from '../module.js';
import { formatFloat } from './activation.js';

/** Options of {@link Dropout} and {@link Dropout2d}. @example `new Dropout(0.1, { generator: new Generator(0) })` */
export interface DropoutModuleOptions {
  /** Write the result into the input (default false). */
  inplace?: boolean;
  /** The generator masks are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` during training and scales the rest by
 * `1 / (1 - p)` (`nn.Dropout`); returns the input unchanged in evaluation mode.
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.2);
 * drop(x);          // training: about 20% zeros
 * drop.eval();
 * drop(x) === x;    // true
 * ```
 */
export class Dropout extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  /** The generator masks are drawn from, when not the default one. */
  readonly generator: Generator | undefined;
  constructor(
    readonly p = 0.5,
    options: DropoutModuleOptions = {},
  ) {
    super();
    checkP('Dropout', p);
    this.inplace = options.inplace ?? false;
    this.generator = options.generator;
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, inplace: this.inplace, generator: this.generator });
  }
  override extraRepr(): string {
    return `p=${formatFloat(this.p)}, inplace=${this.inplace}`;
  }
}

/**
 * Zeroes whole channels (`x[n, c]`) with probability `p` during training (`nn.Dropout2d`), for
 * `[N, C, H, W]` input; the identity in evaluation mode. As in PyTorch 1.13, 3-D input is read
 * as `[N, C, L]`.
 *
 * @example
 * ```ts
 * const drop = new Dropout2d(0.1);
 * drop(randn([8, 16, 5, 5])).shape; // [8, 16, 5, 5]
 * ```
 */
export class Dropout2d extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  /** The generator masks are drawn from, when not the default one. */
  readonly generator: Generator | undefined;
  constructor(
    readonly p = 0.5,
    options: DropoutModuleOptions = {},
  ) {
    super();
    checkP('Dropout2d', p);
    this.inplace = options.inplace ?? false;
    this.generator = options.generator;
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training, inplace: this.inplace, generator: this.generator });
  }
  override extraRepr(): string {
    return `p=${formatFloat(this.p)}, inplace=${this.inplace}`;
  }
}
