import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'flint-resume-example-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', script, ...args], {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The `epoch N: ...` lines, by epoch. */
function epochLines(out: string): Map<number, string> {
  const lines = [...out.matchAll(/^epoch (\d+): train loss [\d.e-]+, val loss [\d.e-]+, .*$/gm)];
  return new Map(lines.map((m) => [Number(m[1]), m[0]]));
}

describe('examples/resume-training', () => {
  it('trains 2 epochs, resumes from the epoch-2 checkpoint for 2 more, and prints what a 4-epoch run prints', () => {
    const full = epochLines(run('resume-training.ts', '--epochs', '4', '--checkpoint-dir', join(tmp, 'full')));
    expect([...full.keys()]).toEqual([1, 2, 3, 4]);
    const dir = join(tmp, 'stopped');
    const first = epochLines(run('resume-training.ts', '--epochs', '2', '--checkpoint-dir', dir));
    expect([...first.keys()]).toEqual([1, 2]);
    expect(first.get(2)).toBe(full.get(2));
    // One checkpoint per epoch plus the best one, and no temporary files left behind.
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', 'epoch-1.safetensors', 'epoch-2.safetensors']);

    const out = run('resume-training.ts', '--epochs', '4', '--checkpoint-dir', dir, '--resume', join(dir, 'epoch-2.safetensors'));
    expect(out).toMatch(/resumed from .*epoch-2\.safetensors \(epoch 2, best val loss [\d.]+\)/);
    const resumed = epochLines(out);
    expect([...resumed.keys()]).toEqual([3, 4]);
    // Losses, accuracy and learning rate (StepLR halves it after epoch 3), to the last digit.
    expect(resumed.get(3)).toBe(full.get(3));
    expect(resumed.get(4)).toBe(full.get(4));
    expect(full.get(4)).toMatch(/lr 0\.015/);
    expect(readdirSync(dir).sort()).toEqual(['best.safetensors', ...[1, 2, 3, 4].map((e) => `epoch-${e}.safetensors`)]);
  }, 120_000);
});
