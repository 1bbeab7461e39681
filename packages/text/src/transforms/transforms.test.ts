import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, Tensor, manualSeed, nn, scope, slice, tensor } from '@flint/core';
import { assertClose } from '@flint/core/testing';
import { getTokenizer } from '../tokenizers/get-tokenizer.js';
import { Vocab } from '../vocab/vocab.js';
import { AddToken, LabelToIndex, PadTransform, Sequential, ToTensor, Truncate, VocabTransform, functional as F } from './index.js';

describe('text transforms', () => {
  const v = new Vocab(['<pad>', '<unk>', '<bos>', 'hello', 'world', '!']);
  v.setDefaultIndex(1);

  it('chain a tokenizer, a vocabulary, truncation, a begin token and a padded tensor', () => {
    const pipeline = new Sequential(getTokenizer('basic_english'), new VocabTransform(v), new Truncate(3), new AddToken(2, { begin: true }));
    expect(pipeline('Hello, World!')).toEqual([2, 3, 1, 4]);
    scope(() => {
      const batch = new Sequential(new VocabTransform(v), new AddToken(5, { begin: false }), new ToTensor({ paddingValue: 0 }));
      const t = batch([['hello', 'world'], ['nope']]);
      expect(t.dtype).toBe('int32');
      expect(t.tolist()).toEqual([[3, 4, 5], [1, 5, 0]]);
    });
  });

  it('pad tensors to a length, and leave longer ones alone', () => {
    scope(() => {
      const pad = new PadTransform(4, -1);
      expect(pad(tensor([[1, 2], [3, 4]], { dtype: 'int32' })).tolist()).toEqual([[1, 2, -1, -1], [3, 4, -1, -1]]);
      expect(pad(tensor([1, 2, 3, 4, 5], { dtype: 'int32' })).tolist()).toEqual([1, 2, 3, 4, 5]);
    });
  });

  it('work on single sequences and on batches in functional form', () => {
    expect(F.truncate([[1, 2, 3], [4]], 2)).toEqual([[1, 2], [4]]);
    expect(F.addToken(['a'], 'z', false)).toEqual(['a', 'z']);
    scope(() => {
      expect(F.toTensor([1, 2]).tolist()).toEqual([1, 2]);
      expect(() => F.toTensor([[1, 2], [3]])).toThrow(/toTensor\(\): the sequences have different lengths \(2, 1\); pass paddingValue to pad them/);
    });
  });

  it('map labels to indices from names or a file', () => {
    const toIndex = new LabelToIndex({ labelNames: ['spam', 'ham'], sortNames: true });
    expect(toIndex('spam')).toBe(1);
    expect(toIndex(['ham', 'spam'])).toEqual([0, 1]);
    expect(() => toIndex('eggs')).toThrow(/LabelToIndex: unknown label "eggs" \(the labels are \["ham","spam"\]\)/);
    const dir = mkdtempSync(join(tmpdir(), 'flint-labels-'));
    try {
      writeFileSync(join(dir, 'labels.txt'), 'World\nSports\nBusiness\nSci/Tech\n');
      expect(new LabelToIndex({ labelPath: join(dir, 'labels.txt') })('Business')).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => new LabelToIndex({})).toThrow(/pass exactly one of labelNames and labelPath/);
  });

  it('reject bad arguments', () => {
    expect(() => new Truncate(-1)).toThrow(ArgumentError);
    expect(() => new Sequential(3 as never)).toThrow(/Sequential\(\): transforms\[0\] must be a transform or a function \(got 3\)/);
    expect(() => new VocabTransform({} as never)).toThrow(/VocabTransform\(\): vocab must be a Vocab/);
  });
});

describe("batches from the text pipeline go through core's packed-sequence RNNs", () => {
  it('ToTensor padding equals padSequence, and a packed LSTM gives each sequence the state it has alone', () => {
    manualSeed(0);
    const v = new Vocab(['<pad>', '<unk>', 'the', 'cat', 'sat', 'on', 'mat', '.']);
    v.setDefaultIndex(1);
    const pipeline = new Sequential(getTokenizer('basic_english'), new VocabTransform(v));
    const ids = ['The cat sat.', 'the cat sat on the mat .', 'cat'].map((s) => pipeline(s) as number[]);
    const lengths = ids.map((s) => s.length);
    expect(lengths).toEqual([4, 7, 1]);
    const embedding = new nn.Embedding(v.length, 5, { paddingIdx: 0 });
    const lstm = new nn.LSTM(5, 4, { batchFirst: true });
    scope(() => {
      const padded = new ToTensor({ paddingValue: 0 })(ids);
      const viaCore = nn.utils.padSequence(ids.map((s) => tensor(s, { dtype: 'int32' })), { batchFirst: true, paddingValue: 0 });
      expect(padded.tolist()).toEqual(viaCore.tolist());
      const packed = nn.utils.packPaddedSequence(embedding(padded), lengths, { batchFirst: true, enforceSorted: false });
      const [out, [hN]] = lstm(packed) as [nn.utils.PackedSequence, [Tensor, Tensor]];
      const [unpacked, outLengths] = nn.utils.padPackedSequence(out, { batchFirst: true });
      expect(outLengths.tolist()).toEqual(lengths);
      expect(unpacked.shape).toEqual([3, 7, 4]);
      ids.forEach((seq, b) => {
        const [alone, [hAlone]] = lstm(embedding(tensor([seq], { dtype: 'int32' }))) as [Tensor, [Tensor, Tensor]];
        assertClose(hN.index(0, b), hAlone.index(0, 0), { atol: 1e-5, rtol: 1e-5 });
        assertClose(unpacked.index(b, slice(0, seq.length)), alone.index(0), { atol: 1e-5, rtol: 1e-5 });
        if (seq.length < 7) expect(unpacked.index(b, slice(seq.length, null)).abs().sum().item()).toBe(0);
      });
    });
  });
});
