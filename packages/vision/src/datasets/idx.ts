/**
 * The idx format of MNIST-like files ("SN3 Pascal Vincent", `read_sn3_pascalvincent_tensor`): a
 * big-endian header `0 0 type ndim`, `ndim` uint32 sizes, then the values.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../errors.js';

/** A parsed idx file. */
export interface IdxArray {
  /** `uint8`, `int8`, `int16`, `int32`, `float32` or `float64`. */
  type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, [IdxArray['type'], number]> = {
  8: ['uint8', 1],
  9: ['int8', 1],
  11: ['int16', 2],
  12: ['int32', 4],
  13: ['float32', 4],
  14: ['float64', 8],
};

/**
 * Parses idx bytes; `source` names the file in errors.
 *
 * @example
 * ```ts
 * const { shape, data } = parseIdx(readFileSync('t10k-labels-idx1-ubyte'));
 * ```
 */
export function parseIdx(bytes: Uint8Array, source = 'idx data'): IdxArray {
  if (bytes.length < 4) throw new DatasetError(`parseIdx(): ${source} is too short for an idx header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ty = bytes[2]!;
  const nd = bytes[3]!;
  const t = TYPES[ty];
  if (bytes[0] !== 0 || bytes[1] !== 0 || t === undefined || nd < 1 || nd > 4) {
    throw new DatasetError(
      `parseIdx(): ${source} is not an idx file (magic bytes ${Array.from(bytes.subarray(0, 4)).join(' ')}; expected 0 0 <type 8..14> <ndim 1..4>)`,
    );
  }
  if (bytes.length < 4 + 4 * nd) throw new DatasetError(`parseIdx(): ${source} is truncated inside its header`);
  const shape = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i));
  const [type, size] = t;
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * nd;
  if (bytes.length - start < count * size) {
    throw new DatasetError(`parseIdx(): ${source} is truncated: shape [${shape.join(', ')}] needs ${count * size} bytes of data, found ${bytes.length - start}`);
  }
  let data: IdxArray['data'];
  switch (type) {
    case 'uint8':
      data = bytes.slice(start, start + count);
      break;
    case 'int8':
      data = new Int8Array(bytes.slice(start, start + count).buffer);
      break;
    default: {
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type];
      const out = new Ctor(count);
      for (let i = 0; i < count; i++) {
        const o = start + i * size;
        out[i] =
          type === 'int16' ? view.getInt16(o) : type === 'int32' ? view.getInt32(o) : type === 'float32' ? view.getFloat32(o) : view.getFloat64(o);
      }
      data = out;
    }
  }
  return { type, shape, data };
}

/**
 * Reads an idx file, or its gzipped form `path + '.gz'` when only that exists.
 *
 * @example
 * ```ts
 * const images = readIdxFile('data/FashionMNIST/raw/train-images-idx3-ubyte'); // shape [60000, 28, 28]
 * ```
 */
export function readIdxFile(path: string): IdxArray {
  const gz = `${path}.gz`;
  const file = existsSync(path) ? path : existsSync(gz) ? gz : null;
  if (file === null) throw new DatasetError(`readIdxFile(): neither ${path} nor ${gz} exists`);
  let bytes: Uint8Array = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DatasetError(`readIdxFile(): ${file} is not a valid gzip file: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, file);
}
