/**
 * The recurrences behind `RNN`, `LSTM`, `GRU` and their cells, with PyTorch's gate order (LSTM
 * i, f, g, o; GRU r, z, n with r applied to `W_hn h + b_hn`).
 *
 * A sequence layer makes one matmul for the input projections of every timestep (with both
 * biases folded in, except GRU's `b_hn`), then per step only `h @ W_hh^T` and the gate math.
 * The per-step slices of that projection are cut, and the outputs joined, as trees, so that the
 * backward stays O(T log T) instead of padding each step's gradient to the whole sequence.
 * Without autograd, each step's intermediates are freed as soon as the step is done.
 * @module
 */
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { cat, stack } from '../../ops/shape.js';
import { zeros } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Generator } from '../../random/generator.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';

/** Which recurrence a layer runs (PyTorch's `mode` strings). */
export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The parameters of one layer and direction. */
export interface RNNWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
}

/**
 * How many gate blocks a mode stacks in its weights (`W_ih` has `gates * hiddenSize` rows).
 *
 * @example
 * ```ts
 * gateCount('LSTM'); // 4 (i, f, g, o)
 * gateCount('GRU');  // 3 (r, z, n)
 * ```
 */
export function gateCount(mode: RNNMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** Input-side bias with what can be folded in from `b_hh`, and GRU's `b_hn`, which can't. */
function foldBiases(mode: RNNMode, w: RNNWeights, hidden: number): { bias: Tensor | null; bHn: Tensor | null } {
  const { biasIh: bi, biasHh: bh } = w;
  if (bh === null) return { bias: bi, bHn: null };
  if (mode !== 'GRU') return { bias: bi === null ? bh : bi.add(bh), bHn: null };
  const rz = cat([bh.narrow(0, 0, 2 * hidden), zeros([hidden], { device: bh.device })]);
  return { bias: bi === null ? rz : bi.add(rz), bHn: bh.narrow(0, 2 * hidden, hidden) };
}

/**
 * One step from the input-side pre-activations `gi` (biases folded in) and the state. Returns
 * the new `h` and (LSTM) `c`.
 */
function step(mode: RNNMode, gi: Tensor, h: Tensor, c: Tensor | null, weightHhT: Tensor, bHn: Tensor | null): [Tensor, Tensor | null] {
  const gh = h.matmul(weightHhT);
  switch (mode) {
    case 'RNN_TANH':
      return [gi.add(gh).tanh(), null];
    case 'RNN_RELU':
      return [gi.add(gh).relu(), null];
    case 'LSTM': {
      const [i, f, g, o] = gi.add(gh).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const c2 = f.sigmoid().mul(c!).add(i.sigmoid().mul(g.tanh()));
      return [o.sigmoid().mul(c2.tanh()), c2];
    }
    case 'GRU': {
      const hidden = h.shape[1]!;
      const [giRz, giN] = gi.split([2 * hidden, hidden], 1) as [Tensor, Tensor];
      const [ghRz, ghN] = gh.split([2 * hidden, hidden], 1) as [Tensor, Tensor];
      const [r, z] = giRz.add(ghRz).sigmoid().chunk(2, 1) as [Tensor, Tensor];
      const n = giN.add(r.mul(bHn === null ? ghN : ghN.add(bHn))).tanh();
      return [n.add(z.mul(h.sub(n))), null];
    }
  }
}

/**
 * The slices `x[0], x[1], ...` along dimension 0, cut as a tree (four pieces per level). With
 * autograd, each step's gradient is then padded only to its parent piece, not to the whole
 * sequence (O(T log T) instead of O(T^2)); tfjs's wasm slice also copies its whole input per
 * call, which the tree keeps to O(T log T) as well. Inner pieces are freed at once: a slice's
 * backward needs only shapes.
 */
function timesteps(x: Tensor): Tensor[] {
  const out: Tensor[] = [];
  const rest = x.shape.slice(1);
  const cut = (t: Tensor): void => {
    const n = t.shape[0]!;
    if (n === 1) {
      const r = t.reshape(rest);
      out.push(r);
      if (r === t) return;
    } else {
      for (const piece of t.split(Math.ceil(n / 4), 0)) cut(piece);
    }
    if (t !== x) t.dispose();
  };
  if (x.shape[0]! > 0) cut(x);
  return out;
}

/** `stack(xs, 0)` joined as a tree of four-way joins, the mirror of {@link timesteps}. */
function stackSteps(xs: readonly Tensor[]): Tensor {
  if (xs.length <= 4) return stack(xs, 0);
  const size = Math.ceil(xs.length / 4);
  const groups: Tensor[] = [];
  for (let i = 0; i < xs.length; i += size) groups.push(stackSteps(xs.slice(i, i + size)));
  const out = cat(groups, 0);
  for (const g of groups) g.dispose();
  return out;
}

/** Whether autograd will record anything these tensors take part in. */
function recording(ts: readonly (Tensor | null | undefined)[]): boolean {
  return ts.some((t) => t != null && t.requiresGrad) && isGradEnabled();
}

/** Options of {@link rnnLayers}. */
export interface RNNLayersOptions {
  /** Dropout probability on the outputs of every layer but the last (default 0). */
  dropout?: number;
  /** Apply the dropout (default true; modules pass `this.training`). */
  training?: boolean;
  /** The generator of the dropout masks. */
  generator?: Generator;
}

/** What {@link rnnLayers} returns. */
export interface RNNLayersResult {
  /** `[seqLen, batch, numDirections * hiddenSize]`. */
  output: Tensor;
  /** `[numLayers * numDirections, batch, hiddenSize]`. */
  hN: Tensor;
  /** LSTM only: the final cell states, shaped like `hN`. */
  cN: Tensor | null;
}

/**
 * Runs a stack of recurrent layers over a sequence-first batch (`[seqLen, batch, inputSize]`),
 * as PyTorch's `_VF.rnn_tanh` / `_VF.lstm` / `_VF.gru` do. `weights[layer][direction]`; `h0`
 * and `c0` are `[numLayers * numDirections, batch, hiddenSize]` or null for zeros. Inputs are
 * not validated here: the modules do it. Intermediates are freed before returning.
 *
 * @example
 * ```ts
 * const w = { weightIh: randn([8, 3]), weightHh: randn([8, 2]), biasIh: null, biasHh: null };
 * const { output, hN, cN } = rnnLayers('LSTM', randn([5, 1, 3]), [[w]], null, null);
 * output.shape; // [5, 1, 2]
 * ```
 */
export function rnnLayers(
  mode: RNNMode,
  input: Tensor,
  weights: readonly (readonly RNNWeights[])[],
  h0: Tensor | null,
  c0: Tensor | null,
  options: RNNLayersOptions = {},
): RNNLayersResult {
  const all = weights.flat();
  const tracking = recording([input, h0, c0, ...all.flatMap((w) => [w.weightIh, w.weightHh, w.biasIh, w.biasHh])]);
  return scope(() => {
    const [seqLen, batch] = input.shape as [number, number, number];
    const hidden = all[0]!.weightHh.shape[1]!;
    const h0s = h0 === null ? null : h0.unbind(0);
    const c0s = c0 === null ? null : c0.unbind(0);
    const hNs: Tensor[] = [];
    const cNs: Tensor[] = [];
    let x = input;
    weights.forEach((dirs, layer) => {
      const outs = dirs.map((w, dir) => {
        const k = layer * dirs.length + dir;
        const { bias, bHn: b } = foldBiases(mode, w, hidden);
        const bHn = b === null ? null : b.expand([batch, hidden]); // once here, not broadcast per step
        const flat = x.reshape([seqLen * batch, x.shape[2]!]);
        const gis = timesteps(linear(flat, w.weightIh, bias).reshape([seqLen, batch, -1]));
        const whhT = w.weightHh.t();
        let h = h0s?.[k] ?? zeros([batch, hidden], { device: x.device });
        let c = mode === 'LSTM' ? (c0s?.[k] ?? zeros([batch, hidden], { device: x.device })) : null;
        const hs: Tensor[] = new Array<Tensor>(seqLen);
        for (let s = 0; s < seqLen; s++) {
          const t = dir === 0 ? s : seqLen - 1 - s;
          const run = (): [Tensor, Tensor | null] => step(mode, gis[t]!, h, c, whhT, bHn);
          if (tracking) [h, c] = run();
          else {
            // Nothing records: free each step's intermediates, its input slice and the old cell state.
            const prevC = c;
            [h, c] = scope(run);
            gis[t]!.dispose();
            prevC?.dispose();
          }
          hs[t] = h;
        }
        hNs.push(h);
        if (c !== null) cNs.push(c);
        return seqLen === 0 ? zeros([0, batch, hidden], { device: x.device }) : stackSteps(hs);
      });
      x = outs.length === 1 ? outs[0]! : cat(outs, 2);
      if (layer < weights.length - 1) {
        x = dropout(x, { p: options.dropout ?? 0, training: options.training ?? true, generator: options.generator });
      }
    });
    return { output: x, hN: stack(hNs, 0), cN: mode === 'LSTM' ? stack(cNs, 0) : null };
  });
}

/** One step of a cell on a 2-D batch: `[h]`, or `[h, c]` for LSTM. @internal */
export function cellForward(mode: RNNMode, input: Tensor, h: Tensor, c: Tensor | null, w: RNNWeights): [Tensor, Tensor | null] {
  return scope(() => {
    const { bias, bHn } = foldBiases(mode, w, w.weightHh.shape[1]!);
    return step(mode, linear(input, w.weightIh, bias), h, c, w.weightHh.t(), bHn);
  });
}

function checkCellArgs(fn: string, mode: RNNMode, input: Tensor, hx: Tensor, w: RNNWeights): void {
  const args: [string, unknown][] = [['input', input], ['hx', hx], ['weightIh', w.weightIh], ['weightHh', w.weightHh]];
  for (const [name, v] of args) {
    if (!(v instanceof Tensor)) throw new ArgumentError(`${fn}(): ${name} must be a Tensor (got ${describe(v)})`);
  }
  const g = gateCount(mode);
  const hidden = w.weightHh.shape[1]!;
  const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
  if (input.ndim !== 2 || hx.ndim !== 2) {
    throw new ShapeError(`${fn}(): input and hx must be 2-D ([batch, inputSize], [batch, hiddenSize]) (got shapes ${fmt(input.shape)} and ${fmt(hx.shape)})`);
  }
  if (w.weightHh.ndim !== 2 || w.weightHh.shape[0] !== g * hidden) {
    throw new ShapeError(`${fn}(): weightHh must have shape [${g} * hiddenSize, hiddenSize] (got ${fmt(w.weightHh.shape)})`);
  }
  if (w.weightIh.ndim !== 2 || w.weightIh.shape[0] !== g * hidden || w.weightIh.shape[1] !== input.shape[1]) {
    throw new ShapeError(`${fn}(): weightIh must have shape [${g * hidden}, ${input.shape[1]}] for input ${fmt(input.shape)} (got ${fmt(w.weightIh.shape)})`);
  }
  if (hx.shape[0] !== input.shape[0] || hx.shape[1] !== hidden) {
    throw new ShapeError(`${fn}(): hx must have shape [${input.shape[0]}, ${hidden}] (got ${fmt(hx.shape)})`);
  }
}

/**
 * One Elman RNN step with tanh: `tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)` (`torch.rnn_tanh_cell`).
 *
 * @example
 * ```ts
 * const h = rnnTanhCell(randn([2, 3]), zeros([2, 4]), randn([4, 3]), randn([4, 4]));
 * h.shape; // [2, 4]
 * ```
 */
export function rnnTanhCell(input: Tensor, hx: Tensor, weightIh: Tensor, weightHh: Tensor, biasIh: Tensor | null = null, biasHh: Tensor | null = null): Tensor {
  const w = { weightIh, weightHh, biasIh, biasHh };
  checkCellArgs('rnnTanhCell', 'RNN_TANH', input, hx, w);
  return cellForward('RNN_TANH', input, hx, null, w)[0];
}

/**
 * One Elman RNN step with ReLU (`torch.rnn_relu_cell`).
 *
 * @example
 * ```ts
 * const h = rnnReluCell(randn([2, 3]), zeros([2, 4]), randn([4, 3]), randn([4, 4]));
 * ```
 */
export function rnnReluCell(input: Tensor, hx: Tensor, weightIh: Tensor, weightHh: Tensor, biasIh: Tensor | null = null, biasHh: Tensor | null = null): Tensor {
  const w = { weightIh, weightHh, biasIh, biasHh };
  checkCellArgs('rnnReluCell', 'RNN_RELU', input, hx, w);
  return cellForward('RNN_RELU', input, hx, null, w)[0];
}

/**
 * One LSTM step (`torch.lstm_cell`): gates i, f, g, o stacked in that order in the weights.
 * Returns `[h, c]`.
 *
 * @example
 * ```ts
 * const [h, c] = lstmCell(randn([2, 3]), [zeros([2, 4]), zeros([2, 4])], randn([16, 3]), randn([16, 4]));
 * ```
 */
export function lstmCell(input: Tensor, hx: readonly [Tensor, Tensor], weightIh: Tensor, weightHh: Tensor, biasIh: Tensor | null = null, biasHh: Tensor | null = null): [Tensor, Tensor] {
  if (!Array.isArray(hx) || hx.length !== 2) throw new ArgumentError(`lstmCell(): hx must be a pair [h, c] of Tensors (got ${describe(hx)})`);
  const w = { weightIh, weightHh, biasIh, biasHh };
  checkCellArgs('lstmCell', 'LSTM', input, hx[0], w);
  if (!(hx[1] instanceof Tensor) || hx[1].shape.join() !== hx[0].shape.join()) {
    throw new ShapeError(`lstmCell(): c must be a Tensor of h's shape [${hx[0].shape.join(', ')}] (got ${describe(hx[1])})`);
  }
  const [h, c] = cellForward('LSTM', input, hx[0], hx[1], w);
  return [h, c!];
}

/**
 * One GRU step (`torch.gru_cell`): gates r, z, n, with `n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`
 * and `h' = (1 - z) * n + z * h`.
 *
 * @example
 * ```ts
 * const h = gruCell(randn([2, 3]), zeros([2, 4]), randn([12, 3]), randn([12, 4]));
 * ```
 */
export function gruCell(input: Tensor, hx: Tensor, weightIh: Tensor, weightHh: Tensor, biasIh: Tensor | null = null, biasHh: Tensor | null = null): Tensor {
  const w = { weightIh, weightHh, biasIh, biasHh };
  checkCellArgs('gruCell', 'GRU', input, hx, w);
  return cellForward('GRU', input, hx, null, w)[0];
}
