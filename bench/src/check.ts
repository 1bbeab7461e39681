/**
 * Before timing anything: the contenders must compute the same thing. Runs a few MLP steps from
 * identical parameters with Flint (wasm and cpu) and with the raw tfjs step, and compares losses
 * and parameters.
 */
import * as flint from '@flint/core';
import * as flintCases from './flint-cases.js';
import * as tfCases from './tfjs-cases.js';

const STEPS = 3;
const TOL = 1e-4;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

async function flintRun(backend: 'wasm' | 'cpu'): Promise<{ losses: number[]; params: Float32Array[] }> {
  await flint.setBackend(backend);
  const m = flintCases.makeMlp();
  const losses = Array.from({ length: STEPS }, () => m.iter() as number);
  const params = Object.values(m.params).map((t) => Float32Array.from(t.dataSync()));
  m.dispose();
  return { losses, params };
}

async function tfRun(): Promise<{ losses: number[]; params: Float32Array[] }> {
  await flint.setBackend('wasm');
  const m = tfCases.makeMlp();
  const losses = Array.from({ length: STEPS }, () => m.iter() as number);
  const params = Object.values(m.params).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  m.dispose();
  return { losses, params };
}

/** Throws when Flint (wasm, cpu) and raw tfjs disagree on the MLP steps. */
export async function checkSameMath(): Promise<void> {
  const before = flint.memory().numTensors;
  const ref = await tfRun();
  for (const backend of ['wasm', 'cpu'] as const) {
    const got = await flintRun(backend);
    const d = Math.max(maxDiff(got.losses, ref.losses), ...got.params.map((p, i) => maxDiff(p, ref.params[i]!)));
    if (!(d <= TOL)) {
      throw new Error(`check: Flint on ${backend} and raw tfjs disagree on the MLP step (max difference ${d}); the timings would not compare the same math`);
    }
  }
  const after = flint.memory().numTensors;
  if (after !== before) throw new Error(`check: ${after - before} Flint tensors leaked by ${STEPS} MLP steps`);
  console.log(`check: Flint (wasm, cpu) and raw tfjs agree on ${STEPS} MLP steps (losses ${ref.losses.map((l) => l.toFixed(4)).join(', ')})\n`);
}
