/**
 * `pnpm --filter @flint/bench instructions`: instructions executed by the main thread per MLP
 * training step on wasm, Flint against the raw-tfjs step, counted by valgrind (callgrind, threads
 * apart). Unlike times, the counts do not depend on what else the machine is running, so small
 * changes to Flint's per-op overhead show up even on a busy machine. They miss what is about memory
 * rather than instructions (cache-unfriendly kernels, packing) and the work of GC and compiler
 * threads: use them next to the timings, not instead. Needs `valgrind` (apt-get install valgrind);
 * takes a few minutes. `--source` runs @flint/core from its TypeScript sources instead of its build
 * (`tsx src/instructions.ts --source`); `--only flint` or `--only tfjs` counts one of the two.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WARMUP = 100;
const SOURCE = process.argv.includes('--source');
const onlyAt = process.argv.indexOf('--only');
const IMPLS = (onlyAt >= 0 ? [process.argv[onlyAt + 1]] : ['flint', 'tfjs']) as ('flint' | 'tfjs')[];
const STEPS = 50;
const script = fileURLToPath(new URL('./count-steps.ts', import.meta.url));

/** Main-thread instructions of a run with `n` measured steps after the warm-up. */
function count(impl: 'flint' | 'tfjs', n: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'flint-callgrind-'));
  try {
    execFileSync(
      'valgrind',
      ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${join(dir, 'out')}`, '--smc-check=all-non-file', process.execPath, ...(SOURCE ? ['--conditions=source'] : []), '--import', 'tsx', script],
      { env: { ...process.env, IMPL: impl, W: String(WARMUP), N: String(n) }, stdio: 'ignore' },
    );
    // The main thread's profile ends in -01; its `summary:` line holds the instruction count.
    const m = /^summary:\s*(\d+)/m.exec(readFileSync(join(dir, 'out-01'), 'utf8'));
    if (m === null) throw new Error('instructions: no summary line in the callgrind output');
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const perStep: Record<string, number> = {};
for (const impl of IMPLS) {
  if (impl !== 'flint' && impl !== 'tfjs') throw new Error(`instructions: --only takes flint or tfjs (got ${String(impl)})`);
  perStep[impl] = (count(impl, STEPS) - count(impl, 0)) / STEPS;
  console.log(`${impl}: ${(perStep[impl]! / 1e6).toFixed(1)} M instructions per MLP step (main thread)`);
}
if (IMPLS.length === 2) console.log(`Flint / raw tfjs: ${(perStep.flint! / perStep.tfjs!).toFixed(3)}`);
