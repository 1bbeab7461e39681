/**
 * `@flint/board/reader`: the event-file reader a viewer is built on.
 *
 * @example
 * ```ts
 * import { readLogdir } from '@flint/board/reader';
 * const reader = await readLogdir('runs');
 * for (const run of reader.runs()) console.log(run, Object.keys(reader.tags('scalars')[run] ?? {}));
 * ```
 * @module
 */
export { LogdirReader, readLogdir } from './logdir-reader.js';
export type { LogdirReaderOptions, ReloadResult } from './logdir-reader.js';
export { EventFileLoader } from './event-file-loader.js';
export type { ReadProblem } from './event-file-loader.js';
export type {
  AudioEvent,
  Experiment,
  HParamValue,
  HParamsSession,
  HParamsTable,
  HistogramEvent,
  ImageEvent,
  Layout,
  MeshEvent,
  MeshPart,
  PluginName,
  PrCurveEvent,
  RunHParams,
  RunInfo,
  ScalarPoint,
  SessionEndInfo,
  SessionStartInfo,
  TagInfo,
  TensorEvent,
  TextEvent,
} from './types.js';
export type { ProjectorEmbedding } from '../format/projector-config.js';
export type { GraphDefData, NodeDefData, AttrValueData } from '../format/graph-proto.js';
