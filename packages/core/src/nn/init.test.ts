import { describe, expect, it } from 'vitest';
import { Generator, empty, tensor, zeros } from '../index.js';
import { assertClose } from '../testing/index.js';
import { Parameter } from './parameter.js';
import * as init from './init.js';

function stats(t: { dataSync(): ArrayLike<number> }): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('nn.init', () => {
  it('calculateGain matches PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(1.4142135623730951, 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(1.4141428569978354, 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(0.5773502691896258, 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as never)).toThrow(/unsupported nonlinearity "swish"/);
  });

  it('uniform, normal and constant fills, also on parameters that require grad', () => {
    const g = new Generator(0);
    const p = new Parameter(empty([200, 100]));
    init.uniform_(p, -2, 3, { generator: g });
    const s = stats(p);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.05);
    expect(p.requiresGrad).toBe(true);
    expect(p.gradFn).toBeNull();
    init.normal_(p, 1, 0.5, { generator: g });
    const n = stats(p);
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(n.std - 0.5)).toBeLessThan(0.02);
    init.constant_(p, 0.25);
    expect(stats(p)).toMatchObject({ min: 0.25, max: 0.25 });
    init.zeros_(p);
    expect(stats(p).max).toBe(0);
    init.ones_(p);
    expect(stats(p).min).toBe(1);
  });

  it('Xavier and Kaiming use PyTorch fans and bounds', () => {
    const w = zeros([64, 32, 3, 3]); // fanIn 288, fanOut 576
    init.kaimingUniform_(w, { a: Math.sqrt(5), generator: new Generator(1) });
    const bound = 1 / Math.sqrt(288); // gain sqrt(2/6) * sqrt(3/288)
    const s = stats(w);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeGreaterThan(bound * 0.99);
    init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu', generator: new Generator(2) });
    expect(Math.abs(stats(w).std / Math.sqrt(2 / 576) - 1)).toBeLessThan(0.03);
    init.xavierUniform_(w, 1, { generator: new Generator(3) });
    expect(stats(w).max).toBeLessThanOrEqual(Math.sqrt(6 / (288 + 576)));
    init.xavierNormal_(w, 2, { generator: new Generator(4) });
    expect(Math.abs(stats(w).std / (2 * Math.sqrt(2 / 864)) - 1)).toBeLessThan(0.03);
    expect(() => init.kaimingUniform_(zeros([5]))).toThrow(/fewer than 2 dimensions/);
    expect(() => init.kaimingUniform_(w, { mode: 'fan' as never })).toThrow(/mode must be 'fan_in' or 'fan_out'/);
  });

  it('truncNormal stays in [a, b] with the right spread', () => {
    const w = zeros([20000]);
    init.truncNormal_(w, 0, 1, -2, 2, { generator: new Generator(5) });
    const s = stats(w);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThanOrEqual(2);
    // The standard deviation of N(0,1) truncated to [-2, 2] is 0.8796.
    expect(Math.abs(s.std - 0.8796)).toBeLessThan(0.015);
    init.truncNormal_(w, 5, 0.1, 4.9, 5.0, { generator: new Generator(6) });
    expect(stats(w).min).toBeGreaterThanOrEqual(4.9);
  });

  it('orthogonal gives orthonormal rows or columns, scaled by gain', () => {
    for (const shape of [[6, 4], [4, 6], [3, 2, 2]]) {
      const w = zeros(shape);
      init.orthogonal_(w, 2, { generator: new Generator(7) });
      const m = w.reshape(shape[0]!, -1);
      const gram = m.shape[0]! >= m.shape[1]! ? m.t().matmul(m) : m.matmul(m.t());
      const k = gram.shape[0]!;
      assertClose(gram, tensor(Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 4 : 0)))), { atol: 1e-4 });
    }
  });

  it('eye fills 2-D tensors only', () => {
    const w = zeros([2, 3]);
    init.eye_(w);
    expect(w.tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(() => init.eye_(zeros([2, 2, 2]))).toThrow(/only 2-D/);
  });
});
