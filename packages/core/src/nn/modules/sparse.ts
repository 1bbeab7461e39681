/**
 * `Embedding`: a lookup table of learned vectors, initialised from N(0, 1) with the padding row
 * zeroed, as in PyTorch.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { Generator } from '../../random/generator.js';
import { Tensor } from '../../tensor/tensor.js';
import { embedding, normalizePaddingIdx } from '../functional/embedding.js';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { formatFloat } from './activation.js';
import { emptyParameter } from './linear.js';

/** Options of {@link Embedding}. @example `new Embedding(1000, 64, { paddingIdx: 0, maxNorm: 1 })` */
export interface EmbeddingModuleOptions {
  /** This row starts at zero and gets no gradient (negative counts from the end); default none. */
  paddingIdx?: number | null;
  /** Rows looked up whose norm exceeds this are rescaled to it, in place; default none. */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by its index's frequency in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients are not supported; must be false. */
  sparse?: boolean;
  /** Initial values `[numEmbeddings, embeddingDim]` instead of N(0, 1) (PyTorch's `_weight`). */
  weight?: Tensor;
  /** The generator the initial values are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Options of {@link Embedding.fromPretrained}. @example `Embedding.fromPretrained(vectors, { freeze: false })` */
export interface FromPretrainedOptions extends Omit<EmbeddingModuleOptions, 'weight' | 'generator'> {
  /** Keep the vectors fixed: the weight does not require grad (default true). */
  freeze?: boolean;
}

function checkCount(arg: string, n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 0) throw new ArgumentError(`Embedding(): ${arg} must be an integer >= 0 (got ${describe(n)})`);
  return n as number;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`, looked up by int32 index
 * (`nn.Embedding`). The weight starts from N(0, 1); the `paddingIdx` row starts at zero and
 * never receives a gradient.
 *
 * @example
 * ```ts
 * const emb = new Embedding(1000, 64, { paddingIdx: 0 });
 * emb(tensor([[5, 7, 0]], { dtype: 'int32' })).shape; // [1, 3, 64]
 * ```
 */
export class Embedding extends Module {
  /** The vectors, `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingModuleOptions = {},
  ) {
    super();
    checkCount('numEmbeddings', numEmbeddings);
    checkCount('embeddingDim', embeddingDim);
    this.paddingIdx = normalizePaddingIdx('Embedding', options.paddingIdx, numEmbeddings);
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    this.scaleGradByFreq = options.scaleGradByFreq ?? false;
    this.sparse = options.sparse ?? false;
    if (this.sparse) throw new ArgumentError('Embedding(): sparse gradients are not supported by Flint; use sparse: false (dense gradients)');
    const w = options.weight;
    if (w !== undefined) {
      if (!(w instanceof Tensor)) throw new ArgumentError(`Embedding(): weight must be a Tensor (got ${describe(w)})`);
      if (w.ndim !== 2 || w.shape[0] !== numEmbeddings || w.shape[1] !== embeddingDim) {
        throw new ShapeError(`Embedding(): weight must have shape [${numEmbeddings}, ${embeddingDim}] (got [${w.shape.join(', ')}])`);
      }
      this.weight = new Parameter(w.to('float32'));
    } else {
      this.weight = emptyParameter([numEmbeddings, embeddingDim]);
      this.resetParameters(options.generator);
    }
  }

  /**
   * An embedding whose weight is `embeddings` (`nn.Embedding.from_pretrained`), frozen unless
   * `freeze: false`.
   *
   * @example
   * ```ts
   * const emb = Embedding.fromPretrained(vectors, { freeze: false, paddingIdx: 0 });
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
      throw new ShapeError(`Embedding.fromPretrained(): embeddings must be a 2-D Tensor (got ${describe(embeddings)})`);
    }
    const { freeze, ...rest } = options;
    const [n, d] = embeddings.shape as [number, number];
    const emb = new Embedding(n, d, { ...rest, weight: embeddings });
    emb.weight.requiresGrad = freeze === false;
    return emb;
  }

  /** Draws fresh values from N(0, 1) and zeroes the padding row, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    const pad = this.paddingIdx;
    if (pad !== null) noGrad(() => this.weight.indexPut_([pad], 0));
  }
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
    });
  }
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, maxNorm=${formatFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, normType=${formatFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scaleGradByFreq=true';
    return s;
  }
}
