/**
 * `load(path)` (`torch.load`): reads back what {@link save} wrote, or the tensors of any
 * safetensors file, after checking every byte of the layout.
 * @module
 */
import * as fs from 'node:fs';
import { ArgumentError, DeviceError, describe } from '../errors.js';
import { gpuBackendName, gpuDescription } from '../kernels/backend.js';
import { fromTypedArray } from '../tensor/create.js';
import { parseDevice, type Device, type DeviceLike, type Tensor } from '../tensor/tensor.js';
import { parseHeader, readValues } from './format.js';
import { SerializationError } from './serialization-error.js';
import { FLINT_KEY, VERSION, VERSION_KEY, unflatten } from './tree.js';

/**
 * Options of {@link load} and {@link loadSync}.
 *
 * @example
 * ```ts
 * const sd = await load('model.safetensors', { device: 'cpu' });
 * const onGpu = await load('model.safetensors', { device: 'gpu' });
 * ```
 */
export interface LoadOptions {
  /**
   * Where the loaded tensors live (`map_location`): `'cpu'` or `'gpu'` (`'cuda'` accepted).
   * Default: where tensors made without a device go (`getDefaultDevice()`).
   */
  device?: DeviceLike;
}

/** The most bytes asked of one read call. */
const CHUNK = 1 << 30;

/** Checks the arguments; returns the device asked for, if any. */
function checkArgs(fn: string, path: unknown, options: unknown): Device | undefined {
  if (typeof path !== 'string' || path === '') {
    throw new ArgumentError(`${fn}(): path must be a non-empty string (got ${describe(path)})`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError(`${fn}(): options must be an object like { device: 'cpu' } (got ${describe(options)})`);
  }
  const device = (options as LoadOptions).device;
  if (device === undefined) return undefined;
  const d = parseDevice(fn, device);
  if (d === 'gpu' && gpuBackendName() === null) {
    throw new DeviceError(`${fn}(): device 'gpu' is not available (gpu.isAvailable() is false): ${gpuDescription()}; load with { device: 'cpu' }`);
  }
  return d;
}

function readError(fn: string, path: string, e: unknown): SerializationError {
  const code = (e as { code?: string }).code;
  const problem =
    code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a file' : `could not be read: ${(e as Error).message}`;
  return new SerializationError(`${fn}(): ${path} ${problem}`, { cause: e });
}

/**
 * Turns a whole file into the saved object: a Flint file gives back the object that was saved;
 * a safetensors file without Flint metadata gives a flat object of its tensors by name. The
 * tensors are made only once the header is known to be sound, and freed again if anything
 * after that fails.
 */
function decode(buf: Uint8Array, path: string, fn: string, device: Device | undefined): unknown {
  const header = parseHeader(buf, path, fn);
  const byName = new Map(header.entries.map((e) => [e.name, e]));
  const made = new Map<string, Tensor>();
  const tensorOf = (name: string): Tensor => {
    let t = made.get(name);
    if (t === undefined) {
      const e = byName.get(name)!;
      const { values, dtype } = readValues(buf, header.dataStart, e, path, fn);
      t = fromTypedArray(values, e.shape, dtype, device);
      made.set(name, t);
    }
    return t;
  };
  const corrupt = (problem: string): never => {
    throw new SerializationError(`${fn}(): ${path} has corrupted Flint metadata: ${problem}`);
  };
  try {
    const meta = header.metadata;
    if (meta === null || !(FLINT_KEY in meta || VERSION_KEY in meta)) {
      return Object.fromEntries(header.entries.map((e) => [e.name, tensorOf(e.name)]));
    }
    if (!(FLINT_KEY in meta)) corrupt(`it has "${VERSION_KEY}" but no "${FLINT_KEY}" key with the saved object`);
    const version = meta[VERSION_KEY];
    if (version === undefined) corrupt(`it has a "${FLINT_KEY}" key but no "${VERSION_KEY}"`);
    if (version !== VERSION) {
      throw new SerializationError(
        `${fn}(): ${path} is in Flint file format version ${JSON.stringify(version)}, but this Flint reads version ${VERSION}; upgrade @flint/core`,
      );
    }
    const obj = unflatten(
      meta[FLINT_KEY]!,
      (name, at) => (byName.has(name) ? tensorOf(name) : corrupt(`${at} refers to tensor '${name}', which the header does not list`)),
      corrupt,
    );
    const unused = header.entries.filter((e) => !made.has(e.name)).map((e) => `'${e.name}'`);
    if (unused.length > 0) corrupt(`the header lists tensor(s) ${unused.join(', ')} that the saved object does not use`);
    return obj;
  } catch (e) {
    for (const t of made.values()) t.dispose();
    throw e;
  }
}

/** Reads a whole file into one buffer, in chunks so that files over 2 GiB work too. */
function readAllSync(path: string, fn: string): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw readError(fn, path, e);
  }
  try {
    const buf = new Uint8Array(fs.fstatSync(fd).size);
    let at = 0;
    while (at < buf.length) {
      const n = fs.readSync(fd, buf, at, Math.min(CHUNK, buf.length - at), at);
      if (n === 0) break;
      at += n;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } catch (e) {
    throw readError(fn, path, e);
  } finally {
    fs.closeSync(fd);
  }
}

async function readAll(path: string, fn: string): Promise<Uint8Array> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(path, 'r');
  } catch (e) {
    throw readError(fn, path, e);
  }
  try {
    const buf = new Uint8Array((await fh.stat()).size);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await fh.read(buf, at, Math.min(CHUNK, buf.length - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } catch (e) {
    throw readError(fn, path, e);
  } finally {
    await fh.close();
  }
}

/**
 * Loads what {@link save} wrote (`torch.load`): the same tree of objects, arrays, numbers,
 * strings, booleans, nulls and tensors (as plain tensors: `Parameter`s come back as `Tensor`s
 * that don't require grad, as in a PyTorch state dict). A safetensors file written by another tool
 * (PyTorch's `safetensors.torch.save_file`...) loads as a flat object of its tensors by name;
 * F64, F16 and BF16 become float32, and I64 and the other integer dtypes become int32 (values
 * outside the int32 range are an error). Tensors go to `options.device` (`map_location`: `'cpu'`
 * or `'gpu'`), by default to the default device.
 *
 * The whole file is checked before any tensor is made: a truncated file, a corrupted header,
 * overlapping or missing tensor data, an unknown dtype or malformed Flint metadata is a
 * {@link SerializationError} naming the file and the problem, never a tensor of garbage.
 *
 * @example
 * ```ts
 * const ckpt = await load('ckpt.safetensors');
 * net.loadStateDict(ckpt.model);
 * opt.loadStateDict(ckpt.optimizer);
 * setRngState(ckpt.rngState);
 * const startEpoch = ckpt.epoch + 1;
 * const onGpu = await load('ckpt.safetensors', { device: 'gpu' }); // a CPU checkpoint onto the GPU
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function load<T = any>(path: string, options: LoadOptions = {}): Promise<T> {
  const device = checkArgs('load', path, options);
  return decode(await readAll(path, 'load'), path, 'load', device) as T;
}

/**
 * Loads a file like {@link load}, blocking until it is read.
 *
 * @example
 * ```ts
 * const sd = loadSync('model.safetensors');
 * net.loadStateDict(sd);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadSync<T = any>(path: string, options: LoadOptions = {}): T {
  const device = checkArgs('loadSync', path, options);
  return decode(readAllSync(path, 'loadSync'), path, 'loadSync', device) as T;
}
