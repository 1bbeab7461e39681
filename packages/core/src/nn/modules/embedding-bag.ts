/**
 * `EmbeddingBag`: an embedding table reduced per bag of indices (sum, mean or max), the usual
 * first layer of a bag-of-words text classifier. Initialised from N(0, 1) with the padding row
 * zeroed, as in PyTorch.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { Generator } from '../../random/generator.js';
import { Tensor } from '../../tensor/tensor.js';
import { embeddingBag, type EmbeddingBagMode } from '../functional/embedding-bag.js';
import { normalizePaddingIdx } from '../functional/embedding.js';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { formatFloat } from './activation.js';
import { emptyParameter } from './linear.js';

/** Options of {@link EmbeddingBag}. @example `new EmbeddingBag(1000, 64, { mode: 'sum', paddingIdx: 0 })` */
export interface EmbeddingBagModuleOptions {
  /** Rows looked up whose norm exceeds this are rescaled to it, in place; default none. */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by its index's frequency in the batch (default false; not with `'max'`). */
  scaleGradByFreq?: boolean;
  /** `'sum'`, `'mean'` (default) or `'max'` of the rows of each bag. */
  mode?: EmbeddingBagMode;
  /** Sparse gradients are not supported; must be false. */
  sparse?: boolean;
  /** `offsets` holds one more entry than there are bags: the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** This row starts at zero, is left out of every bag and gets no gradient (negative counts from the end); default none. */
  paddingIdx?: number | null;
  /** Initial values `[numEmbeddings, embeddingDim]` instead of N(0, 1) (PyTorch's `_weight`). */
  weight?: Tensor;
  /** The generator the initial values are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Options of {@link EmbeddingBag.fromPretrained}. @example `EmbeddingBag.fromPretrained(vectors, { freeze: false, mode: 'sum' })` */
export interface EmbeddingBagFromPretrainedOptions extends Omit<EmbeddingBagModuleOptions, 'weight' | 'generator'> {
  /** Keep the vectors fixed: the weight does not require grad (default true). */
  freeze?: boolean;
}

function checkCount(arg: string, n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 0) throw new ArgumentError(`EmbeddingBag(): ${arg} must be an integer >= 0 (got ${describe(n)})`);
  return n as number;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim` whose rows are summed, averaged or
 * max-pooled per bag of int32 indices (`nn.EmbeddingBag`), without materialising the embeddings
 * of every index for sum and mean. `forward(input, offsets?, perSampleWeights?)` takes a 2-D
 * input (one bag per row) or a 1-D input cut into bags at `offsets`, and returns
 * `[bags, embeddingDim]`; see {@link embeddingBag}. The weight starts from N(0, 1); the
 * `paddingIdx` row starts at zero and is left out of every bag.
 *
 * @example
 * ```ts
 * const bag = new EmbeddingBag(1000, 64); // mode 'mean'
 * const text = tensor([5, 7, 9, 2, 5], { dtype: 'int32' });   // two texts, back to back
 * const offsets = tensor([0, 3], { dtype: 'int32' });          // where each one starts
 * bag(text, offsets).shape; // [2, 64]
 * ```
 */
export class EmbeddingBag extends Module<[input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null], Tensor> {
  /** The vectors, `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly mode: EmbeddingBagMode;
  readonly sparse: boolean;
  readonly includeLastOffset: boolean;
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingBagModuleOptions = {},
  ) {
    super();
    checkCount('numEmbeddings', numEmbeddings);
    checkCount('embeddingDim', embeddingDim);
    this.paddingIdx = normalizePaddingIdx('EmbeddingBag', options.paddingIdx, numEmbeddings);
    this.maxNorm = options.maxNorm ?? null;
    if (this.maxNorm !== null && !(typeof this.maxNorm === 'number' && this.maxNorm >= 0)) {
      throw new ArgumentError(`EmbeddingBag(): maxNorm must be a number >= 0 (got ${describe(this.maxNorm)})`);
    }
    this.normType = options.normType ?? 2;
    this.scaleGradByFreq = options.scaleGradByFreq ?? false;
    this.mode = options.mode ?? 'mean';
    if (!['sum', 'mean', 'max'].includes(this.mode)) throw new ArgumentError(`EmbeddingBag(): mode must be 'sum', 'mean' or 'max' (got ${describe(this.mode)})`);
    if (this.mode === 'max' && this.scaleGradByFreq) throw new ArgumentError("EmbeddingBag(): mode 'max' does not support scaleGradByFreq; use 'sum' or 'mean'");
    this.sparse = options.sparse ?? false;
    if (this.sparse) throw new ArgumentError('EmbeddingBag(): sparse gradients are not supported by Flint; use sparse: false (dense gradients)');
    this.includeLastOffset = options.includeLastOffset ?? false;
    const w = options.weight;
    if (w !== undefined) {
      if (!(w instanceof Tensor)) throw new ArgumentError(`EmbeddingBag(): weight must be a Tensor (got ${describe(w)})`);
      if (w.ndim !== 2 || w.shape[0] !== numEmbeddings || w.shape[1] !== embeddingDim) {
        throw new ShapeError(`EmbeddingBag(): weight must have shape [${numEmbeddings}, ${embeddingDim}] (got [${w.shape.join(', ')}])`);
      }
      this.weight = new Parameter(w.to('float32'));
    } else {
      this.weight = emptyParameter([numEmbeddings, embeddingDim]);
      this.resetParameters(options.generator);
    }
  }

  /**
   * An embedding bag whose weight is `embeddings` (`nn.EmbeddingBag.from_pretrained`), frozen
   * unless `freeze: false`. A pretrained padding row is kept as it is, as in PyTorch.
   *
   * @example
   * ```ts
   * const bag = EmbeddingBag.fromPretrained(vectors, { freeze: false, mode: 'sum' });
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingBagFromPretrainedOptions = {}): EmbeddingBag {
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
      throw new ShapeError(`EmbeddingBag.fromPretrained(): embeddings must be a 2-D Tensor (got ${describe(embeddings)})`);
    }
    const { freeze, ...rest } = options;
    const [n, d] = embeddings.shape as [number, number];
    const bag = new EmbeddingBag(n, d, { ...rest, weight: embeddings });
    bag.weight.requiresGrad = freeze === false;
    return bag;
  }

  /** Draws fresh values from N(0, 1) and zeroes the padding row, as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    const pad = this.paddingIdx;
    if (pad !== null) noGrad(() => this.weight.indexPut_([pad], 0));
  }

  forward(input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets,
      perSampleWeights,
      mode: this.mode,
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      includeLastOffset: this.includeLastOffset,
    });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, maxNorm=${formatFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, normType=${formatFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scaleGradByFreq=true';
    s += `, mode=${this.mode}`;
    if (this.includeLastOffset) s += ', includeLastOffset=true';
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    return s;
  }
}
