/**
 * Activation layers (`torch.nn` activations): each stores its options and calls the function of
 * the same name in `nn/functional`. `toString()` prints like PyTorch's `print(module)`, with
 * Flint's camelCase option names (`LeakyReLU(negativeSlope=0.01)`).
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import { full } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/activation.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/**
 * A number as Python prints a float: `1.0`, `0.01`, `1e-05`, `inf` (PyTorch's reprs show float
 * options that way). @internal
 *
 * @example
 * ```ts
 * formatFloat(1); // '1.0'
 * formatFloat(1e-5); // '1e-05'
 * ```
 */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** `inplace=true` when set, for PyTorch's reprs of in-place-capable layers. */
function inplaceRepr(inplace: boolean, lead = ''): string {
  return inplace ? `${lead}inplace=true` : '';
}

/**
 * `max(x, 0)` elementwise (`nn.ReLU`).
 *
 * @example
 * ```ts
 * const act = new ReLU();
 * act(tensor([-1, 2])).tolist(); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.relu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * `min(max(x, 0), 6)` elementwise (`nn.ReLU6`).
 *
 * @example
 * ```ts
 * new ReLU6()(tensor([-1, 8])).tolist(); // [0, 6]
 * ```
 */
export class ReLU6 extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.relu6(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * `x` where positive, else `negativeSlope * x` (`nn.LeakyReLU`).
 *
 * @example
 * ```ts
 * new LeakyReLU(0.2)(tensor([-1, 1])).tolist(); // [-0.2, 1]
 * ```
 */
export class LeakyReLU extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(
    readonly negativeSlope = 0.01,
    options: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = options.inplace ?? false;
    F.checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negativeSlope=${formatFloat(this.negativeSlope)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

/**
 * Leaky ReLU with learned slopes (`nn.PReLU`): one shared slope, or one per channel
 * (`numParameters` = the size of dimension 1), each starting at `init`.
 *
 * @example
 * ```ts
 * const act = new PReLU(16); // one slope per channel of [N, 16, H, W] input
 * act.weight.shape; // [16]
 * ```
 */
export class PReLU extends Module {
  /** The slopes, `[numParameters]`. */
  weight: Parameter;
  constructor(
    readonly numParameters = 1,
    init = 0.25,
  ) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) {
      throw new ArgumentError(`PReLU(): numParameters must be an integer >= 1 (got ${describe(numParameters)})`);
    }
    const w = full([numParameters], F.checkNumber('PReLU', 'init', init));
    this.weight = new Parameter(w);
    w.dispose();
  }
  forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

/**
 * `x` where positive, else `alpha * (exp(x) - 1)` (`nn.ELU`).
 *
 * @example
 * ```ts
 * new ELU()(tensor([-1, 1])).tolist(); // [-0.6321, 1]
 * ```
 */
export class ELU extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(
    readonly alpha = 1,
    options: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = options.inplace ?? false;
    F.checkNumber('ELU', 'alpha', alpha);
  }
  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${formatFloat(this.alpha)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

/**
 * Self-normalising ELU (`nn.SELU`).
 *
 * @example
 * ```ts
 * new SELU()(tensor([1])).item(); // 1.0507
 * ```
 */
export class SELU extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.selu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * Gaussian error linear unit (`nn.GELU`), exact or with `approximate: 'tanh'`.
 *
 * @example
 * ```ts
 * const act = new GELU({ approximate: 'tanh' });
 * act.toString(); // "GELU(approximate='tanh')"
 * ```
 */
export class GELU extends Module {
  /** `'none'` or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';
  constructor(options: F.GeluOptions = {}) {
    super();
    const a = options.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new ArgumentError(`GELU(): approximate must be 'none' or 'tanh' (got ${describe(a)})`);
    this.approximate = a;
  }
  forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * `x * sigmoid(x)` (`nn.SiLU`).
 *
 * @example
 * ```ts
 * new SiLU()(tensor([1])).item(); // 0.7311
 * ```
 */
export class SiLU extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.silu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * `x * tanh(softplus(x))` (`nn.Mish`).
 *
 * @example
 * ```ts
 * new Mish()(tensor([1])).item(); // 0.8651
 * ```
 */
export class Mish extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.mish(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/**
 * The logistic function (`nn.Sigmoid`).
 *
 * @example
 * ```ts
 * new Sigmoid()(tensor([0])).item(); // 0.5
 * ```
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/**
 * Hyperbolic tangent (`nn.Tanh`).
 *
 * @example
 * ```ts
 * new Tanh()(tensor([0])).item(); // 0
 * ```
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/**
 * Clamps to `[minVal, maxVal]` (`nn.Hardtanh`).
 *
 * @example
 * ```ts
 * new Hardtanh(-2, 2)(tensor([-3, 3])).tolist(); // [-2, 2]
 * ```
 */
export class Hardtanh extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
    options: F.InplaceOptions = {},
  ) {
    super();
    this.inplace = options.inplace ?? false;
    F.checkNumber('Hardtanh', 'minVal', minVal);
    F.checkNumber('Hardtanh', 'maxVal', maxVal);
    if (maxVal <= minVal) throw new ArgumentError(`Hardtanh(): maxVal (${maxVal}) must be greater than minVal (${minVal})`);
  }
  forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `minVal=${formatFloat(this.minVal)}, maxVal=${formatFloat(this.maxVal)}${inplaceRepr(this.inplace, ', ')}`;
  }
}

/**
 * `x * relu6(x + 3) / 6` (`nn.Hardswish`).
 *
 * @example
 * ```ts
 * new Hardswish()(tensor([4])).item(); // 4
 * ```
 */
export class Hardswish extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.hardswish(x, { inplace: this.inplace });
  }
}

/**
 * `relu6(x + 3) / 6` (`nn.Hardsigmoid`).
 *
 * @example
 * ```ts
 * new Hardsigmoid()(tensor([0])).item(); // 0.5
 * ```
 */
export class Hardsigmoid extends Module {
  /** Whether forward writes into its input. */
  readonly inplace: boolean;
  constructor(options: F.InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  forward(x: Tensor): Tensor {
    return F.hardsigmoid(x, { inplace: this.inplace });
  }
}

/**
 * `log(1 + exp(beta * x)) / beta`, linear past `threshold` (`nn.Softplus`).
 *
 * @example
 * ```ts
 * new Softplus()(tensor([0])).item(); // 0.6931
 * ```
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    F.checkNumber('Softplus', 'beta', beta);
    F.checkNumber('Softplus', 'threshold', threshold);
  }
  forward(x: Tensor): Tensor {
    return F.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * `x / (1 + |x|)` (`nn.Softsign`).
 *
 * @example
 * ```ts
 * new Softsign()(tensor([1])).item(); // 0.5
 * ```
 */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return F.softsign(x);
  }
}

function checkDim(cls: string, dim: unknown): number {
  if (!Number.isInteger(dim)) {
    throw new ArgumentError(`${cls}(): dim must be an integer (got ${describe(dim)}); PyTorch's implicit choice of dim is deprecated, pass e.g. new ${cls}(1)`);
  }
  return dim as number;
}

/**
 * Softmax along `dim` (`nn.Softmax`).
 *
 * @example
 * ```ts
 * const probs = new Softmax(1)(logits); // rows sum to 1
 * ```
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim('Softmax', dim);
  }
  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-softmax along `dim` (`nn.LogSoftmax`).
 *
 * @example
 * ```ts
 * const logp = new LogSoftmax(1)(logits);
 * ```
 */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim('LogSoftmax', dim);
  }
  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
