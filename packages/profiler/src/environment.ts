/**
 * The environment summary `flint-profile` prints first (as `torch.utils.bottleneck` does).
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { backend, gpu } from '@flint/core';

/**
 * What {@link environment} reports.
 *
 * @example
 * ```ts
 * const { backend, device }: Environment = environment();
 * ```
 */
export interface Environment {
  /** `@flint/core`'s version (`'unknown'` when its package.json cannot be found). */
  flint: string;
  /** `@flint/profiler`'s version. */
  profiler: string;
  /** `process.version`, e.g. `'v20.19.0'`. */
  node: string;
  /** V8's version. */
  v8: string;
  /** `process.platform` and `process.arch`, e.g. `'linux x64'`. */
  platform: string;
  /** The active backend (`'wasm'`, `'cpu'`, `'tensorflow'`). */
  backend: string;
  /** Where tensors live by default: `'gpu'` when a GPU backend sees one, else `'cpu'`. */
  device: string;
  /** Logical CPUs. */
  cpuCount: number;
  /** The CPU's model name. */
  cpuModel: string;
}

/** The `version` of the nearest package.json named `name` at or above `file`. */
function versionAbove(file: string, name: string): string {
  let dir = dirname(file);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    } catch {
      // no package.json here: go up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/**
 * Node, Flint and machine facts for a profile's header.
 *
 * @example
 * ```ts
 * const env = environment();
 * console.log(`Flint ${env.flint} on ${env.backend}, Node ${env.node}, ${env.cpuCount} CPUs`);
 * ```
 */
export function environment(): Environment {
  let flint = 'unknown';
  try {
    flint = versionAbove(createRequire(import.meta.url).resolve('@flint/core'), '@flint/core');
  } catch {
    // core resolved in a way require cannot follow: leave it unknown
  }
  const list = cpus();
  return {
    flint,
    profiler: versionAbove(fileURLToPath(import.meta.url), '@flint/profiler'),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    backend: backend(),
    device: gpu.isAvailable() ? 'gpu' : 'cpu',
    cpuCount: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
  };
}
