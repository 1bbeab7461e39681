import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../../errors.js';
import { histogramRaw, makeHistogram, tensorflowBins } from './histogram.js';

interface Golden {
  values: number[];
  bins: 'tensorflow' | number | number[];
  max_bins?: number;
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}
const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/board_golden.json'), 'utf8'));

describe('tensorflowBins', () => {
  it("are PyTorch's default edges exactly", () => {
    const bins = tensorflowBins();
    expect(bins.length).toBe(golden.tensorflow_bins.count);
    expect(bins[0]).toBe(golden.tensorflow_bins.first);
    expect(bins[bins.length - 1]).toBe(golden.tensorflow_bins.last);
    expect(bins.slice(774, 777)).toEqual(golden.tensorflow_bins.mid);
  });
});

describe('makeHistogram', () => {
  golden.histograms.forEach((g: Golden, i: number) => {
    it(`matches PyTorch's make_histogram (case ${i}: bins ${Array.isArray(g.bins) ? 'edges' : g.bins}${g.max_bins ? `, maxBins ${g.max_bins}` : ''})`, () => {
      const h = makeHistogram('t', g.values, g.bins, g.max_bins);
      expect(h.bucket).toEqual(g.bucket);
      expect(h.bucketLimit).toEqual(g.bucket_limit);
      expect(h.min).toBe(g.min);
      expect(h.max).toBe(g.max);
      expect(h.num).toBe(g.num);
      expect(h.sum).toBeCloseTo(g.sum, 9);
      expect(h.sumSquares).toBeCloseTo(g.sum_squares, 8);
    });
  });

  it('keeps one empty bucket on the left', () => {
    const h = makeHistogram('t', [1, 1, 2], [0, 1, 2, 3, 4]);
    expect(h.bucket).toEqual([0, 2, 1]);
    expect(h.bucketLimit).toEqual([1, 2, 3]);
  });

  it('rejects empty input, bad bins, and values outside every bin', () => {
    expect(() => makeHistogram('addHistogram', [], 'tensorflow')).toThrow(ShapeError);
    expect(() => makeHistogram('addHistogram', [1], 0)).toThrow(/bins must be/);
    expect(() => makeHistogram('addHistogram', [1], [3, 2])).toThrow(ArgumentError);
    expect(() => makeHistogram('addHistogram', [10], [0, 1])).toThrow(/no value falls inside/);
    expect(() => makeHistogram('addHistogram', [1, NaN], 3)).toThrow(/finite/);
  });
});

describe('histogramRaw', () => {
  it('checks that limits and counts have the same length', () => {
    expect(() => histogramRaw('addHistogramRaw', 0, 1, 1, 1, 1, [1, 2], [1])).toThrow(/same length/);
    expect(histogramRaw('addHistogramRaw', 0, 1, 1, 1, 1, [1], [1]).bucket).toEqual([1]);
  });
});
