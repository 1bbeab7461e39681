/**
 * `ModelCheckpoint`: a {@link Checkpoint} to a directory, given the objects when attached
 * (PyTorch-Ignite's `ModelCheckpoint`).
 * @module
 */
import type { Engine } from '../engine.js';
import { Checkpoint, checkToSave, DEFERRED_TO_SAVE, type CheckpointOptions, type Stateful } from './checkpoint.js';
import { DiskSaver, type DiskSaverOptions } from './disk-saver.js';

/**
 * Options of {@link ModelCheckpoint}: those of {@link Checkpoint} and of {@link DiskSaver}.
 *
 * @example
 * ```ts
 * const options: ModelCheckpointOptions = { filenamePrefix: 'mnist', nSaved: 3, requireEmpty: false };
 * ```
 */
export interface ModelCheckpointOptions extends CheckpointOptions, DiskSaverOptions {}

/**
 * Saves objects to `dirname` on the events it is attached to; the objects are given as the
 * handler's argument, as in Ignite.
 *
 * @example
 * ```ts
 * const handler = new ModelCheckpoint('checkpoints', { filenamePrefix: 'mnist', nSaved: 2 });
 * trainer.on(Events.EPOCH_COMPLETED, handler, { model, optimizer });
 * // files: checkpoints/mnist_checkpoint_469.safetensors, checkpoints/mnist_checkpoint_938.safetensors
 * ```
 */
export class ModelCheckpoint extends Checkpoint {
  constructor(dirname: string, options: ModelCheckpointOptions = {}) {
    super(DEFERRED_TO_SAVE, new DiskSaver(dirname, { createDir: options.createDir ?? true, requireEmpty: options.requireEmpty ?? true }), options);
  }

  /** The directory the files go to. */
  get dirname(): string {
    return (this.saveHandler as DiskSaver).dirname;
  }

  /** Saves `toSave` (given when attaching) like {@link Checkpoint.call}. */
  override async call(engine: Engine<any, any>, toSave?: Record<string, Stateful>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (toSave !== undefined) {
      checkToSave('ModelCheckpoint', toSave);
      this.toSave = toSave;
    }
    await super.call(engine);
  }
}
