/**
 * `RunData`: what one run's events add up to. Each `Summary.Value` is classified by its plugin
 * (from the first metadata seen for its tag, as TensorBoard does) and appended to its tag's
 * series. Purging follows TensorBoard: a point whose step is not after the series' last step drops
 * the points at steps `>=` it (TensorBoard's Rust reader), and a `SessionLog.START` at step T
 * drops every point at steps `>= T` in the run (what PyTorch's `purge_step` writes).
 * @module
 */
import { type EventData, type HistogramData, SessionStatus, type SummaryMetadataData, type SummaryValueData } from '../format/event-proto.js';
import { type GraphDefData, decodeGraphDef } from '../format/graph-proto.js';
import { type Layout, MeshContentType, decodeHParamsPluginData, decodeLayout, decodeMeshPluginData, decodePrCurvePluginData } from '../format/plugin-protos.js';
import { DataType, type TensorProtoData, tensorNumbers, tensorStrings } from '../format/tensor-proto.js';
import type { ReadProblem } from './event-file-loader.js';
import type { AudioEvent, HistogramEvent, ImageEvent, MeshPart, PluginName, PrCurveEvent, RunHParams, TagInfo, TensorEvent, TextEvent } from './types.js';

/** A point of a series: one Value at one step. */
export interface Point<T> {
  wallTime: number;
  step: number;
  value: T;
}

/** A mesh part as stored. */
export interface MeshValue {
  name: string;
  contentType: number;
  config: string;
  part: MeshPart;
}

type Payload = {
  scalars: number;
  histograms: Omit<HistogramEvent, 'wallTime' | 'step'>;
  images: Omit<ImageEvent, 'wallTime' | 'step'>[];
  audio: Omit<AudioEvent, 'wallTime' | 'step'>[];
  text: Omit<TextEvent, 'wallTime' | 'step'>;
  pr_curves: Omit<PrCurveEvent, 'wallTime' | 'step'>;
  mesh: MeshValue;
  tensors: Omit<TensorEvent, 'wallTime' | 'step'>;
};

/**
 * `k` indices spread evenly over `0..n-1`, first and last included (all of them when `n <= k` or
 * `k` is undefined).
 *
 * @example
 * ```ts
 * sampleIndices(10, 4); // [0, 3, 6, 9]
 * ```
 */
export function sampleIndices(n: number, k: number | undefined): number[] {
  if (k === undefined || n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k <= 1) return n > 0 && k === 1 ? [n - 1] : [];
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(Math.round((i * (n - 1)) / (k - 1)));
  return out;
}

/**
 * The points of a scalar series in three columns (24 bytes a point instead of an object each:
 * a logdir of 20 million scalars fits in memory). Steps are strictly increasing, as in every
 * series (see the purging rule).
 *
 * @example
 * ```ts
 * const c = new ScalarColumns();
 * c.push(1700000000, 0, 0.5);
 * c.push(1700000001, 1, 0.25);
 * c.toArray(); // [[1700000000, 0, 0.5], [1700000001, 1, 0.25]]
 * ```
 */
export class ScalarColumns {
  wallTime = new Float64Array(16);
  step = new Float64Array(16);
  value = new Float64Array(16);
  length = 0;

  /** Appends a point; one whose step is not after the last drops the points at steps `>=` it first. */
  push(wallTime: number, step: number, value: number): void {
    if (this.length > 0 && this.step[this.length - 1]! >= step) this.dropFrom(step);
    if (this.length === this.step.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.wallTime = grow(this.wallTime);
      this.step = grow(this.step);
      this.value = grow(this.value);
    }
    this.wallTime[this.length] = wallTime;
    this.step[this.length] = step;
    this.value[this.length] = value;
    this.length++;
  }

  /** Drops the points at steps `>= step`. */
  dropFrom(step: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.step[mid]! < step) lo = mid + 1;
      else hi = mid;
    }
    this.length = lo;
  }

  /** The points as `[wallTime, step, value]`; with `samples`, at most that many, evenly spaced. */
  toArray(samples?: number): [number, number, number][] {
    const idx = sampleIndices(this.length, samples);
    return idx.map((i) => [this.wallTime[i]!, this.step[i]!, this.value[i]!]);
  }
}

/** A tag's series. Scalars live in `columns`, every other plugin's points in `points`. */
export interface Series<P extends PluginName = PluginName> {
  plugin: P;
  info: TagInfo;
  metadata?: SummaryMetadataData;
  points: Point<Payload[P]>[];
  columns?: ScalarColumns;
}

function sniff(b: Uint8Array): string {
  if (b[0] === 0x89 && b[1] === 0x50) return 'image/png';
  if (b[0] === 0x47 && b[1] === 0x49) return 'image/gif';
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  return 'application/octet-stream';
}

/** Converts a HistogramProto to TensorBoard's [left, right, count] buckets. */
export function histogramBuckets(h: HistogramData): [number, number, number][] {
  const n = h.bucket.length;
  return h.bucket.map((count, i) => [i === 0 ? h.min : h.bucketLimit[i - 1]!, i === n - 1 ? h.max : h.bucketLimit[i]!, count]);
}

const PLUGIN_OF_TENSOR: Record<string, PluginName> = { scalars: 'scalars', histograms: 'histograms', images: 'images', audio: 'audio', text: 'text', pr_curves: 'pr_curves', mesh: 'mesh' };

/**
 * The data of one run, fed event by event.
 *
 * @example
 * ```ts
 * const run = new RunData('.', (p) => console.warn(p.message));
 * run.addEvent(decodeEvent(bytes), path);
 * run.series.get('loss')?.points;
 * ```
 */
export class RunData {
  readonly series = new Map<string, Series>();
  startTime?: number;
  graph?: GraphDefData;
  readonly hparams: RunHParams = {};
  customScalars?: Layout;

  constructor(
    readonly name: string,
    private readonly onProblem: (p: ReadProblem) => void,
  ) {}

  /** Adds one event read from `path`. */
  addEvent(e: EventData, path: string): void {
    if (this.startTime === undefined || (e.fileVersion !== undefined && e.wallTime < this.startTime)) this.startTime = e.wallTime;
    const step = e.step ?? 0;
    if (e.sessionLog?.status === SessionStatus.START) this.purgeAll(step);
    if (e.graphDef) {
      try {
        this.graph = decodeGraphDef(e.graphDef);
      } catch (err) {
        this.onProblem({ kind: 'bad-event', path, message: `graph_def is not a GraphDef: ${(err as Error).message}` });
      }
    }
    for (const v of e.summary ?? []) {
      try {
        this.addValue(v, e.wallTime, step, path);
      } catch (err) {
        this.onProblem({ kind: 'bad-event', path, message: `value of tag ${JSON.stringify(v.tag)} at step ${step} cannot be read: ${(err as Error).message}` });
      }
    }
  }

  private purgeAll(step: number): void {
    for (const s of this.series.values()) {
      s.columns?.dropFrom(step);
      const keep = s.points.filter((p) => p.step < step);
      if (keep.length !== s.points.length) s.points = keep;
    }
  }

  private push<P extends PluginName>(tag: string, plugin: P, metadata: SummaryMetadataData | undefined, point: Point<Payload[P]>, path: string): void {
    let s = this.series.get(tag);
    if (!s) {
      s = { plugin, info: { displayName: metadata?.displayName || tag, description: metadata?.summaryDescription ?? '' }, metadata, points: [] };
      if (plugin === 'scalars') s.columns = new ScalarColumns();
      this.series.set(tag, s);
    } else if (s.plugin !== plugin) {
      this.onProblem({ kind: 'plugin-mismatch', path, message: `tag ${JSON.stringify(tag)} holds ${s.plugin} but a value at step ${point.step} is ${plugin}; the value is skipped` });
      return;
    }
    if (s.columns) {
      s.columns.push(point.wallTime, point.step, point.value as number);
      return;
    }
    const pts = s.points as Point<Payload[P]>[];
    const last = pts[pts.length - 1];
    if (last !== undefined && last.step >= point.step) {
      const keep = pts.filter((p) => p.step < point.step);
      keep.push(point);
      s.points = keep;
    } else {
      pts.push(point);
    }
  }

  private addValue(v: SummaryValueData, wallTime: number, step: number, path: string): void {
    const tag = v.tag;
    const known = this.series.get(tag);
    const md = v.metadata ?? known?.metadata;
    const pluginName = v.metadata?.pluginName ?? known?.metadata?.pluginName;
    if (v.simpleValue !== undefined) return this.push(tag, 'scalars', md, { wallTime, step, value: v.simpleValue }, path);
    if (v.histo) {
      const h = v.histo;
      return this.push(tag, 'histograms', md, { wallTime, step, value: { min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares, buckets: histogramBuckets(h) } }, path);
    }
    if (v.image) {
      const im = v.image;
      return this.push(tag, 'images', md, { wallTime, step, value: [{ sample: 0, width: im.width, height: im.height, contentType: sniff(im.encoded), data: im.encoded }] }, path);
    }
    if (v.audio) {
      const a = v.audio;
      return this.push(tag, 'audio', md, { wallTime, step, value: [{ sample: 0, sampleRate: a.sampleRate, numChannels: a.numChannels, lengthFrames: a.lengthFrames, contentType: a.contentType || 'audio/wav', data: a.encoded }] }, path);
    }
    if (pluginName === 'hparams' && v.metadata?.pluginContent !== undefined) {
      const d = decodeHParamsPluginData(v.metadata.pluginContent);
      if (d.experiment) this.hparams.experiment = d.experiment;
      if (d.sessionStartInfo) this.hparams.sessionStart = d.sessionStartInfo;
      if (d.sessionEndInfo) this.hparams.sessionEnd = d.sessionEndInfo;
      return;
    }
    const t = v.tensor;
    if (!t) return;
    if (pluginName === 'custom_scalars') {
      const bytes = t.stringVal?.[0];
      if (bytes) this.customScalars = decodeLayout(bytes);
      return;
    }
    const plugin = PLUGIN_OF_TENSOR[pluginName ?? ''] ?? 'tensors';
    switch (plugin) {
      case 'scalars':
        return this.push(tag, 'scalars', md, { wallTime, step, value: tensorNumbers(t)[0] ?? NaN }, path);
      case 'histograms': {
        const shape = t.shape ?? [];
        const nums = tensorNumbers(t);
        const k = shape.length === 2 ? shape[0]! : 0;
        const buckets: [number, number, number][] = Array.from({ length: k }, (_, i) => [nums[i * 3]!, nums[i * 3 + 1]!, nums[i * 3 + 2]!]);
        const num = buckets.reduce((a, b) => a + b[2], 0);
        return this.push(tag, 'histograms', md, { wallTime, step, value: { min: buckets[0]?.[0] ?? 0, max: buckets[k - 1]?.[1] ?? 0, num, sum: NaN, sumSquares: NaN, buckets } }, path);
      }
      case 'images': {
        const s = t.stringVal ?? [];
        const dec = new TextDecoder();
        const width = Number(dec.decode(s[0] ?? new Uint8Array()));
        const height = Number(dec.decode(s[1] ?? new Uint8Array()));
        return this.push(tag, 'images', md, { wallTime, step, value: s.slice(2).map((data, sample) => ({ sample, width, height, contentType: sniff(data), data })) }, path);
      }
      case 'audio': {
        const s = t.stringVal ?? [];
        const dec = new TextDecoder();
        const cols = t.shape?.length === 2 ? t.shape[1]! : 1;
        const clips = Array.from({ length: Math.floor(s.length / cols) }, (_, i) => ({
          sample: i,
          sampleRate: 0,
          numChannels: 0,
          lengthFrames: 0,
          contentType: 'audio/wav',
          data: s[i * cols]!,
          ...(cols > 1 ? { label: dec.decode(s[i * cols + 1]!) } : {}),
        }));
        return this.push(tag, 'audio', md, { wallTime, step, value: clips }, path);
      }
      case 'text': {
        const values = tensorStrings(t);
        return this.push(tag, 'text', md, { wallTime, step, value: { text: values.join('\n'), values, shape: t.shape ?? [] } }, path);
      }
      case 'pr_curves': {
        const shape = t.shape ?? [];
        const nums = tensorNumbers(t);
        const n = shape[1] ?? nums.length / 6;
        const row = (r: number) => Array.from(nums.subarray(r * n, (r + 1) * n));
        const nt = md?.pluginContent ? decodePrCurvePluginData(md.pluginContent).numThresholds || n : n;
        const thresholds = Array.from({ length: n }, (_, i) => (nt > 1 ? i / (nt - 1) : 0));
        return this.push(tag, 'pr_curves', md, { wallTime, step, value: { thresholds, truePositives: row(0), falsePositives: row(1), trueNegatives: row(2), falseNegatives: row(3), precision: row(4), recall: row(5) } }, path);
      }
      case 'mesh': {
        const d = md?.pluginContent ? decodeMeshPluginData(md.pluginContent) : { name: tag, contentType: MeshContentType.UNDEFINED, jsonConfig: '{}' };
        const shape = t.shape ?? [];
        return this.push(tag, 'mesh', md, { wallTime, step, value: { name: d.name, contentType: d.contentType, config: d.jsonConfig ?? '{}', part: { shape, data: Float32Array.from(tensorNumbers(t)) } } }, path);
      }
      default:
        return this.push(tag, 'tensors', md, { wallTime, step, value: genericTensor(t) }, path);
    }
  }
}

function genericTensor(t: TensorProtoData): Omit<TensorEvent, 'wallTime' | 'step'> {
  const shape = t.shape ?? [];
  if (t.dtype === DataType.STRING) return { dtype: t.dtype, shape, values: new Float64Array(0), strings: tensorStrings(t) };
  const values = tensorNumbers(t);
  return { dtype: t.dtype, shape, values };
}
