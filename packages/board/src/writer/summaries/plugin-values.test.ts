import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCurve, customScalarsValue, scalarValue, textValue } from './plugin-values.js';
import type { NdArray } from '../../util/ndarray.js';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/board_golden.json'), 'utf8'));

describe('computeCurve', () => {
  golden.pr_curves.forEach((g: { labels: number[]; predictions: number[]; dtype: string; num_thresholds: number; weights?: number[]; data: number[][] }, i: number) => {
    it(`matches PyTorch's compute_curve (case ${i}: ${g.dtype}, ${g.num_thresholds} thresholds${g.weights ? ', weighted' : ''})`, () => {
      const preds: NdArray = g.dtype === 'float32' ? { data: Float32Array.from(g.predictions), shape: [g.predictions.length], kind: 'float32' } : { data: g.predictions, shape: [g.predictions.length], kind: 'float64' };
      const labels: NdArray = { data: g.labels, shape: [g.labels.length], kind: 'float64' };
      const weights: NdArray | undefined = g.weights ? { data: g.weights, shape: [g.weights.length], kind: 'float64' } : undefined;
      const c = computeCurve('addPrCurve', labels, preds, g.num_thresholds, weights);
      const rows = [c.truePositiveCounts, c.falsePositiveCounts, c.trueNegativeCounts, c.falseNegativeCounts, c.precision, c.recall];
      rows.forEach((r, k) => Array.from(r).forEach((v, j) => expect(v).toBeCloseTo(g.data[k]![j]!, 9)));
    });
  });

  it('rejects predictions outside [0, 1] and mismatched lengths', () => {
    const nd = (d: number[]): NdArray => ({ data: d, shape: [d.length], kind: 'float64' });
    expect(() => computeCurve('addPrCurve', nd([1]), nd([1.5]), 10)).toThrow(/addPrCurve\(\): predictions must lie in \[0, 1\]/);
    expect(() => computeCurve('addPrCurve', nd([1, 0]), nd([0.5]), 10)).toThrow(/same number of elements/);
  });
});

describe('plugin values', () => {
  it('scalars: simple_value by default, a float tensor with newStyle', () => {
    expect(scalarValue('a', 1)).toEqual({ tag: 'a', simpleValue: 1 });
    expect(scalarValue('a', 1, { newStyle: true }).tensor?.floatVal).toEqual([1]);
    expect(scalarValue('a', 1, { newStyle: true, doublePrecision: true }).tensor?.doubleVal).toEqual([1]);
  });

  it("text: PyTorch's tag and a [1] string tensor", () => {
    const v = textValue('notes', 'hi');
    expect(v.tag).toBe('notes/text_summary');
    expect(v.tensor?.shape).toEqual([1]);
    expect(v.metadata?.pluginName).toBe('text');
  });

  it('custom scalars: clear errors for malformed layouts', () => {
    expect(() => customScalarsValue('addCustomScalars', { A: { c: ['Margin', ['a', 'b'] as never] } })).toThrow(/Margin chart and needs exactly/);
    expect(() => customScalarsValue('addCustomScalars', { A: { c: ['Pie', ['a']] as never } })).toThrow(/must be 'Multiline' or 'Margin'/);
    expect(() => customScalarsValue('addCustomScalars', [] as never)).toThrow(/layout must be an object/);
  });
});
