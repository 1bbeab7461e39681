import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

function run(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('examples', () => {
  it('train-mlp learns the digits in a few steps', () => {
    const logdir = mkdtempSync(join(tmpdir(), 'flint-train-'));
    const out = run('train-mlp.ts', '--epochs', '1', '--max-steps', '60', '--batch-size', '32', '--logdir', logdir);
    const m = /epoch 1: loss ([\d.]+), test accuracy ([\d.]+)%/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1.5);
    expect(Number(m![2])).toBeGreaterThan(60);
    const files = readdirSync(logdir).filter((f) => f.includes('tfevents'));
    expect(files.length).toBe(1);
    expect(statSync(join(logdir, files[0]!)).size).toBeGreaterThan(60 * 20);
  }, 120_000);
});
