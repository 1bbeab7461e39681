// Classification metrics on small cases worked out by hand (several are the examples of
// PyTorch-Ignite's documentation), and their input checks.
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, Tensor, tensor } from '@flint/core';
import {
  Accuracy,
  ConfusionMatrix,
  DiceCoefficient,
  F1,
  Fbeta,
  IoU,
  NotComputableError,
  Precision,
  Recall,
  TopKCategoricalAccuracy,
  cmAccuracy,
  mIoU,
} from './index.js';

const int = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });
const list = (t: unknown) => Array.from((t as Tensor).dataSync()).map((v) => Math.round(v * 1e6) / 1e6);

describe('Accuracy', () => {
  it('multiclass: argmax of the scores against the labels', () => {
    const acc = new Accuracy();
    acc.update([tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]), int([1, 2, 2])]);
    expect(acc.compute()).toBeCloseTo(2 / 3, 12);
    expect(acc.type).toBe('multiclass');
  });

  it('binary: 0/1 predictions; multilabel: all labels must match', () => {
    const bin = new Accuracy();
    bin.update([int([1, 0, 1, 1]), int([1, 1, 1, 0])]);
    expect(bin.compute()).toBe(0.5);
    const ml = new Accuracy({ isMultilabel: true });
    ml.update([int([[1, 0, 1], [0, 1, 1]]), int([[1, 0, 1], [0, 1, 0]])]);
    expect(ml.compute()).toBe(0.5);
  });

  it('NotComputableError before any update and after reset', () => {
    const acc = new Accuracy();
    expect(() => acc.compute()).toThrow(NotComputableError);
    expect(() => acc.compute()).toThrow(/Accuracy must have at least one example before it can be computed/);
    acc.update([int([1]), int([1])]);
    acc.reset();
    expect(() => acc.compute()).toThrow(NotComputableError);
  });

  it('clear errors for bad shapes, values and changing data', () => {
    const acc = new Accuracy();
    expect(() => acc.update([tensor([[0.1, 0.9]]), int([1, 0])])).toThrow(ShapeError);
    expect(() => acc.update([tensor([[0.1, 0.9]]), int([1, 0])])).toThrow(/Accuracy\.update\(\): yPred \[1, 2\] and y \[2\] have incompatible shapes/);
    expect(() => acc.update([tensor([0.3, 0.9]), int([1, 0])])).toThrow(ArgumentError);
    expect(() => acc.update([tensor([0.3, 0.9]), int([1, 0])])).toThrow(/yPred must contain only 0 and 1; received 0\.3 at flat index 0 \(threshold/);
    expect(() => acc.update([tensor([[0.1, 0.9]]), int([2])])).toThrow(/y must hold class indices in \[0, 2\) .* received 2/);
    expect(() => acc.update(tensor([1]) as never)).toThrow(/output must be \[yPred, y\]/);
    const changing = new Accuracy();
    changing.update([tensor([[0.1, 0.9]]), int([1])]);
    expect(() => changing.update([int([1]), int([1])])).toThrow(/input data type has changed from multiclass to binary/);
    expect(() => changing.update([tensor([[0.1, 0.9, 0]]), int([1])])).toThrow(/number of classes has changed from 2 to 3/);
    expect(() => new Accuracy({ isMultilabel: true }).update([int([1, 0]), int([1, 0])])).toThrow(/isMultilabel, yPred and y must both have shape \(N, C, \.\.\.\) with C > 1/);
    expect(() => new Accuracy({ outputTransform: 3 as never })).toThrow(/Accuracy\(\): outputTransform must be a function/);
    expect(() => new Accuracy({ device: 'tpu' as never })).toThrow(/Accuracy\(\): device must be 'cpu', 'gpu' or 'cuda'; received the string 'tpu'/);
  });
});

describe('Precision and Recall (the examples of Ignite)', () => {
  it('binary', () => {
    const y = int([1, 0, 1, 1, 0, 1]);
    const p = int([1, 0, 1, 0, 1, 1]);
    const plain = new Precision();
    const weighted = new Precision({ average: 'weighted' });
    const both = new Precision({ average: null });
    for (const m of [plain, weighted, both]) m.update([p, y]);
    expect(plain.compute()).toBeCloseTo(0.75, 12);
    expect(weighted.compute()).toBeCloseTo(2 / 3, 12);
    expect(list(both.compute())).toEqual([0.5, 0.75]);
    const recall = new Recall();
    recall.update([p, y]);
    expect(recall.compute()).toBeCloseTo(0.75, 12); // 3 of the 4 positives found
  });

  it('multiclass', () => {
    const y = int([2, 0, 2, 1, 0]);
    const p = tensor([
      [0.0266, 0.1719, 0.3055],
      [0.6886, 0.3978, 0.8176],
      [0.923, 0.0197, 0.8395],
      [0.1785, 0.267, 0.6084],
      [0.8448, 0.7177, 0.7288],
    ]);
    const perClass = new Precision();
    const macro = new Precision({ average: true });
    const weighted = new Precision({ average: 'weighted' });
    for (const m of [perClass, macro, weighted]) m.update([p, y]);
    expect(list(perClass.compute())).toEqual([0.5, 0, 0.333333]);
    expect(macro.compute()).toBeCloseTo(0.2777777777777777, 12);
    expect(macro.average).toBe('macro');
    expect(weighted.compute()).toBeCloseTo(1 / 3, 12);
  });

  it('multilabel', () => {
    const y = int([[0, 0, 1], [0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 1, 1]]);
    const p = int([[1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0]]);
    const make = (average: false | true | 'micro' | 'weighted' | 'samples') => {
      const m = new Precision({ isMultilabel: true, average });
      m.update([p, y]);
      return m.compute();
    };
    expect(list(make(false))).toEqual([0.2, 0.5, 0]);
    expect(make('micro')).toBeCloseTo(0.2222222222222222, 12);
    expect(make(true)).toBeCloseTo(0.2333333333333333, 12);
    expect(make('weighted')).toBeCloseTo(0.175, 12);
    expect(make('samples')).toBeCloseTo(0.2, 12);
  });

  it('checks average and the data it fits', () => {
    expect(() => new Precision({ average: 'binary' as never })).toThrow(/Precision\(\): average must be false, null, true, 'micro', 'macro', 'weighted' or 'samples'; received the string 'binary'/);
    expect(() => new Recall({ average: 'samples' }).update([int([1, 0]), int([1, 1])])).toThrow(/Recall\.update\(\): average='samples' is incompatible with binary input data/);
    expect(() => new Precision().compute()).toThrow(/Precision must have at least one example/);
    expect(() => new Recall().compute()).toThrow(NotComputableError);
  });
});

describe('Fbeta and F1', () => {
  it('from per-class precision and recall, macro-averaged by default', () => {
    const y = int([0, 1, 1, 2]);
    const p = tensor([[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]]);
    // predictions [0, 1, 0, 2]: precision [0.5, 1, 1], recall [1, 0.5, 1]
    const f1 = new F1({ average: false });
    const f2 = new Fbeta(2);
    f1.update([p, y]);
    f2.update([p, y]);
    expect(list(f1.compute())).toEqual([0.666667, 0.666667, 1]);
    const f2Class = [(5 * 0.5 * 1) / (4 * 0.5 + 1), (5 * 1 * 0.5) / (4 + 0.5), 1];
    expect(f2.compute()).toBeCloseTo((f2Class[0]! + f2Class[1]! + f2Class[2]!) / 3, 6);
  });

  it('checks beta and the metrics it is given', () => {
    expect(() => new Fbeta(0)).toThrow(/Fbeta\(\): beta must be a positive number; received 0/);
    expect(() => new Fbeta(1, { precision: new Precision({ average: 'macro' }) })).toThrow(/precision metric must have average: false/);
    expect(() => new Fbeta(1, { recall: new Recall(), outputTransform: (x) => x })).toThrow(/outputTransform must not be given with recall/);
    expect(() => new Fbeta(1, { precision: new Recall() as never })).toThrow(/precision must be a Precision; received a Recall/);
    expect(() => new F1().compute()).toThrow(NotComputableError);
  });
});

describe('ConfusionMatrix, IoU, mIoU', () => {
  // predictions [0, 1, 1, 2, 2], labels [0, 1, 2, 2, 255 (ignored)]
  const scores = tensor([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]);
  const labels = int([0, 1, 2, 2, 255]);

  it('counts true x predicted, skipping labels outside [0, C)', () => {
    const cm = new ConfusionMatrix(3);
    cm.update([scores, labels]);
    expect(cm.compute().tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
    const byRow = new ConfusionMatrix(3, { average: 'recall' });
    byRow.update([scores, labels]);
    expect(list(byRow.compute())).toEqual([1, 0, 0, 0, 1, 0, 0, 0.5, 0.5]);
  });

  it('IoU per class, with ignoreIndex, and its mean', () => {
    const cm = new ConfusionMatrix(3);
    cm.update([scores, labels]);
    // class 0: 1/(1+1-1) = 1; class 1: 1/(1+2-1) = 0.5; class 2: 1/(2+1-1) = 0.5
    expect(list(new IoU(cm).compute())).toEqual([1, 0.5, 0.5]);
    expect(list(new IoU(cm, { ignoreIndex: 0 }).compute())).toEqual([0.5, 0.5]);
    expect(new mIoU(cm).compute()).toBeCloseTo(2 / 3, 12);
    expect(list(new DiceCoefficient(cm).compute())).toEqual([1, 0.666667, 0.666667]);
    expect(new cmAccuracy(cm).compute()).toBeCloseTo(0.75, 12);
  });

  it('checks its inputs', () => {
    expect(() => new ConfusionMatrix(0)).toThrow(/ConfusionMatrix\(\): numClasses must be a positive integer; received 0/);
    expect(() => new ConfusionMatrix(3, { average: 'macro' as never })).toThrow(/average must be null, 'samples', 'recall' or 'precision'/);
    const cm = new ConfusionMatrix(3);
    expect(() => cm.compute()).toThrow(/ConfusionMatrix must have at least one example/);
    expect(() => new IoU(cm).compute()).toThrow(NotComputableError);
    expect(() => cm.update([tensor([[1, 0]]), int([0])])).toThrow(/yPred has 2 classes in dim 1 but the matrix was made for numClasses=3/);
    expect(() => cm.update([tensor([[1, 0, 0]]), int([[0]])])).toThrow(/y must have shape \[1\]/);
    expect(() => new IoU(new ConfusionMatrix(3, { average: 'recall' }))).toThrow(/IoU\(\): the ConfusionMatrix must have average null or 'samples'; received 'recall'/);
    expect(() => new mIoU(cm, { ignoreIndex: 3 })).toThrow(/mIoU\(\): ignoreIndex must be an integer in \[0, 3\); received 3/);
    expect(() => new IoU(new Accuracy() as never)).toThrow(/IoU\(\): cm must be a ConfusionMatrix; received a Accuracy/);
  });
});

describe('TopKCategoricalAccuracy', () => {
  it('counts the true class among the k highest scores; ties rank by index', () => {
    const top2 = new TopKCategoricalAccuracy({ k: 2 });
    top2.update([tensor([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1], [0.3, 0.3, 0.3]]), int([2, 2, 1])]);
    expect(top2.compute()).toBeCloseTo(2 / 3, 12);
    expect(() => new TopKCategoricalAccuracy({ k: 0 })).toThrow(/k must be a positive integer; received 0/);
    expect(() => new TopKCategoricalAccuracy({ k: 4 }).update([tensor([[1, 2, 3]]), int([0])])).toThrow(/k \(4\) must not exceed the number of classes \(3\)/);
    expect(() => new TopKCategoricalAccuracy().compute()).toThrow(/TopKCategoricalAccuracy must have at least one example/);
  });
});

describe('device', () => {
  it('per-class results are made on the metric device; a missing device fails at construction', async () => {
    const { DeviceError, gpu } = await import('@flint/core');
    const probe = tensor(0);
    const here = probe.device;
    probe.dispose();
    const precision = new Precision({ device: here });
    precision.update([tensor([[0.2, 0.8]]), int([1])]);
    const v = precision.compute() as Tensor;
    expect(v.device).toBe(here);
    v.dispose();
    if (!gpu.isAvailable()) {
      expect(() => new ConfusionMatrix(2, { device: 'gpu' })).toThrow(DeviceError);
      expect(() => new ConfusionMatrix(2, { device: 'cuda' })).toThrow(/device 'gpu' is not available/);
    }
  });
});
