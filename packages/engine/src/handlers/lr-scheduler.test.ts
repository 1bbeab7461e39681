import { describe, expect, it } from 'vitest';
import { nn, optim } from '@flint/core';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { LRScheduler, PiecewiseLinear } from './lr-scheduler.js';

const newOptimizer = (lr = 0.1) => new optim.SGD(new nn.Linear(2, 1).parameters(), { lr });

describe('LRScheduler', () => {
  it('steps a core scheduler on its event and records the history', async () => {
    const opt = newOptimizer();
    const engine = new Engine(() => undefined);
    const lrs: number[] = [];
    engine.on(Events.EPOCH_STARTED, () => void lrs.push(opt.paramGroups[0]!.lr as number));
    engine.on(Events.EPOCH_COMPLETED, new LRScheduler(new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 }), { saveHistory: true }));
    await engine.run([1, 2], { maxEpochs: 5 });
    // StepLR(step_size=2, gamma=0.5) from 0.1: 0.1, 0.1, 0.05, 0.05, 0.025
    expect(lrs.map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    // Its state dict is the scheduler's: with the optimizer's, a new handler resumes the schedule.
    const optA = newOptimizer();
    const handlerA = new LRScheduler(new optim.lrScheduler.StepLR(optA, { stepSize: 2, gamma: 0.5 }));
    for (let i = 0; i < 3; i++) handlerA(engine);
    const optB = newOptimizer();
    const handlerB = new LRScheduler(new optim.lrScheduler.StepLR(optB, { stepSize: 2, gamma: 0.5 }));
    optB.loadStateDict(optA.stateDict());
    handlerB.loadStateDict(handlerA.stateDict());
    handlerA(engine);
    handlerB(engine);
    expect(handlerB.scheduler.getLastLr().map((v) => Number(v.toFixed(6)))).toEqual([0.025]);
    expect(optB.paramGroups[0]!.lr).toBe(optA.paramGroups[0]!.lr);
    expect((engine.state.paramHistory as { lr: number[][] }).lr.length).toBe(5);
  });

  it('steps ReduceLROnPlateau with a metric, and needs the metric name', async () => {
    const opt = newOptimizer();
    const plateau = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    expect(() => new LRScheduler(plateau)).toThrow(/needs options.metricName/);
    const engine = new Engine(() => undefined);
    engine.on(Events.EPOCH_COMPLETED, (e) => void (e.state.metrics.loss = 1));
    engine.on(Events.EPOCH_COMPLETED, new LRScheduler(plateau, { metricName: 'loss' }));
    await engine.run([1], { maxEpochs: 3 });
    // The loss never improves after the first epoch: halved at epochs 2 and 3.
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.025, 8);
  });
});

describe('PiecewiseLinear', () => {
  it('interpolates between milestones', async () => {
    const opt = newOptimizer();
    const engine = new Engine(() => undefined);
    const seen: number[] = [];
    engine.on(Events.ITERATION_STARTED, new PiecewiseLinear(opt, 'lr', [[1, 0], [3, 1], [5, 0.5]]));
    engine.on(Events.ITERATION_STARTED, () => void seen.push(opt.paramGroups[0]!.lr as number));
    await engine.run(null, { epochLength: 7 });
    expect(seen).toEqual([0, 0, 0.5, 1, 0.75, 0.5, 0.5]);
    // Resumed from its state dict, it goes on where it stopped.
    const resumed = new PiecewiseLinear(opt, 'lr', [[1, 0], [3, 1], [5, 0.5]]);
    resumed.loadStateDict({ eventIndex: 4 });
    resumed(engine);
    expect(opt.paramGroups[0]!.lr).toBe(0.75);
    expect(resumed.stateDict()).toEqual({ eventIndex: 5 });
    expect(() => resumed.loadStateDict({} as never)).toThrow(/stateDict must be \{ eventIndex \}/);
    expect(() => new PiecewiseLinear(opt, 'lr', [[0, 1]])).toThrow(/at least two/);
    expect(() => new PiecewiseLinear(opt, 'lr', [[2, 1], [1, 0]])).toThrow(/milestones must increase/);
  });
});
