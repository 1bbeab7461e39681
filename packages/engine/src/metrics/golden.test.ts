// Every metric against values computed with PyTorch (tools/fixtures/engine_metrics.py): each case
// feeds batches of unequal sizes and compares the value over all of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, memory, nn, scope, tensor } from '@flint/core';
import {
  Accuracy,
  Average,
  ConfusionMatrix,
  DiceCoefficient,
  Fbeta,
  IoU,
  Loss,
  MeanAbsoluteError,
  MeanPairwiseDistance,
  MeanSquaredError,
  Precision,
  Recall,
  RootMeanSquaredError,
  RunningAverage,
  TopKCategoricalAccuracy,
  cmAccuracy,
  mIoU,
} from './index.js';
import type { AnyMetric } from './index.js';

interface Encoded {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | string)[];
}
interface Case {
  name: string;
  metric: string;
  options: Record<string, unknown>;
  batches: Encoded[][];
  expected: number | Encoded;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/metrics.json', import.meta.url)), 'utf8')) as {
  source: string;
  cases: Case[];
};

function decode(e: Encoded): Tensor {
  const data = e.data.map(Number);
  const dtype = e.dtype === 'float32' ? 'float32' : 'int32';
  return scope(() => tensor(dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data), { dtype }).reshape(e.shape));
}

function build(c: Case): AnyMetric {
  const { numClasses, ignoreIndex, lossFn, src, beta, ...options } = c.options as Record<string, any>;
  switch (c.metric) {
    case 'Accuracy':
      return new Accuracy(options);
    case 'TopKCategoricalAccuracy':
      return new TopKCategoricalAccuracy(options);
    case 'Precision':
      return new Precision(options);
    case 'Recall':
      return new Recall(options);
    case 'Fbeta': {
      const { average, isMultilabel } = options;
      if (isMultilabel) {
        return new Fbeta(beta, {
          average,
          precision: new Precision({ average: false, isMultilabel: true }),
          recall: new Recall({ average: false, isMultilabel: true }),
        });
      }
      return new Fbeta(beta, { average });
    }
    case 'ConfusionMatrix':
      return new ConfusionMatrix(numClasses, options);
    case 'IoU':
      return new IoU(new ConfusionMatrix(numClasses), { ignoreIndex });
    case 'mIoU':
      return new mIoU(new ConfusionMatrix(numClasses), { ignoreIndex });
    case 'DiceCoefficient':
      return new DiceCoefficient(new ConfusionMatrix(numClasses));
    case 'cmAccuracy':
      return new cmAccuracy(new ConfusionMatrix(numClasses));
    case 'Loss':
      return new Loss(lossFn === 'crossEntropy' ? (p, y) => nn.functional.crossEntropy(p, y) : (p, y) => nn.functional.mseLoss(p, y));
    case 'MeanAbsoluteError':
      return new MeanAbsoluteError();
    case 'MeanSquaredError':
      return new MeanSquaredError();
    case 'RootMeanSquaredError':
      return new RootMeanSquaredError();
    case 'MeanPairwiseDistance':
      return new MeanPairwiseDistance(options);
    case 'Average':
      return new Average();
    case 'RunningAverage':
      return src === 'Accuracy' ? new RunningAverage({ ...options, src: new Accuracy() }) : new RunningAverage({ ...options, outputTransform: (x: Tensor) => x });
  }
  throw new Error(`unknown metric ${c.metric}`);
}

describe(`metrics against ${fixture.source}`, () => {
  it('has the cases', () => {
    expect(fixture.cases.length).toBeGreaterThan(60);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const before = memory().numTensors;
      const metric = build(c);
      for (const batch of c.batches) {
        const ts = batch.map(decode);
        metric.update(ts.length === 1 ? ts[0] : ts);
        for (const t of ts) t.dispose();
      }
      const value = metric.compute();
      if (typeof c.expected === 'number') {
        expect(typeof value).toBe('number');
        expect(value as number).toBeCloseTo(c.expected, 5);
      } else {
        expect(value).toBeInstanceOf(Tensor);
        const t = value as Tensor;
        expect(t.shape).toEqual(c.expected.shape);
        const got = Array.from(t.dataSync());
        const want = c.expected.data.map(Number);
        got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
        t.dispose();
      }
      // Updating and computing leaves no tensor behind.
      expect(memory().numTensors).toBe(before);
    });
  }
});
