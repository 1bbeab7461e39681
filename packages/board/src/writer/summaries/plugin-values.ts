/**
 * Summary values whose layout is a plugin's: scalars (old and new style), text, PR curves and
 * custom-scalar layouts. Each builder returns the `Summary.Value`s PyTorch's summary functions
 * build.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { DataClass, type SummaryValueData } from '../../format/event-proto.js';
import { type Layout, type LayoutChart, encodeLayout, encodePrCurvePluginData } from '../../format/plugin-protos.js';
import { DataType } from '../../format/tensor-proto.js';
import type { NdArray } from '../../util/ndarray.js';

const utf8 = new TextEncoder();

/** Options of a scalar. */
export interface ScalarStyle {
  /** Write a tensor with the scalars plugin instead of `simple_value` (`new_style`). */
  newStyle?: boolean;
  /** With `newStyle`, write a DT_DOUBLE tensor (`double_precision`); TensorBoard's Rust reader drops those. */
  doublePrecision?: boolean;
}

/**
 * A scalar value: `simple_value` by default, as PyTorch writes it.
 *
 * @example
 * ```ts
 * scalarValue('loss', 0.5); // { tag: 'loss', simpleValue: 0.5 }
 * ```
 */
export function scalarValue(tag: string, value: number, style: ScalarStyle = {}): SummaryValueData {
  if (!style.newStyle) return { tag, simpleValue: value };
  return {
    tag,
    metadata: { pluginName: 'scalars', dataClass: DataClass.SCALAR },
    tensor: style.doublePrecision ? { dtype: DataType.DOUBLE, doubleVal: [value] } : { dtype: DataType.FLOAT, floatVal: [value] },
  };
}

/**
 * A text value, as PyTorch's `add_text` writes it: tag `<tag>/text_summary`, a DT_STRING tensor
 * of shape [1], the text plugin.
 *
 * @example
 * ```ts
 * textValue('notes', '**bold**').tag; // 'notes/text_summary'
 * ```
 */
export function textValue(tag: string, text: string): SummaryValueData {
  return {
    tag: `${tag}/text_summary`,
    metadata: { pluginName: 'text', dataClass: DataClass.TENSOR },
    tensor: { dtype: DataType.STRING, shape: [1], stringVal: [utf8.encode(text)] },
  };
}

/** The PR-curve rows TP, FP, TN, FN, precision, recall, each of `numThresholds` values. */
export interface PrCurveData {
  truePositiveCounts: ArrayLike<number>;
  falsePositiveCounts: ArrayLike<number>;
  trueNegativeCounts: ArrayLike<number>;
  falseNegativeCounts: ArrayLike<number>;
  precision: ArrayLike<number>;
  recall: ArrayLike<number>;
}

const MINIMUM_COUNT = 1e-7;

/**
 * PyTorch's `compute_curve`: predictions bucketed by `floor(p * (N - 1))`, weighted counts,
 * reverse cumulative sums, precision and recall.
 *
 * @example
 * ```ts
 * computeCurve('addPrCurve', labels, predictions, 127).precision;
 * ```
 */
export function computeCurve(fn: string, labels: NdArray, predictions: NdArray, numThresholds: number, weights?: NdArray): PrCurveData {
  const n = predictions.data.length;
  if (labels.data.length !== n) {
    throw new ShapeError(`${fn}(): labels and predictions must have the same number of elements (got ${labels.data.length} and ${n})`);
  }
  if (weights && weights.data.length !== n && weights.data.length !== 1) {
    throw new ShapeError(`${fn}(): weights must have one value per prediction (${n}) or be a single value (got ${weights.data.length})`);
  }
  const tpBuckets = new Float64Array(numThresholds);
  const fpBuckets = new Float64Array(numThresholds);
  const f32 = predictions.kind === 'float32';
  for (let i = 0; i < n; i++) {
    const p = Number(predictions.data[i]);
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`${fn}(): predictions must lie in [0, 1] (got ${p} at index ${i})`);
    const scaled = f32 ? Math.fround(Math.fround(p) * (numThresholds - 1)) : p * (numThresholds - 1);
    const b = Math.floor(scaled);
    const label = Number(labels.data[i]);
    const w = weights ? Number(weights.data[weights.data.length === 1 ? 0 : i]) : 1;
    tpBuckets[b]! += label * w;
    fpBuckets[b]! += (1 - label) * w;
  }
  const tp = new Float64Array(numThresholds);
  const fp = new Float64Array(numThresholds);
  let accTp = 0;
  let accFp = 0;
  for (let i = numThresholds - 1; i >= 0; i--) {
    accTp += tpBuckets[i]!;
    accFp += fpBuckets[i]!;
    tp[i] = accTp;
    fp[i] = accFp;
  }
  const tn = fp.map((v) => fp[0]! - v);
  const fnc = tp.map((v) => tp[0]! - v);
  const precision = tp.map((v, i) => v / Math.max(MINIMUM_COUNT, v + fp[i]!));
  const recall = tp.map((v, i) => v / Math.max(MINIMUM_COUNT, v + fnc[i]!));
  return { truePositiveCounts: tp, falsePositiveCounts: fp, trueNegativeCounts: tn, falseNegativeCounts: fnc, precision, recall };
}

/**
 * A PR-curve value: DT_FLOAT tensor [6, N] (TP, FP, TN, FN, precision, recall), pr_curves plugin.
 *
 * @example
 * ```ts
 * prCurveValue('addPrCurveRaw', 'pr', curve, 127);
 * ```
 */
export function prCurveValue(fn: string, tag: string, d: PrCurveData, numThresholds: number): SummaryValueData {
  const rows = [d.truePositiveCounts, d.falsePositiveCounts, d.trueNegativeCounts, d.falseNegativeCounts, d.precision, d.recall];
  const n = rows[0]!.length;
  const names = ['truePositiveCounts', 'falsePositiveCounts', 'trueNegativeCounts', 'falseNegativeCounts', 'precision', 'recall'];
  rows.forEach((r, i) => {
    if (r.length !== n) throw new ShapeError(`${fn}(): ${names[i]} has ${r.length} values but truePositiveCounts has ${n}; all six must have the same length`);
  });
  if (n === 0) throw new ShapeError(`${fn}(): the PR-curve arrays are empty`);
  const flat = new Float32Array(6 * n);
  rows.forEach((r, i) => flat.set(Array.from(r, Number), i * n));
  return {
    tag,
    metadata: { pluginName: 'pr_curves', pluginContent: encodePrCurvePluginData(numThresholds), dataClass: DataClass.TENSOR },
    tensor: { dtype: DataType.FLOAT, shape: [6, n], floatVal: flat },
  };
}

/** A custom-scalars chart as PyTorch takes it: `['Multiline', tags]` or `['Margin', [value, lower, upper]]`. */
export type CustomScalarChart = readonly ['Multiline', readonly string[]] | readonly ['Margin', readonly [string, string, string]];

/** `{ category: { chartTitle: chart } }`, PyTorch's `add_custom_scalars` layout. */
export type CustomScalarLayout = Record<string, Record<string, CustomScalarChart>>;

/**
 * The `custom_scalars__config__` value: a Layout proto in a DT_STRING scalar tensor.
 *
 * @example
 * ```ts
 * customScalarsValue('addCustomScalars', { Losses: { both: ['Multiline', ['loss/train', 'loss/val']] } });
 * ```
 */
export function customScalarsValue(fn: string, layout: CustomScalarLayout): SummaryValueData {
  if (typeof layout !== 'object' || layout === null || Array.isArray(layout)) {
    throw new ArgumentError(`${fn}(): layout must be an object { category: { chartTitle: ['Multiline', tags] | ['Margin', [value, lower, upper]] } } (got ${describe(layout)})`);
  }
  const l: Layout = { categories: [] };
  for (const [title, charts] of Object.entries(layout)) {
    if (typeof charts !== 'object' || charts === null) throw new ArgumentError(`${fn}(): layout[${JSON.stringify(title)}] must be an object of charts (got ${describe(charts)})`);
    const out: LayoutChart[] = [];
    for (const [chartTitle, chart] of Object.entries(charts)) {
      const where = `layout[${JSON.stringify(title)}][${JSON.stringify(chartTitle)}]`;
      if (!Array.isArray(chart) || chart.length !== 2 || !Array.isArray(chart[1]) || !chart[1].every((t: unknown) => typeof t === 'string')) {
        throw new ArgumentError(`${fn}(): ${where} must be ['Multiline', tags] or ['Margin', [value, lower, upper]] with string tags (got ${describe(chart)})`);
      }
      const tags = chart[1] as string[];
      if (chart[0] === 'Margin') {
        if (tags.length !== 3) throw new ArgumentError(`${fn}(): ${where} is a Margin chart and needs exactly [value, lower, upper] (got ${tags.length} tags)`);
        out.push({ title: chartTitle, margin: { series: [{ value: tags[0]!, lower: tags[1]!, upper: tags[2]! }] } });
      } else if (chart[0] === 'Multiline') {
        out.push({ title: chartTitle, multiline: { tags: [...tags] } });
      } else {
        throw new ArgumentError(`${fn}(): ${where}[0] must be 'Multiline' or 'Margin' (got ${describe(chart[0])})`);
      }
    }
    l.categories.push({ title, charts: out });
  }
  return {
    tag: 'custom_scalars__config__',
    metadata: { pluginName: 'custom_scalars' },
    tensor: { dtype: DataType.STRING, shape: [], stringVal: [encodeLayout(l)] },
  };
}
