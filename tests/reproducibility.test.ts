/**
 * Reproducibility end to end: same seed and backend give bit-identical training, in one process
 * and across processes; a run resumed from a checkpoint in a fresh process goes on exactly as the
 * uninterrupted run (shuffle order, Dropout masks, worker augmentation, Adam, StepLR); the best
 * and last checkpoints; loading a checkpoint into a model with other heads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { nn, StateDictError, type Tensor } from '@flint/core';
import { FEATURES, Net, run, syntheticData, type Checkpoint, type RunConfig, type RunResult } from './fixtures/repro-run.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'flint-repro-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the training in a child process: `node --conditions=source --import tsx fixtures/repro-train.ts`. */
async function child(config: RunConfig): Promise<RunResult> {
  const args = ['--conditions=source', '--import', 'tsx', 'fixtures/repro-train.ts', JSON.stringify(config)];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: here, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RunResult;
}

/** Every step's loss of `epochs`, in order. */
function steps(r: RunResult, epochs: number[]): number[] {
  return epochs.flatMap((e) => r.losses[e] ?? []);
}

/** Asserts `a` and `b` are the same numbers, each `===`. */
function expectIdentical(a: number[], b: number[]): void {
  expect(a).toStrictEqual(b);
  expect(a.length === b.length && a.every((v, i) => v === b[i])).toBe(true);
}

describe('same seed, same backend: the same training', () => {
  it('gives bit-identical per-step losses twice in one process, and different ones for another seed', async () => {
    const a = await run({ epochs: 3 });
    const b = await run({ epochs: 3 });
    expect(steps(a, [1, 2, 3])).toHaveLength(24); // 120 samples, batches of 16: 8 steps an epoch
    expectIdentical(steps(b, [1, 2, 3]), steps(a, [1, 2, 3]));
    expect(b.valLosses).toStrictEqual(a.valLosses);
    const other = await run({ epochs: 3, seed: 1 });
    expect(steps(other, [1])).not.toStrictEqual(steps(a, [1]));
  });

  it('gives bit-identical per-step losses in two separate processes (and this one)', async () => {
    const [p1, p2] = await Promise.all([child({ epochs: 3 }), child({ epochs: 3 })]);
    expectIdentical(steps(p2, [1, 2, 3]), steps(p1, [1, 2, 3]));
    expect(p2.valLosses).toStrictEqual(p1.valLosses);
    const local = await run({ epochs: 3 });
    expect(p1.backend).toBe(local.backend);
    expectIdentical(steps(local, [1, 2, 3]), steps(p1, [1, 2, 3]));
  });

  it('gives the numWorkers 0 batches with numWorkers 2 (the same losses)', async () => {
    const [w0, w2] = await Promise.all([child({ epochs: 2 }), child({ epochs: 2, numWorkers: 2 })]);
    expectIdentical(steps(w2, [1, 2]), steps(w0, [1, 2]));
  });
});

describe('resume exactly from a checkpoint, in a fresh process', () => {
  // Shuffled by the default generator unless a loader generator is named; augmentation adds
  // noise from the default generator in getItem (the workers' own, seeded every epoch, with workers).
  const variants: { name: string; config: Partial<RunConfig> }[] = [
    { name: 'numWorkers 0', config: {} },
    { name: 'numWorkers 2', config: { numWorkers: 2 } },
    { name: 'loader generator', config: { loaderGenerator: true } },
    { name: 'augmentation, numWorkers 0', config: { augment: true } },
    { name: 'augmented, 2 workers, own generator', config: { augment: true, numWorkers: 2, loaderGenerator: true } },
  ];

  it.each(variants)('$name: epochs 3-4 after resuming equal the uninterrupted run, step by step', async ({ config }) => {
    const checkpoint = join(tmp, `resume-${JSON.stringify(config).replace(/\W/g, '')}.safetensors`);
    const full = await child({ ...config, epochs: 4, saveAfter: 2, checkpoint });
    const resumed = await child({ ...config, epochs: 4, resume: checkpoint });
    expect(resumed.startEpoch).toBe(3);
    expect(Object.keys(resumed.losses)).toEqual(['3', '4']);
    expect(steps(full, [3, 4])).toHaveLength(16);
    expectIdentical(steps(resumed, [3, 4]), steps(full, [3, 4]));
    expect(resumed.valLosses).toStrictEqual({ 3: full.valLosses[3], 4: full.valLosses[4] });

    const ckpt = await flint.load<Checkpoint>(checkpoint);
    expect(ckpt.epoch).toBe(2);
    expect(Object.keys(ckpt).sort()).toEqual(
      ['bestValLoss', 'epoch', 'model', 'optimizer', 'rngState', 'scheduler', 'valLoss', ...(config.loaderGenerator ? ['loaderRngState'] : [])].sort(),
    );
  });

  it('needs every part of the checkpoint: leaving out the RNG, the loader generator or the scheduler changes the run', async () => {
    const checkpoint = join(tmp, 'controls.safetensors');
    const full = await run({ epochs: 4, saveAfter: 2, checkpoint, loaderGenerator: true });
    const resume = (skip: RunConfig['skip']) => run({ epochs: 4, resume: checkpoint, loaderGenerator: true, skip });
    // Everything restored, in this process too: identical.
    expectIdentical(steps(await resume([]), [3, 4]), steps(full, [3, 4]));
    // The default generator draws the Dropout masks.
    expect(steps(await resume(['rngState']), [3])).not.toStrictEqual(steps(full, [3]));
    // The loader's generator draws the shuffle order.
    expect(steps(await resume(['loaderRngState']), [3])).not.toStrictEqual(steps(full, [3]));
    // StepLR halves the rate after epoch 3: the optimizer's saved rate is right for epoch 3, but
    // a fresh scheduler does not decay after it.
    const noScheduler = await resume(['scheduler']);
    expectIdentical(steps(noScheduler, [3]), steps(full, [3]));
    expect(steps(noScheduler, [4])).not.toStrictEqual(steps(full, [4]));
  });
});

describe('checkpoints as the seeds keep them', () => {
  it('keeps the best checkpoint (lowest validation loss) and the last one, two files', async () => {
    const dir = join(tmp, 'keep');
    // With this rate the validation loss falls, rises at epoch 2, is lowest at epoch 4, then rises.
    const r = await run({ epochs: 6, lr: 0.1, keepDir: dir });
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', 'last.safetensors']);
    const vals = Object.entries(r.valLosses).map(([e, v]) => [Number(e), v] as const);
    const [bestEpoch, bestVal] = vals.reduce((m, v) => (v[1] < m[1] ? v : m));
    const best = await flint.load<Checkpoint>(join(dir, 'best.safetensors'));
    const last = await flint.load<Checkpoint>(join(dir, 'last.safetensors'));
    expect(best.epoch).toBe(bestEpoch);
    expect(best.epoch).toBeLessThan(6);
    expect(best.valLoss).toBe(bestVal);
    expect(last.epoch).toBe(6);
    expect(last.valLoss).toBe(r.valLosses[6]);
    expect(last.bestValLoss).toBe(bestVal);
    // Each file holds the model of its epoch: evaluated again, it gives its validation loss.
    const { xVal, yVal } = syntheticData();
    for (const ckpt of [best, last]) {
      const model = new Net();
      model.loadStateDict(ckpt.model);
      model.eval();
      const loss = flint.noGrad(() => flint.scope(() => new nn.CrossEntropyLoss()(model(xVal), yVal).item()));
      expect(loss).toBe(ckpt.valLoss);
    }
  });

  it('loads a checkpoint with an extra head into other models with strict: false, naming missing and unexpected keys', async () => {
    class WithAux extends Net {
      aux = new nn.Linear(32, 2);
    }
    class NewHead extends nn.Module {
      fc1 = new nn.Linear(FEATURES, 32);
      cls = new nn.Linear(32, 5);
      forward(x: Tensor): Tensor {
        return this.cls(nn.functional.relu(this.fc1(x)));
      }
    }
    class MoreClasses extends Net {
      override fc2 = new nn.Linear(32, 5);
    }
    flint.manualSeed(7);
    const source = new WithAux();
    const path = join(tmp, 'with-aux.safetensors');
    await flint.save({ epoch: 9, model: source.stateDict() }, path);
    const { model: sd } = await flint.load<{ model: nn.StateDict }>(path);
    const same = (a: Tensor, b: Tensor) => expect(a.tolist()).toStrictEqual(b.tolist());

    const net = new Net();
    expect(() => net.loadStateDict(sd)).toThrow(StateDictError);
    expect(() => net.loadStateDict(sd)).toThrow(/unexpected keys: 'aux.weight', 'aux.bias'/);
    expect(net.loadStateDict(sd, { strict: false })).toStrictEqual({ missingKeys: [], unexpectedKeys: ['aux.weight', 'aux.bias'] });
    same(net.fc1.weight, source.fc1.weight);
    same(net.fc2.bias!, source.fc2.bias!);

    const fresh = new NewHead();
    const headBefore = fresh.cls.weight.tolist();
    expect(fresh.loadStateDict(sd, { strict: false })).toStrictEqual({
      missingKeys: ['cls.weight', 'cls.bias'],
      unexpectedKeys: ['fc2.weight', 'fc2.bias', 'aux.weight', 'aux.bias'],
    });
    same(fresh.fc1.weight, source.fc1.weight);
    expect(fresh.cls.weight.tolist()).toStrictEqual(headBefore);

    // A head of another shape under the same name is an error even with strict: false; the
    // seeds' load_match_dict keeps only the entries whose name and shape match.
    const more = new MoreClasses();
    expect(() => more.loadStateDict(sd, { strict: false })).toThrow(/size mismatch for 'fc2.weight': the checkpoint has shape \[3, 32\], the module has \[5, 32\]/);
    const own = more.stateDict();
    const matching = Object.fromEntries(Object.entries(sd).filter(([k, v]) => own[k] !== undefined && v.shape.join() === own[k]!.shape.join()));
    expect(more.loadStateDict(matching, { strict: false })).toStrictEqual({ missingKeys: ['fc2.weight', 'fc2.bias'], unexpectedKeys: [] });
    same(more.fc1.bias!, source.fc1.bias!);
  });
});
