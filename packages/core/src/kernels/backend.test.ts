import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, backend, setBackend, tensor } from '../index.js';
import { tf } from './tf.js';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../index.ts', import.meta.url));

function runWith(env: Record<string, string>, code: string, preload: string[] = []): string {
  return execFileSync(process.execPath, ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), '--input-type=module', '-e', `import * as flint from ${JSON.stringify(entry)};\n${code}`], {
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

  it('detects an installed @tensorflow/tfjs-node and prefers it, unless FLINT_BACKEND says otherwise', () => {
    // A stand-in for tfjs-node: it registers a 'tensorflow' backend (running the cpu kernels), as
    // the real package does when it is imported. A resolve hook maps the package name to it.
    const dir = mkdtempSync(join(tmpdir(), 'flint-tfnode-'));
    const coreUrl = pathToFileURL(join(pkg, 'node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js')).href;
    const cpuUrl = pathToFileURL(join(pkg, 'node_modules/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js')).href;
    const fake = join(dir, 'fake-tfjs-node.mjs');
    writeFileSync(
      fake,
      `import * as tf from ${JSON.stringify(coreUrl)};
      import * as cpu from ${JSON.stringify(cpuUrl)};
      tf.registerBackend('tensorflow', () => new cpu.MathBackendCPU(), 3);
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });`,
    );
    const hook = join(dir, 'hook.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';
      const src = 'export async function resolve(s, c, n) { return s === "@tensorflow/tfjs-node" ? { url: ${JSON.stringify(pathToFileURL(fake).href)}, shortCircuit: true } : n(s, c); }';
      register('data:text/javascript,' + encodeURIComponent(src));`,
    );
    const code = 'console.log(flint.backend(), flint.gpu.isAvailable(), flint.tensor([1, 2]).mul(3).tolist().join(","))';
    expect(runWith({ FLINT_BACKEND: '' }, code, [hook])).toBe('tensorflow false 3,6');
    expect(runWith({ FLINT_BACKEND: 'wasm' }, code, [hook])).toBe('wasm false 3,6');
  });
});
