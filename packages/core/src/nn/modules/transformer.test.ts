import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, noGrad, randn, scope, tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import { GELU } from './activation.js';
import { LayerNorm } from './normalization.js';
import { TransformerEncoder, TransformerEncoderLayer, type TransformerEncoderLayerOptions } from './transformer.js';

function layer(d: number, heads: number, options: TransformerEncoderLayerOptions): ModuleEntry {
  return {
    make: () => new TransformerEncoderLayer(d, heads, options),
    run: (m, { src, mask_nograd, kpm_nograd }) => [(m as TransformerEncoderLayer)(src!, { srcMask: mask_nograd, srcKeyPaddingMask: kpm_nograd })],
  };
}

function encoder(d: number, heads: number, layers: number, options: TransformerEncoderLayerOptions, norm = false): ModuleEntry {
  return {
    make: () => new TransformerEncoder(new TransformerEncoderLayer(d, heads, options), layers, { norm: norm ? new LayerNorm(d) : null }),
    run: (m, { src, mask_nograd, kpm_nograd }) => [(m as TransformerEncoder)(src!, { mask: mask_nograd, srcKeyPaddingMask: kpm_nograd })],
  };
}

runModuleGolden('rnn', ['transformer'], {
  encoder_layer_post_norm: layer(8, 2, { dimFeedforward: 16, dropout: 0 }),
  encoder_layer_pre_norm_masks: layer(8, 2, { dimFeedforward: 12, dropout: 0, normFirst: true }),
  encoder_layer_post_norm_masks: layer(8, 4, { dimFeedforward: 12, dropout: 0 }),
  encoder_layer_gelu_batch_first: layer(6, 3, { dimFeedforward: 10, dropout: 0.1, activation: 'gelu', batchFirst: true, layerNormEps: 1e-3 }),
  encoder_layer_unbatched_pre_norm: layer(4, 2, { dimFeedforward: 8, normFirst: true }),
  encoder_2layers: encoder(8, 2, 2, { dimFeedforward: 16, dropout: 0 }),
  encoder_3layers_norm_batch_first_pre_norm: encoder(8, 2, 3, { dimFeedforward: 16, dropout: 0, batchFirst: true, normFirst: true }, true),
});

describe('TransformerEncoderLayer and TransformerEncoder', () => {
  it("use PyTorch's state-dict names", () => {
    const l = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(l.stateDict())).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    const e = new TransformerEncoder(l, 2, { norm: new LayerNorm(8) });
    const keys = Object.keys(e.stateDict());
    expect(keys.length).toBe(2 * 12 + 2);
    expect(keys.slice(0, 2)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']);
    expect(keys.slice(12, 13)).toEqual(['layers.1.self_attn.in_proj_weight']);
    expect(keys.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(new TransformerEncoderLayer(4, 2, { activation: new GELU() }).stateDict()['activation.weight']).toBeUndefined();
    l.dispose();
    e.dispose();
  });

  it('the encoder holds deep copies of the layer: equal values, separate parameters', () => {
    const l = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, generator: new Generator(2) });
    const e = new TransformerEncoder(l, 2);
    const [a, b] = [...e.layers] as TransformerEncoderLayer[];
    assertClose(a!.linear1.weight, l.linear1.weight);
    assertClose(b!.self_attn.in_proj_weight!, l.self_attn.in_proj_weight!);
    expect(a!.linear1.weight).not.toBe(l.linear1.weight);
    expect(a!.linear1.weight).not.toBe(b!.linear1.weight);
    noGrad(() => a!.linear1.weight.add_(1));
    expect(b!.linear1.weight.sub(l.linear1.weight).abs().max().item()).toBe(0);
    l.dispose();
    e.dispose();
  });

  it('eval mode is deterministic; training mode applies dropout', () => {
    scope(() => {
      const l = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, generator: new Generator(4) });
      const x = randn([5, 2, 8]);
      const y1 = l(x);
      const y2 = l(x);
      expect(y1.sub(y2).abs().max().item()).toBeGreaterThan(1e-3);
      l.eval();
      assertClose(l(x), l(x));
      l.dispose();
    });
  });

  it('a padded key changes nothing: the kept positions equal a run on the unpadded sequence', () => {
    scope(() => {
      const l = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true }).eval();
      const x = randn([1, 5, 8]);
      const y1 = l(x, { srcKeyPaddingMask: tensor([[false, false, false, true, true]]) });
      const y2 = l(x.index(':', '0:3'));
      assertClose(y1.index(':', '0:3'), y2, { atol: 1e-5 });
      l.dispose();
    });
  });

  it('rejects bad inputs with messages naming the module and the shapes', () => {
    const l = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    scope(() => {
      expect(() => l(randn([5, 2, 7]))).toThrow(/TransformerEncoderLayer\.forward\(\): src\.shape\[-1\] \(7\) must equal dModel \(8\)/);
      expect(() => l(randn([5]))).toThrow(ShapeError);
      expect(() => l(randn([5, 2, 8]), { srcMask: tensor([[true]]) })).toThrow(/attnMask must have shape \[5, 5\]/);
    });
    expect(() => new TransformerEncoderLayer(8, 3)).toThrow(/embedDim \(8\) must be divisible by numHeads \(3\)/);
    expect(() => new TransformerEncoderLayer(8, 2, { activation: 'tanh' as never })).toThrow(/activation must be 'relu', 'gelu', a function or a Module/);
    expect(() => new TransformerEncoder(l, 0)).toThrow(ArgumentError);
    expect(() => new TransformerEncoder({} as never, 2)).toThrow(/encoderLayer must be a TransformerEncoderLayer/);
    l.dispose();
  });

  it('keeps only the output and what its graph needs', () => {
    const proto = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const e = new TransformerEncoder(proto, 2);
    proto.dispose();
    const x = randn([4, 2, 8]);
    expectNoLeak(() => noGrad(() => e(x).dispose()));
    expectNoLeak(() =>
      scope(() => {
        e(x).sum().backward();
        e.zeroGrad();
      }),
    );
    e.dispose();
    x.dispose();
  });
});
