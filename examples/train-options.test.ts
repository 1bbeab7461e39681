/**
 * The main job's command-line parser (examples/train/options.ts) and run-directory helpers, in
 * process: defaults, kinds, ranges, choices, `--limit`, help text, and errors naming the option.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalParser, OptionError, OptionParser, trainParser } from './train/options.js';
import { defaultRunName, resolveCheckpoint, runDirOf } from './train/run-dir.js';

describe('examples/train options', () => {
  it('resolves defaults and records which options were given', () => {
    const { values, given, help } = trainParser().parse(['--lr', '0.01', '--batch-size', '32', '--limit', '500']);
    expect(help).toBe(false);
    expect(values).toMatchObject({ model: 'lenet5', data: 'auto', lr: 0.01, batchSize: 32, epochs: 3, workers: 0, seed: 0, logdir: 'runs', checkpointEvery: 0 });
    expect(values.limit).toEqual({ train: 500, test: 500 });
    expect(values.resume).toBeUndefined();
    expect(values.runName).toBeUndefined();
    expect([...given].sort()).toEqual(['batchSize', 'limit', 'lr']);
    expect(trainParser().parse(['--limit', '2000,300']).values.limit).toEqual({ train: 2000, test: 300 });
    expect(trainParser().parse(['-h']).help).toBe(true);
  });

  it('names the option, what it expects and what it received', () => {
    const cases: Array<[string[], string]> = [
      [['--lr', 'fast'], '--lr must be a number > 0; received "fast"'],
      [['--lr', '0'], '--lr must be a number > 0; received "0"'],
      [['--epochs', '1.5'], '--epochs must be an integer >= 1; received "1.5"'],
      [['--workers=-1'], '--workers must be an integer >= 0; received "-1"'],
      [['--seed', '-1'], "Option '--seed' argument is ambiguous. Did you forget to specify the option argument for '--seed'?"],
      [['--val-fraction', '1'], '--val-fraction must be a number > 0 and < 1; received "1"'],
      [['--model', 'resnet'], '--model must be one of lenet5, convnet, mlp; received "resnet"'],
      [['--data', 'cifar'], '--data must be one of auto, fashion-mnist, digits; received "cifar"'],
      [['--limit', '0'], '--limit must be an integer >= 1; received "0"'],
      [['--limit', '1,2,3'], '--limit must be N or TRAIN,TEST (positive integers); received "1,2,3"'],
      [['--no-such-option'], "Unknown option '--no-such-option'"],
      [['--epochs'], "Option '--epochs <value>' argument missing"],
      [['stray'], 'unexpected argument "stray"; options are written --name value'],
    ];
    for (const [argv, message] of cases) {
      expect(() => trainParser().parse(argv), argv.join(' ')).toThrow(OptionError);
      expect(() => trainParser().parse(argv), argv.join(' ')).toThrow(message);
    }
    expect(() => evalParser().parse([])).toThrow('--checkpoint is required');
    expect(evalParser().parse(['--checkpoint', 'runs/x', '--split', 'val']).values).toMatchObject({ checkpoint: 'runs/x', split: 'val', batchSize: 64 });
  });

  it('writes argparse-style help with every option, its default and its choices', () => {
    const help = trainParser().help();
    expect(help).toMatch(/^usage: train\.ts \[options\]\n\nTrains a CNN on Fashion-MNIST/);
    expect(help).toMatch(/^ {2}-h, --help +show this help message and exit$/m);
    expect(help).toMatch(/^ {2}--epochs N +epochs to train \(when resuming: the new total; the learning-rate schedule\n +keeps the length the run started with\) \(default: 3\)$/m);
    expect(help).toMatch(/^ {2}--model NAME +the network \(see models\.ts\) \(one of: lenet5, convnet, mlp\) \(default: lenet5\)$/m);
    expect(help).toMatch(/^ {2}--limit N\[,M\] +use only the first N training and M test samples/m);
    expect(help.split('\n').every((line) => line.length <= 120)).toBe(true);
    expect(evalParser().help()).toMatch(/--checkpoint PATH +the checkpoint to evaluate[^]*?\(required\)/);

    const tiny = new OptionParser('tool', 'Does a thing.', { verbose: { kind: 'boolean', help: 'say more', short: 'v' }, n: { kind: 'integer', default: 2, help: 'how many' } });
    expect(tiny.parse(['-v']).values).toEqual({ verbose: true, n: 2 });
    expect(tiny.help()).toBe('usage: tool [options]\n\nDoes a thing.\n\noptions:\n  -h, --help     show this help message and exit\n  -v, --verbose  say more\n  --n N          how many (default: 2)\n');
  });
});

describe('examples/train run directories', () => {
  const root = mkdtempSync(join(tmpdir(), 'flint-run-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the latest or the best checkpoint of a run, and the run of a checkpoint', () => {
    const dir = join(root, 'exp', 'checkpoints');
    mkdirSync(dir, { recursive: true });
    for (const f of ['checkpoint_90.safetensors', 'checkpoint_1200.safetensors', 'best_checkpoint_2_val_accuracy=0.8812.safetensors', 'best_checkpoint_1_val_accuracy=0.8601.safetensors']) {
      writeFileSync(join(dir, f), '');
    }
    expect(resolveCheckpoint(join(root, 'exp'), 'latest')).toBe(join(dir, 'checkpoint_1200.safetensors'));
    expect(resolveCheckpoint(dir, 'latest')).toBe(join(dir, 'checkpoint_1200.safetensors'));
    expect(resolveCheckpoint(join(root, 'exp'), 'best')).toBe(join(dir, 'best_checkpoint_2_val_accuracy=0.8812.safetensors'));
    expect(resolveCheckpoint(join(dir, 'checkpoint_90.safetensors'), 'best')).toBe(join(dir, 'checkpoint_90.safetensors'));
    expect(runDirOf(join(dir, 'checkpoint_90.safetensors'))).toBe(join(root, 'exp'));
    expect(() => resolveCheckpoint(join(root, 'missing'), 'latest')).toThrow(`no checkpoint or run directory at ${join(root, 'missing')}`);
    mkdirSync(join(root, 'empty'));
    expect(() => resolveCheckpoint(join(root, 'empty'), 'latest')).toThrow(`no checkpoint_<iteration>.safetensors checkpoint in ${join(root, 'empty')}`);
    expect(defaultRunName('lenet5', 'digits', new Date('2026-11-23T07:15:09Z'))).toBe('lenet5-digits-20261123-071509');
  });
});
