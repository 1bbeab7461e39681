// The browser app's pure modules (plain ES modules, no DOM needed) checked in Node.
import { describe, expect, it } from 'vitest';
import { rebin, ticks } from '../../viewer-app/app/histogram-math.js';
import { pca } from '../../viewer-app/app/pca.js';
import { smooth } from '../../viewer-app/app/smoothing.js';

describe('smooth (TensorBoard debiased EMA)', () => {
  it('follows last = last*w + (1-w)*y; out = last/(1-w^n)', () => {
    const w = 0.6;
    const ys = [1, 3, 2, 5];
    let last = 0;
    const want = ys.map((y, i) => {
      last = last * w + (1 - w) * y;
      return last / (1 - w ** (i + 1));
    });
    const got = smooth(ys, w);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    expect(got[0]).toBe(1); // debiased: the first point is the first value
  });

  it('passes non-finite values through and counts only finite points', () => {
    const got = smooth([1, NaN, 3, Infinity, 5], 0.5);
    expect(Number.isNaN(got[1])).toBe(true);
    expect(got[3]).toBe(Infinity);
    // finite points 1, 3, 5 with n = 1, 2, 3
    expect(got[0]).toBeCloseTo(1, 12);
    expect(got[2]).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25), 12);
    expect(got[4]).toBeCloseTo((0.125 * 1 + 0.25 * 3 + 0.5 * 5) / (1 - 0.125), 12);
  });

  it('leaves constant series and weight 0 alone', () => {
    expect(smooth([2, 2, 2], 0.9)).toEqual([2, 2, 2]);
    expect(smooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
    expect(smooth([], 0.5)).toEqual([]);
  });
});

describe('histogram rebinning', () => {
  it('spreads counts by overlap and keeps the total', () => {
    expect([...rebin([[0, 1, 2], [1, 2, 4]], 0, 2, 2)]).toEqual([2, 4]);
    expect([...rebin([[0, 2, 4]], 0, 2, 4)]).toEqual([1, 1, 1, 1]);
    const b = rebin([[-1, 0.3, 7], [0.3, 0.3, 2], [0.3, 5, 11]], -1, 5, 7);
    expect(b.reduce((a, x) => a + x, 0)).toBeCloseTo(20, 12);
  });

  it('ticks are round numbers inside the range', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-1.3, 3.2, 5)).toEqual([-1, 0, 1, 2, 3]);
  });
});

describe('pca', () => {
  it('finds the direction of largest variance and its share', () => {
    const { coords, variance } = pca(new Float32Array([0, 0, 1, 1, 2, 2]), 3, 2, 1);
    expect(coords[0]).toBeCloseTo(-Math.SQRT2, 6);
    expect(coords[1]).toBeCloseTo(0, 6);
    expect(coords[2]).toBeCloseTo(Math.SQRT2, 6);
    expect(variance[0]).toBeCloseTo(1, 9);
  });

  it('gives orthogonal components ordered by variance', () => {
    // points spread 3 along x, 1 along y, 0.1 along z
    const rows: number[] = [];
    for (let i = 0; i < 200; i++) rows.push(3 * Math.sin(i * 1.1), Math.cos(i * 2.3), 0.1 * Math.sin(i * 5.7));
    const { components, variance } = pca(rows, 200, 3, 3);
    expect(Math.abs(components[0]![0]!)).toBeGreaterThan(0.99);
    expect(Math.abs(components[1]![1]!)).toBeGreaterThan(0.99);
    const dot = components[0]!.reduce((a, v, j) => a + v * components[1]![j]!, 0);
    expect(Math.abs(dot)).toBeLessThan(1e-9);
    expect(variance[0]!).toBeGreaterThan(variance[1]!);
    expect(variance[1]!).toBeGreaterThan(variance[2]!);
    expect(variance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});
