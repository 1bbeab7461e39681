import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

function run(...args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'text-classification.ts', ...args], {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Per-epoch losses and the final test accuracy printed by the example. */
function parse(out: string): { losses: number[]; accuracy: number } {
  const losses = [...out.matchAll(/epoch \d+: loss ([\d.]+)/g)].map((m) => Number(m[1]));
  const m = /^test accuracy ([\d.]+)%$/m.exec(out);
  expect(m, out).not.toBeNull();
  return { losses, accuracy: Number(m![1]) };
}

describe('text-classification example', () => {
  it('trains the bag-of-embeddings classifier on real emails, logs to the board and beats the majority class', () => {
    const logdir = mkdtempSync(join(tmpdir(), 'flint-textcls-'));
    try {
      const out = run('--limit', '300', '--epochs', '3', '--max-len', '64', '--logdir', logdir);
      expect(out).toMatch(/SpamAssassin: 240 emails for training, 60 for testing \((\d+) spam\)/);
      const spam = Number(/\((\d+) spam\)/.exec(out)![1]);
      const majority = (Math.max(spam, 60 - spam) / 60) * 100;
      const { losses, accuracy } = parse(out);
      expect(losses.length).toBe(3);
      expect(losses[2]!).toBeLessThan(losses[0]!);
      expect(accuracy).toBeGreaterThan(majority);
      const files = readdirSync(logdir).filter((f) => f.includes('tfevents'));
      expect(files.length).toBe(1);
      expect(statSync(join(logdir, files[0]!)).size).toBeGreaterThan(500);
    } finally {
      rmSync(logdir, { recursive: true, force: true });
    }
  }, 120_000);

  it('trains the LSTM over packed sequences at a tiny size', () => {
    const logdir = mkdtempSync(join(tmpdir(), 'flint-textcls-'));
    try {
      const { losses } = parse(run('--model', 'lstm', '--limit', '100', '--epochs', '2', '--max-len', '24', '--logdir', logdir));
      expect(losses.length).toBe(2);
      expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
    } finally {
      rmSync(logdir, { recursive: true, force: true });
    }
  }, 120_000);

  it('documents its options, the size limit among them, and rejects bad ones', () => {
    const help = run('--help');
    expect(help).toMatch(/--limit N +use at most N emails/);
    expect(help).toMatch(/--model bag\|lstm/);
    expect(() => run('--model', 'cnn')).toThrow(/--model must be 'bag' or 'lstm' \(got cnn\)/);
  }, 60_000);
});
