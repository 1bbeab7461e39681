/**
 * `DiskSaver`: writes checkpoints to a directory, atomically (PyTorch-Ignite's `DiskSaver`).
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, FlintError, save } from '@flint/core';

/**
 * Where a {@link Checkpoint} puts its files: `save(checkpoint, filename, metadata)` writes one,
 * `remove(filename)` deletes one that fell out of the retained set.
 *
 * @example
 * ```ts
 * const inMemory: SaveHandler = { save: (ckpt, name) => void files.set(name, ckpt), remove: (name) => void files.delete(name) };
 * ```
 */
export interface SaveHandler {
  save(checkpoint: Record<string, unknown>, filename: string, metadata?: CheckpointMetadata): void | Promise<void>;
  remove?(filename: string): void | Promise<void>;
  /** The file names present where it saves, so a {@link Checkpoint} can adopt files it did not save itself. */
  list?(): string[] | Promise<string[]>;
}

/**
 * What a {@link Checkpoint} tells its save handler about a file.
 *
 * @example
 * ```ts
 * const meta: CheckpointMetadata = { basename: 'best_model', scoreName: 'val_acc', priority: 0.91 };
 * ```
 */
export interface CheckpointMetadata {
  /** The file name without the step and score (`best_model`). */
  basename: string;
  scoreName: string | null;
  /** The score, or the global step when there is no score function. */
  priority: number;
}

/**
 * Options of {@link DiskSaver}.
 *
 * @example
 * ```ts
 * new DiskSaver('runs/exp1/ckpt', { requireEmpty: false });
 * ```
 */
export interface DiskSaverOptions {
  /** Create the directory if it is missing (default true). */
  createDir?: boolean;
  /** Refuse a directory that already holds checkpoint files (default true), so runs do not mix. */
  requireEmpty?: boolean;
}

/**
 * File extension of checkpoints: Flint's `save` writes the safetensors layout.
 *
 * @example
 * ```ts
 * `model_100.${CHECKPOINT_EXT}`; // 'model_100.safetensors'
 * ```
 */
export const CHECKPOINT_EXT = 'safetensors';

/**
 * Saves checkpoints as files in `dirname` with `@flint/core`'s `save`: each file is written to a
 * temporary file in the same directory, synced and renamed over the target, so a crash or a
 * failing save never leaves a half-written or corrupted checkpoint, and an existing file stays
 * intact until its replacement is complete.
 *
 * @example
 * ```ts
 * const saver = new DiskSaver('checkpoints', { requireEmpty: false });
 * const checkpoint = new Checkpoint({ model, optimizer }, saver, { nSaved: 2 });
 * trainer.on(Events.EPOCH_COMPLETED, checkpoint);
 * ```
 */
export class DiskSaver implements SaveHandler {
  readonly dirname: string;

  constructor(dirname: string, options: DiskSaverOptions = {}) {
    const fn = 'DiskSaver()';
    if (typeof dirname !== 'string' || dirname === '') throw new ArgumentError(`${fn}: dirname must be a non-empty string; received ${typeof dirname}`);
    const { createDir = true, requireEmpty = true } = options;
    this.dirname = path.resolve(dirname);
    if (!fs.existsSync(this.dirname)) {
      if (!createDir) throw new ArgumentError(`${fn}: directory '${this.dirname}' does not exist; create it or pass createDir: true`);
      fs.mkdirSync(this.dirname, { recursive: true });
    } else if (!fs.statSync(this.dirname).isDirectory()) {
      throw new ArgumentError(`${fn}: '${this.dirname}' is not a directory`);
    }
    if (requireEmpty) {
      const present = fs.readdirSync(this.dirname).filter((f) => f.endsWith(`.${CHECKPOINT_EXT}`));
      if (present.length > 0) {
        throw new FlintError(
          `${fn}: files are already present in '${this.dirname}': ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}. ` +
            'Use another directory, or pass requireEmpty: false to add to them.',
        );
      }
    }
  }

  /** Writes `checkpoint` to `dirname/filename` atomically. */
  async save(checkpoint: Record<string, unknown>, filename: string): Promise<void> {
    await save(checkpoint, this.path(filename));
  }

  /** Deletes `dirname/filename` (no error if it is already gone). */
  async remove(filename: string): Promise<void> {
    await fs.promises.rm(this.path(filename), { force: true });
  }

  /**
   * The checkpoint files in the directory (temporary files of a save in progress excluded).
   *
   * @example
   * ```ts
   * await new DiskSaver('checkpoints', { requireEmpty: false }).list(); // ['checkpoint_938.safetensors']
   * ```
   */
  async list(): Promise<string[]> {
    const names = await fs.promises.readdir(this.dirname);
    return names.filter((f) => f.endsWith(`.${CHECKPOINT_EXT}`) && !f.startsWith('.')).sort();
  }

  private path(filename: string): string {
    if (typeof filename !== 'string' || filename === '' || path.basename(filename) !== filename) {
      throw new ArgumentError(`DiskSaver: filename must be a plain file name inside the directory; received '${String(filename)}'`);
    }
    return path.join(this.dirname, filename);
  }
}
