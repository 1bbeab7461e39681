/**
 * Attention: `scaledDotProductAttention` (PyTorch 2's `F.scaled_dot_product_attention`) and
 * `multiHeadAttentionForward` (`F.multi_head_attention_forward`, PyTorch 1.13's computation:
 * packed or separate in-projections, bias_k/bias_v, zero attention, boolean or additive masks
 * merged with the key padding mask, optional averaging of the weights over heads).
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { cat } from '../../ops/shape.js';
import type { Generator } from '../../random/generator.js';
import { fromTypedArray, zeros } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { softmax } from './activation.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

function checkTensorArg(fn: string, arg: string, v: unknown, dtypes: readonly string[] = ['float32']): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(`${fn}: ${arg} must be a Tensor (got ${describe(v)})`);
  if (!dtypes.includes(v.dtype)) throw new DTypeError(`${fn}: ${arg} must be ${dtypes.join(' or ')} (got dtype ${v.dtype})`);
  return v;
}

/**
 * Attention weights and output for `q [..., L, E]`, `k [..., S, E]`, `v [..., S, Ev]` with an
 * additive float mask (or null) that broadcasts to `[..., L, S]`. Returns `[output, weights]`.
 */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, generator: Generator | undefined): [Tensor, Tensor] {
  const scores = q.mul(scale).matmul(k.transpose(-2, -1));
  let weights = softmax(mask === null ? scores : scores.add(mask), -1);
  if (dropoutP > 0) weights = dropout(weights, { p: dropoutP, generator });
  return [weights.matmul(v), weights];
}

/** An additive float mask from a boolean one: `-inf` where `masked` is true, else 0. */
function additive(masked: Tensor): Tensor {
  return zeros(masked.shape, { device: masked.device }).maskedFill(masked, -Infinity);
}

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /**
   * A mask broadcasting to `[..., L, S]`: bool, where **true means "take part"** (PyTorch 2's
   * convention, the opposite of MultiheadAttention's masks), or float, added to the scores.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0). */
  dropoutP?: number;
  /** Apply a causal mask (position i attends to positions <= i); excludes `attnMask`. */
  isCausal?: boolean;
  /** The factor on `q k^T` (default `1 / sqrt(E)`). */
  scale?: number;
  /** The generator of the dropout mask. */
  generator?: Generator;
}

/**
 * `softmax(q k^T * scale + mask) v` over the last two dimensions (PyTorch 2's
 * `F.scaled_dot_product_attention`): `query [..., L, E]`, `key [..., S, E]`, `value [..., S, Ev]`,
 * result `[..., L, Ev]`. Leading dimensions broadcast.
 *
 * @example
 * ```ts
 * const q = randn([2, 8, 10, 16]); // [batch, heads, L, E]
 * const kv = randn([2, 8, 12, 16]);
 * scaledDotProductAttention(q, kv, kv).shape;                  // [2, 8, 10, 16]
 * scaledDotProductAttention(q, q, q, { isCausal: true }).shape; // [2, 8, 10, 16]
 * ```
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  const fn = 'scaledDotProductAttention()';
  const q = checkTensorArg(fn, 'query', query);
  const k = checkTensorArg(fn, 'key', key);
  const v = checkTensorArg(fn, 'value', value);
  for (const [name, t] of [['query', q], ['key', k], ['value', v]] as const) {
    if (t.ndim < 2) throw new ShapeError(`${fn}: ${name} must have at least 2 dimensions [..., seqLen, features] (got shape ${fmt(t.shape)})`);
  }
  const [L, E] = q.shape.slice(-2) as [number, number];
  const [S, Ek] = k.shape.slice(-2) as [number, number];
  if (Ek !== E) throw new ShapeError(`${fn}: key.shape[-1] (${Ek}) must equal query.shape[-1] (${E})`);
  if (v.shape[v.ndim - 2] !== S) throw new ShapeError(`${fn}: value.shape[-2] (${v.shape[v.ndim - 2]}) must equal key.shape[-2] (${S})`);
  const p = options.dropoutP ?? 0;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`${fn}: dropoutP must be a probability in [0, 1] (got ${describe(p)})`);
  const scale = options.scale ?? 1 / Math.sqrt(E);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ArgumentError(`${fn}: scale must be a finite number (got ${describe(scale)})`);
  let mask = options.attnMask ?? null;
  if (mask !== null) checkTensorArg(fn, 'attnMask', mask, ['bool', 'float32']);
  if (options.isCausal) {
    if (mask !== null) throw new ArgumentError(`${fn}: pass either attnMask or isCausal, not both`);
    const keep = new Uint8Array(L * S);
    for (let i = 0; i < L; i++) for (let j = 0; j <= Math.min(i, S - 1); j++) keep[i * S + j] = 1;
    mask = fromTypedArray(keep, [L, S], 'bool', q.device);
  }
  const m = mask;
  return scope(() => attend(q, k, v, m === null ? null : m.dtype === 'bool' ? additive(m.logicalNot()) : m, scale, p, options.generator)[0]);
}

/** Options of {@link multiHeadAttentionForward} (PyTorch's keyword arguments). */
export interface MultiHeadAttentionForwardOptions {
  /** Apply dropout to the attention weights (default true, as in PyTorch's functional form). */
  training?: boolean;
  /** `[batch, S]` (or `[S]` unbatched): bool, true = ignore that key; or float, added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** `[L, S]` or `[batch * numHeads, L, S]`: bool, true = not allowed to attend; or float, added. */
  attnMask?: Tensor | null;
  /** Use `qProjWeight`, `kProjWeight`, `vProjWeight` instead of `inProjWeight` (default false). */
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  /** Projected keys/values to use as they are, `[batch * numHeads, S, headDim]`. */
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  /** Average the returned weights over heads (default true); else `[batch, numHeads, L, S]`. */
  averageAttnWeights?: boolean;
  /** The generator of the dropout mask. */
  generator?: Generator;
}

/** Appends one column (zeros, or false) to the last dimension of a mask. */
function padMask(m: Tensor): Tensor {
  return cat([m, zeros([...m.shape.slice(0, -1), 1], { dtype: m.dtype, device: m.device })], -1);
}

/**
 * The computation of `nn.MultiheadAttention` on sequence-first tensors
 * (`F.multi_head_attention_forward`): `query [L, batch, E]`, `key [S, batch, kdim]`,
 * `value [S, batch, vdim]` (or 2-D unbatched). Returns `[attnOutput [L, batch, E],
 * attnWeights [batch, L, S] | null]`. The arguments are PyTorch's, in PyTorch's order.
 *
 * @example
 * ```ts
 * const E = 8, x = randn([5, 2, E]);
 * const [out, w] = multiHeadAttentionForward(x, x, x, E, 2, randn([3 * E, E]), zeros([3 * E]), null, null, false, 0,
 *   randn([E, E]), zeros([E]), { training: false });
 * out.shape; // [5, 2, 8]
 * w!.shape;  // [2, 5, 5]
 * ```
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  options: MultiHeadAttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  return mhaForward('multiHeadAttentionForward()', query, key, value, embedDimToCheck, numHeads, inProjWeight, inProjBias, biasK, biasV, addZeroAttn, dropoutP, outProjWeight, outProjBias, options);
}

/** {@link multiHeadAttentionForward} with the name errors give (`MultiheadAttention.forward()`). @internal */
export function mhaForward(
  fn: string,
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  o: MultiHeadAttentionForwardOptions,
): [Tensor, Tensor | null] {
  checkTensorArg(fn, 'query', query);
  checkTensorArg(fn, 'key', key);
  checkTensorArg(fn, 'value', value);
  const batched = query.ndim === 3;
  if (!batched && query.ndim !== 2) {
    throw new ShapeError(`${fn}: query must be 3-D [L, batch, E] (batched) or 2-D [L, E] (unbatched) (got shape ${fmt(query.shape)})`);
  }
  if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
    throw new ShapeError(`${fn}: for a ${query.ndim}-D query, key and value must be ${query.ndim}-D too (got shapes ${fmt(key.shape)} and ${fmt(value.shape)})`);
  }
  const kpm0 = o.keyPaddingMask ?? null;
  const mask0 = o.attnMask ?? null;
  if (kpm0 !== null) {
    checkTensorArg(fn, 'keyPaddingMask', kpm0, ['bool', 'float32']);
    if (kpm0.ndim !== (batched ? 2 : 1)) {
      throw new ShapeError(`${fn}: keyPaddingMask must be ${batched ? '2-D [batch, S]' : '1-D [S] for an unbatched query'} (got shape ${fmt(kpm0.shape)})`);
    }
  }
  if (mask0 !== null) checkTensorArg(fn, 'attnMask', mask0, ['bool', 'float32']);
  const E = query.shape[query.ndim - 1]!;
  if (E !== embedDimToCheck) throw new ShapeError(`${fn}: query.shape[-1] (${E}) must equal embedDim (${embedDimToCheck})`);
  if (!Number.isInteger(numHeads) || numHeads < 1 || E % numHeads !== 0) {
    throw new ArgumentError(`${fn}: embedDim (${E}) must be divisible by numHeads (got ${describe(numHeads)})`);
  }
  const [L, N] = batched ? (query.shape as [number, number]) : [query.shape[0]!, 1];
  const S0 = key.shape[0]!;
  const sameLead = (a: Tensor, b: Tensor): boolean => a.shape.slice(0, -1).every((s, i) => s === b.shape[i]);
  if (!sameLead(key, value)) {
    throw new ShapeError(`${fn}: key and value must agree in all but the last dimension (got shapes ${fmt(key.shape)} and ${fmt(value.shape)})`);
  }
  if (batched && key.shape[1] !== N) throw new ShapeError(`${fn}: key.shape[1] (batch ${key.shape[1]}) must equal query.shape[1] (${N})`);
  const H = numHeads;
  const hd = E / H;
  const separate = o.useSeparateProjWeight ?? false;
  const checkW = (name: string, w: Tensor | null | undefined, rows: number, cols: number): Tensor => {
    if (!(w instanceof Tensor) || w.ndim !== 2 || w.shape[0] !== rows || w.shape[1] !== cols) {
      throw new ShapeError(`${fn}: ${name} must be a Tensor of shape [${rows}, ${cols}] (got ${w instanceof Tensor ? fmt(w.shape) : describe(w)})`);
    }
    return w;
  };
  if (!separate) checkW('inProjWeight', inProjWeight, 3 * E, E);
  if (!separate && (key.shape[key.ndim - 1] !== E || value.shape[value.ndim - 1] !== E)) {
    throw new ShapeError(`${fn}: with a packed inProjWeight, key and value must have ${E} features (got shapes ${fmt(key.shape)} and ${fmt(value.shape)})`);
  }
  if (separate) {
    checkW('qProjWeight', o.qProjWeight, E, E);
    checkW('kProjWeight', o.kProjWeight, E, key.shape[key.ndim - 1]!);
    checkW('vProjWeight', o.vProjWeight, E, value.shape[value.ndim - 1]!);
  }
  if ((biasK === null) !== (biasV === null)) throw new ArgumentError(`${fn}: biasK and biasV must be given together`);
  if (mask0 !== null) {
    const want2 = [L, S0];
    const want3 = [N * H, L, S0];
    const ok = (w: number[]) => mask0.ndim === w.length && mask0.shape.every((s, i) => s === w[i]);
    if (!ok(want2) && !ok(want3)) {
      throw new ShapeError(`${fn}: attnMask must have shape ${fmt(want2)} ([L, S]) or ${fmt(want3)} ([batch * numHeads, L, S]) (got ${fmt(mask0.shape)})`);
    }
  }
  if (kpm0 !== null && kpm0.shape.some((s, i) => s !== (batched ? [N, S0] : [S0])[i])) {
    throw new ShapeError(`${fn}: keyPaddingMask must have shape ${fmt(batched ? [N, S0] : [S0])} (got ${fmt(kpm0.shape)})`);
  }
  const training = o.training ?? true;
  const p = training ? dropoutP : 0;

  return scope(() => {
    const lift = (t: Tensor): Tensor => (batched ? t : t.unsqueeze(1));
    const [qIn, kIn, vIn] = [lift(query), key === query ? null : lift(key), value === key ? null : lift(value)];
    const x = qIn;
    const kx = kIn ?? x;
    const vx = vIn ?? kx;
    // In-projection: one product when query, key and value are the same tensor, two for key === value.
    let q: Tensor;
    let k: Tensor;
    let v: Tensor;
    if (!separate) {
      const w = inProjWeight!;
      const b = inProjBias;
      if (key === value && query === key) {
        [q, k, v] = linear(x, w, b).chunk(3, -1) as [Tensor, Tensor, Tensor];
      } else if (key === value) {
        const [wq, wkv] = w.split([E, 2 * E]) as [Tensor, Tensor];
        const [bq, bkv] = b === null ? [null, null] : (b.split([E, 2 * E]) as [Tensor, Tensor]);
        q = linear(x, wq, bq);
        [k, v] = linear(kx, wkv, bkv).chunk(2, -1) as [Tensor, Tensor];
      } else {
        const ws = w.chunk(3) as [Tensor, Tensor, Tensor];
        const bs = b === null ? [null, null, null] : (b.chunk(3) as [Tensor, Tensor, Tensor]);
        q = linear(x, ws[0], bs[0]);
        k = linear(kx, ws[1], bs[1]);
        v = linear(vx, ws[2], bs[2]);
      }
    } else {
      const bs = inProjBias === null ? [null, null, null] : (inProjBias.chunk(3) as [Tensor, Tensor, Tensor]);
      q = linear(x, o.qProjWeight!, bs[0]);
      k = linear(kx, o.kProjWeight!, bs[1]);
      v = linear(vx, o.vProjWeight!, bs[2]);
    }
    let mask = mask0 === null ? null : mask0.ndim === 2 ? mask0.unsqueeze(0) : mask0;
    let kpm = kpm0 === null ? null : batched ? kpm0 : kpm0.unsqueeze(0);
    if (biasK !== null && biasV !== null) {
      k = cat([k, biasK.repeat(1, N, 1)]);
      v = cat([v, biasV.repeat(1, N, 1)]);
      if (mask !== null) mask = padMask(mask);
      if (kpm !== null) kpm = padMask(kpm);
    }
    // [L, N, E] -> [N * H, L, hd]
    q = q.reshape([L, N * H, hd]).transpose(0, 1);
    k = o.staticK ?? k.reshape([k.shape[0]!, N * H, hd]).transpose(0, 1);
    v = o.staticV ?? v.reshape([v.shape[0]!, N * H, hd]).transpose(0, 1);
    if (addZeroAttn) {
      k = cat([k, zeros([N * H, 1, hd], { device: k.device })], 1);
      v = cat([v, zeros([N * H, 1, hd], { device: v.device })], 1);
      if (mask !== null) mask = padMask(mask);
      if (kpm !== null) kpm = padMask(kpm);
    }
    const S = k.shape[1]!;
    if (kpm !== null) {
      const perHead = kpm.reshape([N, 1, 1, S]).expand([N, H, 1, S]).reshape([N * H, 1, S]);
      if (mask === null) mask = perHead;
      else if (mask.dtype === 'bool' && perHead.dtype === 'bool') mask = mask.logicalOr(perHead);
      else {
        const a = mask.dtype === 'bool' ? additive(mask) : mask;
        mask = perHead.dtype === 'bool' ? a.maskedFill(perHead, -Infinity) : a.add(perHead);
      }
    }
    if (mask !== null && mask.dtype === 'bool') mask = additive(mask);
    const [out, weights] = attend(q, k, v, mask, 1 / Math.sqrt(hd), p, o.generator);
    let attnOutput = linear(out.transpose(0, 1).reshape([L * N, E]), outProjWeight, outProjBias).reshape([L, N, E]);
    if (!batched) attnOutput = attnOutput.squeeze(1);
    if (!(o.needWeights ?? true)) return [attnOutput, null];
    let w = weights.reshape([N, H, L, S]);
    if (o.averageAttnWeights ?? true) w = w.sum(1).div(H);
    if (!batched) w = w.squeeze(0);
    return [attnOutput, w];
  });
}
