import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Generator, nn, optim, randn, tensor } from '@flint/core';
import { LogdirReader } from '@flint/board/reader';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { createSupervisedTrainer } from '../supervised.js';
import { BoardLogger } from './board-logger.js';
import { globalStepFromEngine } from './global-step.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-board-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('BoardLogger', () => {
  it('logs output, metrics, learning rate and histograms that LogdirReader reads back', async () => {
    const g = new Generator(0);
    const x = randn([12, 3], { generator: g });
    const y = x.sum(1, { keepdim: true });
    const model = new nn.Linear(3, 1);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 });
    const trainer = createSupervisedTrainer(model, optimizer, new nn.MSELoss());
    const losses: number[] = [];
    trainer.on(Events.ITERATION_COMPLETED, (e) => void losses.push(e.state.output as number));
    const evaluator = new Engine(() => undefined);
    evaluator.on(Events.COMPLETED, (e) => void (e.state.metrics.score = 0.5 + 0.1 * trainer.state.epoch));
    trainer.on(Events.EPOCH_COMPLETED, async () => void (await evaluator.run([1])));

    const logger = new BoardLogger(dir);
    logger.attachOutputHandler(trainer, { event: Events.ITERATION_COMPLETED, tag: 'training', outputTransform: (loss: number) => ({ loss }) });
    logger.attachOptParamsHandler(trainer, { event: Events.EPOCH_STARTED, optimizer });
    logger.attachOutputHandler(evaluator, { event: Events.COMPLETED, tag: 'validation', metricNames: ['score'], globalStepTransform: globalStepFromEngine(trainer) });
    logger.attachWeightsHistogram(trainer, { event: Events.EPOCH_COMPLETED, model });
    logger.attachGradsHistogram(trainer, { event: Events.ITERATION_COMPLETED({ every: 3 }), model });
    await trainer.run(
      [0, 1, 2].map((i) => [x.index(`${4 * i}:${4 * i + 4}`), y.index(`${4 * i}:${4 * i + 4}`)]),
      { maxEpochs: 2 },
    );
    await logger.close();

    const reader = new LogdirReader(dir);
    await reader.reload();
    expect(reader.runs()).toEqual(['.']);
    const loss = reader.scalars('.', 'training/loss');
    expect(loss.map((p) => p[1])).toEqual([1, 2, 3, 4, 5, 6]);
    loss.forEach((p, i) => expect(p[2]).toBeCloseTo(losses[i]!, 5));
    expect(reader.scalars('.', 'lr/group_0').map((p) => [p[1], p[2]])).toEqual([[1, expect.closeTo(0.05, 7)], [2, expect.closeTo(0.05, 7)]]);
    expect(reader.scalars('.', 'validation/score').map((p) => [p[1], p[2]])).toEqual([[1, expect.closeTo(0.6, 6)], [2, expect.closeTo(0.7, 6)]]);
    const hist = reader.histograms('.', 'weights/weight');
    expect(hist.map((h) => [h.step, h.num])).toEqual([[1, 3], [2, 3]]);
    const w = model.weight.tolist() as number[][];
    expect(hist[1]!.min).toBeCloseTo(Math.min(...w[0]!), 5);
    expect(hist[1]!.max).toBeCloseTo(Math.max(...w[0]!), 5);
    expect(reader.histograms('.', 'grads/bias').map((h) => h.step)).toEqual([3, 6]);
  });

  it('logs vector metrics by element and checks metric names', async () => {
    const engine = new Engine(() => undefined);
    engine.on(Events.EPOCH_COMPLETED, (e) => void (e.state.metrics.perClass = tensor([0.25, 0.75])));
    const logger = new BoardLogger(dir);
    logger.attachOutputHandler(engine, { event: Events.EPOCH_COMPLETED, tag: 'val', metricNames: 'all' });
    await engine.run([1], { maxEpochs: 2 });
    const bad = new Engine(() => undefined);
    logger.attachOutputHandler(bad, { event: Events.COMPLETED, tag: 'val', metricNames: ['missing'] });
    await expect(bad.run([1])).rejects.toThrow(/metric 'missing' is not in engine.state.metrics/);
    await logger.close();
    const reader = new LogdirReader(dir);
    await reader.reload();
    expect(reader.scalars('.', 'val/perClass/1').map((p) => [p[1], p[2]])).toEqual([[1, 0.75], [2, 0.75]]);
    expect(() => logger.attachOutputHandler(engine, { event: Events.COMPLETED, tag: 'x' })).toThrow(/give options.outputTransform, options.metricNames or both/);
  });
});
