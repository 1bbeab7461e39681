import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cat, data, full, Generator, manualSeed, memory, nn, optim, randn, tensor } from '@flint/core';
import {
  Accuracy,
  BoardLogger,
  Checkpoint,
  createSupervisedEvaluator,
  createSupervisedTrainer,
  EarlyStopping,
  Events,
  Loss,
  ProgressBar,
  globalStepFromEngine,
} from './index.js';
import { LogdirReader } from '@flint/board/reader';

/** Three Gaussian blobs in 2-D, made from a seeded generator: an easy 3-class problem. */
function blobs(perClass: number, seed: number): data.TensorDataset {
  const g = new Generator(seed);
  const centers = [[2, 0], [-2, 1], [0, -2]];
  const xs = centers.map((c) => randn([perClass, 2], { generator: g }).mul(0.6).add(tensor([c])));
  const ys = centers.map((_, k) => full([perClass], k, { dtype: 'int32' }));
  return new data.TensorDataset(cat(xs), cat(ys));
}

describe('@flint/engine workflow', () => {
  it('trains with a trainer, evaluates with metrics, checkpoints the best, shows progress and logs to the board', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-engine-'));
    try {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
      const optimizer = new optim.Adam(model.parameters(), { lr: 0.05 });
      const lossFn = new nn.CrossEntropyLoss();
      const trainLoader = new data.DataLoader(blobs(40, 1), { batchSize: 16, shuffle: true });
      const valLoader = new data.DataLoader(blobs(20, 2), { batchSize: 30 });

      const trainer = createSupervisedTrainer(model, optimizer, lossFn);
      const evaluator = createSupervisedEvaluator(model, { metrics: { accuracy: new Accuracy(), loss: new Loss(lossFn) } });
      const out: string[] = [];
      new ProgressBar({ stream: { write: (s) => void out.push(s) } }).attach(trainer);
      const history: Array<{ accuracy: number; loss: number }> = [];
      trainer.on(Events.EPOCH_COMPLETED, async () => {
        await evaluator.run(valLoader);
        history.push({ accuracy: evaluator.state.metrics.accuracy as number, loss: evaluator.state.metrics.loss as number });
      });
      const best = new Checkpoint({ model }, path.join(dir, 'best'), {
        nSaved: 1,
        filenamePrefix: 'best',
        scoreFunction: (e) => e.state.metrics.accuracy as number,
        scoreName: 'val_acc',
      });
      evaluator.on(Events.COMPLETED, best);
      evaluator.on(Events.COMPLETED, new EarlyStopping(3, (e) => -(e.state.metrics.loss as number), trainer));
      const logger = new BoardLogger(path.join(dir, 'runs'));
      logger.attachOutputHandler(trainer, { event: Events.ITERATION_COMPLETED, tag: 'training', outputTransform: (loss: number) => ({ loss }) });
      logger.attachOutputHandler(evaluator, { event: Events.COMPLETED, tag: 'validation', metricNames: ['accuracy', 'loss'], globalStepTransform: globalStepFromEngine(trainer) });

      const tensorCounts: number[] = [];
      trainer.on(Events.EPOCH_COMPLETED, () => void tensorCounts.push(memory().numTensors));
      await trainer.run(trainLoader, { maxEpochs: 8, seed: 0 });
      await logger.close();

      expect(history.length).toBe(trainer.state.epoch);
      expect(history.at(-1)!.accuracy).toBeGreaterThan(0.9);
      expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
      const bestAcc = Math.max(...history.map((h) => h.accuracy));
      expect(path.basename(best.lastCheckpoint!)).toBe(`best_model_val_acc=${bestAcc.toFixed(4)}.safetensors`);
      expect(fs.readdirSync(path.join(dir, 'best'))).toEqual([path.basename(best.lastCheckpoint!)]);

      // The progress lines (not a terminal here): one summary per epoch.
      const summaries = out.join('').split('\n').filter((l) => l.includes('done in'));
      expect(summaries.length).toBe(trainer.state.epoch);
      expect(summaries[0]).toMatch(/^Epoch \[1\/8\] 8\/8 \(100%\) \| done in \d\d:\d\d \| loss=\d\.\d{4} \| efficiency=\d\.\d\d$/);

      const reader = new LogdirReader(path.join(dir, 'runs'));
      await reader.reload();
      expect(reader.scalars('.', 'validation/accuracy').map((p) => p[2])).toEqual(history.map((h) => expect.closeTo(h.accuracy, 6)));
      expect(reader.scalars('.', 'training/loss').length).toBe(trainer.state.iteration);

      // Nothing piles up from epoch to epoch (the first epoch creates the optimizer's state).
      expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
