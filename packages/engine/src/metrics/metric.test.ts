// Metrics attached to a real Engine: usages, detach, output objects, composition, tensor values
// in state.metrics, and running averages.
import { describe, expect, it } from 'vitest';
import { Tensor, memory, tensor } from '@flint/core';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import {
  Accuracy,
  Average,
  BatchFiltered,
  BatchWise,
  ConfusionMatrix,
  F1,
  Loss,
  Metric,
  MetricsLambda,
  NotComputableError,
  Precision,
  Recall,
  RunningAverage,
  RunningBatchWise,
  RunningEpochWise,
  mIoU,
} from './index.js';
import type { MetricOptions } from './index.js';

type Batch = [number[][], number[]];

// Three batches of 2-class scores and labels: argmax predictions [1,0 | 1,1 | 0,0], labels [1,1 | 1,0 | 0,1].
const BATCHES: Batch[] = [
  [[[0.1, 0.9], [0.8, 0.2]], [1, 1]],
  [[[0.3, 0.7], [0.4, 0.6]], [1, 0]],
  [[[0.6, 0.4], [0.9, 0.1]], [0, 1]],
];
// Correct per batch: 1, 1, 1 of 2 -> 0.5 each.

function evaluator(): Engine<Batch, [Tensor, Tensor]> {
  return new Engine<Batch, [Tensor, Tensor]>((_e, [x, y]) => [tensor(x), tensor(y, { dtype: 'int32' })]);
}

function record(engine: Engine<any, any>, event: Parameters<Engine['on']>[0], name: string): unknown[] {
  const seen: unknown[] = [];
  engine.on(event, (e) => void seen.push(e.state.metrics[name]));
  return seen;
}

describe('Metric.attach to an Engine', () => {
  it('EpochWise (default): resets every epoch, writes state.metrics at EPOCH_COMPLETED', async () => {
    const e = evaluator();
    const acc = new Accuracy();
    acc.attach(e, 'accuracy');
    const perEpoch = record(e, Events.EPOCH_COMPLETED, 'accuracy');
    const perIteration = record(e, Events.ITERATION_COMPLETED, 'accuracy');
    const state = await e.run(BATCHES, { maxEpochs: 2 });
    expect(state.metrics.accuracy).toBe(0.5);
    expect(perEpoch).toEqual([0.5, 0.5]);
    expect(perIteration.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(acc.isAttached(e)).toBe(true);
  });

  it('EpochWise counts examples, not batches', async () => {
    // batch 1: 2 examples, 2 correct; batch 2: 1 example, wrong -> 2/3 (the mean of batch means would be 0.5)
    const batches: Batch[] = [
      [[[0.1, 0.9], [0.8, 0.2]], [1, 0]],
      [[[0.1, 0.9]], [0]],
    ];
    const e = evaluator();
    new Accuracy().attach(e, 'acc');
    const state = await e.run(batches);
    expect(state.metrics.acc).toBeCloseTo(2 / 3, 12);
  });

  it('BatchWise gives each batch its own value', async () => {
    const batches: Batch[] = [
      [[[0.1, 0.9], [0.8, 0.2]], [1, 0]],
      [[[0.1, 0.9], [0.8, 0.2]], [0, 0]],
      [[[0.1, 0.9], [0.8, 0.2]], [0, 1]],
    ];
    const e = evaluator();
    new Accuracy().attach(e, 'acc', new BatchWise());
    const seen = record(e, Events.ITERATION_COMPLETED, 'acc');
    await e.run(batches);
    expect(seen).toEqual([1, 0.5, 0]);
  });

  it("usages accept Ignite's names; RunningEpochWise keeps counting across epochs", async () => {
    const batches: Batch[] = [[[[0.1, 0.9]], [1]]];
    let epoch = 0;
    // epoch 1 right, epoch 2 wrong: running values 1 then 0.5; epoch-wise 1 then 0
    const e = new Engine<Batch, [Tensor, Tensor]>((eng, [x, y]) => {
      epoch = eng.state.epoch;
      return [tensor(x), tensor(epoch === 1 ? y : [0], { dtype: 'int32' })];
    });
    new Accuracy().attach(e, 'running', new RunningEpochWise());
    new Accuracy().attach(e, 'epochWise', 'epoch_wise');
    const running = record(e, Events.EPOCH_COMPLETED, 'running');
    const epochWise = record(e, Events.EPOCH_COMPLETED, 'epochWise');
    await e.run(batches, { maxEpochs: 2 });
    expect(running).toEqual([1, 0.5]);
    expect(epochWise).toEqual([1, 0]);
  });

  it('RunningBatchWise writes the value over all batches so far, every iteration', async () => {
    const e = evaluator();
    const batches: Batch[] = [
      [[[0.1, 0.9]], [1]],
      [[[0.1, 0.9]], [0]],
      [[[0.1, 0.9]], [0]],
    ];
    new Accuracy().attach(e, 'acc', 'running_batch_wise');
    const seen = record(e, Events.ITERATION_COMPLETED, 'acc');
    await e.run(batches);
    expect(seen[0]).toBe(1);
    expect(seen[1]).toBe(0.5);
    expect(seen[2]).toBeCloseTo(1 / 3, 12);
  });

  it('BatchFiltered updates only on the iterations its filter picks', async () => {
    const batches: Batch[] = [
      [[[0.1, 0.9]], [1]],
      [[[0.1, 0.9]], [0]],
      [[[0.1, 0.9]], [1]],
      [[[0.1, 0.9]], [0]],
    ];
    const e = evaluator();
    new Accuracy().attach(e, 'even', new BatchFiltered({ every: 2 }));
    const state = await e.run(batches);
    expect(state.metrics.even).toBe(0); // iterations 2 and 4, both wrong
  });

  it('detach removes the handlers; isAttached follows', async () => {
    const e = evaluator();
    const acc = new Accuracy();
    acc.attach(e, 'acc');
    expect(acc.isAttached(e, 'epoch_wise')).toBe(true);
    expect(acc.isAttached(e, new BatchWise())).toBe(false);
    acc.detach(e);
    expect(acc.isAttached(e)).toBe(false);
    const state = await e.run(BATCHES);
    expect(state.metrics.acc).toBeUndefined();
    expect(() => acc.compute()).toThrow(NotComputableError);
  });

  it('attaching under two names shares one update per iteration', async () => {
    const e = evaluator();
    const acc = new Accuracy();
    acc.attach(e, 'a');
    acc.attach(e, 'b');
    const state = await e.run(BATCHES);
    expect(state.metrics.a).toBe(0.5);
    expect(state.metrics.b).toBe(0.5);
    acc.detach(e, 'epoch_wise');
    expect(acc.isAttached(e)).toBe(false);
  });

  it('takes an output object { yPred, y }, and names the keys it misses', async () => {
    const e = new Engine<Batch, Record<string, Tensor>>((_e, [x, y]) => ({ yPred: tensor(x), y: tensor(y, { dtype: 'int32' }) }));
    new Accuracy().attach(e, 'acc');
    expect((await e.run(BATCHES)).metrics.acc).toBe(0.5);

    const bad = new Engine<Batch, Record<string, Tensor>>((_e, [x, y]) => ({ logits: tensor(x), labels: tensor(y, { dtype: 'int32' }) }));
    new Accuracy().attach(bad, 'acc');
    await expect(bad.run(BATCHES)).rejects.toThrow(/Accuracy\.update\(\).*keys \[yPred, y\].*received keys \[logits, labels\]/);

    const fixed = new Engine<Batch, Record<string, Tensor>>((_e, [x, y]) => ({ logits: tensor(x), labels: tensor(y, { dtype: 'int32' }) }));
    new Accuracy({ outputTransform: (o: Record<string, Tensor>) => [o.logits!, o.labels!] }).attach(fixed, 'acc');
    expect((await fixed.run(BATCHES)).metrics.acc).toBe(0.5);
  });

  it('refuses what is not an engine, a name, or a usage', () => {
    const acc = new Accuracy();
    expect(() => acc.attach({} as never, 'acc')).toThrow(/Accuracy\.attach\(\): engine must be an Engine/);
    expect(() => acc.attach(evaluator(), '')).toThrow(/name must be a non-empty string/);
    expect(() => acc.attach(evaluator(), 'acc', 'per_epoch' as never)).toThrow(/usage must be a MetricUsage .* received 'per_epoch'/);
  });
});

describe('tensor values in state.metrics', () => {
  it('a per-class result is a Tensor kept across the scope; the previous epoch value is freed', async () => {
    const e = evaluator();
    new Precision().attach(e, 'precision');
    const values: Tensor[] = [];
    e.on(Events.EPOCH_COMPLETED, (eng) => void values.push(eng.state.metrics.precision as Tensor));
    await e.run(BATCHES, { maxEpochs: 1 });
    const before = memory().numTensors;
    await e.run(BATCHES, { maxEpochs: 3 });
    // predictions [1,0,1,1,0,0], labels [1,1,1,0,0,1]: class 0 TP 1 of 3 predicted, class 1 TP 2 of 3
    const last = e.state.metrics.precision as Tensor;
    expect(last.shape).toEqual([2]);
    expect(Array.from(last.dataSync()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.333333, 0.666667]);
    expect(values.slice(0, -1).every((t) => t.isDisposed)).toBe(true);
    expect(last.isDisposed).toBe(false);
    expect(memory().numTensors).toBe(before);
  });

  it('a 0-d tensor becomes a number', async () => {
    class Sum extends Metric<[Tensor, Tensor], Tensor> {
      private total = 0;
      constructor(options: MetricOptions<[Tensor, Tensor]> = {}) {
        super(options);
        this.reset();
      }
      reset(): void {
        this.total = 0;
      }
      update([yPred]: [Tensor, Tensor]): void {
        this.total += yPred.sum().item();
      }
      compute(): Tensor {
        return tensor(this.total);
      }
    }
    const e = evaluator();
    new Sum().attach(e, 'sum');
    expect((await e.run(BATCHES)).metrics.sum).toBeCloseTo(6, 5);
  });
});

describe('composed metrics on an Engine', () => {
  it('arithmetic and MetricsLambda attach their dependencies, updating each once per iteration', async () => {
    const e = evaluator();
    const precision = new Precision();
    const recall = new Recall();
    precision.attach(e, 'precision');
    const f1 = precision.mul(recall).mul(2).div(precision.add(recall)).mean();
    f1.attach(e, 'f1');
    new F1().attach(e, 'F1');
    const state = await e.run(BATCHES);
    // precision [1/3, 2/3], recall [1/2, 1/2]: F1 per class [0.4, 4/7]
    const expected = (0.4 + 4 / 7) / 2;
    expect(state.metrics.f1).toBeCloseTo(expected, 6);
    expect(state.metrics.F1).toBeCloseTo(expected, 6);
    expect(Array.from((state.metrics.precision as Tensor).dataSync())).toEqual([expect.closeTo(1 / 3, 6), expect.closeTo(2 / 3, 6)]);
  });

  it('mIoU over a ConfusionMatrix attached on its own too', async () => {
    const e = evaluator();
    const cm = new ConfusionMatrix(2);
    cm.attach(e, 'cm');
    new mIoU(cm).attach(e, 'mIoU');
    const state = await e.run(BATCHES);
    // rows = true class: true 0 -> predicted [1, 1]; true 1 -> predicted [2, 2]
    expect((state.metrics.cm as Tensor).tolist()).toEqual([[1, 1], [2, 2]]);
    expect((state.metrics.cm as Tensor).dtype).toBe('int32');
    // IoU class 0: 1 / (2 + 3 - 1) = 0.25; class 1: 2 / (4 + 3 - 2) = 0.4
    expect(state.metrics.mIoU).toBeCloseTo((0.25 + 0.4) / 2, 12);
  });

  it('MetricsLambda takes plain arguments too and reports its dependencies', () => {
    const acc = new Accuracy();
    const shifted = new MetricsLambda((a: number, b: number) => a - b, acc, 0.25);
    expect(shifted.dependencies).toEqual([acc]);
    shifted.update([tensor([[0.1, 0.9]]), tensor([1], { dtype: 'int32' })]);
    expect(shifted.compute()).toBe(0.75);
    shifted.reset();
    expect(() => shifted.compute()).toThrow(NotComputableError);
    expect(() => new MetricsLambda(42 as never)).toThrow(/MetricsLambda\(\): fn must be a function/);
    expect(() => acc.add('x' as never)).toThrow(/Accuracy\.add\(\): other must be a Metric, a number or a Tensor; received the string 'x'/);
  });
});

describe('RunningAverage and Average on an Engine', () => {
  it('smooths the output with alpha, across epochs by default', async () => {
    const outputs = [1, 2, 3, 4];
    const e = new Engine<number, number>((_e, b) => b);
    new RunningAverage({ outputTransform: (x: number) => x, alpha: 0.5 }).attach(e, 'loss');
    const seen = record(e, Events.ITERATION_COMPLETED, 'loss');
    await e.run(outputs.slice(0, 2), { maxEpochs: 2 });
    // 1, then 0.5*1 + 0.5*2 = 1.5, epoch 2: 0.5*1.5 + 0.5*1 = 1.25, 0.5*1.25 + 0.5*2 = 1.625
    expect(seen).toEqual([1, 1.5, 1.25, 1.625]);
  });

  it('epochBound restarts every epoch', async () => {
    const e = new Engine<number, number>((_e, b) => b);
    new RunningAverage({ outputTransform: (x: number) => x, alpha: 0.5, epochBound: true }).attach(e, 'loss');
    const seen = record(e, Events.ITERATION_COMPLETED, 'loss');
    await e.run([1, 2], { maxEpochs: 2 });
    expect(seen).toEqual([1, 1.5, 1, 1.5]);
  });

  it('averages a metric computed on each batch alone', async () => {
    const batches: Batch[] = [
      [[[0.1, 0.9], [0.8, 0.2]], [1, 0]], // 1
      [[[0.1, 0.9], [0.8, 0.2]], [0, 0]], // 0.5
    ];
    const e = evaluator();
    new RunningAverage({ src: new Accuracy(), alpha: 0.9 }).attach(e, 'acc');
    const state = await e.run(batches);
    expect(state.metrics.acc).toBeCloseTo(0.9 * 1 + 0.1 * 0.5, 12);
  });

  it('refuses a src attached on its own, epoch-wise usages and bad options', () => {
    const e = evaluator();
    const acc = new Accuracy();
    acc.attach(e, 'acc');
    expect(() => new RunningAverage({ src: acc }).attach(e, 'running')).toThrow(/src is attached to this engine on its own/);
    expect(() => new RunningAverage({ src: new Accuracy() }).attach(e, 'r', 'epoch_wise')).toThrow(/usage must be RunningBatchWise/);
    expect(() => new RunningAverage()).toThrow(/give either src .* or outputTransform/);
    expect(() => new RunningAverage({ src: new Accuracy(), outputTransform: (x: number) => x })).toThrow(/outputTransform must not be given with src/);
    expect(() => new RunningAverage({ outputTransform: (x: number) => x, alpha: 0 })).toThrow(/alpha must be a number in \(0, 1\]; received 0/);
    expect(() => new RunningAverage({ src: {} as never })).toThrow(/src must be a Metric/);
  });

  it('Average of the loss over an epoch, with RunningBatchWise accepted', async () => {
    const e = new Engine<number, { loss: number }>((_e, b) => ({ loss: b }));
    new Average({ outputTransform: (o: { loss: number }) => o.loss }).attach(e, 'avg');
    new Average({ outputTransform: (o: { loss: number }) => o.loss }).attach(e, 'running', new RunningBatchWise());
    const seen = record(e, Events.ITERATION_COMPLETED, 'running');
    const state = await e.run([1, 2, 6]);
    expect(state.metrics.avg).toBe(3);
    expect(seen).toEqual([1, 1.5, 3]);
  });
});

describe('Loss on an evaluator', () => {
  it('passes criterionKwargs from an output object and weights by batch size', async () => {
    const e = new Engine<[number[], number[]], Record<string, unknown>>((_e, [p, y]) => ({
      yPred: tensor(p),
      y: tensor(y),
      criterionKwargs: { scale: 10 },
    }));
    const loss = new Loss((p: Tensor, y: Tensor, kw?: Record<string, unknown>) => p.sub(y).abs().mean().mul(kw!.scale as number));
    loss.attach(e, 'loss');
    const state = await e.run([
      [[1, 2, 3], [1, 2, 4]], // mean |d| = 1/3, x10
      [[0], [1]], // 1, x10
    ]);
    expect(state.metrics.loss).toBeCloseTo(((10 / 3) * 3 + 10 * 1) / 4, 5);
  });
});

describe('metrics of a supervised evaluator', () => {
  it('match the values computed directly from the model, run after run without leaking', async () => {
    const { nn, noGrad } = await import('@flint/core');
    const { createSupervisedEvaluator } = await import('../supervised.js');
    const model = new nn.Linear(2, 3);
    noGrad(() => {
      model.weight.copy_(tensor([[1, 0], [0, 1], [-1, -1]]));
      model.bias!.copy_(tensor([0, 0.5, 0]));
    });
    const xs = [tensor([[2, 1], [0, 3], [-1, -2]]), tensor([[1, 1], [-3, 0]])];
    const ys = [tensor([0, 0, 2], { dtype: 'int32' }), tensor([1, 2], { dtype: 'int32' })];
    const lossFn = (p: Tensor, y: Tensor) => nn.functional.crossEntropy(p, y);
    const evaluator = createSupervisedEvaluator(model, {
      metrics: { accuracy: new Accuracy(), loss: new Loss(lossFn), cm: new ConfusionMatrix(3), f1: new F1() },
    });
    const data = xs.map((x, i) => [x, ys[i]!] as [Tensor, Tensor]);
    // logits [[2, 1.5, -3], [0, 3.5, -3], [-1, -1.5, 3], [1, 1.5, -2], [-3, 0.5, 3]]: predictions [0, 1, 2, 1, 2]
    const state = await evaluator.run(data);
    expect(state.metrics.accuracy).toBeCloseTo(4 / 5, 12);
    expect((state.metrics.cm as Tensor).tolist()).toEqual([[1, 1, 0], [0, 1, 0], [0, 0, 2]]);
    const all = noGrad(() => lossFn(model(tensor([[2, 1], [0, 3], [-1, -2], [1, 1], [-3, 0]])), tensor([0, 0, 2, 1, 2], { dtype: 'int32' })));
    expect(state.metrics.loss).toBeCloseTo(all.item(), 5);
    all.dispose();
    // precision [1, 0.5, 1], recall [0.5, 1, 1]: F1 [2/3, 2/3, 1]
    expect(state.metrics.f1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 6);
    const before = memory().numTensors;
    await evaluator.run(data);
    await evaluator.run(data);
    expect(memory().numTensors).toBe(before);
    expect(state.metrics.accuracy).toBeCloseTo(4 / 5, 12);
  });
});
