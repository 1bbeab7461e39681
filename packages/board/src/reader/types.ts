/**
 * What the reader gives a viewer: one type per plugin's series entry. Wall times are seconds
 * since the epoch; steps are numbers.
 * @module
 */
import type { Experiment, HParamValue, Layout, SessionEndInfo, SessionStartInfo } from '../format/plugin-protos.js';

export type { Experiment, HParamValue, Layout, SessionEndInfo, SessionStartInfo };

/** The plugins a tag can belong to. */
export type PluginName = 'scalars' | 'histograms' | 'images' | 'audio' | 'text' | 'pr_curves' | 'mesh' | 'tensors';

/** A scalar point `[wallTime, step, value]`, as TensorBoard's `/scalars` route returns it. */
export type ScalarPoint = [wallTime: number, step: number, value: number];

/** Display name and description of a tag (from its summary metadata). */
export interface TagInfo {
  displayName: string;
  description: string;
}

/** One histogram. `buckets` are `[left, right, count]` as TensorBoard's data API gives them. */
export interface HistogramEvent {
  wallTime: number;
  step: number;
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  buckets: [left: number, right: number, count: number][];
}

/** One image (or one sample of a multi-image summary). */
export interface ImageEvent {
  wallTime: number;
  step: number;
  /** Index within a multi-image summary (0 for `add_image`). */
  sample: number;
  width: number;
  height: number;
  /** 'image/png', 'image/gif' (videos), 'image/jpeg' or 'application/octet-stream'. */
  contentType: string;
  /** The encoded image, ready to serve. */
  data: Uint8Array;
}

/** One audio clip. */
export interface AudioEvent {
  wallTime: number;
  step: number;
  sample: number;
  sampleRate: number;
  numChannels: number;
  lengthFrames: number;
  contentType: string;
  /** The encoded audio (WAV from `add_audio`). */
  data: Uint8Array;
  /** Markdown label of the clip, when the summary has one. */
  label?: string;
}

/** One text summary. */
export interface TextEvent {
  wallTime: number;
  step: number;
  /** The text (Markdown) of a single-string summary; for arrays, the strings joined by newlines. */
  text: string;
  /** All strings, row-major. */
  values: string[];
  /** Shape of the string tensor ([1] from `add_text`; rank 2 renders as a table). */
  shape: number[];
}

/** One PR curve: columns per threshold. */
export interface PrCurveEvent {
  wallTime: number;
  step: number;
  thresholds: number[];
  truePositives: number[];
  falsePositives: number[];
  trueNegatives: number[];
  falseNegatives: number[];
  precision: number[];
  recall: number[];
}

/** One part of a mesh (vertices, faces or colors). */
export interface MeshPart {
  shape: number[];
  data: Float32Array;
}

/** One mesh summary: its parts at one step. */
export interface MeshEvent {
  wallTime: number;
  step: number;
  vertices?: MeshPart;
  faces?: MeshPart;
  colors?: MeshPart;
  /** three.js configuration, JSON. */
  config: string;
}

/** A tensor of a plugin this reader does not know. */
export interface TensorEvent {
  wallTime: number;
  step: number;
  dtype: number;
  shape: number[];
  /** Numbers (empty for strings). */
  values: Float64Array;
  /** Strings of a DT_STRING tensor. */
  strings?: string[];
}

/** What a run has of the hparams plugin. */
export interface RunHParams {
  experiment?: Experiment;
  sessionStart?: SessionStartInfo;
  sessionEnd?: SessionEndInfo;
}

/** A row of the hparams table: one session (a run with `session_start_info`). */
export interface HParamsSession {
  run: string;
  hparams: Record<string, HParamValue>;
  /** Last value of each metric tag in the session's run (or `<run>/<group>`), when it has one. */
  metrics: Record<string, { value: number; step: number; wallTime: number }>;
  status?: number;
  startTime?: number;
  endTime?: number;
}

/** The hparams table over all runs: columns and one row per session. */
export interface HParamsTable {
  hparams: { name: string; type: number; domainDiscrete?: HParamValue[] }[];
  metrics: { tag: string; group: string }[];
  sessions: HParamsSession[];
}

/** A run as the viewer lists it. */
export interface RunInfo {
  name: string;
  /** Absolute directory. */
  dir: string;
  /** Wall time of the first event, if any was read. */
  startTime?: number;
  /** Event files and bytes read from each. */
  files: { path: string; bytesRead: number }[];
}
