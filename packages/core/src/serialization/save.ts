/**
 * `save(obj, path)` (`torch.save`): writes tensors, state dicts and whole checkpoints to a
 * safetensors file, atomically: the bytes go to a temporary file beside the target, which is
 * synced and then renamed over it, so a crash mid-save leaves the previous file as it was.
 * @module
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArgumentError, FlintError, describe } from '../errors.js';
import { buildHeader, littleEndianBytes, type Values } from './format.js';
import { SerializationError } from './serialization-error.js';
import { FLINT_KEY, VERSION, VERSION_KEY, flatten, type TensorSlot } from './tree.js';

/** The most bytes handed to one write call (Node refuses more than 2 GiB - 1). */
const CHUNK = 1 << 30;

interface Plan {
  header: Uint8Array;
  tensors: TensorSlot[];
}

/** Checks the arguments and the whole object before anything touches the disk. */
function plan(fn: string, obj: unknown, path: unknown): Plan {
  if (typeof path !== 'string' || path === '') {
    throw new ArgumentError(`${fn}(): path must be a non-empty string (got ${describe(path)})`);
  }
  const { json, tensors } = flatten(obj, fn);
  const header = buildHeader(tensors, { [FLINT_KEY]: json, [VERSION_KEY]: VERSION });
  return { header, tensors };
}

/** A unique name for the temporary file, in the target's directory so the rename is atomic. */
function tempPath(path: string): string {
  // The name is capped so that it stays under the usual 255-byte limit.
  return join(dirname(path), `.${basename(path).slice(0, 200)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** The bytes of one tensor, checked against what the header promised. */
function bytesOf(fn: string, slot: TensorSlot, values: Values): Uint8Array {
  const t = slot.tensor;
  if (t.dtype !== slot.dtype || values.byteLength !== slot.nbytes) {
    throw new SerializationError(
      `${fn}(): ${slot.path} changed while it was being saved (it was ${slot.dtype} [${slot.shape.join(', ')}], ` +
        `now ${t.dtype} [${t.shape.join(', ')}]); wait for save() before changing what it writes`,
    );
  }
  return littleEndianBytes(values);
}

/** Turns a file-system error into a SerializationError naming the file; Flint errors pass through. */
function wrap(fn: string, path: string, e: unknown): Error {
  if (FlintError.isInstance(e)) return e;
  const message = (e as Error)?.message ?? String(e);
  return new SerializationError(`${fn}(): could not write ${path}: ${message}`, { cause: e });
}

/** Syncs a directory so that a rename in it survives a crash; where that isn't possible, skipped. */
function syncDirSync(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Windows can't open directories, some file systems can't sync them; the rename is done.
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.promises.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // As in syncDirSync.
  }
}

/**
 * Saves `obj` to `path` (`torch.save`). `obj` may be a tensor, a state dict, or any tree of plain
 * objects and arrays holding tensors (float32, int32, bool; any shape), numbers (NaN, ±Infinity
 * and -0 included), strings, booleans and null, such as a whole checkpoint. Object properties that
 * are `undefined` are left out, as in JSON; anything else (functions, class instances, `undefined`
 * in arrays, bigints, cycles) is a {@link SerializationError} naming where it is, raised before
 * anything is written.
 *
 * The file is a safetensors file: any safetensors reader can read its tensors (a flat state dict
 * keeps its keys as tensor names; nested tensors are named by dotted path, e.g.
 * `model.fc.weight`), and the rest of the object is JSON in its metadata. The write is atomic:
 * a temporary file in the same directory is written, synced and renamed over `path`; on any
 * failure the temporary file is removed and the previous `path` is untouched.
 *
 * @example
 * ```ts
 * await save({ epoch, model: net.stateDict(), optimizer: opt.stateDict(), rngState: getRngState() }, 'ckpt.safetensors');
 * ```
 */
export async function save(obj: unknown, path: string): Promise<void> {
  const { header, tensors } = plan('save', obj, path);
  const tmp = tempPath(path);
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(tmp, 'wx');
    const write = async (bytes: Uint8Array): Promise<void> => {
      for (let at = 0; at < bytes.length; ) {
        const { bytesWritten } = await fh!.write(bytes, at, Math.min(CHUNK, bytes.length - at));
        at += bytesWritten;
      }
    };
    await write(header);
    for (const slot of tensors) await write(bytesOf('save', slot, await slot.tensor.data()));
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.promises.rename(tmp, path);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw wrap('save', path, e);
  }
  await syncDir(dirname(path));
}

/**
 * Saves `obj` to `path` like {@link save}, blocking until the file is written and renamed.
 *
 * @example
 * ```ts
 * saveSync(net.stateDict(), 'model.safetensors');
 * ```
 */
export function saveSync(obj: unknown, path: string): void {
  const { header, tensors } = plan('saveSync', obj, path);
  const tmp = tempPath(path);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
    const write = (bytes: Uint8Array): void => {
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd!, bytes, at, Math.min(CHUNK, bytes.length - at));
    };
    write(header);
    for (const slot of tensors) write(bytesOf('saveSync', slot, slot.tensor.dataSync()));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the original error is the one to report.
      }
    }
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // As above.
    }
    throw wrap('saveSync', path, e);
  }
  syncDirSync(dirname(path));
}
