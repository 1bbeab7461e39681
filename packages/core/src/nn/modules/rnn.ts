/**
 * Recurrent layers: `RNN`, `LSTM`, `GRU` (multi-layer, bidirectional, batch-first) and the
 * single-step `RNNCell`, `LSTMCell`, `GRUCell`, with PyTorch's parameter names
 * (`weight_ih_l0`, `bias_hh_l1_reverse`...), shapes, gate order and initialisation
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). The math lives in `nn/functional/rnn.ts`.
 * The sequence layers also take a `PackedSequence` (`nn/utils/rnn.ts`), as PyTorch's do: each
 * step runs only on the sequences still running, and the final states are each sequence's own.
 * @module
 */
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import type { Generator } from '../../random/generator.js';
import { cat, stack } from '../../ops/shape.js';
import { tensor, zeros } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../functional/dropout.js';
import { cellForward, gateCount, rnnLayers, type RNNMode, type RNNWeights } from '../functional/rnn.js';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { isPackedSequence, type PackedSequence } from '../utils/rnn.js';
import { emptyParameter } from './linear.js';

/** Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's keyword arguments). */
export interface RNNBaseOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Whether the layers have `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Input and output are `[batch, seq, feature]` instead of `[seq, batch, feature]` (default false). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of each layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Run a second set of layers backwards over the sequence (default false). */
  bidirectional?: boolean;
  /** The generator of the initial weights and of the dropout masks (default: the global one). */
  generator?: Generator;
}

/** Options of {@link RNN}: also the nonlinearity. */
export interface RNNOptions extends RNNBaseOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

function checkSize(cls: string, arg: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ArgumentError(`${cls}(): ${arg} must be an integer >= ${min} (got ${describe(v)})`);
  }
  return v;
}

function checkDropout(cls: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ArgumentError(`${cls}(): dropout must be a probability in [0, 1] (got ${describe(p)})`);
  }
  return p;
}

function nonlinearityMode(cls: string, nonlinearity: unknown): RNNMode {
  if (nonlinearity === 'tanh') return 'RNN_TANH';
  if (nonlinearity === 'relu') return 'RNN_RELU';
  throw new ArgumentError(`${cls}(): nonlinearity must be 'tanh' or 'relu' (got ${describe(nonlinearity)})`);
}

function checkFloatTensor(fn: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(`${fn}: ${arg} must be a Tensor (got ${describe(v)})`);
  if (v.dtype !== 'float32') throw new DTypeError(`${fn}: ${arg} must be float32 (got dtype ${v.dtype})`);
  return v;
}

/** Makes a parameter of `shape` drawn from U(-1/sqrt(hidden), 1/sqrt(hidden)), PyTorch's RNN init. */
function rnnParameter(shape: number[], hidden: number, generator: Generator | undefined): Parameter {
  const p = emptyParameter(shape);
  const bound = 1 / Math.sqrt(hidden);
  uniform_(p, -bound, bound, { generator });
  return p;
}

/**
 * The base of {@link RNN}, {@link LSTM} and {@link GRU} (`nn.RNNBase`): holds the parameters of
 * every layer and direction under PyTorch's names, in PyTorch's order: per layer, per direction,
 * `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`, with `_reverse` for the
 * backward direction.
 *
 * @example
 * ```ts
 * const lstm = new LSTM(10, 20, { numLayers: 2 });
 * Object.keys(lstm.stateDict()).slice(0, 4); // ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
 * ```
 */
export abstract class RNNBase<Hx, State> extends Module<[Tensor | PackedSequence, Hx?], [Tensor | PackedSequence, State]> {
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** The generator of the dropout masks (undefined: the global one). */
  generator: Generator | undefined;
  /** The parameters by PyTorch's names (`weight_ih_l0`, `weight_hh_l1_reverse`...). */
  [name: `weight_ih_l${string}` | `weight_hh_l${string}`]: Parameter;
  /** The biases by PyTorch's names (`bias_ih_l0`...); undefined with `bias: false`. */
  [name: `bias_ih_l${string}` | `bias_hh_l${string}`]: Parameter | undefined;

  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super();
    const cls = new.target.name;
    this.mode = mode;
    this.inputSize = checkSize(cls, 'inputSize', inputSize);
    this.hiddenSize = checkSize(cls, 'hiddenSize', hiddenSize);
    this.numLayers = checkSize(cls, 'numLayers', options.numLayers ?? 1);
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = checkDropout(cls, options.dropout ?? 0);
    this.bidirectional = options.bidirectional ?? false;
    this.generator = options.generator;
    const g = gateCount(mode) * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const self = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        self[`weight_ih${sfx}`] = rnnParameter([g, inSize], hiddenSize, options.generator);
        self[`weight_hh${sfx}`] = rnnParameter([g, hiddenSize], hiddenSize, options.generator);
        if (this.bias) {
          self[`bias_ih${sfx}`] = rnnParameter([g], hiddenSize, options.generator);
          self[`bias_hh${sfx}`] = rnnParameter([g], hiddenSize, options.generator);
        }
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * The parameters per layer and direction, `[weight_ih, weight_hh, bias_ih?, bias_hh?]` in
   * `numLayers * numDirections` groups (`all_weights`).
   */
  get allWeights(): Parameter[][] {
    return this._weights().flat().map((w) => [w.weightIh, w.weightHh, w.biasIh, w.biasHh].filter((p): p is Parameter => p !== null) as Parameter[]);
  }

  /** Kept for code ported from PyTorch, where it packs weights for cuDNN; here it does nothing. */
  flattenParameters(): void {}

  /** `weights[layer][direction]`. @internal */
  _weights(): RNNWeights[][] {
    const self = this as unknown as Record<string, Parameter | undefined>;
    return Array.from({ length: this.numLayers }, (_, layer) =>
      Array.from({ length: this.numDirections }, (_, d) => {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        return {
          weightIh: self[`weight_ih${sfx}`]!,
          weightHh: self[`weight_hh${sfx}`]!,
          biasIh: self[`bias_ih${sfx}`] ?? null,
          biasHh: self[`bias_hh${sfx}`] ?? null,
        };
      }),
    );
  }

  /**
   * Validates and runs the layers. `h0`/`c0` as the user passed them (3-D, or 2-D for an
   * unbatched input). @internal
   */
  _run(input: Tensor, h0: Tensor | undefined, c0: Tensor | undefined): { output: Tensor; hN: Tensor; cN: Tensor | null } {
    const cls = this.constructor.name;
    const fn = `${cls}.forward()`;
    checkFloatTensor(fn, 'input', input);
    const layout = this.batchFirst ? '[batch, seqLen, inputSize]' : '[seqLen, batch, inputSize]';
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new ShapeError(`${fn}: input must be 3-D ${layout} or 2-D [seqLen, inputSize] (unbatched) (got shape ${fmt(input.shape)})`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${fn}: input.shape[-1] (${input.shape[input.ndim - 1]}) must equal inputSize (${this.inputSize}) (got input of shape ${fmt(input.shape)})`);
    }
    const batched = input.ndim === 3;
    const batch = batched ? input.shape[this.batchFirst ? 0 : 1]! : 1;
    const states = this.numLayers * this.numDirections;
    const want = batched ? [states, batch, this.hiddenSize] : [states, this.hiddenSize];
    const check = (name: string, t: Tensor | undefined): void => {
      if (t === undefined || t === null) return;
      checkFloatTensor(fn, name, t);
      if (t.shape.length !== want.length || t.shape.some((s, i) => s !== want[i])) {
        throw new ShapeError(
          `${fn}: ${name} must have shape ${fmt(want)} ([numLayers * numDirections, ${batched ? 'batch, ' : ''}hiddenSize]` +
            `${batched ? '' : ' for an unbatched input'}) (got ${fmt(t.shape)})`,
        );
      }
    };
    check('h0', h0);
    check('c0', c0);
    const out = scope(() => {
      const x = batched ? (this.batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
      const lift = (t: Tensor | undefined): Tensor | null => (t == null ? null : batched ? t : t.unsqueeze(1));
      const r = rnnLayers(this.mode, x, this._weights(), lift(h0), lift(c0), {
        dropout: this.dropout,
        training: this.training,
        generator: this.generator,
      });
      const drop = (t: Tensor): Tensor => (batched ? t : t.squeeze(1));
      const output = batched ? (this.batchFirst ? r.output.transpose(0, 1) : r.output) : r.output.squeeze(1);
      return { output, hN: drop(r.hN), cN: r.cN === null ? null : drop(r.cN) };
    });
    return out;
  }

  /**
   * Runs the layers over a packed batch: at step t only the first `batchSizes[t]` sequences (the
   * longest ones) advance; the others keep their final state. `h0`/`c0` are in the caller's batch
   * order, as are the returned `hN`/`cN`. @internal
   */
  _runPacked(input: PackedSequence, h0: Tensor | undefined, c0: Tensor | undefined): { output: PackedSequence; hN: Tensor; cN: Tensor | null } {
    const fn = `${this.constructor.name}.forward()`;
    const { data, batchSizes, sortedIndices, unsortedIndices } = input;
    checkFloatTensor(fn, 'input.data', data);
    if (data.ndim !== 2 || data.shape[1] !== this.inputSize) {
      throw new ShapeError(`${fn}: a PackedSequence's data must be [sum(batchSizes), inputSize] with inputSize ${this.inputSize} (got shape ${fmt(data.shape)})`);
    }
    const total = batchSizes.reduce((a, b) => a + b, 0);
    if (batchSizes.length === 0 || total !== data.shape[0] || batchSizes.some((b, i) => !Number.isInteger(b) || b < 1 || (i > 0 && b > batchSizes[i - 1]!))) {
      throw new ArgumentError(`${fn}: a PackedSequence's batchSizes must be non-increasing positive integers summing to data.shape[0] (${data.shape[0]}) (got ${describe([...batchSizes])})`);
    }
    const batch = batchSizes[0]!;
    const steps = batchSizes.length;
    const want = [this.numLayers * this.numDirections, batch, this.hiddenSize];
    for (const [name, t] of [['h0', h0], ['c0', c0]] as const) {
      if (t == null) continue;
      checkFloatTensor(fn, name, t);
      if (t.shape.length !== 3 || t.shape.some((s, i) => s !== want[i])) {
        throw new ShapeError(`${fn}: ${name} must have shape ${fmt(want)} ([numLayers * numDirections, batch, hiddenSize]) (got ${fmt(t.shape)})`);
      }
    }
    const offsets: number[] = [];
    batchSizes.reduce((off, b) => (offsets.push(off), off + b), 0);
    const hidden = this.hiddenSize;
    const lstm = this.mode === 'LSTM';
    const r = scope(() => {
      const sortIdx = sortedIndices === null ? null : tensor([...sortedIndices], { dtype: 'int32' });
      const sorted = (t: Tensor | undefined): Tensor[] | null => (t == null ? null : (sortIdx === null ? t : t.indexSelect(1, sortIdx)).unbind(0));
      const h0s = sorted(h0);
      const c0s = sorted(c0);
      const hNs: Tensor[] = [];
      const cNs: Tensor[] = [];
      let x = data;
      this._weights().forEach((dirs, layer) => {
        const outs = dirs.map((w, dir) => {
          const k = layer * dirs.length + dir;
          const hInit = h0s?.[k] ?? zeros([batch, hidden]);
          const cInit = lstm ? (c0s?.[k] ?? zeros([batch, hidden])) : null;
          const stepOut: Tensor[] = new Array<Tensor>(steps);
          let h: Tensor;
          let c: Tensor | null;
          if (dir === 0) {
            // Running sequences are a prefix of the batch; the rest keep their last state.
            [h, c] = [hInit, cInit];
            for (let t = 0; t < steps; t++) {
              const bs = batchSizes[t]!;
              const head = (s: Tensor): Tensor => (bs === batch ? s : s.narrow(0, 0, bs));
              const tail = (s1: Tensor, s: Tensor): Tensor => (bs === batch ? s1 : cat([s1, s.narrow(0, bs, batch - bs)], 0));
              const [h1, c1] = cellForward(this.mode, x.narrow(0, offsets[t]!, bs), head(h), c === null ? null : head(c), w);
              stepOut[t] = h1;
              h = tail(h1, h);
              c = c1 === null ? null : tail(c1, c!);
            }
          } else {
            // Backwards: a sequence joins, from its initial state, at its own last step.
            const last = batchSizes[steps - 1]!;
            h = last === batch ? hInit : hInit.narrow(0, 0, last);
            c = cInit === null ? null : last === batch ? cInit : cInit.narrow(0, 0, last);
            for (let t = steps - 1; t >= 0; t--) {
              const bs = batchSizes[t]!;
              const cur = h.shape[0]!;
              if (bs > cur) {
                h = cat([h, hInit.narrow(0, cur, bs - cur)], 0);
                if (c !== null) c = cat([c, cInit!.narrow(0, cur, bs - cur)], 0);
              }
              [h, c] = cellForward(this.mode, x.narrow(0, offsets[t]!, bs), h, c, w);
              stepOut[t] = h;
            }
          }
          hNs.push(h);
          if (c !== null) cNs.push(c);
          return steps === 1 ? stepOut[0]! : cat(stepOut, 0);
        });
        x = outs.length === 1 ? outs[0]! : cat(outs, 1);
        if (layer < this.numLayers - 1) x = dropout(x, { p: this.dropout, training: this.training, generator: this.generator });
      });
      const unsortIdx = unsortedIndices === null ? null : tensor([...unsortedIndices], { dtype: 'int32' });
      const unsort = (t: Tensor): Tensor => (unsortIdx === null ? t : t.indexSelect(1, unsortIdx));
      return { data: x, hN: unsort(stack(hNs, 0)), cN: lstm ? unsort(stack(cNs, 0)) : null };
    });
    return { output: { data: r.data, batchSizes, sortedIndices, unsortedIndices }, hN: r.hN, cN: r.cN };
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batchFirst=true';
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    return s;
  }
}

/**
 * A multi-layer Elman RNN, `h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)` (or ReLU)
 * (`nn.RNN`). `forward(input, h0?)` returns `[output, hN]`: output `[seqLen, batch,
 * numDirections * hiddenSize]` (batch first with `batchFirst`), hN `[numLayers * numDirections,
 * batch, hiddenSize]`. A 2-D input is one unbatched sequence. A {@link PackedSequence} input
 * (`nn.utils.packPaddedSequence`) gives a PackedSequence output, and hN holds each sequence's
 * state at its own last step, in the caller's batch order.
 *
 * @example
 * ```ts
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn(randn([5, 3, 10]), randn([2, 3, 20]));
 * output.shape; // [5, 3, 20]
 * ```
 */
export interface RNN {
  (input: Tensor, h0?: Tensor): [Tensor, Tensor];
  (input: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
}
export class RNN extends RNNBase<Tensor, Tensor> {
  /** `'tanh'` or `'relu'`. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    super(nonlinearityMode('RNN', nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }
  forward(input: Tensor, h0?: Tensor): [Tensor, Tensor];
  forward(input: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor] {
    const { output, hN } = isPackedSequence(input) ? this._runPacked(input, h0 ?? undefined, undefined) : this._run(input, h0 ?? undefined, undefined);
    return [output, hN];
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === 'tanh' ? '' : `, nonlinearity='${this.nonlinearity}'`);
  }
}

/**
 * A multi-layer long short-term memory RNN (`nn.LSTM`), gates i, f, g, o:
 * `c_t = f * c_{t-1} + i * g`, `h_t = o * tanh(c_t)`. `forward(input, [h0, c0]?)` returns
 * `[output, [hN, cN]]` with the shapes of {@link RNN}.
 *
 * @example
 * ```ts
 * const lstm = new LSTM(10, 20, { batchFirst: true, bidirectional: true });
 * const [output, [hN, cN]] = lstm(randn([3, 5, 10]));
 * output.shape; // [3, 5, 40]
 * hN.shape;     // [2, 3, 20]
 * // Variable lengths: a PackedSequence in, a PackedSequence out; hN at each sequence's own end.
 * const [packed] = lstm(packPaddedSequence(randn([3, 5, 10]), [5, 2, 4], { batchFirst: true, enforceSorted: false }));
 * const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
 * ```
 */
export interface LSTM {
  (input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]];
  (input: PackedSequence, hx?: readonly [Tensor, Tensor]): [PackedSequence, [Tensor, Tensor]];
}
export class LSTM extends RNNBase<readonly [Tensor, Tensor], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]];
  forward(input: PackedSequence, hx?: readonly [Tensor, Tensor]): [PackedSequence, [Tensor, Tensor]];
  forward(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor]): [Tensor | PackedSequence, [Tensor, Tensor]];
  forward(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor]): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError(`LSTM.forward(): hx must be a pair [h0, c0] of Tensors (got ${describe(hx)})`);
    }
    const { output, hN, cN } = isPackedSequence(input) ? this._runPacked(input, hx?.[0], hx?.[1]) : this._run(input, hx?.[0], hx?.[1]);
    return [output, [hN, cN!]];
  }
}

/**
 * A multi-layer gated recurrent unit RNN (`nn.GRU`), gates r, z, n:
 * `n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`, `h' = (1 - z) * n + z * h`.
 * `forward(input, h0?)` returns `[output, hN]` with the shapes of {@link RNN}.
 *
 * @example
 * ```ts
 * const gru = new GRU(10, 20, { numLayers: 2, dropout: 0.1 });
 * const [output, hN] = gru(randn([5, 3, 10]));
 * ```
 */
export interface GRU {
  (input: Tensor, h0?: Tensor): [Tensor, Tensor];
  (input: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
}
export class GRU extends RNNBase<Tensor, Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, h0?: Tensor): [Tensor, Tensor];
  forward(input: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor] {
    const { output, hN } = isPackedSequence(input) ? this._runPacked(input, h0 ?? undefined, undefined) : this._run(input, h0 ?? undefined, undefined);
    return [output, hN];
  }
}

/** Options of the cells (PyTorch's keyword arguments). */
export interface RNNCellOptions {
  /** Whether the cell has `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** The generator of the initial weights (default: the global one). */
  generator?: Generator;
}

/**
 * The base of the cells (`nn.RNNCellBase`): `weight_ih` `[gates * hiddenSize, inputSize]`,
 * `weight_hh` `[gates * hiddenSize, hiddenSize]`, `bias_ih`, `bias_hh`.
 *
 * @example
 * ```ts
 * const cell = new GRUCell(3, 4);
 * cell.weight_ih.shape; // [12, 3]
 * ```
 */
export abstract class RNNCellBase<Hx, Out> extends Module<[Tensor, Hx?], Out> {
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  declare weight_ih: Parameter;
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;

  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super();
    const cls = new.target.name;
    this.mode = mode;
    this.inputSize = checkSize(cls, 'inputSize', inputSize);
    this.hiddenSize = checkSize(cls, 'hiddenSize', hiddenSize);
    this.bias = options.bias ?? true;
    const g = gateCount(mode) * hiddenSize;
    this.weight_ih = rnnParameter([g, inputSize], hiddenSize, options.generator);
    this.weight_hh = rnnParameter([g, hiddenSize], hiddenSize, options.generator);
    this.bias_ih = this.bias ? rnnParameter([g], hiddenSize, options.generator) : null;
    this.bias_hh = this.bias ? rnnParameter([g], hiddenSize, options.generator) : null;
  }

  /** Validates and runs one step; `h`/`c` as the user passed them. @internal */
  _step(input: Tensor, h: Tensor | undefined, c: Tensor | undefined): [Tensor, Tensor | null] {
    const fn = `${this.constructor.name}.forward()`;
    checkFloatTensor(fn, 'input', input);
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new ShapeError(`${fn}: input must be 2-D [batch, inputSize] or 1-D [inputSize] (unbatched) (got shape ${fmt(input.shape)})`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${fn}: input.shape[-1] (${input.shape[input.ndim - 1]}) must equal inputSize (${this.inputSize}) (got input of shape ${fmt(input.shape)})`);
    }
    const batched = input.ndim === 2;
    const want = batched ? [input.shape[0]!, this.hiddenSize] : [this.hiddenSize];
    for (const [name, t] of [['hx', h], ['cx', c]] as const) {
      if (t == null) continue;
      checkFloatTensor(fn, name, t);
      if (t.shape.length !== want.length || t.shape.some((s, i) => s !== want[i])) {
        throw new ShapeError(`${fn}: ${name} must have shape ${fmt(want)} (${batched ? '[batch, hiddenSize]' : '[hiddenSize] for an unbatched input'}) (got ${fmt(t.shape)})`);
      }
    }
    return scope(() => {
      const lift = (t: Tensor): Tensor => (batched ? t : t.unsqueeze(0));
      const x = lift(input);
      const h0 = h == null ? zeros([x.shape[0]!, this.hiddenSize]) : lift(h);
      const c0 = this.mode !== 'LSTM' ? null : c == null ? zeros([x.shape[0]!, this.hiddenSize]) : lift(c);
      const w = { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh };
      const [h1, c1] = cellForward(this.mode, x, h0, c0, w);
      const drop = (t: Tensor): Tensor => (batched ? t : t.squeeze(0));
      return [drop(h1), c1 === null ? null : drop(c1)];
    });
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : ', bias=false'}`;
  }
}

/**
 * One Elman RNN step (`nn.RNNCell`): `forward(input, hx?)` returns `h'` (`[batch, hiddenSize]`,
 * or `[hiddenSize]` for a 1-D input); `hx` defaults to zeros.
 *
 * @example
 * ```ts
 * const cell = new RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of randn([6, 3, 10]).unbind(0)) h = cell(x, h);
 * ```
 */
export class RNNCell extends RNNCellBase<Tensor, Tensor> {
  /** `'tanh'` or `'relu'`. */
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions & { nonlinearity?: 'tanh' | 'relu' } = {}) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    super(nonlinearityMode('RNNCell', nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this._step(input, hx ?? undefined, undefined)[0];
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === 'tanh' ? '' : `, nonlinearity='${this.nonlinearity}'`);
  }
}

/**
 * One LSTM step (`nn.LSTMCell`): `forward(input, [hx, cx]?)` returns `[h', c']`.
 *
 * @example
 * ```ts
 * const cell = new LSTMCell(10, 20);
 * const [h, c] = cell(randn([3, 10]));
 * ```
 */
export class LSTMCell extends RNNCellBase<readonly [Tensor, Tensor], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, Tensor] {
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError(`LSTMCell.forward(): hx must be a pair [hx, cx] of Tensors (got ${describe(hx)})`);
    }
    const [h, c] = this._step(input, hx?.[0], hx?.[1]);
    return [h, c!];
  }
}

/**
 * One GRU step (`nn.GRUCell`): `forward(input, hx?)` returns `h'`.
 *
 * @example
 * ```ts
 * const cell = new GRUCell(10, 20);
 * const h = cell(randn([3, 10]), zeros([3, 20]));
 * ```
 */
export class GRUCell extends RNNCellBase<Tensor, Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }
  forward(input: Tensor, hx?: Tensor): Tensor {
    return this._step(input, hx ?? undefined, undefined)[0];
  }
}
