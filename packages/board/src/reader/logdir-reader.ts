/**
 * `LogdirReader`: everything a viewer needs from a log directory. Runs are the directories that
 * hold `*tfevents*` files (or a `projector_config.pbtxt`); the logdir itself is run `.`. Files of
 * a run are read in name order; `reload()` reads only bytes appended since the last reload.
 * Corrupt records and files are reported in `problems()` and skipped; nothing here throws on bad
 * data.
 * @module
 */
import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ArgumentError, describe } from '../errors.js';
import type { GraphDefData } from '../format/graph-proto.js';
import type { Layout } from '../format/plugin-protos.js';
import { type ProjectorEmbedding, parseProjectorConfig } from '../format/projector-config.js';
import { EventFileLoader, type ReadProblem } from './event-file-loader.js';
import { RunData, type Series } from './run-data.js';
import type {
  AudioEvent,
  HParamsTable,
  HistogramEvent,
  ImageEvent,
  MeshEvent,
  PluginName,
  PrCurveEvent,
  RunHParams,
  RunInfo,
  ScalarPoint,
  TagInfo,
  TensorEvent,
  TextEvent,
} from './types.js';

interface RunState {
  name: string;
  dir: string;
  data: RunData;
  loaders: Map<string, EventFileLoader>;
  embeddings: ProjectorEmbedding[];
}

/** What one `reload()` did. */
export interface ReloadResult {
  /** Events read in this reload. */
  newEvents: number;
  /** Runs seen for the first time. */
  newRuns: string[];
  /** Problems met in this reload. */
  problems: ReadProblem[];
}

/** Options of {@link LogdirReader}. */
export interface LogdirReaderOptions {
  /** Keep at most this many problems (oldest dropped); default 1000. */
  maxProblems?: number;
}

/**
 * Reads a log directory incrementally.
 *
 * @example
 * ```ts
 * const reader = new LogdirReader('runs');
 * await reader.reload();
 * for (const run of reader.runs()) console.log(run, reader.scalars(run, 'loss/train').at(-1));
 * setInterval(() => reader.reload(), 5000); // picks up appended bytes and new runs
 * ```
 */
export class LogdirReader {
  /** The log directory, absolute. */
  readonly logdir: string;
  private readonly runsByName = new Map<string, RunState>();
  private readonly problemLog: ReadProblem[] = [];
  private readonly maxProblems: number;
  private inFlight: Promise<ReloadResult> | null = null;

  constructor(logdir: string, options: LogdirReaderOptions = {}) {
    if (typeof logdir !== 'string') throw new ArgumentError(`LogdirReader(): logdir must be a string path (got ${describe(logdir)})`);
    this.logdir = resolve(logdir);
    this.maxProblems = options.maxProblems ?? 1000;
  }

  /**
   * Finds new runs and files and reads what was appended since the last reload. Concurrent
   * calls share one reload.
   */
  reload(): Promise<ReloadResult> {
    this.inFlight ??= this.doReload().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async doReload(): Promise<ReloadResult> {
    const problems: ReadProblem[] = [];
    const report = (p: ReadProblem) => {
      problems.push(p);
      this.problemLog.push(p);
      if (this.problemLog.length > this.maxProblems) this.problemLog.splice(0, this.problemLog.length - this.maxProblems);
    };
    const found = await this.discover(report);
    const newRuns: string[] = [];
    let newEvents = 0;
    for (const [dir, { events, projector }] of found) {
      const rel = relative(this.logdir, dir);
      const name = rel === '' ? '.' : rel.split(sep).join('/');
      let run = this.runsByName.get(name);
      if (!run) {
        run = { name, dir, data: new RunData(name, report), loaders: new Map(), embeddings: [] };
        this.runsByName.set(name, run);
        newRuns.push(name);
      }
      for (const file of events.sort()) {
        const path = join(dir, file);
        let loader = run.loaders.get(path);
        if (!loader) run.loaders.set(path, (loader = new EventFileLoader(path)));
        const r = run;
        newEvents += await loader.load((e) => r.data.addEvent(e, path), report);
      }
      if (projector) await this.loadProjector(run, report);
    }
    return { newEvents, newRuns, problems };
  }

  private async discover(report: (p: ReadProblem) => void): Promise<Map<string, { events: string[]; projector: boolean }>> {
    const out = new Map<string, { events: string[]; projector: boolean }>();
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (dir === this.logdir || (e as NodeJS.ErrnoException).code !== 'ENOENT') report({ kind: 'io-error', path: dir, message: `cannot list: ${(e as Error).message}` });
        return;
      }
      const events = entries.filter((e) => e.isFile() && e.name.includes('tfevents')).map((e) => e.name);
      const projector = entries.some((e) => e.isFile() && e.name === 'projector_config.pbtxt');
      if (events.length > 0 || projector) out.set(dir, { events, projector });
      if (depth > 64) return;
      for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name), depth + 1);
    };
    await walk(this.logdir, 0);
    return out;
  }

  private async loadProjector(run: RunState, report: (p: ReadProblem) => void): Promise<void> {
    const path = join(run.dir, 'projector_config.pbtxt');
    try {
      run.embeddings = parseProjectorConfig(await readFile(path, 'utf8')).embeddings;
    } catch (e) {
      report({ kind: 'bad-projector-config', path, message: (e as Error).message });
    }
  }

  /** Runs, ordered by start time and then name (as TensorBoard's `/data/runs`). */
  runs(): string[] {
    return [...this.runsByName.values()]
      .sort((a, b) => (a.data.startTime ?? Infinity) - (b.data.startTime ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => r.name);
  }

  /** A run's directory, start time and files read. */
  runInfo(run: string): RunInfo | undefined {
    const r = this.runsByName.get(run);
    if (!r) return undefined;
    return { name: r.name, dir: r.dir, startTime: r.data.startTime, files: [...r.loaders.values()].map((l) => ({ path: l.path, bytesRead: l.offset })) };
  }

  /** Every problem met so far (bounded by `maxProblems`). */
  problems(): ReadProblem[] {
    return [...this.problemLog];
  }

  /**
   * Tags of one plugin per run, as TensorBoard's `/data/plugin/<plugin>/tags`:
   * `{ run: { tag: { displayName, description } } }`. Runs without such tags are left out.
   */
  tags(plugin: PluginName): Record<string, Record<string, TagInfo>> {
    const out: Record<string, Record<string, TagInfo>> = {};
    for (const name of this.runs()) {
      const r = this.runsByName.get(name)!;
      for (const [tag, s] of r.data.series) {
        if (s.plugin !== plugin) continue;
        if (plugin === 'mesh') {
          const meshName = (s.points[0]?.value as { name?: string } | undefined)?.name ?? tag;
          (out[name] ??= {})[meshName] = { displayName: meshName, description: s.info.description };
        } else (out[name] ??= {})[tag] = s.info;
      }
    }
    return out;
  }

  /** The plugins that have data in any run (for a viewer's tabs). */
  plugins(): string[] {
    const set = new Set<string>();
    for (const r of this.runsByName.values()) {
      for (const s of r.data.series.values()) set.add(s.plugin);
      if (r.data.graph) set.add('graphs');
      if (r.data.hparams.sessionStart || r.data.hparams.experiment) set.add('hparams');
      if (r.data.customScalars) set.add('custom_scalars');
      if (r.embeddings.length > 0) set.add('projector');
    }
    return [...set].sort();
  }

  private series<P extends PluginName>(run: string, tag: string, plugin: P): Series<P> | undefined {
    const s = this.runsByName.get(run)?.data.series.get(tag);
    return s && s.plugin === plugin ? (s as Series<P>) : undefined;
  }

  /**
   * Scalars of a tag: `[wallTime, step, value][]` in step order. With `samples`, at most that
   * many points, evenly spaced over the series, the first and last kept (for drawing).
   */
  scalars(run: string, tag: string, options?: { samples?: number }): ScalarPoint[] {
    return this.series(run, tag, 'scalars')?.columns?.toArray(options?.samples) ?? [];
  }

  /** Histograms of a tag. */
  histograms(run: string, tag: string): HistogramEvent[] {
    return (this.series(run, tag, 'histograms')?.points ?? []).map((p) => ({ wallTime: p.wallTime, step: p.step, ...p.value }));
  }

  /** Images of a tag (one entry per sample of each step). */
  images(run: string, tag: string): ImageEvent[] {
    return (this.series(run, tag, 'images')?.points ?? []).flatMap((p) => p.value.map((v) => ({ wallTime: p.wallTime, step: p.step, ...v })));
  }

  /** Audio clips of a tag. */
  audio(run: string, tag: string): AudioEvent[] {
    return (this.series(run, tag, 'audio')?.points ?? []).flatMap((p) => p.value.map((v) => ({ wallTime: p.wallTime, step: p.step, ...v })));
  }

  /** Texts of a tag (PyTorch's `add_text` tags end in `/text_summary`). */
  text(run: string, tag: string): TextEvent[] {
    return (this.series(run, tag, 'text')?.points ?? []).map((p) => ({ wallTime: p.wallTime, step: p.step, ...p.value }));
  }

  /** PR curves of a tag. */
  prCurves(run: string, tag: string): PrCurveEvent[] {
    return (this.series(run, tag, 'pr_curves')?.points ?? []).map((p) => ({ wallTime: p.wallTime, step: p.step, ...p.value }));
  }

  /** Tensors of a tag whose plugin this reader does not interpret. */
  tensors(run: string, tag: string): TensorEvent[] {
    return (this.series(run, tag, 'tensors')?.points ?? []).map((p) => ({ wallTime: p.wallTime, step: p.step, ...p.value }));
  }

  /** Meshes named `name` (the tag given to `addMesh`): vertices, faces and colors joined by step. */
  meshes(run: string, name: string): MeshEvent[] {
    const r = this.runsByName.get(run);
    if (!r) return [];
    const byStep = new Map<number, MeshEvent>();
    for (const s of r.data.series.values()) {
      if (s.plugin !== 'mesh') continue;
      for (const p of (s as Series<'mesh'>).points) {
        if (p.value.name !== name) continue;
        const m = byStep.get(p.step) ?? { wallTime: p.wallTime, step: p.step, config: p.value.config };
        const key = ({ 1: 'vertices', 2: 'faces', 3: 'colors' } as const)[p.value.contentType as 1 | 2 | 3];
        if (key) m[key] = p.value.part;
        byStep.set(p.step, m);
      }
    }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }

  /** The model graph of a run (from `addGraph`). */
  graph(run: string): GraphDefData | undefined {
    return this.runsByName.get(run)?.data.graph;
  }

  /** What a run holds of the hparams plugin. */
  hparams(run: string): RunHParams | undefined {
    const h = this.runsByName.get(run)?.data.hparams;
    return h && (h.experiment || h.sessionStart || h.sessionEnd) ? h : undefined;
  }

  /**
   * The hparams table: columns from every experiment (and every session's values), one row per
   * run with `session_start_info`, each metric the last value of its scalar tag in the session's
   * run (or `<run>/<group>`).
   */
  hparamsTable(): HParamsTable {
    const hparams = new Map<string, HParamsTable['hparams'][number]>();
    const metrics = new Map<string, HParamsTable['metrics'][number]>();
    for (const name of this.runs()) {
      const x = this.runsByName.get(name)!.data.hparams.experiment;
      for (const h of x?.hparamInfos ?? []) if (!hparams.has(h.name)) hparams.set(h.name, { name: h.name, type: h.type, ...(h.domainDiscrete ? { domainDiscrete: h.domainDiscrete } : {}) });
      for (const m of x?.metricInfos ?? []) metrics.set(`${m.group}\u0000${m.tag}`, { tag: m.tag, group: m.group });
    }
    const sessions: HParamsTable['sessions'] = [];
    for (const name of this.runs()) {
      const h = this.runsByName.get(name)!.data.hparams;
      if (!h.sessionStart) continue;
      for (const [k, v] of Object.entries(h.sessionStart.hparams)) {
        if (!hparams.has(k)) hparams.set(k, { name: k, type: typeof v === 'number' ? 3 : typeof v === 'boolean' ? 2 : 1 });
      }
      const values: HParamsTable['sessions'][number]['metrics'] = {};
      for (const m of metrics.values()) {
        const metricRun = m.group ? `${name === '.' ? '' : `${name}/`}${m.group}` : name;
        const last = this.scalars(metricRun, m.tag).at(-1);
        if (last) values[m.tag] = { wallTime: last[0], step: last[1], value: last[2] };
      }
      sessions.push({
        run: name,
        hparams: { ...h.sessionStart.hparams },
        metrics: values,
        ...(h.sessionEnd ? { status: h.sessionEnd.status, endTime: h.sessionEnd.endTimeSecs } : {}),
        ...(h.sessionStart.startTimeSecs !== undefined ? { startTime: h.sessionStart.startTimeSecs } : {}),
      });
    }
    return { hparams: [...hparams.values()], metrics: [...metrics.values()], sessions };
  }

  /** The custom-scalars layout of a run. */
  customScalars(run: string): Layout | undefined {
    return this.runsByName.get(run)?.data.customScalars;
  }

  /** All runs' custom-scalars layouts merged, categories of the same title joined (as TensorBoard). */
  customScalarsLayout(): Layout | undefined {
    const cats = new Map<string, Layout['categories'][number]>();
    for (const name of this.runs()) {
      for (const c of this.customScalars(name)?.categories ?? []) {
        const have = cats.get(c.title);
        if (!have) cats.set(c.title, { ...c, charts: [...c.charts] });
        else for (const ch of c.charts) if (!have.charts.some((x) => x.title === ch.title)) have.charts.push(ch);
      }
    }
    return cats.size > 0 ? { categories: [...cats.values()] } : undefined;
  }

  /** Embeddings of a run's `projector_config.pbtxt` (paths relative to the run directory). */
  embeddings(run: string): ProjectorEmbedding[] {
    return [...(this.runsByName.get(run)?.embeddings ?? [])];
  }

  private embeddingFile(run: string, tensorName: string, pick: (e: ProjectorEmbedding) => string | undefined, what: string): string {
    const r = this.runsByName.get(run);
    const e = r?.embeddings.find((x) => x.tensorName === tensorName);
    const rel = e && pick(e);
    if (!r || !e || !rel) throw new ArgumentError(`LogdirReader: run ${JSON.stringify(run)} has no ${what} for embedding ${JSON.stringify(tensorName)}`);
    const path = resolve(r.dir, rel);
    const inside = relative(this.logdir, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new ArgumentError(`LogdirReader: the ${what} of embedding ${JSON.stringify(tensorName)} (${rel}) lies outside the logdir; it is not read`);
    return path;
  }

  /** The points of an embedding from its tensors.tsv: `[N, D]` float32. */
  async embeddingTensor(run: string, tensorName: string): Promise<{ shape: [number, number]; data: Float32Array }> {
    const text = await readFile(this.embeddingFile(run, tensorName, (e) => e.tensorPath, 'tensor file'), 'utf8');
    const rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t').map(Number));
    const d = rows[0]?.length ?? 0;
    const data = new Float32Array(rows.length * d);
    rows.forEach((r, i) => data.set(r.slice(0, d), i * d));
    return { shape: [rows.length, d], data };
  }

  /** The labels of an embedding from metadata.tsv: a header when there are several columns, and rows. */
  async embeddingMetadata(run: string, tensorName: string): Promise<{ header?: string[]; rows: string[][] }> {
    const text = await readFile(this.embeddingFile(run, tensorName, (e) => e.metadataPath, 'metadata file'), 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const rows = lines.map((l) => l.split('\t'));
    return rows.length > 0 && rows[0]!.length > 1 ? { header: rows[0], rows: rows.slice(1) } : { rows };
  }

  /** The sprite image (PNG bytes) of an embedding. */
  async embeddingSprite(run: string, tensorName: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.embeddingFile(run, tensorName, (e) => e.sprite?.imagePath, 'sprite')));
  }
}

/**
 * Reads a log directory once and returns the reader (call `reload()` on it for new data).
 *
 * @example
 * ```ts
 * const reader = await readLogdir('runs');
 * reader.scalars('.', 'loss');
 * ```
 */
export async function readLogdir(logdir: string, options?: LogdirReaderOptions): Promise<LogdirReader> {
  const reader = new LogdirReader(logdir, options);
  await reader.reload();
  return reader;
}
