/**
 * The op conformance suite on the GPU: a stated subset of core's golden op suites, run with 'gpu'
 * as the default device (on a machine without a GPU, through Dawn's software adapter).
 *
 *   cd packages/core && npx vitest run --config test/gpu/vitest.config.ts
 *
 * When no adapter can be created the run is skipped, and the reason is printed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The suites that run on the GPU: core's op suites, and nn's functional and module suites with
 * optimizers, LR schedulers and save/load (the rest of core's suites run on the CPU backends only).
 */
export const GPU_SUITES = [
  'src/ops/unary.test.ts',
  'src/ops/arith.test.ts',
  'src/ops/compare.test.ts',
  'src/ops/matmul.test.ts',
  'src/ops/reduce.test.ts',
  'src/ops/shape.test.ts',
  'src/nn/functional/conv.test.ts',
  'src/nn/functional/activation.test.ts',
  'src/nn/functional/distance.test.ts',
  'src/nn/functional/dropout.test.ts',
  'src/nn/functional/embedding.test.ts',
  'src/nn/functional/embedding-bag.test.ts',
  'src/nn/functional/linear.test.ts',
  'src/nn/functional/loss.test.ts',
  'src/nn/functional/normalization.test.ts',
  'src/nn/functional/padding.test.ts',
  'src/nn/functional/pooling.test.ts',
  'src/nn/functional/upsampling.test.ts',
  'src/nn/init.test.ts',
  'src/nn/module.test.ts',
  'src/nn/modules/activation.test.ts',
  'src/nn/modules/attention.test.ts',
  'src/nn/modules/container.test.ts',
  'src/nn/modules/conv.test.ts',
  'src/nn/modules/dropout.test.ts',
  'src/nn/modules/embedding-bag.test.ts',
  'src/nn/modules/flatten.test.ts',
  'src/nn/modules/linear.test.ts',
  'src/nn/modules/loss.test.ts',
  'src/nn/modules/normalization.test.ts',
  'src/nn/modules/padding.test.ts',
  'src/nn/modules/pooling.test.ts',
  'src/nn/modules/rnn.test.ts',
  'src/nn/modules/sparse.test.ts',
  'src/nn/modules/transformer.test.ts',
  'src/nn/modules/upsampling.test.ts',
  'src/nn/utils/clip-grad.test.ts',
  'src/nn/utils/convert-parameters.test.ts',
  'src/nn/utils/rnn.test.ts',
  'src/optim/optim.test.ts',
  'src/optim/lr-scheduler/lr-scheduler.test.ts',
  'src/optim/lr-scheduler/scheduler.test.ts',
  'src/serialization/load.test.ts',
  'src/serialization/save.test.ts',
];

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = { ...process.env, FLINT_WEBGPU_SOFTWARE: process.env.FLINT_WEBGPU_SOFTWARE ?? '1' };

function probe(): string | null {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "const { gpu } = await import('./src/device.ts'); console.log(gpu.isAvailable() ? 'ok' : gpu.deviceName())"],
      { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim().split('\n').pop()!;
    return out === 'ok' ? null : out;
  } catch (e) {
    return (e as Error).message;
  }
}

const missing = probe();
if (missing !== null) {
  // CI installs Mesa's drivers for the software adapter: there a missing adapter is a failure,
  // not a reason to skip.
  if (process.env.CI === 'true') throw new Error(`GPU conformance run: no WebGPU adapter could be created (${missing})`);
  console.warn(`GPU conformance run skipped: no WebGPU adapter could be created (${missing})`);
}

export default defineConfig({
  test: {
    root,
    include: missing === null ? GPU_SUITES : [],
    passWithNoTests: true,
    setupFiles: ['test/gpu/setup.ts'],
    env: { FLINT_WEBGPU_SOFTWARE: env.FLINT_WEBGPU_SOFTWARE },
    testTimeout: 300_000,
    pool: 'forks',
    // One GPU, and long synchronous stretches on a software adapter: one file at a time, so that
    // no worker starves the others (or vitest's own messages) of CPU.
    fileParallelism: false,
  },
});
