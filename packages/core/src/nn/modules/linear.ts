/**
 * `Identity`, `Linear` and `Bilinear`, initialised as PyTorch initialises them, drawing from
 * Flint's generators (pass `generator` for a private stream).
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import type { Generator } from '../../random/generator.js';
import { zeros } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { bilinear, linear } from '../functional/linear.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of {@link Linear} and {@link Bilinear}. @example `new Linear(4, 2, { bias: false, generator: new Generator(0) })` */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** The generator the initial values are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** A zero parameter of `shape` (its values are set by an initialiser). @internal @example `this.weight = emptyParameter([out, in])` */
export function emptyParameter(shape: readonly number[]): Parameter {
  const t = zeros(shape);
  const p = new Parameter(t);
  t.dispose();
  return p;
}

function checkFeatures(cls: string, arg: string, n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 0) throw new ArgumentError(`${cls}(): ${arg} must be an integer >= 0 (got ${describe(n)})`);
  return n as number;
}

/**
 * Returns its input unchanged (`nn.Identity`); any constructor arguments are ignored, as in
 * PyTorch, so it can stand in for another layer.
 *
 * @example
 * ```ts
 * model.fc = new Identity(); // drop the classifier head, keep the features
 * ```
 */
export class Identity extends Module {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  constructor(..._args: unknown[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * `y = x W^T + b` (`nn.Linear`): `weight` is `[outFeatures, inFeatures]`, `bias` `[outFeatures]`.
 * Initialised as PyTorch does: `weight` by `kaimingUniform_(w, { a: sqrt(5) })`, i.e.
 * U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)), and `bias` from the same range.
 *
 * @example
 * ```ts
 * const fc = new Linear(784, 128);
 * fc(randn([32, 784])).shape; // [32, 128]
 * new Linear(4, 2, { bias: false }).toString(); // 'Linear(inFeatures=4, outFeatures=2, bias=false)'
 * ```
 */
export class Linear extends Module {
  /** `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** `[outFeatures]`, or null with `bias: false`. */
  bias: Parameter | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkFeatures('Linear', 'inFeatures', inFeatures);
    checkFeatures('Linear', 'outFeatures', outFeatures);
    this.weight = emptyParameter([outFeatures, inFeatures]);
    this.bias = options.bias === false ? null : emptyParameter([outFeatures]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    if (this.weight.numel() > 0) kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound, { generator });
    }
  }
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * `y = x1^T A x2 + b` (`nn.Bilinear`): `weight` is `[outFeatures, in1Features, in2Features]`,
 * `bias` `[outFeatures]`; both initialised from U(-1/sqrt(in1Features), 1/sqrt(in1Features)).
 *
 * @example
 * ```ts
 * const bil = new Bilinear(5, 3, 4);
 * bil(randn([8, 5]), randn([8, 3])).shape; // [8, 4]
 * ```
 */
export class Bilinear extends Module<[Tensor, Tensor], Tensor> {
  /** `[outFeatures, in1Features, in2Features]`. */
  weight: Parameter;
  /** `[outFeatures]`, or null with `bias: false`. */
  bias: Parameter | null;
  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkFeatures('Bilinear', 'in1Features', in1Features);
    checkFeatures('Bilinear', 'in2Features', in2Features);
    checkFeatures('Bilinear', 'outFeatures', outFeatures);
    this.weight = emptyParameter([outFeatures, in1Features, in2Features]);
    this.bias = options.bias === false ? null : emptyParameter([outFeatures]);
    this.resetParameters(options.generator);
  }
  /** Draws fresh initial values, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    const bound = this.in1Features > 0 ? 1 / Math.sqrt(this.in1Features) : 0;
    uniform_(this.weight, -bound, bound, { generator });
    if (this.bias !== null) uniform_(this.bias, -bound, bound, { generator });
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
