/**
 * `GraphDef`, `NodeDef`, `AttrValue` and the `RunMetadata` that `add_graph` writes, as plain data.
 * @module
 */
import { decodeShape, writeShape } from './tensor-proto.js';
import { BinaryWriter, WireType, readFields, readRepeated, toNumber, writeInt, writeMessage, writeString } from './wire.js';

/** An AttrValue restricted to what graph viewers show. */
export interface AttrValueData {
  s?: string;
  i?: number;
  f?: number;
  b?: boolean;
  type?: number;
  shape?: number[];
  list?: { s: string[]; i: number[]; f: number[]; shape: number[][] };
}

/** A NodeDef. */
export interface NodeDefData {
  name: string;
  op: string;
  input: string[];
  device?: string;
  attr: Record<string, AttrValueData>;
}

/** A GraphDef. */
export interface GraphDefData {
  node: NodeDefData[];
  producer?: number;
}

function writeAttr(w: BinaryWriter, a: AttrValueData): void {
  if (a.list) {
    const l = a.list;
    writeMessage(w, 1, (w) => {
      for (const s of l.s) w.tag(2, WireType.LengthDelimited).string(s);
      if (l.i.length) (w.tag(3, WireType.LengthDelimited).fork(), l.i.forEach((v) => w.int64(v)), w.join());
      if (l.f.length) (w.tag(4, WireType.LengthDelimited).fork(), l.f.forEach((v) => w.float(v)), w.join());
      for (const shape of l.shape) writeShape(w, 7, shape);
    });
  }
  if (a.s !== undefined) w.tag(2, WireType.LengthDelimited).string(a.s);
  if (a.i !== undefined) w.tag(3, WireType.Varint).int64(a.i);
  if (a.f !== undefined) w.tag(4, WireType.Bit32).float(a.f);
  if (a.b !== undefined) w.tag(5, WireType.Varint).bool(a.b);
  if (a.type !== undefined) w.tag(6, WireType.Varint).int32(a.type);
  if (a.shape !== undefined) writeShape(w, 7, a.shape);
}

/**
 * Encodes a GraphDef.
 *
 * @example
 * ```ts
 * encodeGraphDef({ node: [{ name: 'Net/Linear[fc]', op: 'Linear', input: [], attr: {} }], producer: 22 });
 * ```
 */
export function encodeGraphDef(g: GraphDefData): Uint8Array {
  const w = new BinaryWriter();
  for (const n of g.node) {
    writeMessage(w, 1, (w) => {
      writeString(w, 1, n.name);
      writeString(w, 2, n.op);
      for (const i of n.input) w.tag(3, WireType.LengthDelimited).string(i);
      writeString(w, 4, n.device);
      for (const [k, v] of Object.entries(n.attr)) {
        writeMessage(w, 5, (w) => {
          w.tag(1, WireType.LengthDelimited).string(k);
          writeMessage(w, 2, (w) => writeAttr(w, v));
        });
      }
    });
  }
  if (g.producer !== undefined) writeMessage(w, 4, (w) => writeInt(w, 1, g.producer));
  return w.finish();
}

function decodeAttr(bytes: Uint8Array): AttrValueData {
  const a: AttrValueData = {};
  const dec = new TextDecoder();
  readFields(bytes, (f, _w, r) => {
    switch (f) {
      case 1: {
        const l = { s: [] as string[], i: [] as number[], f: [] as number[], shape: [] as number[][] };
        readFields(r.bytes(), (f2, w2, r2) => {
          if (f2 === 2) l.s.push(dec.decode(r2.bytes()));
          else if (f2 === 3) readRepeated(r2, w2, l.i, () => toNumber(r2.int64()));
          else if (f2 === 4) readRepeated(r2, w2, l.f, () => r2.float());
          else if (f2 === 7) l.shape.push(decodeShape(r2.bytes()));
          else return false;
          return true;
        });
        a.list = l;
        return true;
      }
      case 2: a.s = dec.decode(r.bytes()); return true;
      case 3: a.i = toNumber(r.int64()); return true;
      case 4: a.f = r.float(); return true;
      case 5: a.b = r.bool(); return true;
      case 6: a.type = r.int32(); return true;
      case 7: a.shape = decodeShape(r.bytes()); return true;
      default: return false;
    }
  });
  return a;
}

/**
 * Decodes a GraphDef (nodes, their inputs and attributes).
 *
 * @example
 * ```ts
 * decodeGraphDef(event.graphDef!).node.map((n) => n.name);
 * ```
 */
export function decodeGraphDef(bytes: Uint8Array): GraphDefData {
  const g: GraphDefData = { node: [] };
  readFields(bytes, (f, _w, r) => {
    if (f === 1) {
      const n: NodeDefData = { name: '', op: '', input: [], attr: {} };
      readFields(r.bytes(), (f2, _w2, r2) => {
        if (f2 === 1) n.name = r2.string();
        else if (f2 === 2) n.op = r2.string();
        else if (f2 === 3) n.input.push(r2.string());
        else if (f2 === 4) n.device = r2.string();
        else if (f2 === 5) {
          let key = '';
          let value: AttrValueData = {};
          readFields(r2.bytes(), (f3, _w3, r3) => (f3 === 1 ? ((key = r3.string()), true) : f3 === 2 ? ((value = decodeAttr(r3.bytes())), true) : false));
          n.attr[key] = value;
        } else return false;
        return true;
      });
      g.node.push(n);
    } else if (f === 4) {
      readFields(r.bytes(), (f2, _w2, r2) => (f2 === 1 ? ((g.producer = r2.int32()), true) : false));
    } else return false;
    return true;
  });
  return g;
}

/** RunMetadata{step_stats{dev_stats[{device}]}} as `add_graph` writes it. */
export function encodeRunMetadata(devices: string[]): Uint8Array {
  const w = new BinaryWriter();
  writeMessage(w, 1, (w) => {
    for (const d of devices) writeMessage(w, 1, (w) => writeString(w, 1, d));
  });
  return w.finish();
}
