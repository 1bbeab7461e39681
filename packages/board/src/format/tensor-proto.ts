/**
 * `TensorProto` and `TensorShapeProto`: field numbers, encoding and decoding to plain arrays.
 * @module
 */
import { type BinaryWriter, DecodeError, WireType, copyBytes, readFields, readRepeated, toNumber, writeBytes, writeInt, writeMessage, writePacked } from './wire.js';

/** TensorFlow `DataType` values used by summaries. */
export const DataType = { FLOAT: 1, DOUBLE: 2, INT32: 3, UINT8: 4, INT16: 5, INT8: 6, STRING: 7, INT64: 9, BOOL: 10, UINT16: 17, HALF: 19, UINT32: 22, UINT64: 23 } as const;

/** A TensorProto as plain data. `shape` undefined: no shape field; `[]`: a set but empty one. */
export interface TensorProtoData {
  dtype: number;
  shape?: number[];
  /** Raw little-endian content (tensor_content). */
  content?: Uint8Array;
  floatVal?: ArrayLike<number>;
  doubleVal?: ArrayLike<number>;
  intVal?: ArrayLike<number>;
  int64Val?: ArrayLike<number>;
  boolVal?: ArrayLike<number>;
  halfVal?: ArrayLike<number>;
  stringVal?: Uint8Array[];
}

/** Encodes a TensorShapeProto with the given dims. */
export function writeShape(w: BinaryWriter, field: number, shape: readonly number[]): void {
  writeMessage(w, field, (w) => {
    for (const size of shape) writeMessage(w, 2, (w) => writeInt(w, 1, size));
  });
}

/** Writes a TensorProto as submessage `field`. */
export function writeTensor(w: BinaryWriter, field: number, t: TensorProtoData): void {
  writeMessage(w, field, (w) => {
    writeInt(w, 1, t.dtype);
    if (t.shape) writeShape(w, 2, t.shape);
    writeBytes(w, 4, t.content);
    writePacked(w, 5, t.floatVal, 'float');
    writePacked(w, 6, t.doubleVal, 'double');
    writePacked(w, 7, t.intVal, 'int32');
    for (const s of t.stringVal ?? []) w.tag(8, WireType.LengthDelimited).bytes(s);
    writePacked(w, 10, t.int64Val, 'int64');
    writePacked(w, 11, t.boolVal, 'bool');
    writePacked(w, 13, t.halfVal, 'int32');
  });
}

/** Decodes a TensorShapeProto to its dim sizes. */
export function decodeShape(bytes: Uint8Array): number[] {
  const dims: number[] = [];
  readFields(bytes, (f, wire, r) => {
    if (f !== 2 || wire !== WireType.LengthDelimited) return false;
    let size = 0;
    readFields(r.bytes(), (f2, w2, r2) => (f2 === 1 && w2 === WireType.Varint ? ((size = toNumber(r2.int64())), true) : false));
    dims.push(size);
    return true;
  });
  return dims;
}

/** Decodes a TensorProto. */
export function decodeTensor(bytes: Uint8Array): TensorProtoData {
  const t: TensorProtoData = { dtype: 0 };
  const floats: number[] = [];
  const doubles: number[] = [];
  const ints: number[] = [];
  const int64s: number[] = [];
  const bools: number[] = [];
  const halves: number[] = [];
  const strings: Uint8Array[] = [];
  readFields(bytes, (f, wire, r) => {
    switch (f) {
      case 1: t.dtype = r.int32(); return true;
      case 2: t.shape = decodeShape(r.bytes()); return true;
      case 4: t.content = copyBytes(r.bytes()); return true;
      case 5: readRepeated(r, wire, floats, () => r.float()); return true;
      case 6: readRepeated(r, wire, doubles, () => r.double()); return true;
      case 7: readRepeated(r, wire, ints, () => r.int32()); return true;
      case 8: strings.push(copyBytes(r.bytes())); return true;
      case 10: readRepeated(r, wire, int64s, () => toNumber(r.int64())); return true;
      case 11: readRepeated(r, wire, bools, () => (r.bool() ? 1 : 0)); return true;
      case 13: readRepeated(r, wire, halves, () => r.int32()); return true;
      default: return false;
    }
  });
  if (floats.length) t.floatVal = floats;
  if (doubles.length) t.doubleVal = doubles;
  if (ints.length) t.intVal = ints;
  if (int64s.length) t.int64Val = int64s;
  if (bools.length) t.boolVal = bools;
  if (halves.length) t.halfVal = halves;
  if (strings.length) t.stringVal = strings;
  return t;
}

/** Number of elements of a shape (1 for rank 0). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The numeric values of a tensor, from `tensor_content` or the typed `*_val` field, expanded to
 * the shape's element count (TensorFlow repeats the last value when fewer are given).
 */
export function tensorNumbers(t: TensorProtoData): Float64Array {
  const n = numel(t.shape ?? []);
  if (t.content && t.content.length > 0) return contentNumbers(t.dtype, t.content);
  const vals =
    t.dtype === DataType.FLOAT ? t.floatVal :
    t.dtype === DataType.DOUBLE ? t.doubleVal :
    t.dtype === DataType.INT64 || t.dtype === DataType.UINT64 ? t.int64Val :
    t.dtype === DataType.BOOL ? t.boolVal :
    t.dtype === DataType.HALF ? (t.halfVal ? Array.from(t.halfVal, halfToFloat) : undefined) :
    t.intVal;
  if (t.dtype === DataType.STRING) throw new DecodeError('a string tensor has no numbers');
  const out = new Float64Array(n);
  if (!vals || vals.length === 0) return out;
  for (let i = 0; i < n; i++) out[i] = vals[Math.min(i, vals.length - 1)]!;
  return out;
}

/** The strings of a DT_STRING tensor, UTF-8 decoded. */
export function tensorStrings(t: TensorProtoData): string[] {
  if (t.dtype !== DataType.STRING) throw new DecodeError(`expected a string tensor, got dtype ${t.dtype}`);
  const dec = new TextDecoder();
  return (t.stringVal ?? []).map((b) => dec.decode(b));
}

function contentNumbers(dtype: number, c: Uint8Array): Float64Array {
  const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const size = ({ [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT32]: 4, [DataType.UINT8]: 1, [DataType.INT16]: 2, [DataType.INT8]: 1, [DataType.INT64]: 8, [DataType.BOOL]: 1, [DataType.UINT16]: 2, [DataType.HALF]: 2, [DataType.UINT32]: 4, [DataType.UINT64]: 8 } as Record<number, number>)[dtype];
  if (!size) throw new DecodeError(`tensor dtype ${dtype} is not supported`);
  const n = Math.floor(c.length / size);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (dtype) {
      case DataType.FLOAT: out[i] = view.getFloat32(o, true); break;
      case DataType.DOUBLE: out[i] = view.getFloat64(o, true); break;
      case DataType.INT32: out[i] = view.getInt32(o, true); break;
      case DataType.UINT8: case DataType.BOOL: out[i] = view.getUint8(o); break;
      case DataType.INT16: out[i] = view.getInt16(o, true); break;
      case DataType.INT8: out[i] = view.getInt8(o); break;
      case DataType.INT64: out[i] = Number(view.getBigInt64(o, true)); break;
      case DataType.UINT64: out[i] = Number(view.getBigUint64(o, true)); break;
      case DataType.UINT16: out[i] = view.getUint16(o, true); break;
      case DataType.UINT32: out[i] = view.getUint32(o, true); break;
      case DataType.HALF: out[i] = halfToFloat(view.getUint16(o, true)); break;
    }
  }
  return out;
}

/** IEEE half-precision bits to a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
