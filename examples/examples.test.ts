import { execFileSync } from 'node:child_process';
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
    const out = run('train-mlp.ts', '--epochs', '1', '--max-steps', '60', '--batch-size', '32');
    const m = /epoch 1: loss ([\d.]+), test accuracy ([\d.]+)%/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1.5);
    expect(Number(m![2])).toBeGreaterThan(60);
  }, 120_000);
});
