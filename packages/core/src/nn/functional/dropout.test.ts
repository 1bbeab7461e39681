import { describe, expect, it } from 'vitest';
import { AutogradError, Generator, manualSeed, ones, randn, scope, tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { dropout, dropout2d } from './dropout.js';

runGolden('nn_basic_dropout', {
  dropout_p1: (x) => dropout(x, { p: 1 }),
  dropout_eval: (x) => dropout(x, { p: 0.5, training: false }),
  dropout2d_p1: (x) => dropout2d(x, { p: 1 }),
  dropout2d_eval: (x) => dropout2d(x, { p: 0.3, training: false }),
});

function values(t: { dataSync(): ArrayLike<number> }): number[] {
  return Array.from(t.dataSync());
}

describe('dropout', () => {
  it('zeroes a fraction p and scales the rest by 1 / (1 - p)', () => {
    const n = 40000;
    for (const p of [0.1, 0.5, 0.8]) {
      const y = dropout(ones([n]), { p, generator: new Generator(7) });
      const v = values(y);
      const zeros = v.filter((e) => e === 0).length;
      // Binomial(n, p): 6 standard deviations is far beyond chance, close enough to catch a wrong p.
      expect(Math.abs(zeros / n - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / n));
      expect(v.every((e) => e === 0 || Math.abs(e - 1 / (1 - p)) < 1e-6)).toBe(true);
      // The mean is kept in expectation.
      expect(Math.abs(v.reduce((a, b) => a + b, 0) / n - 1)).toBeLessThan(0.05);
    }
  });

  it('draws the same mask from the same seed, a new one from the next draw', () => {
    const a = values(dropout(ones([64]), { generator: new Generator(3) }));
    const b = values(dropout(ones([64]), { generator: new Generator(3) }));
    expect(a).toEqual(b);
    manualSeed(5);
    const c = values(dropout(ones([64])));
    const d = values(dropout(ones([64])));
    expect(c).not.toEqual(d);
    manualSeed(5);
    expect(values(dropout(ones([64])))).toEqual(c);
  });

  it('passes the gradient through the kept elements only, scaled', () => {
    const x = randn([200], { requiresGrad: true });
    const y = dropout(x, { p: 0.25, generator: new Generator(1) });
    y.sum().backward();
    const g = values(x.grad!);
    const out = values(y);
    const xs = values(x);
    g.forEach((gi, i) => {
      const kept = out[i] !== 0 || xs[i] === 0;
      expect(gi).toBeCloseTo(kept ? 1 / 0.75 : 0, 5);
    });
  });

  it('returns the input itself when not training, for p = 0 and for empty input', () => {
    const x = randn([3, 4]);
    expect(dropout(x, { training: false })).toBe(x);
    expect(dropout(x, { p: 0 })).toBe(x);
    expect(dropout2d(x, { p: 0.4, training: false })).toBe(x);
    const e = randn([0, 3]);
    expect(dropout(e)).toBe(e);
  });

  it('dropout2d zeroes whole channels', () => {
    const y = dropout2d(ones([8, 16, 3, 3]), { p: 0.5, generator: new Generator(11) });
    const v = values(y);
    let zeroed = 0;
    for (let c = 0; c < 8 * 16; c++) {
      const block = v.slice(c * 9, c * 9 + 9);
      expect(new Set(block).size).toBe(1);
      if (block[0] === 0) zeroed++;
      else expect(block[0]).toBeCloseTo(2, 6);
    }
    expect(zeroed).toBeGreaterThan(30);
    expect(zeroed).toBeLessThan(98);
    // 3-D input is [N, C, L], as in PyTorch 1.13.
    const z = values(dropout2d(ones([4, 5, 6]), { p: 0.5, generator: new Generator(2) }));
    for (let c = 0; c < 20; c++) expect(new Set(z.slice(c * 6, c * 6 + 6)).size).toBe(1);
  });

  it('runs in place when asked and validates its arguments', () => {
    const x = ones([100]);
    const y = dropout(x, { p: 0.5, inplace: true, generator: new Generator(4) });
    expect(y).toBe(x);
    expect(values(x).some((v) => v === 0)).toBe(true);
    expect(() => dropout(randn([2], { requiresGrad: true }), { inplace: true })).toThrow(AutogradError);
    expect(() => dropout(randn([2]), { p: 1.5 })).toThrow(/dropout\(\): p must be a probability in \[0, 1\] \(got 1.5\)/);
    expect(() => dropout2d(randn([4]))).toThrow(/dropout2d\(\): input must have at least 2 dimensions/);
    expect(() => dropout(tensor([1], { dtype: 'int32' }))).toThrow(/dropout\(\): input must be a float32 tensor/);
  });

  it('frees its mask with the graph', () => {
    const x = randn([50], { requiresGrad: true });
    expectNoLeak(() =>
      scope(() => {
        dropout(x, { p: 0.3 }).sum().backward();
        dropout2d(x.reshape(5, 10), { p: 0.3 });
        x.grad = null;
      }),
    );
    assertClose(dropout(x, { p: 0 }), x);
  });
});
