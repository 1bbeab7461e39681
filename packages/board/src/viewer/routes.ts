/**
 * The viewer's JSON routes. Where TensorBoard has a route, the path, parameters and reply follow
 * its data API (`/data/runs`, `/data/plugins_listing`, `/data/plugin/scalars/scalars`...); the
 * others (image and audio blobs, hparams table, embeddings, `/data/status`) are Flint's own.
 * Runs and tags are looked up by name in the reader: no parameter ever becomes a file path.
 * @module
 */
import type { LogdirReader } from '../reader/logdir-reader.js';
import { sampleIndices } from '../reader/run-data.js';
import type { PluginName, ScalarPoint } from '../reader/types.js';
import { HttpError, intParam, param, toCsv } from './http.js';

export { sampleIndices };

/**
 * What a route returns: JSON, CSV text or bytes.
 *
 * @example
 * ```ts
 * const r: RouteResult = { csv: 'Wall time,Step,Value\r\n', filename: 'loss.csv' };
 * ```
 */
export type RouteResult =
  | { json: unknown }
  | { csv: string; filename?: string }
  | { bytes: Uint8Array; type: string };

/**
 * What a route sees of the server.
 *
 * @example
 * ```ts
 * const ctx: RouteContext = { reader, params: new Map([['run', ['train']]]), generation: 0, loading: false, reload: async () => {} };
 * ROUTES['/data/plugin/scalars/tags']!(ctx);
 * ```
 */
export interface RouteContext {
  reader: LogdirReader;
  params: Map<string, string[]>;
  /** Changes whenever a reload read new events or found new runs. */
  generation: number;
  /** True until the first reload has finished. */
  loading: boolean;
  /** Reloads the logdir now and waits for it. */
  reload: () => Promise<void>;
}

type Route = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

/**
 * The dashboards, in tab order, with the plugin names the reader reports for them.
 *
 * @example
 * ```ts
 * DASHBOARDS.map((d) => d.tab); // ['Scalars', 'Custom Scalars', 'Images', ...]
 * ```
 */
export const DASHBOARDS: { plugin: string; tab: string }[] = [
  { plugin: 'scalars', tab: 'Scalars' },
  { plugin: 'custom_scalars', tab: 'Custom Scalars' },
  { plugin: 'images', tab: 'Images' },
  { plugin: 'audio', tab: 'Audio' },
  { plugin: 'histograms', tab: 'Histograms' },
  { plugin: 'text', tab: 'Text' },
  { plugin: 'pr_curves', tab: 'PR Curves' },
  { plugin: 'hparams', tab: 'HParams' },
  { plugin: 'projector', tab: 'Embeddings' },
];

function sample<T>(items: T[], k: number | undefined): T[] {
  return k === undefined || items.length <= k ? items : sampleIndices(items.length, k).map((i) => items[i]!);
}

function knownRun(ctx: RouteContext, run: string): string {
  if (!ctx.reader.runInfo(run)) throw new HttpError(404, `no run named ${JSON.stringify(run)}`);
  return run;
}

/** The runs named by repeated `runs` (or `run`) parameters, or every run holding the tag. */
function runsFor(ctx: RouteContext, plugin: PluginName, tag: string): string[] {
  const named = ctx.params.get('runs') ?? ctx.params.get('run');
  if (named) return named.filter((r) => ctx.reader.runInfo(r));
  const tags = ctx.reader.tags(plugin);
  return Object.keys(tags).filter((r) => tags[r]![tag]);
}

function safeFilename(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'data';
}

const scalars: Route = (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  const tag = param(ctx.params, 'tag');
  const points = ctx.reader.scalars(run, tag);
  if (ctx.params.get('format')?.[0] === 'csv') return { csv: toCsv(['Wall time', 'Step', 'Value'], points), filename: `run-${safeFilename(run)}-tag-${safeFilename(tag)}.csv` };
  const samples = intParam(ctx.params, 'samples');
  return { json: samples === undefined ? points : shortNumbers(sample(points, samples)) };
};

/**
 * Points for drawing, shorter in JSON: a value that is a float32 (every `simple_value`) is
 * written with the 9 digits that identify it as a float32 instead of the 17 of its double.
 * Only with `samples` (drawing); full-resolution replies keep every digit.
 */
function shortNumbers(points: ScalarPoint[]): ScalarPoint[] {
  for (const p of points) {
    const v = p[2];
    if (Number.isFinite(v) && Math.fround(v) === v) p[2] = Number(v.toPrecision(9));
  }
  return points;
}

const scalarsMultirun: Route = (ctx) => {
  const tag = param(ctx.params, 'tag');
  const samples = intParam(ctx.params, 'samples');
  const runs = runsFor(ctx, 'scalars', tag);
  if (ctx.params.get('format')?.[0] === 'csv') {
    const rows = runs.flatMap((run) => ctx.reader.scalars(run, tag).map((p) => [run, ...p]));
    return { csv: toCsv(['Run', 'Wall time', 'Step', 'Value'], rows), filename: `tag-${safeFilename(tag)}.csv` };
  }
  const out: Record<string, unknown> = {};
  for (const run of runs) out[run] = samples === undefined ? ctx.reader.scalars(run, tag) : shortNumbers(ctx.reader.scalars(run, tag, { samples }));
  return { json: out };
};

const histograms: Route = (ctx) => {
  const events = ctx.reader.histograms(knownRun(ctx, param(ctx.params, 'run')), param(ctx.params, 'tag'));
  return { json: sample(events, intParam(ctx.params, 'samples')).map((h) => [h.wallTime, h.step, h.buckets]) };
};

function mediaTags(ctx: RouteContext, plugin: 'images' | 'audio'): RouteResult {
  const tags = ctx.reader.tags(plugin);
  const out: Record<string, Record<string, { displayName: string; description: string; samples: number }>> = {};
  for (const [run, byTag] of Object.entries(tags)) {
    for (const [tag, info] of Object.entries(byTag)) {
      const items = plugin === 'images' ? ctx.reader.images(run, tag) : ctx.reader.audio(run, tag);
      const samples = items.reduce((m, x) => Math.max(m, x.sample + 1), 0);
      (out[run] ??= {})[tag] = { ...info, samples };
    }
  }
  return { json: out };
}

function mediaItem<T extends { step: number; sample: number }>(ctx: RouteContext, items: T[]): T {
  const step = intParam(ctx.params, 'step');
  const s = intParam(ctx.params, 'sample') ?? 0;
  const item = items.find((x) => x.step === step && x.sample === s);
  if (!item) throw new HttpError(404, `nothing at step ${step}, sample ${s}`);
  return item;
}

const images: Route = (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  const tag = param(ctx.params, 'tag');
  return {
    json: ctx.reader.images(run, tag).map((im) => ({
      wall_time: im.wallTime,
      step: im.step,
      sample: im.sample,
      width: im.width,
      height: im.height,
      content_type: im.contentType,
      query: new URLSearchParams({ run, tag, step: String(im.step), sample: String(im.sample) }).toString(),
    })),
  };
};

const individualImage: Route = (ctx) => {
  const im = mediaItem(ctx, ctx.reader.images(param(ctx.params, 'run'), param(ctx.params, 'tag')));
  const type = /^image\/(png|gif|jpeg|bmp)$/.test(im.contentType) ? im.contentType : 'application/octet-stream';
  return { bytes: im.data, type };
};

const audio: Route = (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  const tag = param(ctx.params, 'tag');
  return {
    json: ctx.reader.audio(run, tag).map((a) => ({
      wall_time: a.wallTime,
      step: a.step,
      sample: a.sample,
      content_type: a.contentType,
      sample_rate: a.sampleRate,
      label: a.label ?? '',
      query: new URLSearchParams({ run, tag, step: String(a.step), sample: String(a.sample) }).toString(),
    })),
  };
};

const individualAudio: Route = (ctx) => {
  const a = mediaItem(ctx, ctx.reader.audio(param(ctx.params, 'run'), param(ctx.params, 'tag')));
  const type = /^audio\/[a-z0-9.+-]+$/.test(a.contentType) ? a.contentType : 'application/octet-stream';
  return { bytes: a.data, type };
};

const text: Route = (ctx) => ({
  json: ctx.reader.text(knownRun(ctx, param(ctx.params, 'run')), param(ctx.params, 'tag')).map((t) => ({
    wall_time: t.wallTime,
    step: t.step,
    text: t.text,
    shape: t.shape,
    ...(t.shape.length >= 2 ? { values: t.values } : {}),
  })),
});

const prCurves: Route = (ctx) => {
  const tag = param(ctx.params, 'tag');
  const out: Record<string, unknown> = {};
  for (const run of runsFor(ctx, 'pr_curves', tag)) {
    out[run] = ctx.reader.prCurves(run, tag).map((p) => ({
      wall_time: p.wallTime,
      step: p.step,
      thresholds: p.thresholds,
      precision: p.precision,
      recall: p.recall,
      true_positives: p.truePositives,
      false_positives: p.falsePositives,
      true_negatives: p.trueNegatives,
      false_negatives: p.falseNegatives,
    }));
  }
  return { json: out };
};

const hparamsTable: Route = (ctx) => {
  const table = ctx.reader.hparamsTable();
  if (ctx.params.get('format')?.[0] !== 'csv') return { json: table };
  const header = ['Run', ...table.hparams.map((h) => h.name), ...table.metrics.map((m) => (m.group ? `${m.group}/${m.tag}` : m.tag))];
  const rows = table.sessions.map((s) => [s.run, ...table.hparams.map((h) => s.hparams[h.name] ?? ''), ...table.metrics.map((m) => s.metrics[m.tag]?.value ?? '')]);
  return { csv: toCsv(header, rows), filename: 'hparams_table.csv' };
};

const embeddings: Route = (ctx) => {
  const out: Record<string, unknown[]> = {};
  for (const run of ctx.reader.runs()) {
    const list = ctx.reader.embeddings(run);
    if (list.length > 0) out[run] = list.map((e) => ({ tensorName: e.tensorName, tensorShape: e.tensorShape ?? [], hasMetadata: !!e.metadataPath, sprite: e.sprite ? { singleImageDim: e.sprite.singleImageDim } : undefined }));
  }
  return { json: out };
};

async function embeddingCall<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new HttpError(404, (e as Error).message);
  }
}

const embeddingTensor: Route = async (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  const t = await embeddingCall(() => ctx.reader.embeddingTensor(run, param(ctx.params, 'name')));
  return { json: { shape: t.shape, data: Array.from(t.data) } };
};

const embeddingMetadata: Route = async (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  return { json: await embeddingCall(() => ctx.reader.embeddingMetadata(run, param(ctx.params, 'name'))) };
};

const embeddingSprite: Route = async (ctx) => {
  const run = knownRun(ctx, param(ctx.params, 'run'));
  return { bytes: await embeddingCall(() => ctx.reader.embeddingSprite(run, param(ctx.params, 'name'))), type: 'image/png' };
};

const tagsOf =
  (plugin: PluginName): Route =>
  (ctx) => ({ json: ctx.reader.tags(plugin) });

/**
 * Every data route by path. `GET` and `POST` both work (TensorBoard posts `scalars_multirun`
 * form-encoded); repeated parameters give lists.
 *
 * @example
 * ```ts
 * const reply = await ROUTES['/data/runs']!({ reader, params: new Map(), generation: 0, loading: false, reload });
 * ```
 */
export const ROUTES: Record<string, Route> = {
  '/data/runs': (ctx) => ({ json: ctx.reader.runs() }),
  '/data/logdir': (ctx) => ({ json: { logdir: ctx.reader.logdir } }),
  '/data/environment': (ctx) => ({ json: { data_location: ctx.reader.logdir, window_title: 'flint-board', version: 'flint-board 0.1.0' } }),
  '/data/plugins_listing': (ctx) => {
    const have = new Set(ctx.reader.plugins());
    return { json: Object.fromEntries(DASHBOARDS.map((d) => [d.plugin, { enabled: have.has(d.plugin), tab_name: d.tab, disable_reload: false, remove_dom: false }])) };
  },
  '/data/status': (ctx) => ({ json: { generation: ctx.generation, loading: ctx.loading, runs: ctx.reader.runs().length, problems: ctx.reader.problems().length } }),
  '/data/problems': (ctx) => ({ json: ctx.reader.problems() }),
  '/data/reload': async (ctx) => {
    await ctx.reload();
    return { json: { generation: ctx.generation } };
  },
  '/data/plugin/scalars/tags': tagsOf('scalars'),
  '/data/plugin/scalars/scalars': scalars,
  '/data/plugin/scalars/scalars_multirun': scalarsMultirun,
  '/data/plugin/histograms/tags': tagsOf('histograms'),
  '/data/plugin/histograms/histograms': histograms,
  '/data/plugin/images/tags': (ctx) => mediaTags(ctx, 'images'),
  '/data/plugin/images/images': images,
  '/data/plugin/images/individualImage': individualImage,
  '/data/plugin/audio/tags': (ctx) => mediaTags(ctx, 'audio'),
  '/data/plugin/audio/audio': audio,
  '/data/plugin/audio/individualAudio': individualAudio,
  '/data/plugin/text/tags': tagsOf('text'),
  '/data/plugin/text/text': text,
  '/data/plugin/pr_curves/tags': tagsOf('pr_curves'),
  '/data/plugin/pr_curves/pr_curves': prCurves,
  '/data/plugin/hparams/table': hparamsTable,
  '/data/plugin/custom_scalars/layout': (ctx) => ({ json: ctx.reader.customScalarsLayout() ?? { categories: [] } }),
  '/data/plugin/projector/embeddings': embeddings,
  '/data/plugin/projector/tensor': embeddingTensor,
  '/data/plugin/projector/metadata': embeddingMetadata,
  '/data/plugin/projector/sprite': embeddingSprite,
};
