/**
 * `MultiheadAttention` (`nn.MultiheadAttention`), with PyTorch's parameters (`in_proj_weight`,
 * `in_proj_bias`, `out_proj.weight`, `out_proj.bias`, or `q_proj_weight`/`k_proj_weight`/
 * `v_proj_weight` when `kdim`/`vdim` differ from `embedDim`; `bias_k`, `bias_v` with
 * `addBiasKv`) and initialisation. The computation is `multiHeadAttentionForward`.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import type { Generator } from '../../random/generator.js';
import { scope } from '../../memory/scope.js';
import { Tensor } from '../../tensor/tensor.js';
import { mhaForward } from '../functional/attention.js';
import { checkP } from '../functional/dropout.js';
import { constant_, xavierNormal_, xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { Linear, emptyParameter } from './linear.js';

/** Options of {@link MultiheadAttention} (PyTorch's keyword arguments). */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learn a bias key and value appended to the keys and values (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value (default false). */
  addZeroAttn?: boolean;
  /** Features of the keys (default embedDim). */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output are `[batch, seq, feature]` (default false: `[seq, batch, feature]`). */
  batchFirst?: boolean;
  /** The generator of the initial weights and of the dropout masks (default: the global one). */
  generator?: Generator;
}

/** Options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** `[batch, S]` (`[S]` unbatched): bool, true = ignore that key (padding); or float, added. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** `[L, S]` or `[batch * numHeads, L, S]`: bool, true = may not attend; or float, added. */
  attnMask?: Tensor | null;
  /** Average the weights over heads (default true): `[batch, L, S]`; else `[batch, numHeads, L, S]`. */
  averageAttnWeights?: boolean;
}

function checkDim(arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`MultiheadAttention(): ${arg} must be an integer >= 1 (got ${describe(v)})`);
  return v;
}

/**
 * Multi-head attention (`nn.MultiheadAttention`): `forward(query, key, value, options?)` returns
 * `[attnOutput, attnWeights]`; attnOutput is `[L, batch, embedDim]` (`[batch, L, embedDim]` with
 * `batchFirst`, `[L, embedDim]` unbatched), attnWeights `[batch, L, S]` averaged over heads, or
 * null with `needWeights: false`.
 *
 * @example
 * ```ts
 * const mha = new MultiheadAttention(64, 8, { batchFirst: true });
 * const x = randn([2, 10, 64]);
 * const padMask = arange(10).ge(8).expand([2, 10]); // the last two keys of each sequence are padding
 * const [out, weights] = mha(x, x, x, { keyPaddingMask: padMask });
 * out.shape;      // [2, 10, 64]
 * weights!.shape; // [2, 10, 10]
 * ```
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;
  /** The generator of the dropout masks (undefined: the global one). */
  generator: Generator | undefined;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  /** The output projection `[embedDim, embedDim]`. */
  declare out_proj: Linear;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    this.embedDim = checkDim('embedDim', embedDim);
    this.numHeads = checkDim('numHeads', numHeads);
    this.kdim = checkDim('kdim', options.kdim ?? embedDim);
    this.vdim = checkDim('vdim', options.vdim ?? embedDim);
    if (embedDim % numHeads !== 0) throw new ArgumentError(`MultiheadAttention(): embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    this.headDim = embedDim / numHeads;
    this.dropout = checkP('MultiheadAttention', options.dropout ?? 0);
    this.batchFirst = options.batchFirst ?? false;
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.generator = options.generator;
    const bias = options.bias ?? true;
    // PyTorch's registration order, which is the state dict's order.
    if (this.sameEmbedDim) {
      this.in_proj_weight = emptyParameter([3 * embedDim, embedDim]);
    } else {
      this.q_proj_weight = emptyParameter([embedDim, embedDim]);
      this.k_proj_weight = emptyParameter([embedDim, this.kdim]);
      this.v_proj_weight = emptyParameter([embedDim, this.vdim]);
    }
    this.in_proj_bias = bias ? emptyParameter([3 * embedDim]) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias, generator: options.generator });
    this.bias_k = options.addBiasKv ? emptyParameter([1, 1, embedDim]) : null;
    this.bias_v = options.addBiasKv ? emptyParameter([1, 1, embedDim]) : null;
    this.resetParameters(options.generator);
  }

  /** Whether keys and values have `embedDim` features (one packed `in_proj_weight`). */
  get sameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /**
   * PyTorch's `_reset_parameters`: xavier-uniform projections, zero biases, xavier-normal
   * `bias_k`/`bias_v`.
   */
  resetParameters(generator?: Generator): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) {
      if (w) xavierUniform_(w, 1, { generator });
    }
    if (this.in_proj_bias) {
      constant_(this.in_proj_bias, 0);
      if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    }
    if (this.bias_k) xavierNormal_(this.bias_k, 1, { generator });
    if (this.bias_v) xavierNormal_(this.bias_v, 1, { generator });
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const swap = this.batchFirst && query instanceof Tensor && query.ndim === 3;
    return scope(() => {
      let [q, k, v] = [query, key, value];
      if (swap) {
        // Transposed once per distinct tensor, so the packed projection still sees q === k === v.
        q = query.transpose(0, 1);
        k = key === query ? q : key.transpose(0, 1);
        v = value === key ? k : value === query ? q : value.transpose(0, 1);
      }
      const [out, weights] = mhaForward('MultiheadAttention.forward()', q, k, v, this.embedDim, this.numHeads, this.in_proj_weight ?? null,
        this.in_proj_bias ?? null, this.bias_k ?? null, this.bias_v ?? null, this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias, {
          training: this.training,
          keyPaddingMask: options.keyPaddingMask,
          needWeights: options.needWeights,
          attnMask: options.attnMask,
          averageAttnWeights: options.averageAttnWeights,
          useSeparateProjWeight: !this.sameEmbedDim,
          qProjWeight: this.q_proj_weight,
          kProjWeight: this.k_proj_weight,
          vProjWeight: this.v_proj_weight,
          generator: this.generator,
        });
      return [swap ? out.transpose(0, 1) : out, weights];
    });
  }

  override extraRepr(): string {
    let s = `embedDim=${this.embedDim}, numHeads=${this.numHeads}`;
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (!this.sameEmbedDim) s += `, kdim=${this.kdim}, vdim=${this.vdim}`;
    if (this.batchFirst) s += ', batchFirst=true';
    return s;
  }
}
