import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, noGrad, ones, randn, scope, tensor, zeros, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import { multiHeadAttentionForward, scaledDotProductAttention } from '../functional/attention.js';
import { softmax } from '../functional/activation.js';
import { MultiheadAttention, type MultiheadAttentionOptions } from './attention.js';

/** A MultiheadAttention run as the fixture ran it: key defaults to query and value to key. */
function mha(embed: number, heads: number, options: MultiheadAttentionOptions = {}, run: { needWeights?: boolean; averageAttnWeights?: boolean } = {}): ModuleEntry {
  return {
    make: () => new MultiheadAttention(embed, heads, options),
    run: (m, { query, key, value, kpm_nograd, mask_nograd }) => {
      const k = key ?? query!;
      return (m as MultiheadAttention)(query!, k, value ?? k, { keyPaddingMask: kpm_nograd, attnMask: mask_nograd, ...run });
    },
  };
}

const sdpa = (withMask: boolean, isCausal = false): ModuleEntry => ({
  run: (_m, { q, k, v, mask, mask_nograd }) => [scaledDotProductAttention(q!, k!, v!, { attnMask: withMask ? (mask ?? mask_nograd) : null, isCausal })],
});

runModuleGolden('rnn', ['sdpa', 'attention'], {
  sdpa: sdpa(false),
  sdpa_float_mask: sdpa(true),
  sdpa_bool_mask: sdpa(true),
  sdpa_causal: sdpa(false, true),
  mha_self: mha(8, 2),
  mha_cross: mha(8, 4),
  mha_key_padding_mask: mha(6, 2),
  mha_bool_attn_mask_and_key_padding_mask: mha(6, 3),
  mha_float_attn_mask_and_key_padding_mask: mha(6, 2),
  mha_3d_float_mask: mha(4, 2),
  mha_batch_first_per_head_weights: mha(8, 2, { batchFirst: true }, { averageAttnWeights: false }),
  mha_no_weights: mha(8, 2, {}, { needWeights: false }),
  mha_kdim_vdim: mha(8, 2, { kdim: 5, vdim: 7 }),
  mha_no_bias: mha(4, 1, { bias: false }),
  mha_bias_kv_zero_attn: mha(6, 2, { addBiasKv: true, addZeroAttn: true }),
  mha_single_query: mha(8, 2),
  mha_unbatched: mha(6, 2),
});

describe('MultiheadAttention', () => {
  it("has PyTorch's parameters, names and order", () => {
    const shapes = (m: MultiheadAttention) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]));
    const a = new MultiheadAttention(8, 2);
    expect(shapes(a)).toEqual({ in_proj_weight: [24, 8], in_proj_bias: [24], 'out_proj.weight': [8, 8], 'out_proj.bias': [8] });
    expect(Object.keys(a.stateDict())).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    const b = new MultiheadAttention(8, 2, { kdim: 3, vdim: 5, addBiasKv: true, bias: false });
    expect(shapes(b)).toEqual({ q_proj_weight: [8, 8], k_proj_weight: [8, 3], v_proj_weight: [8, 5], bias_k: [1, 1, 8], bias_v: [1, 1, 8], 'out_proj.weight': [8, 8] });
    expect(Object.keys(b.stateDict())).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'bias_k', 'bias_v', 'out_proj.weight']);
    expect(a.toString()).toBe('MultiheadAttention(\n  embedDim=8, numHeads=2\n  (out_proj): Linear(inFeatures=8, outFeatures=8, bias=true)\n)');
    a.dispose();
    b.dispose();
  });

  it('initialises in_proj_weight xavier-uniform, biases to zero, reproducibly from a generator', () => {
    const m = new MultiheadAttention(16, 4, { generator: new Generator(3) });
    const w = Array.from(m.in_proj_weight!.dataSync() as Float32Array);
    const bound = Math.sqrt(6 / (16 + 48));
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.8 * bound);
    expect(m.in_proj_bias!.tolist()).toEqual(new Array(48).fill(0));
    expect(m.out_proj.bias!.tolist()).toEqual(new Array(16).fill(0));
    const again = new MultiheadAttention(16, 4, { generator: new Generator(3) });
    assertClose(again.in_proj_weight!, m.in_proj_weight!);
    assertClose(again.out_proj.weight, m.out_proj.weight);
    m.dispose();
    again.dispose();
  });

  it('masks: a padded key gets zero weight; a float mask is added to the scores', () => {
    scope(() => {
      const m = new MultiheadAttention(4, 2).eval();
      const x = randn([3, 2, 4]);
      const [, w] = m(x, x, x, { keyPaddingMask: tensor([[false, false, true], [false, false, false]]) });
      assertClose(w!.index(0, ':', 2), [0, 0, 0]);
      expect(w!.index(1, ':', 2).abs().min().item()).toBeGreaterThan(0);
      assertClose(w!.sum(-1), ones([2, 3]), { atol: 1e-6 });
      const bool = tensor([[false, true, true], [false, false, true], [false, false, false]]);
      const additive = zeros([3, 3]).maskedFill(bool, -Infinity);
      const [o1, w1] = m(x, x, x, { attnMask: bool });
      const [o2, w2] = m(x, x, x, { attnMask: additive });
      assertClose(o1, o2);
      assertClose(w1!, w2!);
      m.dispose();
    });
  });

  it('dropout acts on the weights in training mode only', () => {
    scope(() => {
      const m = new MultiheadAttention(4, 2, { dropout: 0.5, generator: new Generator(1) });
      const x = randn([3, 2, 4]);
      const [, wTrain] = m(x, x, x);
      m.eval();
      const [, wEval] = m(x, x, x);
      expect(wTrain!.sub(wEval!).abs().max().item()).toBeGreaterThan(1e-3);
      assertClose(wEval!.sum(-1), ones([2, 3]), { atol: 1e-6 });
      m.dispose();
    });
  });

  it('the functional form matches the module', () => {
    scope(() => {
      const m = new MultiheadAttention(6, 3).eval();
      const q = randn([4, 2, 6]);
      const kv = randn([5, 2, 6]);
      const [o1, w1] = m(q, kv, kv);
      const [o2, w2] = multiHeadAttentionForward(q, kv, kv, 6, 3, m.in_proj_weight, m.in_proj_bias, null, null, false, 0, m.out_proj.weight, m.out_proj.bias, {
        training: false,
      });
      assertClose(o1, o2);
      assertClose(w1!, w2!);
      m.dispose();
    });
  });

  it('rejects bad arguments with messages naming the module, the argument and the shapes', () => {
    const m = new MultiheadAttention(8, 2);
    scope(() => {
      const x = randn([4, 2, 8]);
      expect(() => m(randn([4, 2, 7]), x, x)).toThrow(/MultiheadAttention\.forward\(\): query\.shape\[-1\] \(7\) must equal embedDim \(8\)/);
      expect(() => m(randn([4]), x, x)).toThrow(ShapeError);
      expect(() => m(x, randn([4, 8]), randn([4, 8]))).toThrow(/for a 3-D query, key and value must be 3-D too/);
      expect(() => m(x, x, x, { keyPaddingMask: zeros([2, 5], { dtype: 'bool' }) })).toThrow(/keyPaddingMask must have shape \[2, 4\] \(got \[2, 5\]\)/);
      expect(() => m(x, x, x, { attnMask: zeros([4, 3], { dtype: 'bool' }) })).toThrow(
        /attnMask must have shape \[4, 4\] \(\[L, S\]\) or \[4, 4, 4\] \(\[batch \* numHeads, L, S\]\) \(got \[4, 3\]\)/,
      );
      expect(() => m(x, x, x, { attnMask: zeros([4, 4], { dtype: 'int32' }) })).toThrow(DTypeError);
      expect(() => scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 3]), randn([2, 5, 4]))).toThrow(/key\.shape\[-1\] \(3\) must equal query\.shape\[-1\] \(4\)/);
      expect(() => scaledDotProductAttention(x, x, x, { isCausal: true, attnMask: ones([4, 4]) })).toThrow(/either attnMask or isCausal/);
    });
    expect(() => new MultiheadAttention(10, 3)).toThrow(/embedDim \(10\) must be divisible by numHeads \(3\)/);
    expect(() => new MultiheadAttention(8, 2, { dropout: -1 })).toThrow(ArgumentError);
    m.dispose();
  });

  it('scaledDotProductAttention is softmax(q k^T / sqrt(E)) v, with a scale option', () => {
    scope(() => {
      const q = randn([3, 4]);
      const k = randn([5, 4]);
      const v = randn([5, 2]);
      assertClose(scaledDotProductAttention(q, k, v), softmax(q.matmul(k.t()).div(2), -1).matmul(v), { atol: 1e-6 });
      assertClose(scaledDotProductAttention(q, k, v, { scale: 0.1 }), softmax(q.matmul(k.t()).mul(0.1), -1).matmul(v), { atol: 1e-6 });
    });
  });

  it('keeps only its outputs and what their graph needs', () => {
    const m = new MultiheadAttention(8, 2, { batchFirst: true });
    const x = randn([2, 5, 8]);
    expectNoLeak(() => {
      noGrad(() => {
        const [o, w] = m(x, x, x);
        (o as Tensor).dispose();
        w!.dispose();
      });
    });
    expectNoLeak(() =>
      scope(() => {
        const [o] = m(x, x, x);
        o.sum().backward();
        m.zeroGrad();
      }),
    );
    m.dispose();
    x.dispose();
  });
});
