/**
 * The plugin protos carried in `SummaryMetadata.plugin_data.content` and in string tensors:
 * hparams (`HParamsPluginData`), PR curves, text, custom scalars (`Layout`) and meshes, plus the
 * `google.protobuf.Value` that hparams values use.
 * @module
 */
import { BinaryWriter, WireType, readFields, readRepeated, writeDouble, writeInt, writeMessage, writePacked, writeString } from './wire.js';

/** A hyperparameter value: `google.protobuf.Value` restricted to what hparams use. */
export type HParamValue = number | string | boolean | null;

/** `HParamInfo.type`. */
export const HParamType = { UNSET: 0, STRING: 1, BOOL: 2, FLOAT64: 3 } as const;
/** `SessionEndInfo.status`. */
export const HParamStatus = { UNKNOWN: 0, SUCCESS: 1, FAILURE: 2, RUNNING: 3 } as const;

/** HParamInfo. */
export interface HParamInfo {
  name: string;
  displayName?: string;
  description?: string;
  type: number;
  domainDiscrete?: HParamValue[];
  domainInterval?: { min: number; max: number };
}
/** MetricInfo. */
export interface MetricInfo {
  tag: string;
  group: string;
  displayName?: string;
  description?: string;
  datasetType?: number;
}
/** Experiment. */
export interface Experiment {
  name?: string;
  description?: string;
  user?: string;
  timeCreatedSecs?: number;
  hparamInfos: HParamInfo[];
  metricInfos: MetricInfo[];
}
/** SessionStartInfo. */
export interface SessionStartInfo {
  hparams: Record<string, HParamValue>;
  modelUri?: string;
  monitorUrl?: string;
  groupName?: string;
  startTimeSecs?: number;
}
/** SessionEndInfo. */
export interface SessionEndInfo {
  status: number;
  endTimeSecs?: number;
}
/** HParamsPluginData: version and one of the three. */
export interface HParamsPluginData {
  version: number;
  experiment?: Experiment;
  sessionStartInfo?: SessionStartInfo;
  sessionEndInfo?: SessionEndInfo;
}

function writeProtoValue(w: BinaryWriter, field: number, v: HParamValue): void {
  writeMessage(w, field, (w) => {
    if (v === null) w.tag(1, WireType.Varint).int32(0);
    else if (typeof v === 'number') w.tag(2, WireType.Bit64).double(v);
    else if (typeof v === 'string') w.tag(3, WireType.LengthDelimited).string(v);
    else w.tag(4, WireType.Varint).bool(v);
  });
}

function readProtoValue(bytes: Uint8Array): HParamValue {
  let out: HParamValue = null;
  readFields(bytes, (f, _w, r) => {
    if (f === 1) (r.int32(), (out = null));
    else if (f === 2) out = r.double();
    else if (f === 3) out = r.string();
    else if (f === 4) out = r.bool();
    else return false;
    return true;
  });
  return out;
}

function readListValue(bytes: Uint8Array): HParamValue[] {
  const out: HParamValue[] = [];
  readFields(bytes, (f, _w, r) => (f === 1 ? (out.push(readProtoValue(r.bytes())), true) : false));
  return out;
}

/**
 * Encodes HParamsPluginData.
 *
 * @example
 * ```ts
 * encodeHParamsPluginData({ version: 0, sessionEndInfo: { status: HParamStatus.SUCCESS } });
 * ```
 */
export function encodeHParamsPluginData(d: HParamsPluginData): Uint8Array {
  const w = new BinaryWriter();
  writeInt(w, 1, d.version);
  if (d.experiment) {
    const x = d.experiment;
    writeMessage(w, 2, (w) => {
      writeString(w, 1, x.description);
      writeString(w, 2, x.user);
      writeDouble(w, 3, x.timeCreatedSecs);
      for (const h of x.hparamInfos) {
        writeMessage(w, 4, (w) => {
          writeString(w, 1, h.name);
          writeString(w, 2, h.displayName);
          writeString(w, 3, h.description);
          writeInt(w, 4, h.type);
          if (h.domainDiscrete) writeMessage(w, 5, (w) => h.domainDiscrete!.forEach((v) => writeProtoValue(w, 1, v)));
          if (h.domainInterval) {
            const iv = h.domainInterval;
            writeMessage(w, 6, (w) => {
              writeDouble(w, 1, iv.min);
              writeDouble(w, 2, iv.max);
            });
          }
        });
      }
      for (const m of x.metricInfos) {
        writeMessage(w, 5, (w) => {
          writeMessage(w, 1, (w) => {
            writeString(w, 1, m.group);
            writeString(w, 2, m.tag);
          });
          writeString(w, 3, m.displayName);
          writeString(w, 4, m.description);
          writeInt(w, 5, m.datasetType);
        });
      }
      writeString(w, 6, x.name);
    });
  }
  if (d.sessionStartInfo) {
    const s = d.sessionStartInfo;
    writeMessage(w, 3, (w) => {
      for (const [k, v] of Object.entries(s.hparams)) {
        writeMessage(w, 1, (w) => {
          w.tag(1, WireType.LengthDelimited).string(k);
          writeProtoValue(w, 2, v);
        });
      }
      writeString(w, 2, s.modelUri);
      writeString(w, 3, s.monitorUrl);
      writeString(w, 4, s.groupName);
      writeDouble(w, 5, s.startTimeSecs);
    });
  }
  if (d.sessionEndInfo) {
    const s = d.sessionEndInfo;
    writeMessage(w, 4, (w) => {
      writeInt(w, 1, s.status);
      writeDouble(w, 2, s.endTimeSecs);
    });
  }
  return w.finish();
}

/**
 * Decodes HParamsPluginData.
 *
 * @example
 * ```ts
 * decodeHParamsPluginData(metadata.pluginContent!).sessionStartInfo?.hparams;
 * ```
 */
export function decodeHParamsPluginData(bytes: Uint8Array): HParamsPluginData {
  const d: HParamsPluginData = { version: 0 };
  readFields(bytes, (f, _w, r) => {
    if (f === 1) d.version = r.int32();
    else if (f === 2) {
      const x: Experiment = { hparamInfos: [], metricInfos: [] };
      readFields(r.bytes(), (f2, _w2, r2) => {
        switch (f2) {
          case 1: x.description = r2.string(); return true;
          case 2: x.user = r2.string(); return true;
          case 3: x.timeCreatedSecs = r2.double(); return true;
          case 6: x.name = r2.string(); return true;
          case 4: {
            const h: HParamInfo = { name: '', type: 0 };
            readFields(r2.bytes(), (f3, _w3, r3) => {
              if (f3 === 1) h.name = r3.string();
              else if (f3 === 2) h.displayName = r3.string();
              else if (f3 === 3) h.description = r3.string();
              else if (f3 === 4) h.type = r3.int32();
              else if (f3 === 5) h.domainDiscrete = readListValue(r3.bytes());
              else if (f3 === 6) {
                const iv = { min: 0, max: 0 };
                readFields(r3.bytes(), (f4, _w4, r4) => (f4 === 1 ? ((iv.min = r4.double()), true) : f4 === 2 ? ((iv.max = r4.double()), true) : false));
                h.domainInterval = iv;
              } else return false;
              return true;
            });
            x.hparamInfos.push(h);
            return true;
          }
          case 5: {
            const m: MetricInfo = { tag: '', group: '' };
            readFields(r2.bytes(), (f3, _w3, r3) => {
              if (f3 === 1) readFields(r3.bytes(), (f4, _w4, r4) => (f4 === 1 ? ((m.group = r4.string()), true) : f4 === 2 ? ((m.tag = r4.string()), true) : false));
              else if (f3 === 3) m.displayName = r3.string();
              else if (f3 === 4) m.description = r3.string();
              else if (f3 === 5) m.datasetType = r3.int32();
              else return false;
              return true;
            });
            x.metricInfos.push(m);
            return true;
          }
          default: return false;
        }
      });
      d.experiment = x;
    } else if (f === 3) {
      const s: SessionStartInfo = { hparams: {} };
      readFields(r.bytes(), (f2, _w2, r2) => {
        if (f2 === 1) {
          let key = '';
          let value: HParamValue = null;
          readFields(r2.bytes(), (f3, _w3, r3) => (f3 === 1 ? ((key = r3.string()), true) : f3 === 2 ? ((value = readProtoValue(r3.bytes())), true) : false));
          s.hparams[key] = value;
        } else if (f2 === 2) s.modelUri = r2.string();
        else if (f2 === 3) s.monitorUrl = r2.string();
        else if (f2 === 4) s.groupName = r2.string();
        else if (f2 === 5) s.startTimeSecs = r2.double();
        else return false;
        return true;
      });
      d.sessionStartInfo = s;
    } else if (f === 4) {
      const s: SessionEndInfo = { status: 0 };
      readFields(r.bytes(), (f2, _w2, r2) => (f2 === 1 ? ((s.status = r2.int32()), true) : f2 === 2 ? ((s.endTimeSecs = r2.double()), true) : false));
      d.sessionEndInfo = s;
    } else return false;
    return true;
  });
  return d;
}

/** A custom-scalars chart: several tags on one chart, or a value with a lower/upper band. */
export type LayoutChart =
  | { title: string; multiline: { tags: string[] } }
  | { title: string; margin: { series: { value: string; lower: string; upper: string }[] } };
/** A custom-scalars category of charts. */
export interface LayoutCategory {
  title: string;
  charts: LayoutChart[];
  closed?: boolean;
}
/** The custom-scalars `Layout`. */
export interface Layout {
  version?: number;
  categories: LayoutCategory[];
}

/**
 * Encodes a custom-scalars Layout.
 *
 * @example
 * ```ts
 * encodeLayout({ categories: [{ title: 'loss', charts: [{ title: 'both', multiline: { tags: ['a', 'b'] } }] }] });
 * ```
 */
export function encodeLayout(l: Layout): Uint8Array {
  const w = new BinaryWriter();
  writeInt(w, 1, l.version);
  for (const c of l.categories) {
    writeMessage(w, 2, (w) => {
      writeString(w, 1, c.title);
      for (const ch of c.charts) {
        writeMessage(w, 2, (w) => {
          writeString(w, 1, ch.title);
          if ('multiline' in ch) writeMessage(w, 2, (w) => ch.multiline.tags.forEach((t) => w.tag(1, WireType.LengthDelimited).string(t)));
          else {
            writeMessage(w, 3, (w) => {
              for (const s of ch.margin.series) {
                writeMessage(w, 1, (w) => {
                  writeString(w, 1, s.value);
                  writeString(w, 2, s.lower);
                  writeString(w, 3, s.upper);
                });
              }
            });
          }
        });
      }
      if (c.closed) w.tag(3, WireType.Varint).bool(true);
    });
  }
  return w.finish();
}

/**
 * Decodes a custom-scalars Layout.
 *
 * @example
 * ```ts
 * decodeLayout(bytes).categories[0]?.charts;
 * ```
 */
export function decodeLayout(bytes: Uint8Array): Layout {
  const l: Layout = { categories: [] };
  readFields(bytes, (f, _w, r) => {
    if (f === 1) l.version = r.int32();
    else if (f === 2) {
      const c: LayoutCategory = { title: '', charts: [] };
      readFields(r.bytes(), (f2, _w2, r2) => {
        if (f2 === 1) c.title = r2.string();
        else if (f2 === 3) c.closed = r2.bool();
        else if (f2 === 2) {
          let title = '';
          let chart: LayoutChart | undefined;
          readFields(r2.bytes(), (f3, _w3, r3) => {
            if (f3 === 1) title = r3.string();
            else if (f3 === 2) {
              const tags: string[] = [];
              readFields(r3.bytes(), (f4, _w4, r4) => (f4 === 1 ? (tags.push(r4.string()), true) : false));
              chart = { title: '', multiline: { tags } };
            } else if (f3 === 3) {
              const series: { value: string; lower: string; upper: string }[] = [];
              readFields(r3.bytes(), (f4, _w4, r4) => {
                if (f4 !== 1) return false;
                const s = { value: '', lower: '', upper: '' };
                readFields(r4.bytes(), (f5, _w5, r5) => {
                  if (f5 === 1) s.value = r5.string();
                  else if (f5 === 2) s.lower = r5.string();
                  else if (f5 === 3) s.upper = r5.string();
                  else return false;
                  return true;
                });
                series.push(s);
                return true;
              });
              chart = { title: '', margin: { series } };
            } else return false;
            return true;
          });
          c.charts.push({ ...(chart ?? { multiline: { tags: [] } }), title });
        } else return false;
        return true;
      });
      l.categories.push(c);
    } else return false;
    return true;
  });
  return l;
}

/** Encodes PrCurvePluginData{version, num_thresholds}. */
export function encodePrCurvePluginData(numThresholds: number): Uint8Array {
  const w = new BinaryWriter();
  writeInt(w, 2, numThresholds);
  return w.finish();
}

/** Decodes PrCurvePluginData. */
export function decodePrCurvePluginData(bytes: Uint8Array): { version: number; numThresholds: number } {
  const d = { version: 0, numThresholds: 0 };
  readFields(bytes, (f, _w, r) => (f === 1 ? ((d.version = r.int32()), true) : f === 2 ? ((d.numThresholds = r.uint32()), true) : false));
  return d;
}

/** `MeshPluginData.ContentType`. */
export const MeshContentType = { UNDEFINED: 0, VERTEX: 1, FACE: 2, COLOR: 3 } as const;

/** MeshPluginData. */
export interface MeshPluginData {
  version: number;
  name: string;
  contentType: number;
  jsonConfig?: string;
  shape: number[];
  components: number;
}

/** Encodes MeshPluginData. */
export function encodeMeshPluginData(d: MeshPluginData): Uint8Array {
  const w = new BinaryWriter();
  writeInt(w, 1, d.version);
  writeString(w, 2, d.name);
  writeInt(w, 3, d.contentType);
  writeString(w, 5, d.jsonConfig);
  writePacked(w, 6, d.shape, 'int32');
  writeInt(w, 7, d.components);
  return w.finish();
}

/** Decodes MeshPluginData. */
export function decodeMeshPluginData(bytes: Uint8Array): MeshPluginData {
  const d: MeshPluginData = { version: 0, name: '', contentType: 0, shape: [], components: 0 };
  readFields(bytes, (f, wire, r) => {
    switch (f) {
      case 1: d.version = r.int32(); return true;
      case 2: d.name = r.string(); return true;
      case 3: d.contentType = r.int32(); return true;
      case 5: d.jsonConfig = r.string(); return true;
      case 6: readRepeated(r, wire, d.shape, () => r.int32()); return true;
      case 7: d.components = r.int32(); return true;
      default: return false;
    }
  });
  return d;
}

