/**
 * `Event`, `Summary`, `Summary.Value`, `SummaryMetadata`, `HistogramProto`, `Summary.Image`,
 * `Summary.Audio` and `SessionLog`: the messages of an event file, as plain data, with encoders
 * and decoders over their field numbers.
 * @module
 */
import { type TensorProtoData, decodeTensor, writeTensor } from './tensor-proto.js';
import {
  BinaryWriter,
  WireType,
  copyBytes,
  readFields,
  readRepeated,
  toNumber,
  writeBytes,
  writeDouble,
  writeInt,
  writeMessage,
  writePacked,
  writeString,
} from './wire.js';

/** `SummaryMetadata.data_class`. */
export const DataClass = { UNKNOWN: 0, SCALAR: 1, TENSOR: 2, BLOB_SEQUENCE: 3 } as const;

/** `SessionLog.status`. */
export const SessionStatus = { UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } as const;

/** SummaryMetadata. */
export interface SummaryMetadataData {
  pluginName?: string;
  pluginContent?: Uint8Array;
  displayName?: string;
  summaryDescription?: string;
  dataClass?: number;
}

/** HistogramProto. `bucketLimit[i]` is the right edge of `bucket[i]`. */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** Summary.Image. */
export interface ImageData {
  height: number;
  width: number;
  colorspace: number;
  encoded: Uint8Array;
}

/** Summary.Audio. */
export interface AudioData {
  sampleRate: number;
  numChannels: number;
  lengthFrames: number;
  encoded: Uint8Array;
  contentType: string;
}

/** Summary.Value: a tag, optional metadata, and at most one value. */
export interface SummaryValueData {
  tag: string;
  metadata?: SummaryMetadataData;
  simpleValue?: number;
  image?: ImageData;
  histo?: HistogramData;
  audio?: AudioData;
  tensor?: TensorProtoData;
}

/** SessionLog. */
export interface SessionLogData {
  status: number;
  checkpointPath?: string;
  msg?: string;
}

/** Event. Exactly one of the `what` fields is normally set. */
export interface EventData {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: SummaryValueData[];
  sessionLog?: SessionLogData;
  taggedRunMetadata?: { tag: string; runMetadata: Uint8Array };
  metaGraphDef?: Uint8Array;
  sourceWriter?: string;
}

function writeMetadata(w: BinaryWriter, m: SummaryMetadataData): void {
  writeMessage(w, 9, (w) => {
    if (m.pluginName !== undefined || m.pluginContent !== undefined) {
      writeMessage(w, 1, (w) => {
        writeString(w, 1, m.pluginName);
        writeBytes(w, 2, m.pluginContent);
      });
    }
    writeString(w, 2, m.displayName);
    writeString(w, 3, m.summaryDescription);
    writeInt(w, 4, m.dataClass);
  });
}

function writeValue(w: BinaryWriter, v: SummaryValueData): void {
  writeMessage(w, 1, (w) => {
    writeString(w, 1, v.tag);
    if (v.metadata) writeMetadata(w, v.metadata);
    if (v.simpleValue !== undefined) w.tag(2, WireType.Bit32).float(v.simpleValue);
    if (v.image) {
      const im = v.image;
      writeMessage(w, 4, (w) => {
        writeInt(w, 1, im.height);
        writeInt(w, 2, im.width);
        writeInt(w, 3, im.colorspace);
        writeBytes(w, 4, im.encoded);
      });
    }
    if (v.histo) {
      const h = v.histo;
      writeMessage(w, 5, (w) => {
        writeDouble(w, 1, h.min);
        writeDouble(w, 2, h.max);
        writeDouble(w, 3, h.num);
        writeDouble(w, 4, h.sum);
        writeDouble(w, 5, h.sumSquares);
        writePacked(w, 6, h.bucketLimit, 'double');
        writePacked(w, 7, h.bucket, 'double');
      });
    }
    if (v.audio) {
      const a = v.audio;
      writeMessage(w, 6, (w) => {
        if (a.sampleRate !== 0) w.tag(1, WireType.Bit32).float(a.sampleRate);
        writeInt(w, 2, a.numChannels);
        writeInt(w, 3, a.lengthFrames);
        writeBytes(w, 4, a.encoded);
        writeString(w, 5, a.contentType);
      });
    }
    if (v.tensor) writeTensor(w, 8, v.tensor);
  });
}

/**
 * Encodes an Event to protobuf bytes.
 *
 * @example
 * ```ts
 * encodeEvent({ wallTime: 1599759586, fileVersion: 'brain.Event:2' });
 * // 09 00 00 80 38 99 d6 d7 41 1a 0d "brain.Event:2"
 * ```
 */
export function encodeEvent(e: EventData): Uint8Array {
  const w = new BinaryWriter();
  writeDouble(w, 1, e.wallTime);
  writeInt(w, 2, e.step);
  if (e.fileVersion !== undefined) w.tag(3, WireType.LengthDelimited).string(e.fileVersion);
  if (e.graphDef !== undefined) w.tag(4, WireType.LengthDelimited).bytes(e.graphDef);
  if (e.summary !== undefined) writeMessage(w, 5, (w) => e.summary!.forEach((v) => writeValue(w, v)));
  if (e.sessionLog !== undefined) {
    const s = e.sessionLog;
    writeMessage(w, 7, (w) => {
      writeInt(w, 1, s.status);
      writeString(w, 2, s.checkpointPath);
      writeString(w, 3, s.msg);
    });
  }
  if (e.taggedRunMetadata !== undefined) {
    const t = e.taggedRunMetadata;
    writeMessage(w, 8, (w) => {
      writeString(w, 1, t.tag);
      writeBytes(w, 2, t.runMetadata);
    });
  }
  if (e.metaGraphDef !== undefined) w.tag(9, WireType.LengthDelimited).bytes(e.metaGraphDef);
  if (e.sourceWriter !== undefined) writeMessage(w, 10, (w) => writeString(w, 1, e.sourceWriter));
  return w.finish();
}

function decodeMetadata(bytes: Uint8Array): SummaryMetadataData {
  const m: SummaryMetadataData = {};
  readFields(bytes, (f, _w, r) => {
    if (f === 1) {
      m.pluginName ??= '';
      readFields(r.bytes(), (f2, _w2, r2) => {
        if (f2 === 1) m.pluginName = r2.string();
        else if (f2 === 2) m.pluginContent = copyBytes(r2.bytes());
        else return false;
        return true;
      });
    } else if (f === 2) m.displayName = r.string();
    else if (f === 3) m.summaryDescription = r.string();
    else if (f === 4) m.dataClass = r.int32();
    else return false;
    return true;
  });
  return m;
}

function decodeHisto(bytes: Uint8Array): HistogramData {
  const h: HistogramData = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  readFields(bytes, (f, wire, r) => {
    switch (f) {
      case 1: h.min = r.double(); return true;
      case 2: h.max = r.double(); return true;
      case 3: h.num = r.double(); return true;
      case 4: h.sum = r.double(); return true;
      case 5: h.sumSquares = r.double(); return true;
      case 6: readRepeated(r, wire, h.bucketLimit, () => r.double()); return true;
      case 7: readRepeated(r, wire, h.bucket, () => r.double()); return true;
      default: return false;
    }
  });
  return h;
}

function decodeValue(bytes: Uint8Array): SummaryValueData {
  const v: SummaryValueData = { tag: '' };
  readFields(bytes, (f, _w, r) => {
    switch (f) {
      case 1: v.tag = r.string(); return true;
      case 7: {
        const nodeName = r.string(); // node_name: the tag of very old files
        v.tag ||= nodeName;
        return true;
      }
      case 9: v.metadata = decodeMetadata(r.bytes()); return true;
      case 2: v.simpleValue = r.float(); return true;
      case 4: {
        const im: ImageData = { height: 0, width: 0, colorspace: 0, encoded: new Uint8Array(0) };
        readFields(r.bytes(), (f2, _w2, r2) => {
          if (f2 === 1) im.height = r2.int32();
          else if (f2 === 2) im.width = r2.int32();
          else if (f2 === 3) im.colorspace = r2.int32();
          else if (f2 === 4) im.encoded = copyBytes(r2.bytes());
          else return false;
          return true;
        });
        v.image = im;
        return true;
      }
      case 5: v.histo = decodeHisto(r.bytes()); return true;
      case 6: {
        const a: AudioData = { sampleRate: 0, numChannels: 0, lengthFrames: 0, encoded: new Uint8Array(0), contentType: '' };
        readFields(r.bytes(), (f2, _w2, r2) => {
          if (f2 === 1) a.sampleRate = r2.float();
          else if (f2 === 2) a.numChannels = toNumber(r2.int64());
          else if (f2 === 3) a.lengthFrames = toNumber(r2.int64());
          else if (f2 === 4) a.encoded = copyBytes(r2.bytes());
          else if (f2 === 5) a.contentType = r2.string();
          else return false;
          return true;
        });
        v.audio = a;
        return true;
      }
      case 8: v.tensor = decodeTensor(r.bytes()); return true;
      default: return false;
    }
  });
  return v;
}

/**
 * Decodes an Event from protobuf bytes. Throws a `DecodeError` on malformed input.
 *
 * @example
 * ```ts
 * decodeEvent(bytes).summary?.[0]?.simpleValue;
 * ```
 */
export function decodeEvent(bytes: Uint8Array): EventData {
  const e: EventData = { wallTime: 0 };
  readFields(bytes, (f, _w, r) => {
    switch (f) {
      case 1: e.wallTime = r.double(); return true;
      case 2: e.step = toNumber(r.int64()); return true;
      case 3: e.fileVersion = r.string(); return true;
      case 4: e.graphDef = copyBytes(r.bytes()); return true;
      case 5: {
        const values: SummaryValueData[] = [];
        readFields(r.bytes(), (f2, _w2, r2) => (f2 === 1 ? (values.push(decodeValue(r2.bytes())), true) : false));
        e.summary = values;
        return true;
      }
      case 7: {
        const s: SessionLogData = { status: 0 };
        readFields(r.bytes(), (f2, _w2, r2) => {
          if (f2 === 1) s.status = r2.int32();
          else if (f2 === 2) s.checkpointPath = r2.string();
          else if (f2 === 3) s.msg = r2.string();
          else return false;
          return true;
        });
        e.sessionLog = s;
        return true;
      }
      case 8: {
        const t: { tag: string; runMetadata: Uint8Array } = { tag: '', runMetadata: new Uint8Array(0) };
        readFields(r.bytes(), (f2, _w2, r2) => {
          if (f2 === 1) t.tag = r2.string();
          else if (f2 === 2) t.runMetadata = copyBytes(r2.bytes());
          else return false;
          return true;
        });
        e.taggedRunMetadata = t;
        return true;
      }
      case 9: e.metaGraphDef = copyBytes(r.bytes()); return true;
      case 10:
        readFields(r.bytes(), (f2, _w2, r2) => (f2 === 1 ? ((e.sourceWriter = r2.string()), true) : false));
        return true;
      default: return false;
    }
  });
  return e;
}

const scratch = new Uint8Array(8);
const scratchF64 = new Float64Array(scratch.buffer);
const scratchF32 = new Float32Array(scratch.buffer, 0, 1);
const utf8 = new TextDecoder();

/** Tag strings by their bytes, so a million events of twenty tags make twenty strings. */
class TagCache {
  private readonly buckets = new Map<number, { bytes: Uint8Array; tag: string }[]>();
  private size = 0;

  get(b: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const list = this.buckets.get(h);
    if (list) {
      outer: for (const e of list) {
        if (e.bytes.length !== end - start) continue;
        for (let i = 0; i < e.bytes.length; i++) if (e.bytes[i] !== b[start + i]) continue outer;
        return e.tag;
      }
    }
    const tag = utf8.decode(b.subarray(start, end));
    if (this.size < 100_000) {
      this.size++;
      const entry = { bytes: b.slice(start, end), tag };
      if (list) list.push(entry);
      else this.buckets.set(h, [entry]);
    }
    return tag;
  }
}

const tagCache = new TagCache();

/**
 * The common case, decoded without the general machinery: an Event holding only `wall_time`,
 * `step` and a Summary of one `simple_value` (what `add_scalar` writes, PyTorch's and Flint's).
 * Returns `undefined` for anything else, which then goes through {@link decodeEvent}; for the
 * events it accepts, the result equals `decodeEvent`'s.
 *
 * @example
 * ```ts
 * const e = decodeSimpleScalarEvent(bytes) ?? decodeEvent(bytes);
 * ```
 */
export function decodeSimpleScalarEvent(b: Uint8Array): EventData | undefined {
  const n = b.length;
  let p = 0;
  let wallTime = 0;
  let step: number | undefined;
  if (b[p] === 0x09) {
    if (p + 9 > n) return undefined;
    for (let i = 0; i < 8; i++) scratch[i] = b[p + 1 + i]!;
    wallTime = scratchF64[0]!;
    p += 9;
  }
  if (b[p] === 0x10) {
    p++;
    let v = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (i >= 8 || p >= n) return undefined; // 2^56 and up (or negative): the general decoder
      const byte = b[p++]!;
      v += (byte & 0x7f) * mul;
      mul *= 128;
      if (byte < 0x80) break;
    }
    if (v > Number.MAX_SAFE_INTEGER) return undefined;
    step = v;
  }
  // summary (field 5): one value (field 1) of a tag (field 1) and a simple_value (field 2)
  if (b[p] !== 0x2a) return undefined;
  let len = b[p + 1]!;
  p += 2;
  if (len >= 0x80) {
    len = (len & 0x7f) + b[p]! * 128;
    if (b[p++]! >= 0x80) return undefined;
  }
  if (p + len !== n || b[p] !== 0x0a) return undefined;
  let vlen = b[p + 1]!;
  p += 2;
  if (vlen >= 0x80) {
    vlen = (vlen & 0x7f) + b[p]! * 128;
    if (b[p++]! >= 0x80) return undefined;
  }
  if (p + vlen !== n || b[p] !== 0x0a) return undefined;
  const tlen = b[p + 1]!;
  if (tlen >= 0x80) return undefined;
  const tagStart = p + 2;
  p = tagStart + tlen;
  if (p + 5 !== n || b[p] !== 0x15) return undefined;
  for (let i = 0; i < 4; i++) scratch[i] = b[p + 1 + i]!;
  const simpleValue = scratchF32[0]!;
  const e: EventData = { wallTime, summary: [{ tag: tagCache.get(b, tagStart, tagStart + tlen), simpleValue }] };
  if (step !== undefined) e.step = step;
  return e;
}
