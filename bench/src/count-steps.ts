/**
 * Runs `W` warm-up steps and then `N` steps of one MLP implementation and exits: the program that
 * `instructions.ts` runs under valgrind. `IMPL` is `flint` or `tfjs`. With `KERNELS=1` it instead
 * prints the kernels that one step runs (after the warm-up), in order, for both implementations:
 *
 *   KERNELS=1 node --conditions=source --import tsx src/count-steps.ts
 */
import * as flint from '@flint/core';
import * as tf from '@tensorflow/tfjs-core';
import * as flintCases from './flint-cases.js';
import * as tfCases from './tfjs-cases.js';

await flint.setBackend('wasm');

/** The kernels one step runs, by name, in the order they ran. */
async function kernelsPerStep(impl: 'flint' | 'tfjs'): Promise<string[]> {
  const m = impl === 'tfjs' ? tfCases.makeMlp() : flintCases.makeMlp();
  for (let i = 0; i < 3; i++) m.iter();
  const info = await tf.profile(() => void m.iter());
  m.dispose();
  return info.kernels.map((k) => k.name);
}

if (process.env.KERNELS === '1') {
  for (const impl of ['flint', 'tfjs'] as const) {
    const names = await kernelsPerStep(impl);
    const counts = new Map<string, number>();
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    console.log(`${impl}: ${names.length} kernels per MLP step`);
    console.log('  in order: ' + names.join(' '));
    console.log('  by name:  ' + [...counts].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${c}`).join(', '));
  }
} else {
  const m = process.env.IMPL === 'tfjs' ? tfCases.makeMlp() : flintCases.makeMlp();
  const steps = Number(process.env.W ?? 100) + Number(process.env.N ?? 0);
  for (let i = 0; i < steps; i++) m.iter();
  m.dispose();
}
