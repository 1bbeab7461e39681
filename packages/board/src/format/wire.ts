/**
 * Small helpers over `@bufbuild/protobuf`'s wire-level `BinaryWriter` / `BinaryReader`: the event
 * protos are few and fixed, so they are hand-written against their field numbers instead of
 * generated (see `shared/reference/tensorboard-format.md`).
 * @internal
 * @module
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

export { BinaryReader, BinaryWriter, WireType };

/** A malformed protobuf message. */
export class DecodeError extends Error {}

/** Writes a length-delimited submessage built by `body`. */
export function writeMessage(w: BinaryWriter, field: number, body: (w: BinaryWriter) => void): void {
  w.tag(field, WireType.LengthDelimited).fork();
  body(w);
  w.join();
}

/** Writes a non-empty string (proto3 leaves the empty default out). */
export function writeString(w: BinaryWriter, field: number, value: string | undefined): void {
  if (value) w.tag(field, WireType.LengthDelimited).string(value);
}

/** Writes non-empty bytes. */
export function writeBytes(w: BinaryWriter, field: number, value: Uint8Array | undefined): void {
  if (value && value.length > 0) w.tag(field, WireType.LengthDelimited).bytes(value);
}

/** Writes a non-zero varint int64/int32/enum. */
export function writeInt(w: BinaryWriter, field: number, value: number | bigint | undefined): void {
  if (value !== undefined && value !== 0 && value !== 0n) w.tag(field, WireType.Varint).int64(value);
}

/** Writes a non-zero double. */
export function writeDouble(w: BinaryWriter, field: number, value: number | undefined): void {
  if (value !== undefined && (value !== 0 || Object.is(value, -0))) w.tag(field, WireType.Bit64).double(value);
}

/** Writes a packed repeated field of doubles, floats or varints. */
export function writePacked(w: BinaryWriter, field: number, values: ArrayLike<number | bigint> | undefined, kind: 'double' | 'float' | 'int32' | 'int64' | 'bool'): void {
  if (!values || values.length === 0) return;
  w.tag(field, WireType.LengthDelimited).fork();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (kind === 'double') w.double(Number(v));
    else if (kind === 'float') w.float(Number(v));
    else if (kind === 'int32') w.int32(Number(v));
    else if (kind === 'bool') w.bool(v !== 0 && v !== 0n);
    else w.int64(v);
  }
  w.join();
}

/**
 * Reads the fields of one message: `visit(field, wireType, reader)` returns true when it read the
 * value, false to skip it. Throws {@link DecodeError} on malformed input.
 */
export function readFields(bytes: Uint8Array, visit: (field: number, wire: WireType, r: BinaryReader) => boolean): void {
  const r = new BinaryReader(bytes);
  try {
    while (r.pos < r.len) {
      const [field, wire] = r.tag();
      if (!visit(field, wire, r)) r.skip(wire, field);
    }
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`malformed protobuf: ${(e as Error).message}`);
  }
  if (r.pos !== r.len) throw new DecodeError('malformed protobuf: message overruns its length');
}

/** Reads a repeated numeric field, packed or not, appending to `out`. */
export function readRepeated(r: BinaryReader, wire: WireType, out: number[], read: () => number): void {
  if (wire === WireType.LengthDelimited) {
    const end = r.uint32() + r.pos;
    while (r.pos < end) out.push(read());
    if (r.pos !== end) throw new DecodeError('malformed packed field');
  } else {
    out.push(read());
  }
}

/** An int64 as a number (steps and counts fit in 2^53). */
export function toNumber(v: bigint | string): number {
  return Number(v);
}

/** A copy of bytes, so a decoded blob does not keep a whole read buffer alive. */
export function copyBytes(b: Uint8Array): Uint8Array {
  return b.slice();
}
