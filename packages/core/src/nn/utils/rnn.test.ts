import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, noGrad, randn, scope, tensor, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runModuleGolden, type ModuleEntry } from '../../../test/module-golden.js';
import { LSTM } from '../modules/rnn.js';
import { isPackedSequence, packPaddedSequence, packSequence, padPackedSequence, padSequence, type PackedSequence } from './rnn.js';

const ints = (xs: readonly number[]): Tensor => tensor([...xs], { dtype: 'int32' });

/** A packed sequence as the fixture records it: data, batch sizes and (when sorted here) the indices. */
function flat(p: PackedSequence): Tensor[] {
  const out = [p.data, ints(p.batchSizes)];
  if (p.sortedIndices !== null) out.push(ints(p.sortedIndices), ints(p.unsortedIndices!));
  return out;
}

const lengthsOf = (t: Tensor): number[] => Array.from(t.dataSync() as Int32Array);
const fn = (run: (inputs: Record<string, Tensor>) => Tensor[]): ModuleEntry => ({ run: (_m, inputs) => run(inputs) });

runModuleGolden('rnn_packed', ['utils'], {
  pad_sequence: fn(({ a, b, c }) => [padSequence([a!, b!, c!])]),
  pad_sequence_batch_first_value: fn(({ a, b }) => [padSequence([a!, b!], { batchFirst: true, paddingValue: -1.5 })]),
  pad_sequence_1d: fn(({ a, b }) => [padSequence([a!, b!], { batchFirst: true })]),
  pack_padded_sorted: fn(({ x, lengths }) => flat(packPaddedSequence(x!, lengths!))),
  pack_padded_unsorted_batch_first: fn(({ x, lengths }) => flat(packPaddedSequence(x!, lengthsOf(lengths!), { batchFirst: true, enforceSorted: false }))),
  pack_sequence_unsorted: fn(({ a, b, c }) => flat(packSequence([a!, b!, c!], { enforceSorted: false }))),
  pad_packed_roundtrip: fn(({ x, lengths }) => padPackedSequence(packPaddedSequence(x!, lengths!, { enforceSorted: false }))),
  pad_packed_batch_first_total_length_value: fn(({ x, lengths }) =>
    padPackedSequence(packPaddedSequence(x!, lengths!, { enforceSorted: false }), { batchFirst: true, paddingValue: 7, totalLength: 5 }),
  ),
});

describe('nn.utils.rnn', () => {
  it('pack sequences time-major, longest first, and unpack them in the original order', () => {
    scope(() => {
      const packed = packSequence([tensor([1, 2, 3]), tensor([4, 5]), tensor([6])]);
      expect(packed.data.tolist()).toEqual([1, 4, 6, 2, 5, 3]);
      expect(packed.batchSizes).toEqual([3, 2, 1]);
      expect(packed.sortedIndices).toBeNull();
      const unsorted = packSequence([tensor([6]), tensor([1, 2, 3]), tensor([4, 5])], { enforceSorted: false });
      expect(unsorted.data.tolist()).toEqual([1, 4, 6, 2, 5, 3]);
      expect(unsorted.sortedIndices).toEqual([1, 2, 0]);
      expect(unsorted.unsortedIndices).toEqual([2, 0, 1]);
      const [padded, lengths] = padPackedSequence(unsorted, { batchFirst: true, paddingValue: -1 });
      expect(padded.tolist()).toEqual([[6, -1, -1], [1, 2, 3], [4, 5, -1]]);
      expect(lengths.tolist()).toEqual([1, 3, 2]);
      expect(lengths.dtype).toBe('int32');
      expect(isPackedSequence(unsorted)).toBe(true);
      expect(isPackedSequence(padded)).toBe(false);
    });
  });

  it('keep a packed sequence returned from a scope, and free everything else', () => {
    const xs = [randn([4, 2]), randn([2, 2])];
    expectNoLeak(() => {
      const packed = scope(() => packSequence(xs));
      expect(packed.data.shape).toEqual([6, 2]);
      packed.data.dispose();
    });
    for (const x of xs) x.dispose();
  });

  it('let gradients flow through pack and unpack', () => {
    scope(() => {
      const x = randn([3, 2, 2], { requiresGrad: true });
      const [y] = padPackedSequence(packPaddedSequence(x, [3, 1]));
      y.sum().backward();
      // The steps beyond a sequence's length are padding: no gradient reaches them.
      expect(x.grad!.tolist()).toEqual([[[1, 1], [1, 1]], [[1, 1], [0, 0]], [[1, 1], [0, 0]]]);
    });
  });

  it('reject bad input with messages naming the function and the argument', () => {
    scope(() => {
      const x = randn([4, 3, 2]);
      expect(() => packPaddedSequence(x, [2, 3, 1])).toThrow(/packPaddedSequence\(\): with enforceSorted \(the default\) lengths must be non-increasing \(got \[2,3,1\]\); pass \{ enforceSorted: false \}/);
      expect(() => packPaddedSequence(x, [4, 3])).toThrow(ShapeError);
      expect(() => packPaddedSequence(x, [4, 3])).toThrow(/lengths must have one entry per sequence of the batch \(3\) \(got 2\)/);
      expect(() => packPaddedSequence(x, [5, 3, 1])).toThrow(/the longest length \(5\) exceeds the padded length/);
      expect(() => packPaddedSequence(x, [4, 0, 1], { enforceSorted: false })).toThrow(/lengths\[1\] must be an integer >= 1 \(got 0\)/);
      expect(() => padSequence([])).toThrow(ArgumentError);
      expect(() => padSequence([randn([2, 3]), randn([2, 4])])).toThrow(/padSequence\(\): every sequence must have the trailing shape of sequences\[0\], \[3\] \(got sequences\[1\] of shape \[2, 4\]\)/);
      expect(() => padPackedSequence(x as never)).toThrow(/padPackedSequence\(\): sequence must be a PackedSequence \(got Tensor/);
      expect(() => padPackedSequence(packSequence([randn([3])]), { totalLength: 2 })).toThrow(/totalLength must be an integer >= the longest sequence's length \(3\)/);
    });
  });

  it('let a packed training step free all it made (forward, backward, zeroGrad)', () => {
    const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true });
    const x = randn([4, 3, 2]);
    expectNoLeak(() =>
      scope(() => {
        const [out, [h]] = lstm(packPaddedSequence(x, [4, 2, 3], { enforceSorted: false }));
        out.data.sum().add(h.sum()).backward();
        expect(lstm.weight_ih_l1_reverse.grad!.abs().sum().item()).toBeGreaterThan(0);
        lstm.zeroGrad();
      }),
    );
    lstm.dispose();
    x.dispose();
  });

  it('run an LSTM on only the real steps: each sequence ends as if run alone', () => {
    const lstm = new LSTM(2, 3, { bidirectional: true });
    scope(() => {
      const seqs = [randn([2, 2]), randn([5, 2]), randn([3, 2])];
      const [out, [hN]] = lstm(packSequence(seqs, { enforceSorted: false }));
      const [padded, lengths] = padPackedSequence(out);
      expect(lengths.tolist()).toEqual([2, 5, 3]);
      seqs.forEach((s, b) => {
        const [alone, [hAlone]] = lstm(s.unsqueeze(1));
        assertClose(padded.narrow(0, 0, s.shape[0]!).narrow(1, b, 1), alone, { atol: 1e-5 });
        assertClose(hN.narrow(1, b, 1), hAlone, { atol: 1e-5 });
      });
      noGrad(() => expect(padded.index(3, 0).abs().sum().item()).toBe(0));
    });
    lstm.dispose();
  });
});
