/**
 * The main job (examples/train) at a tiny size: a run end to end with its options, results,
 * checkpoints and board logdir read back by @flint/board's LogdirReader; a run killed mid-epoch
 * and resumed, which must give the same losses and results as the uninterrupted one; the eval
 * entry point; the command line's help and errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogdirReader } from '@flint/board/reader';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeArgs = ['--conditions=source', '--import', 'tsx'];
const hasFashionMnist = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
const logdir = mkdtempSync(join(tmpdir(), 'flint-main-job-'));
afterAll(() => rmSync(logdir, { recursive: true, force: true }));

/** 240 training samples (24 held out: 216 to train, 7 batches of 32), 100 test samples, 3 epochs. */
const tiny = ['--model', 'convnet', '--limit', '240,100', '--batch-size', '32', '--epochs', '3', '--seed', '3', '--checkpoint-every', '3', '--log-every', '1', '--logdir', logdir];
const EPOCH_LENGTH = 7;

/** Runs a script of examples/ in a child process (asynchronously: the test runner stays responsive). */
function run(script: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function ok(script: string, ...args: string[]): Promise<string> {
  const r = await run(script, ...args);
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function json(path: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(path, 'utf8'));
}

function checkpoints(runDir: string): string[] {
  const dir = join(runDir, 'checkpoints');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Iterations of the `checkpoint_<iteration>` files in a run. */
function checkpointSteps(runDir: string): number[] {
  return checkpoints(runDir).flatMap((f) => {
    const m = /^checkpoint_(\d+)\.safetensors$/.exec(f);
    return m ? [Number(m[1])] : [];
  });
}

async function board(): Promise<LogdirReader> {
  const reader = new LogdirReader(logdir);
  await reader.reload();
  return reader;
}

/** Results without what depends on the clock. */
function timeless(results: any): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { trainSeconds: _t, run: _r, history, ...rest } = results;
  return { ...rest, history: history.map(({ seconds: _s, ...h }: { seconds: number }) => h) };
}

describe('examples/train (the main job)', () => {
  it('trains, checkpoints, evaluates and logs a tiny run end to end', async () => {
    const out = await ok('train/train.ts', ...tiny, '--run-name', 'full');
    const runDir = join(logdir, 'full');
    const data = hasFashionMnist ? 'fashion-mnist' : 'digits';
    expect(out).toMatch(hasFashionMnist ? /^data: Fashion-MNIST from .*: 216 training, 24 validation and 100 test images$/m : /^data: the handwritten digits .*: 216 training/m);
    expect(out.match(/^epoch \d\/3: train loss [\d.]+, val accuracy [\d.]+%.*$/gm)).toHaveLength(3);
    expect(out).toMatch(/^view it: flint-board --logdir /m);

    // The resolved options, `--data auto` included.
    const options = json(join(runDir, 'options.json'));
    expect(options).toEqual({
      model: 'convnet', data, dataRoot: '/usr/share/datasets/fashion-mnist', batchSize: 32, workers: 0, limit: { train: 240, test: 100 }, valFraction: 0.1,
      optimizer: 'adam', lr: 0.002, weightDecay: 0, epochs: 3, seed: 3, runName: 'full', logdir, checkpointEvery: 3, logEvery: 1,
    });

    // Results: the test metrics agree with their confusion matrix; the loss went down.
    const results = json(join(runDir, 'results.json'));
    const { test, history } = results;
    expect(results).toMatchObject({ run: 'full', data, model: 'convnet', epochs: 3, iterations: 3 * EPOCH_LENGTH });
    expect(test.samples).toBe(100);
    const cm: number[][] = test.confusionMatrix;
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(test.accuracy).toBeCloseTo(cm.reduce((a, row, i) => a + row[i]!, 0) / 100, 6);
    expect(test.accuracy).toBeGreaterThan(0.3); // chance is 0.1
    expect(Object.keys(test.perClass)).toHaveLength(10);
    expect(history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3]);
    expect(history[2].trainLoss).toBeLessThan(history[0].trainLoss);
    expect(readFileSync(join(runDir, 'results.txt'), 'utf8')).toMatch(/^accuracy: {2}[\d.]+%$/m);

    // Checkpoints: the latest one (after the last epoch) and the best by validation accuracy.
    const best = history.reduce((a: { valAccuracy: number }, b: { valAccuracy: number }) => (b.valAccuracy > a.valAccuracy ? b : a));
    expect(checkpoints(runDir)).toEqual([`best_checkpoint_${best.epoch}_val_accuracy=${best.valAccuracy.toFixed(4)}.safetensors`, `checkpoint_${3 * EPOCH_LENGTH}.safetensors`]);
    expect(results.bestValidation.checkpoint).toBe(join('checkpoints', checkpoints(runDir)[0]!));

    // The board: every iteration's loss, the learning rate, validation per epoch, histograms, hparams.
    const reader = await board();
    expect(reader.runs()).toContain('full');
    const loss = reader.scalars('full', 'training/loss');
    expect(loss.map((p) => p[1])).toEqual(Array.from({ length: 3 * EPOCH_LENGTH }, (_, i) => i + 1));
    for (const [e, h] of history.entries()) {
      const epochLoss = loss.slice(e * EPOCH_LENGTH, (e + 1) * EPOCH_LENGTH).reduce((a, p) => a + p[2], 0) / EPOCH_LENGTH;
      expect(epochLoss).toBeCloseTo(h.trainLoss, 5);
    }
    const valAccuracy = reader.scalars('full', 'validation/accuracy');
    expect(valAccuracy.map((p) => p[1])).toEqual([EPOCH_LENGTH, 2 * EPOCH_LENGTH, 3 * EPOCH_LENGTH]);
    expect(valAccuracy.map((p) => p[2])).toEqual(history.map((h: { valAccuracy: number }) => Math.fround(h.valAccuracy)));
    const lr = reader.scalars('full', 'lr/group_0');
    expect(lr[0]![2]).toBeCloseTo(0.002, 6);
    expect(lr.at(-1)![2]).toBeLessThan(lr[0]![2]); // the cosine schedule
    expect(reader.histograms('full', 'weights/classifier/2/weight').map((h) => h.step)).toEqual([EPOCH_LENGTH, 2 * EPOCH_LENGTH, 3 * EPOCH_LENGTH]);
    expect(reader.histograms('full', 'grads/features/0/weight')).toHaveLength(3);
    expect(reader.hparams('full')).toBeDefined();
  }, 120_000);

  it('resumes a run killed mid-epoch with the same losses and results as the uninterrupted run', async () => {
    const runDir = join(logdir, 'killed');
    const child = spawn(process.execPath, [...nodeArgs, 'train/train.ts', ...tiny, '--run-name', 'killed'], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // Kill it as soon as a checkpoint inside the second epoch (iteration 9) has been written.
    const poll = setInterval(() => {
      if (checkpointSteps(runDir).some((n) => n >= 9)) child.kill('SIGKILL');
    }, 10);
    const how = await exited;
    clearInterval(poll);
    expect(how, output).toBe('SIGKILL');
    expect(existsSync(join(runDir, 'results.json'))).toBe(false);
    // The latest checkpoint (the kill may come between writing it and removing the one before).
    const stoppedAt = Math.max(...checkpointSteps(runDir));
    expect(stoppedAt % EPOCH_LENGTH, `${checkpoints(runDir).join(' ')}\n${output}`).not.toBe(0); // mid-epoch

    // Resume from the run directory alone: its options come from the checkpoint.
    const out = await ok('train/train.ts', '--resume', runDir);
    expect(out).toContain(`resuming from ${join(runDir, 'checkpoints', `checkpoint_${stoppedAt}.safetensors`)} (iteration ${stoppedAt})`);
    expect(out.match(/^epoch \d\/3: /gm)).toHaveLength(3 - Math.floor(stoppedAt / EPOCH_LENGTH));

    // The same results as the run that never stopped (test metrics, per-epoch history)...
    expect(timeless(json(join(runDir, 'results.json')))).toEqual(timeless(json(join(logdir, 'full', 'results.json'))));
    // ...and the same loss at every iteration on the board, once the stopped run's extra steps are purged.
    const reader = await board();
    for (const tag of ['training/loss', 'validation/accuracy', 'validation/loss', 'lr/group_0']) {
      const resumed = reader.scalars('killed', tag).map(([, step, value]) => [step, value]);
      expect(resumed, tag).toEqual(reader.scalars('full', tag).map(([, step, value]) => [step, value]));
    }
    // The resumed run's latest checkpoint replaced the one it resumed from, and the one before it
    // too when the kill left it behind (between writing a checkpoint and removing its predecessor).
    expect(checkpointSteps(runDir)).toEqual([3 * EPOCH_LENGTH]);

    // A finished run trains on to a larger --epochs total.
    const more = await ok('train/train.ts', '--resume', runDir, '--epochs', '4');
    expect(more.match(/^epoch \d\/4: /gm)).toEqual(['epoch 4/4: ']);
    expect(json(join(runDir, 'results.json'))).toMatchObject({ epochs: 4, iterations: 4 * EPOCH_LENGTH });
    expect(json(join(runDir, 'options.json'))).toMatchObject({ epochs: 4, resume: runDir });
  }, 120_000);

  it('evaluates a checkpoint with the eval entry point', async () => {
    const runDir = join(logdir, 'full');
    const results = json(join(runDir, 'results.json'));
    // The final checkpoint on the test set gives the run's own test results.
    const last = join(runDir, results.lastCheckpoint);
    const out = await ok('train/eval.ts', '--checkpoint', last);
    expect(out).toMatch(/^accuracy: {2}[\d.]+%$/m);
    const evalDir = join(runDir, 'eval', `checkpoint_${3 * EPOCH_LENGTH}-test`);
    expect(json(join(evalDir, 'results.json')).test).toEqual(results.test);
    expect(json(join(evalDir, 'options.json'))).toMatchObject({ checkpoint: last, split: 'test', limit: { train: 240, test: 100 } });
    expect(readFileSync(join(evalDir, 'results.txt'), 'utf8')).toContain('confusion matrix');

    // A run directory means its best checkpoint; on the validation split it scores what training recorded.
    const out2 = join(logdir, 'eval-best');
    await ok('train/eval.ts', '--checkpoint', runDir, '--split', 'val', '--out', out2);
    const evaluated = json(join(out2, 'results.json'));
    expect(evaluated.checkpoint).toBe(join(runDir, results.bestValidation.checkpoint));
    expect(evaluated.val.accuracy).toBe(results.bestValidation.accuracy);
    expect(evaluated.val.samples).toBe(24);
  }, 120_000);

  it('prints its options with --help, and exits with status 2 naming the option when one is wrong', async () => {
    const help = await ok('train/train.ts', '--help');
    expect(help).toMatch(/^usage: train\.ts \[options\]/);
    for (const flag of ['--model NAME', '--data NAME', '--lr X', '--batch-size N', '--epochs N', '--workers N', '--seed N', '--resume PATH', '--run-name NAME', '--logdir DIR', '--limit N[,M]', '--checkpoint-every N']) {
      expect(help).toContain(flag);
    }
    const cases: Array<[string[], RegExp]> = [
      [['--lr', 'fast'], /^train\.ts: error: --lr must be a number > 0; received "fast" \(see --help\)$/m],
      [['--resume', join(logdir, 'full'), '--batch-size', '16'], /^train\.ts: error: --batch-size cannot change when resuming \(the run used 32\); leave it out$/m],
      [['--resume', join(logdir, 'full')], /^train\.ts: error: --resume: .*checkpoint_21\.safetensors ends the run's epoch 3; give --epochs with a larger total to train on$/m],
      [['--logdir', logdir, '--run-name', 'full'], /^train\.ts: error: the run directory .*full already exists; choose another --run-name, or continue it with --resume /m],
    ];
    for (const [args, message] of cases) {
      const r = await run('train/train.ts', ...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);
});
