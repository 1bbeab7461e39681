// Metric state dicts: every metric's accumulated state survives save()/load() to a real file, and a
// run resumed from a mid-epoch checkpoint continues its running and epoch metrics exactly.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDictError, Tensor, load, nn, save, tensor } from '@flint/core';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { Checkpoint } from '../handlers/checkpoint.js';
import {
  Accuracy,
  Average,
  ConfusionMatrix,
  F1,
  GeometricAverage,
  Loss,
  MeanAbsoluteError,
  MeanPairwiseDistance,
  MeanSquaredError,
  Precision,
  R2Score,
  Recall,
  RootMeanSquaredError,
  RunningAverage,
  RunningEpochWise,
  TopKCategoricalAccuracy,
  mIoU,
  type AnyMetric,
} from './index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-metric-sd-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const value = (v: unknown) => (v instanceof Tensor ? v.tolist() : v);

// Scores for 3 classes and labels; two batches.
const P1 = [[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]];
const Y1 = [1, 0, 1, 2];
const P2 = [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1]];
const Y2 = [0, 2, 2];
const pair = (p: number[][], y: number[]) => [tensor(p), tensor(y, { dtype: 'int32' })] as [Tensor, Tensor];

describe('Metric.stateDict / loadStateDict', () => {
  const makers: Array<[string, () => AnyMetric, (p: number[][], y: number[]) => unknown]> = [
    ['Accuracy', () => new Accuracy(), pair],
    ['Precision per class', () => new Precision(), pair],
    ['Recall weighted', () => new Recall({ average: 'weighted' }), pair],
    ['F1 (a MetricsLambda)', () => new F1(), pair],
    ['ConfusionMatrix', () => new ConfusionMatrix(3), pair],
    ['mIoU', () => new mIoU(new ConfusionMatrix(3)), pair],
    ['TopKCategoricalAccuracy', () => new TopKCategoricalAccuracy({ k: 2 }), pair],
    ['Loss', () => new Loss((yp, y) => nn.functional.crossEntropy(yp, y)), pair],
    ['MeanSquaredError', () => new MeanSquaredError(), (p) => [tensor(p), tensor(p.map((r) => r.map((v) => v * 0.5)))]],
    ['MeanAbsoluteError', () => new MeanAbsoluteError(), (p) => [tensor(p), tensor(p.map((r) => r.map((v) => v + 0.25)))]],
    ['RootMeanSquaredError', () => new RootMeanSquaredError(), (p) => [tensor(p), tensor(p.map((r) => r.map((v) => -v)))]],
    ['MeanPairwiseDistance', () => new MeanPairwiseDistance(), (p) => [tensor(p), tensor(p.map((r) => r.map((v) => v * v)))]],
    ['Average of tensors', () => new Average(), (p) => tensor(p)],
    ['GeometricAverage', () => new GeometricAverage(), (p) => tensor(p)],
    ['R2Score', () => new R2Score(), (p) => [tensor(p.map((r) => r[0]!)), tensor(p.map((r) => r[1]!))]],
    ['RunningAverage', () => new RunningAverage({ outputTransform: (x: Tensor) => x, alpha: 0.5 }), (p) => tensor(p[0]!)],
  ];

  for (const [name, make, input] of makers) {
    it(`${name}: a state written to disk and loaded into a new metric continues to the same value`, async () => {
      const whole = make();
      whole.update(input(P1, Y1));
      whole.update(input(P2, Y2));
      const first = make();
      first.update(input(P1, Y1));
      const file = path.join(dir, 'metric.safetensors');
      await save({ metric: first.stateDict() }, file);
      const resumed = make();
      resumed.loadStateDict((await load<{ metric: Record<string, unknown> }>(file)).metric);
      expect(value(resumed.compute())).toEqual(value(first.compute()));
      resumed.update(input(P2, Y2));
      expect(value(resumed.compute())).toEqual(value(whole.compute()));
    });
  }

  it('refuses a state dict of another metric or shape, naming the keys', () => {
    const acc = new Accuracy();
    expect(() => acc.loadStateDict(new Loss((a) => a.sum()).stateDict())).toThrow(StateDictError);
    expect(() => acc.loadStateDict({ numCorrect: 1 })).toThrow(/Accuracy\.loadStateDict\(\): .*missing keys \[tracker, numExamples\]/);
    expect(() => acc.loadStateDict(null as never)).toThrow(/stateDict must be an object/);
    const cm = new ConfusionMatrix(2);
    expect(() => cm.loadStateDict(new ConfusionMatrix(3).stateDict())).toThrow(/'counts' has 4 entries in this metric; the state dict has 9/);
  });

  it('keeps a loss that became NaN or infinite', async () => {
    const avg = new Average();
    avg.update(Number.POSITIVE_INFINITY);
    const file = path.join(dir, 'nan.safetensors');
    await save({ avg: avg.stateDict() }, file);
    const back = new Average();
    back.loadStateDict((await load<{ avg: Record<string, unknown> }>(file)).avg);
    expect(back.compute()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('a run resumed from a mid-epoch checkpoint continues its metrics', () => {
  // 5 batches per epoch; the output of an iteration is its batch.
  const batches = [
    pair(P1, Y1),
    pair(P2, Y2),
    pair([[0.9, 0.05, 0.05]], [1]),
    pair([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]], [2, 0]),
    pair([[0.3, 0.3, 0.4]], [1]),
  ];

  function setup() {
    const engine = new Engine((_e, b: [Tensor, Tensor]) => b);
    const metrics = {
      epochAcc: new Accuracy(),
      runAcc: new RunningAverage({ src: new Accuracy(), alpha: 0.6 }),
      cumAcc: new Accuracy(),
      runLoss: new RunningAverage({ outputTransform: ([p]: [Tensor, Tensor]) => p.max(), alpha: 0.9 }),
    };
    metrics.epochAcc.attach(engine, 'epochAcc');
    metrics.runAcc.attach(engine, 'runAcc');
    metrics.cumAcc.attach(engine, 'cumAcc', new RunningEpochWise());
    metrics.runLoss.attach(engine, 'runLoss');
    const perIteration: Array<[number, unknown, unknown]> = [];
    const perEpoch: Array<[number, unknown, unknown]> = [];
    engine.on(Events.ITERATION_COMPLETED, (e) => void perIteration.push([e.state.iteration, e.state.metrics.runAcc, e.state.metrics.runLoss]));
    engine.on(Events.EPOCH_COMPLETED, (e) => void perEpoch.push([e.state.epoch, e.state.metrics.epochAcc, e.state.metrics.cumAcc]));
    return { engine, metrics, perIteration, perEpoch };
  }

  for (const stopAt of [7, 10]) {
    it(`stopped at iteration ${stopAt}${stopAt % 5 === 0 ? ' (an epoch end)' : ' (mid-epoch)'}`, async () => {
      const whole = setup();
      await whole.engine.run(batches, { maxEpochs: 3 });

      const first = setup();
      const checkpoint = new Checkpoint({ trainer: first.engine, ...first.metrics }, dir, { nSaved: 1 });
      const stopEvent = stopAt % 5 === 0 ? Events.EPOCH_COMPLETED({ once: stopAt / 5 }) : Events.ITERATION_COMPLETED({ once: stopAt });
      first.engine.on(stopEvent, async (e) => {
        await checkpoint.call(e);
        e.terminate();
      });
      await first.engine.run(batches, { maxEpochs: 3 });
      expect(first.engine.state.iteration).toBe(stopAt);

      const second = setup();
      await Checkpoint.loadObjects({ trainer: second.engine, ...second.metrics }, checkpoint.lastCheckpoint!);
      await second.engine.run(batches, { maxEpochs: 3 });
      expect(second.perIteration).toEqual(whole.perIteration.slice(stopAt));
      expect(second.perEpoch).toEqual(whole.perEpoch.slice(Math.ceil(stopAt / 5) - 1 + (stopAt % 5 === 0 ? 1 : 0)));
      // Control: resuming the engine alone starts the running metrics over, so the checks above can fail.
      const bare = setup();
      await Checkpoint.loadObjects({ trainer: bare.engine }, (await load<Record<string, unknown>>(checkpoint.lastCheckpoint!)));
      await bare.engine.run(batches, { maxEpochs: 3 });
      expect(bare.perIteration).not.toEqual(whole.perIteration.slice(stopAt));
    });
  }
});
