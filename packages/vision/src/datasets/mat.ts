/**
 * A reader for numeric arrays in MATLAB 5 `.mat` files (what `scipy.io.loadmat` reads): enough
 * for SVHN's `X` and `y`. Compressed (miCOMPRESSED) and plain elements, real numeric arrays of
 * any element type; cells, structs, sparse and complex arrays are skipped. MATLAB 7.3 files are
 * HDF5 and are not supported.
 * @module
 */
import { inflateSync } from 'node:zlib';
import { DatasetError } from '../errors.js';

/** A numeric MATLAB array: `shape` as MATLAB gives it, `data` in column-major (Fortran) order. */
export interface MatArray {
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
}

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15 };

function readValues(view: DataView, off: number, nbytes: number, type: number, le: boolean, source: string): MatArray['data'] {
  const get: Record<number, [number, (o: number) => number, new (n: number) => MatArray['data']]> = {
    [MI.INT8]: [1, (o) => view.getInt8(o), Int8Array],
    [MI.UINT8]: [1, (o) => view.getUint8(o), Uint8Array],
    [MI.INT16]: [2, (o) => view.getInt16(o, le), Int16Array],
    [MI.UINT16]: [2, (o) => view.getUint16(o, le), Uint16Array],
    [MI.INT32]: [4, (o) => view.getInt32(o, le), Int32Array],
    [MI.UINT32]: [4, (o) => view.getUint32(o, le), Uint32Array],
    [MI.SINGLE]: [4, (o) => view.getFloat32(o, le), Float32Array],
    [MI.DOUBLE]: [8, (o) => view.getFloat64(o, le), Float64Array],
    [MI.INT64]: [8, (o) => Number(view.getBigInt64(o, le)), Float64Array],
    [MI.UINT64]: [8, (o) => Number(view.getBigUint64(o, le)), Float64Array],
  };
  const g = get[type];
  if (g === undefined) throw new DatasetError(`readMat(): ${source} holds a data element of unsupported type ${type}`);
  const [size, read, Ctor] = g;
  const n = nbytes / size;
  if (type === MI.UINT8) return new Uint8Array(view.buffer.slice(view.byteOffset + off, view.byteOffset + off + n));
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) out[i] = read(off + i * size);
  return out;
}

/** Reads one element's tag at `off`: type, size, where its data starts, where the next element starts. */
function tag(view: DataView, off: number, le: boolean): { type: number; nbytes: number; data: number; next: number } {
  const first = view.getUint32(off, le);
  if (first >>> 16 !== 0) {
    // Small data element: size in the upper 16 bits, data in the next 4 bytes.
    return { type: first & 0xffff, nbytes: first >>> 16, data: off + 4, next: off + 8 };
  }
  const nbytes = view.getUint32(off + 4, le);
  return { type: first, nbytes, data: off + 8, next: off + 8 + Math.ceil(nbytes / 8) * 8 };
}

function parseMatrix(view: DataView, start: number, end: number, le: boolean, source: string): { name: string; array: MatArray | null } {
  const flags = tag(view, start, le);
  const cls = view.getUint32(flags.data, le) & 0xff;
  const complex = (view.getUint32(flags.data, le) & 0x800) !== 0;
  const dimsTag = tag(view, flags.next, le);
  const shape = Array.from({ length: dimsTag.nbytes / 4 }, (_, i) => view.getInt32(dimsTag.data + 4 * i, le));
  const nameTag = tag(view, dimsTag.next, le);
  const name = Buffer.from(view.buffer, view.byteOffset + nameTag.data, nameTag.nbytes).toString('latin1');
  // Numeric classes 6 (double) .. 15 (uint64); 1 cell, 2 struct, 3 object, 4 char, 5 sparse.
  if (cls < 6 || cls > 15 || complex) return { name, array: null };
  const real = tag(view, nameTag.next, le);
  if (real.next > end + 8) throw new DatasetError(`readMat(): ${source} is truncated inside variable ${name}`);
  return { name, array: { shape, data: readValues(view, real.data, real.nbytes, real.type, le, source) } };
}

/**
 * Reads the numeric variables of a MATLAB 5 `.mat` file's bytes.
 *
 * @example
 * ```ts
 * const { X, y } = readMat(readFileSync('train_32x32.mat'));
 * ```
 */
export function readMat(bytes: Uint8Array, source = '.mat data'): Record<string, MatArray> {
  if (bytes.length < 128) throw new DatasetError(`readMat(): ${source} is too short for a MATLAB 5 header`);
  const header = Buffer.from(bytes.subarray(0, 116)).toString('latin1');
  if (header.startsWith('MATLAB 7.3') || bytes[0] === 0x89) {
    throw new DatasetError(`readMat(): ${source} is a MATLAB 7.3 (HDF5) file, which is not supported; save it with -v7 or older`);
  }
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') throw new DatasetError(`readMat(): ${source} is not a MATLAB 5 .mat file (no endian indicator)`);
  const le = endian === 'IM';
  const out: Record<string, MatArray> = {};
  const walk = (buf: Uint8Array, from: number) => {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let off = from;
    while (off + 8 <= buf.length) {
      const t = tag(view, off, le);
      if (t.data + t.nbytes > buf.length) throw new DatasetError(`readMat(): ${source} is truncated (element at byte ${off} needs ${t.nbytes} bytes)`);
      if (t.type === MI.COMPRESSED) {
        let inner: Uint8Array;
        try {
          inner = inflateSync(buf.subarray(t.data, t.data + t.nbytes));
        } catch (e) {
          throw new DatasetError(`readMat(): ${source} has a corrupt compressed element at byte ${off}: ${(e as Error).message}`);
        }
        walk(inner, 0);
        off = t.data + t.nbytes;
        continue;
      }
      if (t.type === MI.MATRIX && t.nbytes > 0) {
        const { name, array } = parseMatrix(view, t.data, t.data + t.nbytes, le, source);
        if (array) out[name] = array;
      }
      off = t.next;
    }
  };
  walk(bytes, 128);
  return out;
}
