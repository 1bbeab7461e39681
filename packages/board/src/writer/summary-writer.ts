/**
 * `SummaryWriter`: PyTorch's `torch.utils.tensorboard.SummaryWriter` for TypeScript. Writes
 * TensorBoard event files that TensorBoard and `flint-board` read.
 * @module
 */
import { join } from 'node:path';
import { ArgumentError, WriterClosedError, describe } from '../errors.js';
import { type EventData, SessionStatus, type SummaryValueData } from '../format/event-proto.js';
import { encodeGraphDef, encodeRunMetadata } from '../format/graph-proto.js';
import type { HParamValue } from '../format/plugin-protos.js';
import { type ArrayInput, toNdArray, toScalar } from '../util/ndarray.js';
import { checkOptions, checkStep, checkTag, checkThresholds, checkWalltime, type WalltimeOption } from './checks.js';
import { defaultLogdir } from './default-logdir.js';
import { EventFileWriter, nowSeconds } from './event-file-writer.js';
import { writeEmbedding } from './summaries/embedding.js';
import { type ModuleLike, buildGraph } from './summaries/graph.js';
import { hparamsValues } from './summaries/hparams.js';
import { type Bins, histogramRaw, makeHistogram } from './summaries/histogram.js';
import { checkBoxes, drawBoxes, encodePng, encodePngWithLabels, toRawImage } from './summaries/image.js';
import { makeAudio, makeVideo } from './summaries/media.js';
import { meshValues } from './summaries/mesh.js';
import { type CustomScalarLayout, type PrCurveData, type ScalarStyle, computeCurve, customScalarsValue, prCurveValue, scalarValue as scalarSummary, textValue } from './summaries/plugin-values.js';

/** Options of {@link SummaryWriter} (PyTorch's keyword arguments). */
export interface SummaryWriterOptions {
  /** Appended to the default directory name; ignored when `logDir` is given (as in PyTorch). */
  comment?: string;
  /** Hide events of an earlier, crashed run at steps `>= purgeStep` (`purge_step`). */
  purgeStep?: number;
  /** Queued events that force a flush (`max_queue`, default 10). */
  maxQueue?: number;
  /** Seconds between flushes (`flush_secs`, default 120). */
  flushSecs?: number;
  /** Appended to event file names (`filename_suffix`). */
  filenameSuffix?: string;
}

export type { WalltimeOption };

/** The image formats `addImage` and friends take: a permutation of HW, CHW or NCHW. */
export type DataFormats = string;

/**
 * Writes entries for TensorBoard to event files in a log directory (PyTorch's `SummaryWriter`).
 * Methods are PyTorch's, camelCased; keyword arguments go in a trailing options object.
 * Writes are queued and flushed every `flushSecs`, when `maxQueue` events wait, on `flush()`,
 * `close()` and process exit. Image methods encode PNGs asynchronously and return a promise;
 * the rest are synchronous.
 *
 * @example
 * ```ts
 * import { SummaryWriter } from '@flint/board';
 * const writer = new SummaryWriter('runs/mnist');
 * for (let step = 0; step < 100; step++) writer.addScalar('loss/train', 1 / (step + 1), step);
 * writer.addHistogram('fc1/weight', net.fc1.weight, 100);
 * await writer.close();
 * ```
 */
export class SummaryWriter {
  /** The run directory of this writer. */
  readonly logDir: string;
  private readonly options: SummaryWriterOptions;
  private fileWriter: EventFileWriter | null;
  private readonly allWriters = new Map<string, EventFileWriter>();
  private isClosed = false;

  constructor(logDir?: string, options: SummaryWriterOptions = {}) {
    if (logDir !== undefined && typeof logDir !== 'string') throw new ArgumentError(`SummaryWriter(): logDir must be a string path (got ${describe(logDir)})`);
    checkOptions('SummaryWriter', options);
    for (const k of ['maxQueue', 'flushSecs'] as const) {
      const v = options[k];
      if (v !== undefined && (typeof v !== 'number' || !(v > 0))) throw new ArgumentError(`SummaryWriter(): ${k} must be a positive number (got ${describe(v)})`);
    }
    if (options.comment !== undefined && typeof options.comment !== 'string') throw new ArgumentError(`SummaryWriter(): comment must be a string (got ${describe(options.comment)})`);
    this.logDir = logDir ?? defaultLogdir(options.comment ?? '');
    this.options = options;
    this.fileWriter = this.openWriter(this.logDir);
    const purge = checkStep('SummaryWriter', options.purgeStep);
    if (purge !== undefined) {
      const wallTime = nowSeconds();
      this.fileWriter.addEvent({ wallTime, step: purge, fileVersion: 'brain.Event:2' });
      this.fileWriter.addEvent({ wallTime, step: purge, sessionLog: { status: SessionStatus.START } });
    }
  }

  private openWriter(dir: string): EventFileWriter {
    const w = new EventFileWriter(dir, { maxQueue: this.options.maxQueue, flushSecs: this.options.flushSecs, filenameSuffix: this.options.filenameSuffix });
    this.allWriters.set(dir, w);
    return w;
  }

  private writer(fn: string): EventFileWriter {
    if (this.isClosed || this.fileWriter === null) throw new WriterClosedError(`${fn}(): this SummaryWriter (${this.logDir}) is closed; create a new SummaryWriter to write more`);
    return this.fileWriter;
  }

  private addSummary(fn: string, values: SummaryValueData[], step: number | undefined, wallTime: number): void {
    this.writer(fn).addEvent({ wallTime, step, summary: values });
  }

  private addPending(fn: string, values: Promise<SummaryValueData[]>, step: number | undefined, wallTime: number): Promise<void> {
    return this.writer(fn).addPendingEvent(values.then((summary): EventData => ({ wallTime, step, summary })));
  }

  /**
   * The run directory (`get_logdir`).
   *
   * @example
   * ```ts
   * new SummaryWriter(undefined, { comment: '_lr0.1' }).getLogdir(); // 'runs/Mar05_09-07-03_host_lr0.1'
   * ```
   */
  getLogdir(): string {
    return this.logDir;
  }

  /**
   * Adds a scalar (`add_scalar`). NaN and infinities are written as they are; TensorBoard shows them.
   * `newStyle` writes a tensor with the scalars plugin instead of `simple_value`.
   *
   * @example
   * ```ts
   * writer.addScalar('loss/train', loss.item(), step);
   * ```
   */
  addScalar(tag: string, scalarValue: number | ArrayInput, globalStep?: number, options?: WalltimeOption & ScalarStyle): void {
    const fn = 'addScalar';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const v = toScalar(fn, 'scalarValue', scalarValue);
    this.addSummary(fn, [scalarSummary(tag, v, { newStyle: o?.newStyle, doublePrecision: o?.doublePrecision })], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds several scalars that share a chart (`add_scalars`). As in PyTorch each key is written to
   * its own run `<logDir>/<mainTag with / as _>_<key>` under the tag `mainTag`.
   *
   * @example
   * ```ts
   * writer.addScalars('loss', { train: 0.3, val: 0.4 }, epoch);
   * ```
   */
  addScalars(mainTag: string, tagScalarDict: Record<string, number | ArrayInput>, globalStep?: number, options?: WalltimeOption): void {
    const fn = 'addScalars';
    checkTag(fn, mainTag, 'mainTag');
    this.writer(fn);
    if (typeof tagScalarDict !== 'object' || tagScalarDict === null || Array.isArray(tagScalarDict)) {
      throw new ArgumentError(`${fn}(): tagScalarDict must be an object of key: number (got ${describe(tagScalarDict)})`);
    }
    const step = checkStep(fn, globalStep);
    const wallTime = checkWalltime(fn, checkOptions(fn, options));
    const values = Object.entries(tagScalarDict).map(([k, v]) => [k, toScalar(fn, `tagScalarDict[${JSON.stringify(k)}]`, v)] as const);
    for (const [key, v] of values) {
      const dir = join(this.logDir, `${mainTag.replace(/\//g, '_')}_${key}`);
      const w = this.allWriters.get(dir) ?? this.openWriter(dir);
      w.addEvent({ wallTime, step, summary: [{ tag: mainTag, simpleValue: v }] });
    }
  }

  /**
   * Adds a histogram of `values` (`add_histogram`). `bins` is 'tensorflow' (PyTorch's default
   * exponential edges), a bin count (equal bins over [min, max], as numpy), or the edges.
   *
   * @example
   * ```ts
   * writer.addHistogram('fc1/weight', net.fc1.weight, epoch);
   * writer.addHistogram('scores', scores, epoch, { bins: 30 });
   * ```
   */
  addHistogram(tag: string, values: ArrayInput, globalStep?: number, options?: WalltimeOption & { bins?: Bins; maxBins?: number }): void {
    const fn = 'addHistogram';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const nd = toNdArray(fn, 'values', values);
    const histo = makeHistogram(fn, Array.from(nd.data, Number), o?.bins ?? 'tensorflow', o?.maxBins);
    this.addSummary(fn, [{ tag, histo }], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds a histogram from precomputed statistics (`add_histogram_raw`). `bucketLimits[i]` is the
   * right edge of bucket i.
   *
   * @example
   * ```ts
   * writer.addHistogramRaw('h', 0, 9, 10, 45, 285, [3, 6, 9], [3, 3, 4], step);
   * ```
   */
  addHistogramRaw(tag: string, min: number, max: number, num: number, sum: number, sumSquares: number, bucketLimits: ArrayLike<number>, bucketCounts: ArrayLike<number>, globalStep?: number, options?: WalltimeOption): void {
    const fn = 'addHistogramRaw';
    checkTag(fn, tag);
    const histo = histogramRaw(fn, min, max, num, sum, sumSquares, bucketLimits, bucketCounts);
    this.addSummary(fn, [{ tag, histo }], checkStep(fn, globalStep), checkWalltime(fn, checkOptions(fn, options)));
  }

  /**
   * Adds an image (`add_image`). `dataformats` is 'CHW' by default ('HWC', 'HW', ...). Floats are
   * taken as [0, 1] and scaled to 0..255; integer data (Uint8Array, int32 tensors) as 0..255.
   * One channel is written as gray RGB; 3 (RGB) and 4 (RGBA) channels are kept.
   *
   * @example
   * ```ts
   * await writer.addImage('input', imgCHW, step);
   * await writer.addImage('mask', { data: bytes, shape: [28, 28] }, step, { dataformats: 'HW' });
   * ```
   */
  addImage(tag: string, imgTensor: ArrayInput, globalStep?: number, options?: WalltimeOption & { dataformats?: DataFormats }): Promise<void> {
    const fn = 'addImage';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const img = toRawImage(fn, 'imgTensor', toNdArray(fn, 'imgTensor', imgTensor), o?.dataformats ?? 'CHW');
    return this.addPending(fn, encodePng(img).then((encoded) => [{ tag, image: { height: img.height, width: img.width, colorspace: img.channels, encoded } }]), checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds a batch of images as one grid image (`add_images`), 8 per row like `make_grid`.
   * `dataformats` is 'NCHW' by default ('NHWC', ...).
   *
   * @example
   * ```ts
   * await writer.addImages('batch', images, step); // [N, C, H, W]
   * ```
   */
  addImages(tag: string, imgTensor: ArrayInput, globalStep?: number, options?: WalltimeOption & { dataformats?: DataFormats }): Promise<void> {
    const fn = 'addImages';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const img = toRawImage(fn, 'imgTensor', toNdArray(fn, 'imgTensor', imgTensor), o?.dataformats ?? 'NCHW');
    return this.addPending(fn, encodePng(img).then((encoded) => [{ tag, image: { height: img.height, width: img.width, colorspace: img.channels, encoded } }]), checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds an image with boxes drawn on it in red (`add_image_with_boxes`). Boxes are `[N, 4]` rows
   * of (xmin, ymin, xmax, ymax) in pixels; `labels` are drawn above them; `rescale` scales the
   * picture.
   *
   * @example
   * ```ts
   * await writer.addImageWithBoxes('detections', img, [[10, 10, 40, 30]], step, { labels: ['cat'] });
   * ```
   */
  addImageWithBoxes(
    tag: string,
    imgTensor: ArrayInput,
    boxTensor: ArrayInput,
    globalStep?: number,
    options?: WalltimeOption & { rescale?: number; dataformats?: DataFormats; labels?: readonly string[] },
  ): Promise<void> {
    const fn = 'addImageWithBoxes';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const img = toRawImage(fn, 'imgTensor', toNdArray(fn, 'imgTensor', imgTensor), o?.dataformats ?? 'CHW');
    const boxes = checkBoxes(fn, toNdArray(fn, 'boxTensor', boxTensor), o?.labels);
    const rescale = o?.rescale ?? 1;
    if (typeof rescale !== 'number' || !(rescale > 0)) throw new ArgumentError(`${fn}(): rescale must be a positive number (got ${describe(rescale)})`);
    drawBoxes(img, boxes);
    const encoded = encodePngWithLabels(img, boxes, o?.labels, rescale).then((r) => [{ tag, image: { height: r.height, width: r.width, colorspace: img.channels, encoded: r.png } }]);
    return this.addPending(fn, encoded, checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds a video `[N, T, C, H, W]` as an animated GIF (`add_video`), a batch gridded into one.
   *
   * @example
   * ```ts
   * writer.addVideo('rollout', frames, step, { fps: 8 });
   * ```
   */
  addVideo(tag: string, vidTensor: ArrayInput, globalStep?: number, options?: WalltimeOption & { fps?: number }): void {
    const fn = 'addVideo';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const image = makeVideo(fn, toNdArray(fn, 'vidTensor', vidTensor), o?.fps ?? 4);
    this.addSummary(fn, [{ tag, image }], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds audio (`add_audio`): samples in [-1, 1], `[L]` mono or `[C, L]`, as a 16-bit WAV.
   *
   * @example
   * ```ts
   * writer.addAudio('speech', samples, step, { sampleRate: 16000 });
   * ```
   */
  addAudio(tag: string, sndTensor: ArrayInput, globalStep?: number, options?: WalltimeOption & { sampleRate?: number }): void {
    const fn = 'addAudio';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const audio = makeAudio(fn, toNdArray(fn, 'sndTensor', sndTensor), o?.sampleRate ?? 44100);
    this.addSummary(fn, [{ tag, audio }], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds text, shown as Markdown (`add_text`); the tag is written as `<tag>/text_summary`.
   *
   * @example
   * ```ts
   * writer.addText('config', '| lr | 0.1 |\n|---|---|', 0);
   * ```
   */
  addText(tag: string, textString: string, globalStep?: number, options?: WalltimeOption): void {
    const fn = 'addText';
    checkTag(fn, tag);
    if (typeof textString !== 'string') throw new ArgumentError(`${fn}(): textString must be a string (got ${describe(textString)})`);
    this.addSummary(fn, [textValue(tag, textString)], checkStep(fn, globalStep), checkWalltime(fn, checkOptions(fn, options)));
  }

  /**
   * Adds a precision-recall curve from labels (0/1 or booleans) and predictions in [0, 1]
   * (`add_pr_curve`). `numThresholds` defaults to 127, PyTorch's cap.
   *
   * @example
   * ```ts
   * writer.addPrCurve('pr/cat', labels, probabilities, epoch);
   * ```
   */
  addPrCurve(tag: string, labels: ArrayInput, predictions: ArrayInput, globalStep?: number, options?: WalltimeOption & { numThresholds?: number; weights?: ArrayInput }): void {
    const fn = 'addPrCurve';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const n = checkThresholds(fn, o?.numThresholds ?? 127);
    const curve = computeCurve(fn, toNdArray(fn, 'labels', labels), toNdArray(fn, 'predictions', predictions), n, o?.weights !== undefined ? toNdArray(fn, 'weights', o.weights) : undefined);
    this.addSummary(fn, [prCurveValue(fn, tag, curve, n)], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds a precision-recall curve from precomputed counts (`add_pr_curve_raw`).
   *
   * @example
   * ```ts
   * writer.addPrCurveRaw('pr', tp, fp, tn, fn, precision, recall, step);
   * ```
   */
  addPrCurveRaw(
    tag: string,
    truePositiveCounts: ArrayLike<number>,
    falsePositiveCounts: ArrayLike<number>,
    trueNegativeCounts: ArrayLike<number>,
    falseNegativeCounts: ArrayLike<number>,
    precision: ArrayLike<number>,
    recall: ArrayLike<number>,
    globalStep?: number,
    options?: WalltimeOption & { numThresholds?: number },
  ): void {
    const fn = 'addPrCurveRaw';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const data: PrCurveData = { truePositiveCounts, falsePositiveCounts, trueNegativeCounts, falseNegativeCounts, precision, recall };
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'object' || v === null || typeof (v as ArrayLike<number>).length !== 'number') throw new ArgumentError(`${fn}(): ${k} must be an array of numbers (got ${describe(v)})`);
    }
    const n = checkThresholds(fn, o?.numThresholds ?? truePositiveCounts.length);
    this.addSummary(fn, [prCurveValue(fn, tag, data, n)], checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds a hyperparameter set and its metrics (`add_hparams`). As in PyTorch, the experiment,
   * session start and end and one scalar per metric go to a sub-run `<logDir>/<runName>` (default:
   * the current time); `runName: '.'` writes them into this writer's own run instead. Metric
   * scalars are written as scalars-plugin tensors, which the hparams dashboard reads.
   *
   * @example
   * ```ts
   * writer.addHparams({ lr: 0.1, batchSize: 32, optimizer: 'sgd' }, { 'hparam/accuracy': 0.91, 'hparam/loss': 0.3 });
   * ```
   */
  addHparams(
    hparamDict: Record<string, number | string | boolean | ArrayInput | null | undefined>,
    metricDict: Record<string, number | ArrayInput>,
    options?: { hparamDomainDiscrete?: Record<string, readonly HParamValue[]>; runName?: string; globalStep?: number },
  ): void {
    const fn = 'addHparams';
    this.writer(fn);
    const o = checkOptions(fn, options);
    const wallTime = nowSeconds();
    const s = hparamsValues(fn, hparamDict, metricDict, o?.hparamDomainDiscrete, wallTime);
    const step = checkStep(fn, o?.globalStep);
    const runName = o?.runName || String(wallTime);
    if (typeof runName !== 'string') throw new ArgumentError(`${fn}(): runName must be a string (got ${describe(runName)})`);
    const own = runName === '.';
    const w = own ? this.writer(fn) : new EventFileWriter(join(this.logDir, runName), { filenameSuffix: this.options.filenameSuffix });
    for (const v of [s.experiment, s.sessionStart, s.sessionEnd]) w.addEvent({ wallTime, step, summary: [v] });
    for (const [k, v] of s.metrics) w.addEvent({ wallTime, step, summary: [scalarSummary(k, v, { newStyle: true })] });
    if (own) w.flushSync();
    else w.closeSync();
  }

  /**
   * Sets the custom-scalars layout (`add_custom_scalars`): categories of charts, each
   * `['Multiline', tags]` or `['Margin', [value, lower, upper]]`; tags may be regular expressions.
   *
   * @example
   * ```ts
   * writer.addCustomScalars({ Loss: { 'train vs val': ['Multiline', ['loss/train', 'loss/val']] } });
   * ```
   */
  addCustomScalars(layout: CustomScalarLayout): void {
    const fn = 'addCustomScalars';
    this.writer(fn);
    this.addSummary(fn, [customScalarsValue(fn, layout)], undefined, nowSeconds());
  }

  /**
   * Adds a 3-D mesh or point cloud (`add_mesh`): vertices `[B, N, 3]`, optional colors `[B, N, 3]`
   * (0..255) and faces `[B, F, 3]` (vertex indices).
   *
   * @example
   * ```ts
   * writer.addMesh('cloud', points, step, { colors });
   * ```
   */
  addMesh(tag: string, vertices: ArrayInput, globalStep?: number, options?: WalltimeOption & { colors?: ArrayInput; faces?: ArrayInput; configDict?: Record<string, unknown> }): void {
    const fn = 'addMesh';
    checkTag(fn, tag);
    const o = checkOptions(fn, options);
    const values = meshValues(
      fn,
      tag,
      toNdArray(fn, 'vertices', vertices),
      o?.colors !== undefined ? toNdArray(fn, 'colors', o.colors) : undefined,
      o?.faces !== undefined ? toNdArray(fn, 'faces', o.faces) : undefined,
      o?.configDict,
    );
    this.addSummary(fn, values, checkStep(fn, globalStep), checkWalltime(fn, o));
  }

  /**
   * Adds an embedding for the projector (`add_embedding`): `mat` `[N, D]`, optional labels
   * (`metadata`, one per row, or rows of columns with `metadataHeader`) and thumbnails
   * (`labelImg` `[N, C, H, W]`). Writes files under `<logDir>/<step>/<tag>/` and
   * `projector_config.pbtxt`.
   *
   * @example
   * ```ts
   * await writer.addEmbedding(features, { metadata: labels, labelImg: images, globalStep: epoch });
   * ```
   */
  addEmbedding(
    mat: ArrayInput,
    options?: { metadata?: readonly unknown[]; labelImg?: ArrayInput; globalStep?: number; tag?: string; metadataHeader?: readonly string[] },
  ): Promise<void> {
    const fn = 'addEmbedding';
    this.writer(fn);
    const o = checkOptions(fn, options);
    const tag = checkTag(fn, o?.tag ?? 'default');
    return writeEmbedding(fn, this.logDir, toNdArray(fn, 'mat', mat), {
      metadata: o?.metadata,
      metadataHeader: o?.metadataHeader,
      labelImg: o?.labelImg !== undefined ? toNdArray(fn, 'labelImg', o.labelImg) : undefined,
      globalStep: checkStep(fn, o?.globalStep) ?? 0,
      tag,
    });
  }

  /**
   * Adds the model's structure (`add_graph`). With `inputToModel` the model runs once and the
   * graph shows which module feeds which and their output shapes; without it, the modules and
   * their parameters.
   *
   * @example
   * ```ts
   * writer.addGraph(net, flint.randn([1, 784]));
   * ```
   */
  addGraph(model: ModuleLike, inputToModel?: ArrayInput | readonly ArrayInput[], options?: { verbose?: boolean }): void {
    const fn = 'addGraph';
    const w = this.writer(fn);
    const o = checkOptions(fn, options);
    const inputs = inputToModel === undefined ? undefined : Array.isArray(inputToModel) && inputToModel.length > 0 && typeof inputToModel[0] === 'object' ? [...inputToModel] : [inputToModel];
    const graph = buildGraph(fn, model, inputs);
    if (o?.verbose) for (const n of graph.node) console.log(`${n.name} = ${n.op}(${n.input.join(', ')})`);
    const wallTime = nowSeconds();
    w.addEvent({ wallTime, graphDef: encodeGraphDef(graph) });
    w.addEvent({ wallTime, taggedRunMetadata: { tag: 'step1', runMetadata: encodeRunMetadata(['/device:CPU:0']) } });
  }

  /**
   * Writes everything queued to disk (`flush`): what is ready at once, then what is still being
   * encoded (images) when it is done.
   *
   * @example
   * ```ts
   * await writer.flush();
   * ```
   */
  async flush(): Promise<void> {
    const writers = [...this.allWriters.values()];
    for (const w of writers) w.flushSync();
    await Promise.all(writers.map((w) => w.flush()));
  }

  /**
   * Flushes and closes every event file of this writer (`close`). Later `add*` calls throw.
   *
   * @example
   * ```ts
   * await writer.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const writers = [...this.allWriters.values()];
    for (const w of writers) w.flushSync();
    this.fileWriter = null;
    await Promise.all(writers.map((w) => w.close()));
  }

  /** `await using writer = new SummaryWriter(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
