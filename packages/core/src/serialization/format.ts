/**
 * The safetensors layout that {@link save} writes and {@link load} reads: 8 bytes holding the
 * header length N (little-endian uint64), N bytes of JSON header padded with spaces to a multiple
 * of 8, then the raw little-endian tensor data. The header maps each tensor's name to
 * `{ dtype, shape, data_offsets: [begin, end] }` (offsets count from the start of the data);
 * `"__metadata__"` is a map of strings. This file only lays out and checks bytes; what the
 * metadata means is `tree.ts`'s business.
 * @module
 */
import type { DType } from '../tensor/dtype.js';
import { SerializationError } from './serialization-error.js';

/** The header key that holds the string-to-string metadata. */
export const METADATA = '__metadata__';

/** Typed arrays Flint tensors are made from. */
export type Values = Float32Array | Int32Array | Uint8Array;

/** One tensor as a header describes it. */
export interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte offsets into the data section. */
  begin: number;
  end: number;
}

/** A header as {@link parseHeader} returns it, checked against the file. */
export interface ParsedHeader {
  /** Tensors in header order. */
  entries: HeaderEntry[];
  /** The `__metadata__` map, or null when the file has none. */
  metadata: Record<string, string> | null;
  /** Where the data section starts in the file. */
  dataStart: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of each `width`-byte element of `bytes`, in place. @internal */
export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
  return bytes;
}

/** The file's bytes for a typed array: a view on little-endian machines, a swapped copy otherwise. @internal */
export function littleEndianBytes(values: Values): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN || values.BYTES_PER_ELEMENT === 1 ? bytes : swapBytes(bytes.slice(), values.BYTES_PER_ELEMENT);
}

/** The safetensors dtype of each Flint dtype. */
export const FILE_DTYPE: Record<DType, 'F32' | 'I32' | 'BOOL'> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/** Called when a value does not fit the Flint dtype; `index` is the flat element index. */
type Overflow = (index: number, value: string) => never;

interface Reader {
  bytes: number;
  dtype: DType;
  read(src: Uint8Array, n: number, overflow: Overflow): Values;
}

const viewOf = (src: Uint8Array): DataView => new DataView(src.buffer, src.byteOffset, src.byteLength);

/** Copies raw little-endian bytes into `out` (one copy), fixing the byte order if needed. */
function copyInto<T extends Float32Array | Int32Array>(out: T, src: Uint8Array): T {
  const bytes = new Uint8Array(out.buffer);
  bytes.set(src);
  if (!LITTLE_ENDIAN) swapBytes(bytes, out.BYTES_PER_ELEMENT);
  return out;
}

function floats(n: number, src: Uint8Array, get: (v: DataView, i: number) => number): Float32Array {
  const v = viewOf(src);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = get(v, i);
  return out;
}

/** Integers read one by one, checked against the int32 range. */
function ints(n: number, src: Uint8Array, overflow: Overflow, get: (v: DataView, i: number) => number): Int32Array {
  const v = viewOf(src);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = get(v, i);
    if (x > 2147483647 || x < -2147483648) overflow(i, String(x));
    out[i] = x;
  }
  return out;
}

/** 64-bit integers, checked against the int32 range from their two halves (no BigInt per element). */
function ints64(n: number, src: Uint8Array, overflow: Overflow, signed: boolean): Int32Array {
  const v = viewOf(src);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = v.getUint32(i * 8, true);
    const hi = v.getUint32(i * 8 + 4, true);
    const fits = (hi === 0 && lo <= 0x7fffffff) || (signed && hi === 0xffffffff && lo >= 0x80000000);
    if (!fits) {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      overflow(i, String(signed ? BigInt.asIntN(64, big) : big));
    }
    out[i] = lo | 0;
  }
  return out;
}

/** IEEE half precision to a JS number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * The dtypes `load()` reads. Flint's own (F32, I32, BOOL) are copied as they are; wider or
 * narrower ones that other tools write become float32 or int32 (integers outside the int32
 * range are an error, as in `tensor()`).
 */
const READERS: Record<string, Reader> = {
  F32: { bytes: 4, dtype: 'float32', read: (src, n) => copyInto(new Float32Array(n), src) },
  I32: { bytes: 4, dtype: 'int32', read: (src, n) => copyInto(new Int32Array(n), src) },
  BOOL: {
    bytes: 1,
    dtype: 'bool',
    read: (src, n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
      return out;
    },
  },
  F64: { bytes: 8, dtype: 'float32', read: (src, n) => floats(n, src, (v, i) => v.getFloat64(i * 8, true)) },
  F16: { bytes: 2, dtype: 'float32', read: (src, n) => floats(n, src, (v, i) => halfToFloat(v.getUint16(i * 2, true))) },
  BF16: {
    bytes: 2,
    dtype: 'float32',
    read: (src, n) => {
      const v = viewOf(src);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = v.getUint16(i * 2, true) << 16;
      return new Float32Array(bits.buffer);
    },
  },
  I64: { bytes: 8, dtype: 'int32', read: (src, n, overflow) => ints64(n, src, overflow, true) },
  U64: { bytes: 8, dtype: 'int32', read: (src, n, overflow) => ints64(n, src, overflow, false) },
  U32: { bytes: 4, dtype: 'int32', read: (src, n, overflow) => ints(n, src, overflow, (v, i) => v.getUint32(i * 4, true)) },
  I16: { bytes: 2, dtype: 'int32', read: (src, n, overflow) => ints(n, src, overflow, (v, i) => v.getInt16(i * 2, true)) },
  U16: { bytes: 2, dtype: 'int32', read: (src, n, overflow) => ints(n, src, overflow, (v, i) => v.getUint16(i * 2, true)) },
  I8: { bytes: 1, dtype: 'int32', read: (src, n, overflow) => ints(n, src, overflow, (v, i) => v.getInt8(i)) },
  U8: { bytes: 1, dtype: 'int32', read: (src, n, overflow) => ints(n, src, overflow, (v, i) => v.getUint8(i)) },
};

const READABLE = 'F32, I32 and BOOL; F64, F16 and BF16 as float32; I64, U64, U32, I16, U16, I8 and U8 as int32';

/**
 * The header bytes of a file: the 8-byte length, then the JSON of `metadata` and of `tensors`
 * laid out one after another in the given order, padded with spaces to a multiple of 8.
 * @internal
 */
export function buildHeader(
  tensors: readonly { name: string; dtype: DType; shape: readonly number[]; nbytes: number }[],
  metadata: Record<string, string>,
): Uint8Array {
  const pairs: [string, unknown][] = [[METADATA, metadata]];
  let offset = 0;
  for (const t of tensors) {
    pairs.push([t.name, { dtype: FILE_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + t.nbytes] }]);
    offset += t.nbytes;
  }
  // fromEntries (not assignment) so that a tensor named "__proto__" stays an ordinary key.
  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(pairs)));
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n).fill(0x20);
  const view = new DataView(out.buffer);
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  return out;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads and checks the header of a whole file in `buf`: its length, its JSON, every entry's
 * dtype, shape and offsets, and that the tensors tile the data section exactly (no overlap, no
 * gap, nothing missing, nothing after). Any problem is a {@link SerializationError} naming `path`.
 * @internal
 */
export function parseHeader(buf: Uint8Array, path: string, fn: string): ParsedHeader {
  const fail = (problem: string): never => {
    throw new SerializationError(`${fn}(): ${path} ${problem}`);
  };
  const corrupt = (problem: string): never => fail(`has a corrupted header: ${problem}`);
  if (buf.length < 8) {
    fail(`is not a safetensors file: it is ${buf.length} bytes long, but every safetensors file starts with an 8-byte header length`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > buf.length - 8) {
    fail(`is truncated or not a safetensors file: its first 8 bytes say a JSON header of ${n} bytes follows, but only ${buf.length - 8} bytes do`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    corrupt(`it is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    corrupt(`expected a JSON object of tensors (got ${header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header})`);
  }
  let metadata: Record<string, string> | null = null;
  const entries: HeaderEntry[] = [];
  for (const [name, e] of Object.entries(header as object)) {
    if (name === METADATA) {
      if (typeof e !== 'object' || e === null || Array.isArray(e) || Object.values(e).some((v) => typeof v !== 'string')) {
        corrupt(`"${METADATA}" must be an object of strings (got ${clip(JSON.stringify(e))})`);
      }
      metadata = e as Record<string, string>;
      continue;
    }
    const entry = e as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (typeof entry !== 'object' || entry === null || !('dtype' in entry) || !('shape' in entry) || !('data_offsets' in entry)) {
      corrupt(`the entry of tensor '${name}' must be {"dtype", "shape", "data_offsets"} (got ${clip(JSON.stringify(e))})`);
    }
    const { dtype, shape, data_offsets: offsets } = entry!;
    if (typeof dtype !== 'string') corrupt(`tensor '${name}' has dtype ${clip(JSON.stringify(dtype))}, which is not a string`);
    const reader = READERS[dtype as string];
    if (reader === undefined) {
      fail(`has tensor '${name}' of dtype ${JSON.stringify(dtype)}, which Flint can't read (it reads ${READABLE})`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      corrupt(`tensor '${name}' has shape ${clip(JSON.stringify(shape))}, which is not an array of integers >= 0`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      corrupt(`tensor '${name}' has data_offsets ${clip(JSON.stringify(offsets))}, which are not two integers 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    const need = (shape as number[]).reduce((a, b) => a * b, 1) * reader!.bytes;
    if (need !== end - begin) {
      corrupt(`tensor '${name}' (${dtype}, shape [${(shape as number[]).join(', ')}]) takes ${need} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  const dataStart = 8 + n;
  checkTiling(entries, buf.length - dataStart, fail, corrupt);
  return { entries, metadata, dataStart };
}

/** Checks that the tensors cover the `size` bytes of data exactly once. */
function checkTiling(entries: readonly HeaderEntry[], size: number, fail: (p: string) => never, corrupt: (p: string) => never): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const total = sorted.reduce((m, e) => Math.max(m, e.end), 0);
  if (total > size) fail(`is truncated: its header says ${total} bytes of tensor data, but only ${size} follow`);
  let at = 0;
  let prev: HeaderEntry | undefined;
  for (const e of sorted) {
    if (e.begin < at) {
      corrupt(`tensors '${prev!.name}' and '${e.name}' overlap (data_offsets [${prev!.begin}, ${prev!.end}] and [${e.begin}, ${e.end}])`);
    }
    if (e.begin > at) corrupt(`no tensor covers bytes ${at} to ${e.begin} of the tensor data`);
    at = e.end;
    prev = e;
  }
  if (at < size) fail(`is corrupted: ${size - at} bytes follow the ${at} bytes of tensor data its header describes`);
}

/**
 * The values of one checked entry, copied once out of the file buffer into a typed array of the
 * Flint dtype they load as.
 * @internal
 */
export function readValues(buf: Uint8Array, dataStart: number, e: HeaderEntry, path: string, fn: string): { values: Values; dtype: DType } {
  const reader = READERS[e.dtype]!;
  const n = (e.end - e.begin) / reader.bytes;
  const overflow: Overflow = (i, v) => {
    throw new SerializationError(
      `${fn}(): ${path}: tensor '${e.name}' (${e.dtype}) holds ${v} at flat index ${i}, which does not fit in int32, and Flint has no int64`,
    );
  };
  return { values: reader.read(buf.subarray(dataStart + e.begin, dataStart + e.end), n, overflow), dtype: reader.dtype };
}

function clip(s: string | undefined): string {
  if (s === undefined) return 'nothing';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
