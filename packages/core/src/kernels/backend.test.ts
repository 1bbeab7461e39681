import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, backend, setBackend, tensor } from '../index.js';
import { tf } from './tf.js';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../index.ts', import.meta.url));

function runWith(env: Record<string, string>, code: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import * as flint from ${JSON.stringify(entry)};\n${code}`], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  }).trim();
}

describe('backends', () => {
  afterAll(async () => {
    await setBackend('wasm');
  });

  it('starts on wasm when no tensorflow package is installed, and switches', async () => {
    expect(['wasm', 'cpu']).toContain(backend());
    await setBackend('cpu');
    expect(backend()).toBe('cpu');
    const x = tensor([1, 2]);
    await setBackend('wasm');
    expect(x.add(1).tolist()).toEqual([2, 3]);
  });

  it('FLINT_BACKEND picks the start-up backend, and a bad name is a clear error', () => {
    expect(runWith({ FLINT_BACKEND: 'cpu' }, 'console.log(flint.backend())')).toBe('cpu');
    expect(runWith({ FLINT_BACKEND: '' }, 'console.log(flint.backend())')).toBe('wasm');
    expect(() => runWith({ FLINT_BACKEND: 'metal' }, '')).toThrow(/FLINT_BACKEND must be one of tensorflow, wasm, cpu \(got "metal"\)/);
  });

  it('asking for tensorflow without its package says what to install', async () => {
    await expect(setBackend('tensorflow')).rejects.toThrow(BackendError);
    await expect(setBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node/);
    await expect(setBackend('bogus' as never)).rejects.toThrow(/name must be one of/);
    expect(backend()).not.toBe('tensorflow');
  });

  it('supplies kernels that wasm lacks from the cpu backend', async () => {
    await setBackend('wasm');
    const missing = ['UnsortedSegmentSum', 'Conv2DBackpropFilter', 'Einsum'];
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const k of missing) expect(wasm.has(k)).toBe(true);
    const r = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 1, 0, 1], 'int32'), 2).arraySync());
    expect(r).toEqual([4, 6]);
    const e = tf.tidy(() => tf.einsum('ij,jk->ik', tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).arraySync());
    expect(e).toEqual([[11]]);
  });
});
