import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, manualSeed, memory, noGrad, ones, randn, scope, tensor, zeros, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import type { AnyModule } from '../module.js';
import { gruCell, lstmCell, rnnTanhCell } from '../functional/rnn.js';
import { packPaddedSequence, padPackedSequence } from '../utils/rnn.js';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from './rnn.js';

type Seq = RNN | GRU;

/** A sequence module run as the fixture ran it: [output, hN] or [output, hN, cN]. */
function seq(make: () => AnyModule): ModuleEntry {
  return {
    make,
    run: (m, { input, h0, c0 }) => {
      if (m instanceof LSTM) {
        const [out, [h, c]] = m(input!, h0 === undefined ? undefined : [h0, c0!]);
        return [out, h, c];
      }
      return (m as Seq)(input!, h0);
    },
  };
}

function cell(make: () => AnyModule): ModuleEntry {
  return {
    make,
    run: (m, { input, h0, c0 }) => {
      if (m instanceof LSTMCell) return m(input!, h0 === undefined ? undefined : [h0, c0!]);
      return [(m as RNNCell | GRUCell)(input!, h0)];
    },
  };
}

runModuleGolden('rnn', ['rnn', 'cell'], {
  rnn_tanh: seq(() => new RNN(3, 4)),
  rnn_tanh_h0: seq(() => new RNN(3, 4)),
  rnn_relu_2layers: seq(() => new RNN(3, 4, { numLayers: 2, nonlinearity: 'relu' })),
  rnn_bidirectional_2layers_batch_first: seq(() => new RNN(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true })),
  rnn_no_bias: seq(() => new RNN(3, 4, { bias: false })),
  rnn_unbatched: seq(() => new RNN(3, 4, { bidirectional: true })),
  lstm: seq(() => new LSTM(3, 4)),
  lstm_h0: seq(() => new LSTM(3, 4)),
  lstm_2layers_bidirectional: seq(() => new LSTM(3, 4, { numLayers: 2, bidirectional: true })),
  lstm_batch_first: seq(() => new LSTM(3, 5, { batchFirst: true })),
  lstm_3layers_batch_first_bidirectional: seq(() => new LSTM(2, 3, { numLayers: 3, bidirectional: true, batchFirst: true })),
  lstm_no_bias: seq(() => new LSTM(3, 4, { bias: false, numLayers: 2 })),
  lstm_unbatched: seq(() => new LSTM(3, 4)),
  lstm_long: seq(() => new LSTM(4, 8)),
  gru: seq(() => new GRU(3, 4)),
  gru_h0: seq(() => new GRU(3, 4)),
  gru_2layers_bidirectional_batch_first: seq(() => new GRU(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true })),
  gru_no_bias: seq(() => new GRU(3, 4, { bias: false })),
  gru_unbatched: seq(() => new GRU(3, 4)),
  rnn_cell: cell(() => new RNNCell(3, 4)),
  rnn_cell_relu_no_h0: cell(() => new RNNCell(3, 4, { nonlinearity: 'relu' })),
  rnn_cell_unbatched_no_bias: cell(() => new RNNCell(3, 4, { bias: false })),
  lstm_cell: cell(() => new LSTMCell(3, 4)),
  lstm_cell_no_h0: cell(() => new LSTMCell(3, 4)),
  lstm_cell_unbatched: cell(() => new LSTMCell(3, 4)),
  gru_cell: cell(() => new GRUCell(3, 4)),
  gru_cell_no_h0_no_bias: cell(() => new GRUCell(3, 4, { bias: false })),
  gru_cell_unbatched: cell(() => new GRUCell(3, 4)),
});

/**
 * A module run on a packed batch as the fixture ran it: pack the padded `x` (unsorted lengths),
 * run, and return [packed output data, hN, (cN,) the output padded again].
 */
function packed(make: () => AnyModule): ModuleEntry {
  return {
    make,
    run: (m, { x, lengths, h0, c0 }) => {
      const rnn = m as RNN | GRU | LSTM;
      const input = packPaddedSequence(x!, lengths!, { batchFirst: rnn.batchFirst, enforceSorted: false });
      if (rnn instanceof LSTM) {
        const [out, [h, c]] = rnn(input, h0 === undefined ? undefined : [h0, c0!]);
        return [out.data, h, c, padPackedSequence(out, { batchFirst: rnn.batchFirst })[0]];
      }
      const [out, h] = (rnn as Seq)(input, h0);
      return [out.data, h, padPackedSequence(out, { batchFirst: rnn.batchFirst })[0]];
    },
  };
}

runModuleGolden('rnn_packed', ['packed'], {
  rnn_packed: packed(() => new RNN(3, 4)),
  rnn_packed_relu_bidirectional_h0: packed(() => new RNN(3, 4, { nonlinearity: 'relu', bidirectional: true })),
  lstm_packed: packed(() => new LSTM(3, 4)),
  lstm_packed_2layers_bidirectional_h0: packed(() => new LSTM(3, 4, { numLayers: 2, bidirectional: true })),
  lstm_packed_batch_first_sorted: packed(() => new LSTM(2, 3, { batchFirst: true })),
  gru_packed: packed(() => new GRU(3, 4)),
  gru_packed_2layers_bidirectional_batch_first_h0: packed(() => new GRU(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true })),
  gru_packed_no_bias_equal_lengths: packed(() => new GRU(3, 4, { bias: false })),
});

describe('RNN modules', () => {
  it('name parameters as PyTorch does, with PyTorch shapes', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(Object.entries(lstm.stateDict()).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      weight_ih_l0: [20, 3], weight_hh_l0: [20, 5], bias_ih_l0: [20], bias_hh_l0: [20],
      weight_ih_l0_reverse: [20, 3], weight_hh_l0_reverse: [20, 5], bias_ih_l0_reverse: [20], bias_hh_l0_reverse: [20],
      weight_ih_l1: [20, 10], weight_hh_l1: [20, 5], bias_ih_l1: [20], bias_hh_l1: [20],
      weight_ih_l1_reverse: [20, 10], weight_hh_l1_reverse: [20, 5], bias_ih_l1_reverse: [20], bias_hh_l1_reverse: [20],
    });
    expect(lstm.allWeights.map((ws) => ws.length)).toEqual([4, 4, 4, 4]);
    expect(Object.keys(new GRU(2, 3, { bias: false }).stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    expect(Object.keys(new GRUCell(2, 3).stateDict())).toEqual(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
    expect(new GRUCell(2, 3).weight_ih.shape).toEqual([9, 2]);
    expect(lstm.toString()).toBe('LSTM(3, 5, numLayers=2, bidirectional=true)');
    expect(new RNNCell(2, 3, { nonlinearity: 'relu', bias: false }).toString()).toBe("RNNCell(2, 3, bias=false, nonlinearity='relu')");
    lstm.dispose();
  });

  it('initialise every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), reproducibly from a generator', () => {
    manualSeed(0); // the draws below must not depend on which tests ran before
    for (const m of [new RNN(6, 16, { numLayers: 2 }), new LSTM(6, 16), new GRU(6, 16, { bidirectional: true }), new LSTMCell(6, 16)]) {
      const bound = 1 / Math.sqrt(16);
      const all: number[] = [];
      for (const [name, p] of m.namedParameters()) {
        const values = Array.from(p.dataSync() as Float32Array);
        expect(Math.max(...values.map(Math.abs)), name).toBeLessThanOrEqual(bound);
        expect(p.requiresGrad).toBe(true);
        all.push(...values);
      }
      // Pooled over the module (hundreds of draws), the values reach close to both bounds.
      expect(Math.max(...all)).toBeGreaterThan(0.95 * bound);
      expect(Math.min(...all)).toBeLessThan(-0.95 * bound);
      m.dispose();
    }
    const a = new GRU(3, 4, { generator: new Generator(5) });
    const b = new GRU(3, 4, { generator: new Generator(5) });
    const c = new GRU(3, 4, { generator: new Generator(6) });
    assertClose(a.weight_hh_l0, b.weight_hh_l0);
    expect(a.weight_hh_l0.tolist()).not.toEqual(c.weight_hh_l0.tolist());
    for (const m of [a, b, c]) m.dispose();
  });

  it('return PyTorch shapes for every layout', () => {
    scope(() => {
      const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
      const [out, [h, c]] = lstm(randn([2, 7, 3]));
      expect([out.shape, h.shape, c.shape]).toEqual([[2, 7, 8], [4, 2, 4], [4, 2, 4]]);
      const gru = new GRU(3, 4, { numLayers: 3 });
      const [o2, h2] = gru(randn([7, 2, 3]), zeros([3, 2, 4]));
      expect([o2.shape, h2.shape]).toEqual([[7, 2, 4], [3, 2, 4]]);
      const [o3, h3] = gru(randn([7, 3]));
      expect([o3.shape, h3.shape]).toEqual([[7, 4], [3, 4]]);
      expect(new LSTMCell(3, 4)(randn([3])).map((t) => t.shape)).toEqual([[4], [4]]);
      lstm.dispose();
      gru.dispose();
    });
  });

  it('agree with stepping the cell by hand (last output equals hN)', () => {
    scope(() => {
      const lstm = new LSTM(3, 4);
      const cellModule = new LSTMCell(3, 4);
      cellModule.loadStateDict({ weight_ih: lstm.weight_ih_l0, weight_hh: lstm.weight_hh_l0, bias_ih: lstm.bias_ih_l0!, bias_hh: lstm.bias_hh_l0! });
      const x = randn([6, 2, 3]);
      const [out, [hN, cN]] = lstm(x);
      let state: [Tensor, Tensor] = [zeros([2, 4]), zeros([2, 4])];
      for (const xt of x.unbind(0)) state = cellModule(xt, state);
      assertClose(state[0], hN.index(0), { atol: 1e-6 });
      assertClose(state[1], cN.index(0), { atol: 1e-6 });
      assertClose(out.index(-1), hN.index(0), { atol: 1e-6 });
      const [h1, c1] = lstmCell(x.index(0), [zeros([2, 4]), zeros([2, 4])], lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0);
      assertClose(h1, out.index(0), { atol: 1e-6 });
      expect(c1.shape).toEqual([2, 4]);
      lstm.dispose();
      cellModule.dispose();
    });
  });

  it('functional cells compute the documented formulas', () => {
    scope(() => {
      const x = randn([2, 3]);
      const h = randn([2, 4]);
      const wi = randn([4, 3]);
      const wh = randn([4, 4]);
      assertClose(rnnTanhCell(x, h, wi, wh), x.matmul(wi.t()).add(h.matmul(wh.t())).tanh(), { atol: 1e-6 });
      const wi3 = randn([12, 3]);
      const wh3 = randn([12, 4]);
      const bh = randn([12]);
      const gi = x.matmul(wi3.t());
      const gh = h.matmul(wh3.t()).add(bh);
      const r = gi.narrow(1, 0, 4).add(gh.narrow(1, 0, 4)).sigmoid();
      const z = gi.narrow(1, 4, 4).add(gh.narrow(1, 4, 4)).sigmoid();
      const n = gi.narrow(1, 8, 4).add(r.mul(gh.narrow(1, 8, 4))).tanh();
      assertClose(gruCell(x, h, wi3, wh3, null, bh), ones([2, 4]).sub(z).mul(n).add(z.mul(h)), { atol: 1e-6 });
      expect(() => gruCell(x, h, wi, wh3)).toThrow(/gruCell\(\): weightIh must have shape \[12, 3\]/);
    });
  });

  it('apply dropout between layers in training mode only, reproducibly from the generator', () => {
    scope(() => {
      const x = randn([5, 2, 3]);
      const make = (seed: number) => new GRU(3, 6, { numLayers: 2, dropout: 0.5, generator: new Generator(seed) });
      const a = make(1);
      const b = make(1);
      const [ya] = a(x);
      const [yb] = b(x);
      assertClose(ya, yb);
      a.eval();
      const [ye] = a(x);
      const [ye2] = a(x);
      assertClose(ye, ye2);
      expect(ye.sub(ya).abs().max().item()).toBeGreaterThan(1e-3);
      const single = new GRU(3, 6, { dropout: 0.5 });
      const [s1] = single(x);
      const [s2] = single(x);
      assertClose(s1, s2); // one layer: nothing between layers to drop
      for (const m of [a, b, single]) m.dispose();
    });
  });

  it('reject bad inputs with messages naming the module, the argument and the shapes', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2 });
    const gru = new GRU(3, 4, { batchFirst: true });
    scope(() => {
      expect(() => lstm(randn([2, 5, 3, 1]))).toThrow(ShapeError);
      expect(() => lstm(randn([2, 5, 3, 1]))).toThrow(/LSTM\.forward\(\): input must be 3-D \[seqLen, batch, inputSize\] or 2-D \[seqLen, inputSize\] \(unbatched\) \(got shape \[2, 5, 3, 1\]\)/);
      expect(() => gru(randn([2, 5, 7]))).toThrow(/GRU\.forward\(\): input\.shape\[-1\] \(7\) must equal inputSize \(3\)/);
      expect(() => lstm(randn([5, 2, 3]), [zeros([1, 2, 4]), zeros([2, 2, 4])])).toThrow(
        /LSTM\.forward\(\): h0 must have shape \[2, 2, 4\] \(\[numLayers \* numDirections, batch, hiddenSize\]\) \(got \[1, 2, 4\]\)/,
      );
      expect(() => lstm(randn([5, 2, 3]), [zeros([2, 2, 4]), zeros([2, 4])])).toThrow(/LSTM\.forward\(\): c0 must have shape \[2, 2, 4\]/);
      expect(() => lstm(randn([5, 2, 3]), zeros([2, 2, 4]) as never)).toThrow(/hx must be a pair \[h0, c0\]/);
      expect(() => gru(tensor([[[1, 2, 3]]], { dtype: 'int32' }))).toThrow(DTypeError);
      expect(() => new RNNCell(3, 4)(randn([2, 3]), zeros([3, 4]))).toThrow(/RNNCell\.forward\(\): hx must have shape \[2, 4\] \(\[batch, hiddenSize\]\) \(got \[3, 4\]\)/);
      expect(() => new GRUCell(3, 4)(randn([2, 2, 3]))).toThrow(/GRUCell\.forward\(\): input must be 2-D \[batch, inputSize\] or 1-D/);
    });
    expect(() => new RNN(0, 4)).toThrow(ArgumentError);
    expect(() => new RNN(3, 4, { nonlinearity: 'sigmoid' as never })).toThrow(/RNN\(\): nonlinearity must be 'tanh' or 'relu' \(got "sigmoid"\)/);
    expect(() => new LSTM(3, 4, { dropout: 1.5 })).toThrow(/LSTM\(\): dropout must be a probability in \[0, 1\] \(got 1\.5\)/);
    expect(() => new GRU(3, 4.5)).toThrow(/GRU\(\): hiddenSize must be an integer >= 1 \(got 4\.5\)/);
    lstm.dispose();
    gru.dispose();
  });

  it('check packed inputs, and free what a packed run made besides its outputs', () => {
    const gru = new GRU(3, 4, { numLayers: 2, bidirectional: true });
    scope(() => {
      const x = randn([5, 3, 3]);
      const packed = packPaddedSequence(x, [5, 4, 2]);
      expect(() => gru(packPaddedSequence(randn([5, 3, 2]), [5, 4, 2]))).toThrow(/GRU\.forward\(\): a PackedSequence's data must be \[sum\(batchSizes\), inputSize\] with inputSize 3 \(got shape \[11, 2\]\)/);
      expect(() => gru(packed, zeros([4, 2, 4]))).toThrow(/GRU\.forward\(\): h0 must have shape \[4, 3, 4\]/);
      expect(() => gru({ ...packed, batchSizes: [3, 3, 3] })).toThrow(/batchSizes must be non-increasing positive integers summing to data\.shape\[0\] \(11\)/);
      expectNoLeak(() =>
        noGrad(() => {
          const before = memory().numTensors;
          const [out, hN] = gru(packed);
          expect(out.batchSizes).toEqual([3, 3, 2, 2, 1]);
          expect(out.data.shape).toEqual([11, 8]);
          expect(hN.shape).toEqual([4, 3, 4]);
          expect(memory().numTensors - before).toBe(2);
          out.data.dispose();
          hN.dispose();
        }),
      );
    });
    gru.dispose();
  });

  it('free their intermediates: only the outputs and what the graph needs survive', () => {
    const lstm = new LSTM(4, 8, { numLayers: 2, bidirectional: true });
    const x = randn([30, 2, 4]);
    expectNoLeak(() =>
      noGrad(() => {
        const before = memory().numTensors;
        const [out, [h, c]] = lstm(x);
        expect(memory().numTensors - before).toBe(3);
        for (const t of [out, h, c]) t.dispose();
      }),
    );
    expectNoLeak(() =>
      scope(() => {
        const [out] = lstm(x);
        out.sum().backward();
        lstm.zeroGrad();
      }),
    );
    // Long sequences backpropagate (the per-step slices are cut as a tree).
    scope(() => {
      const xs = randn([300, 1, 4], { requiresGrad: true });
      const [out] = new RNN(4, 3)(xs);
      out.sum().backward();
      expect(xs.grad!.shape).toEqual([300, 1, 4]);
      expect(xs.grad!.abs().sum().item()).toBeGreaterThan(0);
    });
    lstm.dispose();
    x.dispose();
  });
});
