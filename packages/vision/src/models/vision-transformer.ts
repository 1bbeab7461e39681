/**
 * Vision Transformer (`torchvision.models.vision_transformer`): 16x16 (or 32x32, 14x14) patches
 * embedded by a strided convolution, a class token, learned position embeddings and a
 * pre-norm Transformer encoder. State-dict keys read `class_token`, `conv_proj.weight`,
 * `encoder.pos_embedding`, `encoder.layers.encoder_layer_0.self_attention.in_proj_weight`,
 * `encoder.layers.encoder_layer_0.mlp.0.weight`, `encoder.ln.weight`, `heads.head.weight`.
 * @module
 */
import { ArgumentError, ShapeError, cat, zeros, type Generator, type Tensor } from '@flint/core';
import { nn } from '@flint/core';
import { MLP, positiveInt, probability } from './layers.js';
import { ViTB16Weights, ViTB32Weights, ViTH14Weights, ViTL16Weights, ViTL32Weights } from './weights-catalog.js';
import { resolveWeights, withWeights, type ClassifierFactoryOptions, type WeightsEnum } from './weights.js';

const layerNorm = (d: number) => new nn.LayerNorm([d], { eps: 1e-6 });

function parameter(t: Tensor): nn.Parameter {
  const p = new nn.Parameter(t);
  t.dispose();
  return p;
}

/**
 * The Transformer's MLP (torchvision's `MLPBlock`): Linear, GELU, Dropout, Linear, Dropout, with
 * Xavier-uniform weights and N(0, 1e-6) biases.
 *
 * @example
 * ```ts
 * const mlp = new MLPBlock(768, 3072, 0);
 * mlp(randn([2, 197, 768])).shape; // [2, 197, 768]
 * ```
 */
export class MLPBlock extends MLP {
  constructor(inDim: number, mlpDim: number, dropout: number, options: { generator?: Generator } = {}) {
    super(inDim, [mlpDim, inDim], { activationLayer: () => new nn.GELU(), dropout, generator: options.generator });
    for (const m of this.modules()) {
      if (!(m instanceof nn.Linear)) continue;
      nn.init.xavierUniform_(m.weight, 1, { generator: options.generator });
      if (m.bias) nn.init.normal_(m.bias, 0, 1e-6, { generator: options.generator });
    }
  }
}

/**
 * One pre-norm Transformer layer (torchvision's `EncoderBlock`): `x + attention(ln_1(x))`, then
 * `x + mlp(ln_2(x))`.
 *
 * @example
 * ```ts
 * const block = new EncoderBlock(12, 768, 3072, 0, 0);
 * block(randn([2, 197, 768])).shape; // [2, 197, 768]
 * ```
 */
export class EncoderBlock extends nn.Module {
  readonly num_heads: number;
  ln_1: nn.LayerNorm;
  self_attention: nn.MultiheadAttention;
  dropout: nn.Dropout;
  ln_2: nn.LayerNorm;
  mlp: MLPBlock;

  constructor(numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, options: { generator?: Generator } = {}) {
    super();
    this.num_heads = numHeads;
    this.ln_1 = layerNorm(hiddenDim);
    this.self_attention = new nn.MultiheadAttention(hiddenDim, numHeads, { dropout: attentionDropout, batchFirst: true, generator: options.generator });
    this.dropout = new nn.Dropout(dropout);
    this.ln_2 = layerNorm(hiddenDim);
    this.mlp = new MLPBlock(hiddenDim, mlpDim, dropout, options);
  }

  forward(input: Tensor): Tensor {
    if (input.ndim !== 3) throw new ShapeError(`EncoderBlock.forward(): expected [batch, seq, hidden] (got [${input.shape.join(', ')}])`);
    let x = this.ln_1(input);
    [x] = this.self_attention(x, x, x, { needWeights: false });
    x = this.dropout(x).add(input);
    return x.add(this.mlp(this.ln_2(x)));
  }
}

/**
 * The Transformer encoder (torchvision's `vision_transformer.Encoder`): position embeddings,
 * dropout, `layers` (`encoder_layer_0`, ...) and a final `ln`.
 *
 * @example
 * ```ts
 * const enc = new Encoder(197, 2, 12, 768, 3072, 0, 0);
 * enc(randn([1, 197, 768])).shape; // [1, 197, 768]
 * ```
 */
export class Encoder extends nn.Module {
  pos_embedding: nn.Parameter;
  dropout: nn.Dropout;
  layers: nn.Sequential;
  ln: nn.LayerNorm;

  constructor(seqLength: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, dropout: number, attentionDropout: number, options: { generator?: Generator } = {}) {
    super();
    this.pos_embedding = parameter(zeros([1, seqLength, hiddenDim]));
    nn.init.normal_(this.pos_embedding, 0, 0.02, { generator: options.generator }); // from BERT
    this.dropout = new nn.Dropout(dropout);
    const layers = new Map<string, nn.AnyModule>();
    for (let i = 0; i < numLayers; i++) layers.set(`encoder_layer_${i}`, new EncoderBlock(numHeads, hiddenDim, mlpDim, dropout, attentionDropout, options));
    this.layers = new nn.Sequential(layers);
    this.ln = layerNorm(hiddenDim);
  }

  forward(input: Tensor): Tensor {
    if (input.ndim !== 3) throw new ShapeError(`Encoder.forward(): expected [batch, seq, hidden] (got [${input.shape.join(', ')}])`);
    return this.ln(this.layers(this.dropout(input.add(this.pos_embedding))));
  }
}

/** Options of {@link VisionTransformer} (torchvision's arguments; sizes are required). */
export interface VisionTransformerOptions {
  imageSize: number;
  patchSize: number;
  numLayers: number;
  numHeads: number;
  hiddenDim: number;
  mlpDim: number;
  /** Dropout in the encoder (default 0). */
  dropout?: number;
  /** Dropout on the attention weights (default 0). */
  attentionDropout?: number;
  /** Number of classes (default 1000). */
  numClasses?: number;
  /** A `pre_logits` Linear + Tanh of this width before the head (default none). */
  representationSize?: number | null;
  /** The generator the initial values are drawn from. */
  generator?: Generator;
}

/**
 * Vision Transformer (torchvision's `VisionTransformer`). Inputs must be `imageSize` square.
 * The classification head starts at zero, as in torchvision.
 *
 * @example
 * ```ts
 * const vit = new VisionTransformer({ imageSize: 32, patchSize: 8, numLayers: 2, numHeads: 4, hiddenDim: 64, mlpDim: 128, numClasses: 10 });
 * vit(randn([2, 3, 32, 32])).shape; // [2, 10]
 * ```
 */
export class VisionTransformer extends nn.Module {
  readonly image_size: number;
  readonly patch_size: number;
  readonly hidden_dim: number;
  readonly mlp_dim: number;
  readonly num_classes: number;
  readonly representation_size: number | null;
  conv_proj: nn.Conv2d;
  class_token: nn.Parameter;
  encoder: Encoder;
  readonly seq_length: number;
  heads: nn.Sequential;

  constructor(options: VisionTransformerOptions) {
    super();
    const fn = 'VisionTransformer()';
    if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: options must be an object with imageSize, patchSize, numLayers, numHeads, hiddenDim and mlpDim`);
    this.image_size = positiveInt(fn, 'imageSize', options.imageSize);
    this.patch_size = positiveInt(fn, 'patchSize', options.patchSize);
    if (this.image_size % this.patch_size !== 0) throw new ArgumentError(`${fn}: imageSize (${this.image_size}) must be divisible by patchSize (${this.patch_size})`);
    this.hidden_dim = positiveInt(fn, 'hiddenDim', options.hiddenDim);
    this.mlp_dim = positiveInt(fn, 'mlpDim', options.mlpDim);
    this.num_classes = positiveInt(fn, 'numClasses', options.numClasses ?? 1000);
    this.representation_size = options.representationSize ?? null;
    const numLayers = positiveInt(fn, 'numLayers', options.numLayers);
    const numHeads = positiveInt(fn, 'numHeads', options.numHeads);
    const dropout = probability(fn, 'dropout', options.dropout ?? 0);
    const attentionDropout = probability(fn, 'attentionDropout', options.attentionDropout ?? 0);
    const g = options.generator;
    this.conv_proj = new nn.Conv2d(3, this.hidden_dim, this.patch_size, { stride: this.patch_size, generator: g });
    this.seq_length = (this.image_size / this.patch_size) ** 2 + 1;
    this.class_token = parameter(zeros([1, 1, this.hidden_dim]));
    this.encoder = new Encoder(this.seq_length, numLayers, numHeads, this.hidden_dim, this.mlp_dim, dropout, attentionDropout, { generator: g });
    const heads = new Map<string, nn.AnyModule>();
    if (this.representation_size === null) {
      heads.set('head', new nn.Linear(this.hidden_dim, this.num_classes, { generator: g }));
    } else {
      heads.set('pre_logits', new nn.Linear(this.hidden_dim, this.representation_size, { generator: g }));
      heads.set('act', new nn.Tanh());
      heads.set('head', new nn.Linear(this.representation_size, this.num_classes, { generator: g }));
    }
    this.heads = new nn.Sequential(heads);

    const fanIn = 3 * this.patch_size * this.patch_size;
    nn.init.truncNormal_(this.conv_proj.weight, 0, Math.sqrt(1 / fanIn), -2, 2, { generator: g });
    if (this.conv_proj.bias) nn.init.zeros_(this.conv_proj.bias);
    const preLogits = this.heads.get('pre_logits') as nn.Linear | undefined;
    if (preLogits) {
      nn.init.truncNormal_(preLogits.weight, 0, Math.sqrt(1 / preLogits.inFeatures), -2, 2, { generator: g });
      if (preLogits.bias) nn.init.zeros_(preLogits.bias);
    }
    const head = this.heads.get('head') as nn.Linear;
    nn.init.zeros_(head.weight);
    if (head.bias) nn.init.zeros_(head.bias);
  }

  /** Patch embedding: `[N, 3, H, W]` to `[N, (H / p) * (W / p), hiddenDim]` (torchvision's `_process_input`). */
  processInput(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[2] !== this.image_size || x.shape[3] !== this.image_size) {
      throw new ShapeError(`VisionTransformer.forward(): expected input [N, 3, ${this.image_size}, ${this.image_size}] (imageSize ${this.image_size}) (got [${x.shape.join(', ')}])`);
    }
    const n = x.shape[0]!;
    const p = this.patch_size;
    const patches = (this.image_size / p) ** 2;
    return this.conv_proj(x).reshape(n, this.hidden_dim, patches).permute(0, 2, 1);
  }

  forward(x: Tensor): Tensor {
    x = this.processInput(x);
    const n = x.shape[0]!;
    x = cat([this.class_token.expand(n, -1, -1), x], 1);
    x = this.encoder(x);
    return this.heads(x.narrow(1, 0, 1).squeeze(1));
  }
}

/** ViT's old MLP key names (`mlp.linear_1.weight`) to the current ones (`mlp.0.weight`), as torchvision's `MLPBlock` loads them. @internal */
export function vitKey(key: string): string {
  return key.replace(/(\.mlp\.)linear_([12])\.(weight|bias)$/, (_, mlp: string, i: string, t: string) => `${mlp}${3 * (Number(i) - 1)}.${t}`);
}

/** Options of the ViT factories. */
export interface VisionTransformerFactoryOptions extends ClassifierFactoryOptions, Pick<VisionTransformerOptions, 'dropout' | 'attentionDropout' | 'representationSize'> {
  /** Input size (default 224; a weights entry sets it to its `minSize`, e.g. 384 for SWAG end-to-end). */
  imageSize?: number;
}

function build(fn: string, enumObj: WeightsEnum, patchSize: number, numLayers: number, numHeads: number, hiddenDim: number, mlpDim: number, options: VisionTransformerFactoryOptions): VisionTransformer {
  const r = resolveWeights(fn, enumObj, options);
  let imageSize = options.imageSize;
  if (r.weights !== null) {
    const size = r.weights.meta.minSize[0];
    if (imageSize !== undefined && imageSize !== size) throw new ArgumentError(`${fn}: imageSize must be ${size} with ${r.weights.name} (got ${imageSize})`);
    imageSize = size;
  }
  const net = new VisionTransformer({
    imageSize: imageSize ?? 224,
    patchSize,
    numLayers,
    numHeads,
    hiddenDim,
    mlpDim,
    dropout: options.dropout,
    attentionDropout: options.attentionDropout,
    representationSize: options.representationSize,
    numClasses: r.numClasses,
    generator: options.generator,
  });
  return withWeights(fn, r, net, vitKey);
}

/**
 * ViT-B/16 (torchvision's `vit_b_16`): 12 layers, 12 heads, width 768, 16x16 patches; 86.6M
 * parameters.
 *
 * @example
 * ```ts
 * const vit = vitB16({ numClasses: 10 });
 * const swag = vitB16({ weights: ViTB16Weights.IMAGENET1K_SWAG_E2E_V1, weightsPath: 'vit_b_16_swag-9ac1b537.safetensors' }); // 384x384 inputs
 * ```
 */
export function vitB16(options: VisionTransformerFactoryOptions = {}): VisionTransformer {
  return build('vitB16()', ViTB16Weights, 16, 12, 12, 768, 3072, options);
}

/**
 * ViT-B/32 (torchvision's `vit_b_32`), 88.2M parameters.
 *
 * @example
 * ```ts
 * const vit = vitB32({ numClasses: 10 });
 * ```
 */
export function vitB32(options: VisionTransformerFactoryOptions = {}): VisionTransformer {
  return build('vitB32()', ViTB32Weights, 32, 12, 12, 768, 3072, options);
}

/**
 * ViT-L/16 (torchvision's `vit_l_16`): 24 layers, 16 heads, width 1024; 304.3M parameters.
 *
 * @example
 * ```ts
 * const vit = vitL16({ numClasses: 10 });
 * ```
 */
export function vitL16(options: VisionTransformerFactoryOptions = {}): VisionTransformer {
  return build('vitL16()', ViTL16Weights, 16, 24, 16, 1024, 4096, options);
}

/**
 * ViT-L/32 (torchvision's `vit_l_32`), 306.5M parameters.
 *
 * @example
 * ```ts
 * const vit = vitL32({ numClasses: 10 });
 * ```
 */
export function vitL32(options: VisionTransformerFactoryOptions = {}): VisionTransformer {
  return build('vitL32()', ViTL32Weights, 32, 24, 16, 1024, 4096, options);
}

/**
 * ViT-H/14 (torchvision's `vit_h_14`): 32 layers, 16 heads, width 1280; 632.0M parameters.
 *
 * @example
 * ```ts
 * const vit = vitH14({ weights: ViTH14Weights.IMAGENET1K_SWAG_LINEAR_V1, weightsPath: 'vit_h_14_lc_swag-c1eb923e.safetensors' });
 * ```
 */
export function vitH14(options: VisionTransformerFactoryOptions = {}): VisionTransformer {
  return build('vitH14()', ViTH14Weights, 14, 32, 16, 1280, 5120, options);
}
