/**
 * `TransformerEncoderLayer` and `TransformerEncoder` (`nn.TransformerEncoderLayer`,
 * `nn.TransformerEncoder`) with PyTorch's submodule names (`self_attn`, `linear1`, `linear2`,
 * `norm1`, `norm2`, `layers.0...`), so that PyTorch state dicts load by name. Post-norm by
 * default, pre-norm with `normFirst`.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import type { Generator } from '../../random/generator.js';
import { Tensor } from '../../tensor/tensor.js';
import { gelu, relu } from '../functional/activation.js';
import { Module, type AnyModule } from '../module.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './container.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './normalization.js';

/** The activation of the feed-forward block: a name, a function or a module. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

/** Options of {@link TransformerEncoderLayer} (PyTorch's keyword arguments). */
export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability, in attention and after each block (default 0.1). */
  dropout?: number;
  /** The feed-forward activation (default `'relu'`). */
  activation?: TransformerActivation;
  /** The layer norms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Input and output are `[batch, seq, feature]` (default false: `[seq, batch, feature]`). */
  batchFirst?: boolean;
  /** Normalise before attention and feed-forward instead of after (default false). */
  normFirst?: boolean;
  /** The generator of the initial weights and of the dropout masks (default: the global one). */
  generator?: Generator;
}

/** Options of {@link TransformerEncoderLayer.forward}. */
export interface TransformerEncoderLayerForwardOptions {
  /** `[S, S]` or `[batch * nhead, S, S]` attention mask: bool (true = may not attend) or float (added). */
  srcMask?: Tensor | null;
  /** `[batch, S]`: bool, true = padding to ignore; or float, added. */
  srcKeyPaddingMask?: Tensor | null;
}

function checkInt(cls: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${cls}(): ${arg} must be an integer >= 1 (got ${describe(v)})`);
  return v;
}

function activationFn(a: TransformerActivation): (x: Tensor) => Tensor {
  if (a === 'relu') return (x) => relu(x);
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'function') return a as (x: Tensor) => Tensor;
  throw new ArgumentError(`TransformerEncoderLayer(): activation must be 'relu', 'gelu', a function or a Module (got ${describe(a)})`);
}

/**
 * One encoder block (`nn.TransformerEncoderLayer`): self-attention, then a feed-forward network
 * `linear2(dropout(activation(linear1(x))))`, each with a residual connection and a layer norm
 * (after the block, or before it with `normFirst`). `forward(src, { srcMask, srcKeyPaddingMask })`.
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(512, 8, { batchFirst: true, dropout: 0.1 });
 * layer(randn([32, 10, 512])).shape; // [32, 10, 512]
 * ```
 */
export class TransformerEncoderLayer extends Module<[Tensor, TransformerEncoderLayerForwardOptions?], Tensor> {
  /** Multi-head self-attention. */
  self_attn: MultiheadAttention;
  /** `dModel -> dimFeedforward`. */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** `dimFeedforward -> dModel`. */
  linear2: Linear;
  /** Pre-norm (true) or post-norm (false). */
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  /** Dropout after self-attention. */
  dropout1: Dropout;
  /** Dropout after the feed-forward block. */
  dropout2: Dropout;
  /** The feed-forward activation: a function, or a Module (then a submodule, as in PyTorch). */
  activation: ((x: Tensor) => Tensor) | AnyModule;
  readonly dModel: number;
  readonly nhead: number;
  readonly #options: TransformerEncoderLayerOptions;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    this.dModel = checkInt('TransformerEncoderLayer', 'dModel', dModel);
    this.nhead = checkInt('TransformerEncoderLayer', 'nhead', nhead);
    const ff = checkInt('TransformerEncoderLayer', 'dimFeedforward', options.dimFeedforward ?? 2048);
    const p = options.dropout ?? 0.1;
    const generator = options.generator;
    const act = options.activation ?? 'relu';
    this.#options = { ...options };
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst ?? false, generator });
    this.linear1 = new Linear(dModel, ff, { generator });
    this.dropout = new Dropout(p, { generator });
    this.linear2 = new Linear(ff, dModel, { generator });
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps: options.layerNormEps ?? 1e-5 });
    this.norm2 = new LayerNorm(dModel, { eps: options.layerNormEps ?? 1e-5 });
    this.dropout1 = new Dropout(p, { generator });
    this.dropout2 = new Dropout(p, { generator });
    this.activation = act instanceof Module ? (act as AnyModule) : activationFn(act);
  }

  /** Whether inputs are batch-first. */
  get batchFirst(): boolean {
    return this.self_attn.batchFirst;
  }

  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const fn = `${this.constructor.name}.forward()`;
    if (!(src instanceof Tensor)) throw new ArgumentError(`${fn}: src must be a Tensor (got ${describe(src)})`);
    if (src.ndim !== 2 && src.ndim !== 3) {
      const layout = this.batchFirst ? '[batch, seq, dModel]' : '[seq, batch, dModel]';
      throw new ShapeError(`${fn}: src must be 3-D ${layout} or 2-D [seq, dModel] (unbatched) (got shape [${src.shape.join(', ')}])`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel) {
      throw new ShapeError(`${fn}: src.shape[-1] (${src.shape[src.ndim - 1]}) must equal dModel (${this.dModel})`);
    }
    const act = this.activation;
    const attend = (x: Tensor): Tensor =>
      this.dropout1(this.self_attn(x, x, x, { attnMask: options.srcMask, keyPaddingMask: options.srcKeyPaddingMask, needWeights: false })[0]);
    const feedForward = (x: Tensor): Tensor => this.dropout2(this.linear2(this.dropout(act(this.linear1(x)))));
    return scope(() => {
      if (this.normFirst) {
        const x = src.add(attend(this.norm1(src)));
        return x.add(feedForward(this.norm2(x)));
      }
      const x = this.norm1(src.add(attend(src)));
      return this.norm2(x.add(feedForward(x)));
    });
  }

  /**
   * A deep copy: a new layer with the same options, the same parameter values (copied) and the
   * same training mode. A Module activation is shared, not copied.
   */
  clone(): this {
    const Ctor = this.constructor as new (dModel: number, nhead: number, options: TransformerEncoderLayerOptions) => this;
    const copy = new Ctor(this.dModel, this.nhead, this.#options);
    copy.loadStateDict(this.stateDict());
    copy.norm1.eps = this.norm1.eps;
    copy.norm2.eps = this.norm2.eps;
    return copy.train(this.training);
  }
}

/** Options of {@link TransformerEncoder}. */
export interface TransformerEncoderOptions {
  /** A final normalization (e.g. `new LayerNorm(dModel)`), as PyTorch's `norm`. */
  norm?: AnyModule | null;
}

/** Options of {@link TransformerEncoder.forward}. */
export interface TransformerEncoderForwardOptions {
  /** The attention mask passed to every layer as `srcMask`. */
  mask?: Tensor | null;
  /** `[batch, S]` padding mask passed to every layer. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * A stack of `numLayers` encoder layers (`nn.TransformerEncoder`). As in PyTorch the layers are
 * deep copies of `encoderLayer` (which itself is not used), under `layers.0`, `layers.1`, ...;
 * then the optional `norm`.
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(512, 8);
 * const encoder = new TransformerEncoder(layer, 6, { norm: new LayerNorm(512) });
 * const pad = zeros([32, 10], { dtype: 'bool' }); // [batch, seq]: true marks padding
 * encoder(randn([10, 32, 512]), { srcKeyPaddingMask: pad }).shape; // [10, 32, 512]
 * ```
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  /** The layers, `layers.0` ... `layers.{numLayers - 1}`. */
  layers: ModuleList;
  readonly numLayers: number;
  /** The final normalization, or null. */
  norm: AnyModule | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerEncoderOptions = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new ArgumentError(`TransformerEncoder(): encoderLayer must be a TransformerEncoderLayer (got ${describe(encoderLayer)})`);
    }
    this.numLayers = checkInt('TransformerEncoder', 'numLayers', numLayers);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone()));
    const norm = options.norm ?? null;
    if (norm !== null && !(norm instanceof Module)) throw new ArgumentError(`TransformerEncoder(): norm must be a Module or null (got ${describe(norm)})`);
    this.norm = norm;
  }

  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    return scope(() => {
      let x = src;
      for (const layer of this.layers) x = (layer as TransformerEncoderLayer)(x, { srcMask: options.mask, srcKeyPaddingMask: options.srcKeyPaddingMask });
      return this.norm === null ? x : (this.norm(x) as Tensor);
    });
  }
}
