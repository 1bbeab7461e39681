/**
 * Run directories (checkpoints/<run>/ of a PyTorch project): their default names, and finding a run's
 * latest or best checkpoint.
 *
 * A run directory holds `options.json`, `results.json`, `results.txt`, the board's event files
 * and `checkpoints/`: `checkpoint_<iteration>.safetensors` (to resume) and
 * `best_checkpoint_<epoch>_val_accuracy=<score>.safetensors` (the best model so far).
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The checkpoint folder inside a run directory.
 *
 * @example
 * ```ts
 * const dir = join(runDir, CHECKPOINT_DIR); // runs/<run-name>/checkpoints
 * ```
 */
export const CHECKPOINT_DIR = 'checkpoints';

/**
 * `<model>-<data>-<yyyymmdd>-<hhmmss>` (UTC), the default run name.
 *
 * @example
 * ```ts
 * defaultRunName('lenet5', 'fashion-mnist', new Date('2026-11-23T07:15:00Z')); // 'lenet5-fashion-mnist-20261123-071500'
 * ```
 */
export function defaultRunName(model: string, data: string, date = new Date()): string {
  const iso = date.toISOString(); // 2026-11-23T07:15:00.000Z
  return `${model}-${data}-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

function checkpointsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.safetensors')) : [];
}

/**
 * A checkpoint file from a path that is a file, a run directory or its `checkpoints/` folder:
 * for a folder, the latest `checkpoint_<iteration>` (`which: 'latest'`) or the best
 * `best_..._val_accuracy=<score>` (`which: 'best'`, falling back to the latest when there is none).
 *
 * @example
 * ```ts
 * resolveCheckpoint('runs/exp1', 'latest'); // 'runs/exp1/checkpoints/checkpoint_2532.safetensors'
 * ```
 */
export function resolveCheckpoint(path: string, which: 'latest' | 'best'): string {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`no checkpoint or run directory at ${abs}`);
  if (statSync(abs).isFile()) return abs;
  const dir = existsSync(join(abs, CHECKPOINT_DIR)) ? join(abs, CHECKPOINT_DIR) : abs;
  const files = checkpointsIn(dir);
  const latest = files
    .map((f) => ({ f, n: Number(/^checkpoint_(\d+)\.safetensors$/.exec(f)?.[1] ?? NaN) }))
    .filter(({ n }) => Number.isInteger(n))
    .sort((a, b) => b.n - a.n)[0]?.f;
  const best = files
    .map((f) => ({ f, s: Number(/_val_accuracy=([\d.]+)\.safetensors$/.exec(f)?.[1] ?? NaN) }))
    .filter(({ s }) => Number.isFinite(s))
    .sort((a, b) => b.s - a.s)[0]?.f;
  const chosen = which === 'best' ? (best ?? latest) : latest;
  if (chosen === undefined) throw new Error(`no ${which === 'best' ? '' : 'checkpoint_<iteration>.safetensors '}checkpoint in ${dir}`);
  return join(dir, chosen);
}

/**
 * The run directory a checkpoint belongs to: the folder above `checkpoints/`, else the
 * checkpoint's own folder.
 *
 * @example
 * ```ts
 * runDirOf('runs/exp1/checkpoints/checkpoint_844.safetensors'); // '<abs>/runs/exp1'
 * ```
 */
export function runDirOf(checkpoint: string): string {
  const dir = dirname(resolve(checkpoint));
  return basename(dir) === CHECKPOINT_DIR ? dirname(dir) : dir;
}
