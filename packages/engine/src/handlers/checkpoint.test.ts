import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { load, nn, optim, tensor, type Tensor } from '@flint/core';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { Checkpoint } from './checkpoint.js';
import { DiskSaver } from './disk-saver.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { globalStepFromEngine } from './global-step.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-ckpt-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const files = (d = dir) => fs.readdirSync(d).sort();

describe('Checkpoint', () => {
  it('keeps the nSaved latest files without a score, named {name}_{iteration}', async () => {
    const model = new nn.Linear(2, 1);
    const engine = new Engine(() => undefined);
    const ckpt = new Checkpoint({ model }, dir, { nSaved: 2 });
    engine.on(Events.EPOCH_COMPLETED, ckpt);
    await engine.run([1, 2, 3], { maxEpochs: 4 });
    expect(files()).toEqual(['model_12.safetensors', 'model_9.safetensors']);
    expect(ckpt.lastCheckpoint).toBe(path.join(dir, 'model_12.safetensors'));
    const sd = await load(ckpt.lastCheckpoint!);
    expect(Object.keys(sd).sort()).toEqual(['bias', 'weight']);
    expect((sd.weight as Tensor).tolist()).toEqual(model.weight.tolist());
  });

  it('keeps the best nSaved by score, with prefix and score name, and names several objects "checkpoint"', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const scores = [0.5, 0.9, 0.7, 0.95, 0.6];
    const engine = new Engine(() => undefined);
    const ckpt = new Checkpoint({ model, optimizer: opt }, dir, {
      nSaved: 2,
      filenamePrefix: 'best',
      scoreFunction: (e) => scores[e.state.epoch - 1]!,
      scoreName: 'val_acc',
    });
    engine.on(Events.EPOCH_COMPLETED, ckpt);
    await engine.run([1], { maxEpochs: 5 });
    expect(files()).toEqual(['best_checkpoint_val_acc=0.9000.safetensors', 'best_checkpoint_val_acc=0.9500.safetensors']);
    expect(ckpt.lastCheckpoint).toBe(path.join(dir, 'best_checkpoint_val_acc=0.9500.safetensors'));
    expect(ckpt.savedItems.map((s) => s.priority)).toEqual([0.9, 0.95]);
    const sd = await load(ckpt.lastCheckpoint!);
    expect(Object.keys(sd).sort()).toEqual(['model', 'optimizer']);
  });

  it('uses globalStepTransform, score without name, nSaved null, and includeSelf', async () => {
    const model = new nn.Linear(1, 1);
    const engine = new Engine(() => undefined);
    const saved = new Map<string, Record<string, unknown>>();
    const ckpt = new Checkpoint(
      { model },
      { save: (c, f) => void saved.set(f, c), remove: (f) => void saved.delete(f) },
      { nSaved: null, scoreFunction: (e) => e.state.epoch, globalStepTransform: (e) => e.state.epoch * 100, includeSelf: true },
    );
    engine.on(Events.EPOCH_COMPLETED, ckpt);
    await engine.run([1], { maxEpochs: 3 });
    expect([...saved.keys()]).toEqual(['model_100_1.0000.safetensors', 'model_200_2.0000.safetensors', 'model_300_3.0000.safetensors']);
    expect(saved.get('model_300_3.0000.safetensors')!.checkpointer).toEqual({
      saved: [
        { priority: 1, filename: 'model_100_1.0000.safetensors' },
        { priority: 2, filename: 'model_200_2.0000.safetensors' },
        { priority: 3, filename: 'model_300_3.0000.safetensors' },
      ],
    });
    const restored = new Checkpoint({ model }, () => undefined, { nSaved: null });
    restored.loadStateDict(saved.get('model_300_3.0000.safetensors')!.checkpointer as never);
    expect(restored.lastCheckpoint).toBe('model_300_3.0000.safetensors');
  });

  it('a failing save leaves the previous file intact and the retained list unchanged', async () => {
    let value = 1;
    let bad = false;
    const obj = { stateDict: () => ({ w: tensor([value, value]), ...(bad ? { oops: () => 1 } : {}) }), loadStateDict: () => undefined };
    const engine = new Engine(() => undefined);
    const ckpt = new Checkpoint({ obj }, dir, { filenamePattern: '{name}.{ext}' });
    engine.on(Events.EPOCH_COMPLETED, ckpt);
    await engine.run([1]);
    expect(files()).toEqual(['obj.safetensors']);
    value = 2;
    bad = true;
    await expect(engine.run([1, 2])).rejects.toThrow(/oops/);
    expect(files()).toEqual(['obj.safetensors']); // no temporary file left behind
    const sd = await load(path.join(dir, 'obj.safetensors'));
    expect((sd.w as Tensor).tolist()).toEqual([1, 1]);
    expect(ckpt.savedItems).toEqual([{ priority: 1, filename: 'obj.safetensors' }]);
  });

  it('loadObjects restores several objects, or a single one from its bare state dict', async () => {
    const model = new nn.Linear(3, 2);
    const engine = new Engine(() => undefined);
    await engine.run([1, 2], { maxEpochs: 2 });
    const ckpt = new Checkpoint({ model, trainer: engine }, dir);
    await ckpt.call(engine);
    const model2 = new nn.Linear(3, 2);
    const engine2 = new Engine(() => undefined);
    await Checkpoint.loadObjects({ model: model2, trainer: engine2 }, ckpt.lastCheckpoint!);
    expect(model2.weight.tolist()).toEqual(model.weight.tolist());
    expect(engine2.state.iteration).toBe(4);
    expect(engine2.state.epoch).toBe(2);

    const single = new Checkpoint({ model }, path.join(dir, 'single'));
    await single.call(engine);
    const model3 = new nn.Linear(3, 2);
    await Checkpoint.loadObjects({ model: model3 }, single.lastCheckpoint!);
    expect(model3.bias!.tolist()).toEqual(model.bias!.tolist());
    await expect(Checkpoint.loadObjects({ model: model3, optimizer: model3 as never }, ckpt.lastCheckpoint!)).rejects.toThrow(/has no 'optimizer'/);
  });

  it('getDefaultScoreFn reads a metric, negated for lower-is-better, and works with globalStepFromEngine', async () => {
    const trainer = new Engine(() => undefined);
    const evaluator = new Engine(() => undefined);
    const losses = [0.9, 0.5, 0.7];
    evaluator.on(Events.COMPLETED, (e) => void (e.state.metrics.loss = losses[trainer.state.epoch - 1]));
    const model = new nn.Linear(1, 1);
    const best = new Checkpoint({ model }, dir, {
      scoreFunction: Checkpoint.getDefaultScoreFn('loss', -1),
      scoreName: 'neg_loss',
      globalStepTransform: globalStepFromEngine(trainer),
    });
    evaluator.on(Events.COMPLETED, best);
    trainer.on(Events.EPOCH_COMPLETED, async () => void (await evaluator.run([1])));
    await trainer.run([1], { maxEpochs: 3 });
    expect(files()).toEqual(['model_2_neg_loss=-0.5000.safetensors']);
    expect(() => Checkpoint.getDefaultScoreFn('loss', 2 as never)).toThrow(/scoreSign must be 1 or -1/);
  });

  it('with includeSelf, a resumed run keeps the retention of the files saved before', async () => {
    const model = new nn.Linear(1, 1);
    const trainer = new Engine(() => undefined);
    trainer.on(Events.EPOCH_COMPLETED, new Checkpoint({ model, trainer }, dir, { nSaved: 2, includeSelf: true }));
    trainer.on(Events.EPOCH_COMPLETED({ once: 2 }), (e) => e.terminate());
    await trainer.run([1, 2], { maxEpochs: 4 });
    expect(files()).toEqual(['checkpoint_2.safetensors', 'checkpoint_4.safetensors']);

    const trainer2 = new Engine(() => undefined);
    const checkpoint2 = new Checkpoint({ model, trainer: trainer2 }, dir, { nSaved: 2, includeSelf: true, requireEmpty: false });
    await Checkpoint.loadObjects({ model, trainer: trainer2, checkpointer: checkpoint2 }, path.join(dir, 'checkpoint_4.safetensors'));
    trainer2.on(Events.EPOCH_COMPLETED, checkpoint2);
    await trainer2.run([1, 2]);
    expect(trainer2.state.iteration).toBe(8);
    expect(files()).toEqual(['checkpoint_6.safetensors', 'checkpoint_8.safetensors']);
  });

  it('adopts an orphan left by a kill between writing a new file and deleting the old one, and leaves other files alone', async () => {
    const model = new nn.Linear(1, 1);
    const trainer = new Engine(() => undefined);
    trainer.on(Events.EPOCH_COMPLETED, new Checkpoint({ model, trainer }, dir, { nSaved: 1, includeSelf: true }));
    await trainer.run([1, 2], { maxEpochs: 2 });
    expect(files()).toEqual(['checkpoint_4.safetensors']);
    // The kill: checkpoint_2 was not deleted after checkpoint_4 was written. Other files share the directory.
    fs.copyFileSync(path.join(dir, 'checkpoint_4.safetensors'), path.join(dir, 'checkpoint_2.safetensors'));
    fs.writeFileSync(path.join(dir, 'best_checkpoint_1_acc=0.5000.safetensors'), 'x');
    fs.writeFileSync(path.join(dir, 'checkpoint_final.safetensors'), 'x');

    const trainer2 = new Engine(() => undefined);
    const checkpoint2 = new Checkpoint({ model, trainer: trainer2 }, dir, { nSaved: 1, includeSelf: true, requireEmpty: false });
    await Checkpoint.loadObjects({ model, trainer: trainer2, checkpointer: checkpoint2 }, path.join(dir, 'checkpoint_4.safetensors'));
    expect(checkpoint2.savedItems.map((s) => s.filename)).toEqual(['checkpoint_4.safetensors']);
    trainer2.on(Events.EPOCH_COMPLETED, checkpoint2);
    await trainer2.run([1, 2], { maxEpochs: 3 });
    expect(files()).toEqual(['best_checkpoint_1_acc=0.5000.safetensors', 'checkpoint_6.safetensors', 'checkpoint_final.safetensors']);
    expect(checkpoint2.savedItems).toEqual([{ priority: 6, filename: 'checkpoint_6.safetensors' }]);
  });

  it('adopts scored files by the score in their name; a later step of an abandoned run ranks lowest; adoptExisting: false keeps them', async () => {
    const model = new nn.Linear(1, 1);
    for (const f of ['best_model_acc=0.7000.safetensors', 'best_model_acc=0.9000.safetensors', 'model_acc=0.9900.safetensors']) {
      fs.writeFileSync(path.join(dir, f), 'x');
    }
    const engine = new Engine(() => undefined);
    const scores = [0.8, 0.6];
    const best = new Checkpoint({ model }, new DiskSaver(dir, { requireEmpty: false }), {
      nSaved: 2, filenamePrefix: 'best', scoreName: 'acc', scoreFunction: (e) => scores[e.state.epoch - 1]!,
    });
    engine.on(Events.EPOCH_COMPLETED, best);
    await engine.run([1], { maxEpochs: 2 });
    // 0.8 beat the adopted 0.7 (removed); 0.6 beat neither. The file without the prefix is another checkpoint's.
    expect(files()).toEqual(['best_model_acc=0.8000.safetensors', 'best_model_acc=0.9000.safetensors', 'model_acc=0.9900.safetensors']);
    expect(best.savedItems.map((s) => s.priority)).toEqual([0.8, 0.9]);

    // Without a score: a file from further on (step 40) than the resumed run (step 3) goes first.
    const sub = path.join(dir, 'latest');
    fs.mkdirSync(sub);
    for (const f of ['model_1.safetensors', 'model_40.safetensors']) fs.writeFileSync(path.join(sub, f), 'x');
    const latest = new Checkpoint({ model }, sub, { nSaved: 2, requireEmpty: false });
    const e2 = new Engine(() => undefined);
    e2.on(Events.EPOCH_COMPLETED, latest);
    await e2.run([1, 2, 3]);
    expect(files(sub)).toEqual(['model_1.safetensors', 'model_3.safetensors']);

    const keep = path.join(dir, 'keep');
    fs.mkdirSync(keep);
    fs.writeFileSync(path.join(keep, 'model_1.safetensors'), 'x');
    const e3 = new Engine(() => undefined);
    e3.on(Events.EPOCH_COMPLETED, new Checkpoint({ model }, keep, { nSaved: 1, requireEmpty: false, adoptExisting: false }));
    await e3.run([1, 2], { maxEpochs: 2 });
    expect(files(keep)).toEqual(['model_1.safetensors', 'model_4.safetensors']);
  });

  it('refuses a directory with checkpoints unless requireEmpty is false, and bad arguments', async () => {
    fs.writeFileSync(path.join(dir, 'old_1.safetensors'), 'x');
    expect(() => new Checkpoint({ m: new nn.Linear(1, 1) }, dir)).toThrow(/files are already present/);
    expect(() => new Checkpoint({ m: new nn.Linear(1, 1) }, dir, { requireEmpty: false })).not.toThrow();
    expect(() => new Checkpoint({}, dir)).toThrow(/non-empty object/);
    expect(() => new Checkpoint({ m: 3 as never }, new DiskSaver(dir, { requireEmpty: false }))).toThrow(/'m' must have a stateDict\(\) method/);
    expect(() => new Checkpoint({ m: new nn.Linear(1, 1) }, dir, { requireEmpty: false, nSaved: 0 })).toThrow(/nSaved must be a positive integer/);
  });
});

describe('ModelCheckpoint', () => {
  it('takes the objects when attached and writes Ignite-named files', async () => {
    const model = new nn.Linear(1, 1);
    const handler = new ModelCheckpoint(path.join(dir, 'mc'), { filenamePrefix: 'mnist', nSaved: 2 });
    const engine = new Engine(() => undefined);
    engine.on(Events.EPOCH_COMPLETED, handler, { model });
    await engine.run([1, 2], { maxEpochs: 3 });
    expect(files(handler.dirname)).toEqual(['mnist_model_4.safetensors', 'mnist_model_6.safetensors']);
  });
});
