import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, manualSeed, randn, scope, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { bilinear, linear } from '../functional/linear.js';
import { Bilinear, Identity, Linear } from './linear.js';

function stats(t: Tensor): { min: number; max: number; mean: number; variance: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { min: Math.min(...v), max: Math.max(...v), mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
}

describe('Linear', () => {
  it('initialises as PyTorch: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias', () => {
    const fc = new Linear(400, 300, { generator: new Generator(0) });
    const bound = 1 / Math.sqrt(400);
    const w = stats(fc.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.max).toBeGreaterThan(0.99 * bound); // uses the whole range, not a narrower one
    expect(Math.abs(w.mean)).toBeLessThan(0.01 * bound);
    expect(w.variance).toBeCloseTo((bound * bound) / 3, 5); // kaiming_uniform with a = sqrt(5)
    const b = stats(fc.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.max - b.min).toBeGreaterThan(1.8 * bound);
  });

  it('draws the same values from the same seed', () => {
    const a = new Linear(5, 4, { generator: new Generator(9) });
    const b = new Linear(5, 4, { generator: new Generator(9) });
    assertClose(a.weight, b.weight, { atol: 0 });
    assertClose(a.bias!, b.bias!, { atol: 0 });
    manualSeed(3);
    const c = new Linear(5, 4);
    manualSeed(3);
    assertClose(new Linear(5, 4).weight, c.weight, { atol: 0 });
  });

  it('computes F.linear, trains, and has PyTorch key names', () => {
    const fc = new Linear(6, 3);
    expect(Object.keys(fc.stateDict())).toEqual(['weight', 'bias']);
    expect(fc.countParameters()).toBe(21);
    const x = randn([2, 5, 6]);
    assertClose(fc(x), linear(x, fc.weight, fc.bias));
    fc(x).sum().backward();
    expect(fc.weight.grad!.shape).toEqual([3, 6]);
    assertClose(fc.bias!.grad!, [10, 10, 10]);
    const nb = new Linear(6, 3, { bias: false });
    expect(nb.bias).toBeNull();
    expect(Object.keys(nb.stateDict())).toEqual(['weight']);
    expect(new Linear(0, 2).bias!.tolist()).toEqual([0, 0]); // fan-in 0: the bound is 0
  });

  it('refuses bad sizes and mismatched inputs', () => {
    expect(() => new Linear(-1, 2)).toThrow(/Linear\(\): inFeatures must be an integer >= 0 \(got -1\)/);
    expect(() => new Linear(2.5, 2)).toThrow(ArgumentError);
    expect(() => new Linear(784, 10)(randn([2, 512]))).toThrow(/linear\(\): input.shape\[-1\] \(512\) must equal weight.shape\[1\] \(784\)/);
  });

  it('leaves nothing behind when built and trained in a scope', () => {
    const fc = new Linear(4, 4);
    expectNoLeak(() =>
      scope(() => {
        fc(randn([3, 4])).sum().backward();
        fc.zeroGrad();
      }),
    );
    fc.dispose();
  });
});

describe('Bilinear', () => {
  it('initialises weight and bias from U(-1/sqrt(in1), 1/sqrt(in1)) and computes F.bilinear', () => {
    const m = new Bilinear(16, 3, 50, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(16);
    const w = stats(m.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.max).toBeGreaterThan(0.98 * bound);
    expect(stats(m.bias!).max).toBeLessThanOrEqual(bound);
    expect(m.weight.shape).toEqual([50, 16, 3]);
    const a = randn([4, 16]);
    const b = randn([4, 3]);
    assertClose(m(a, b), bilinear(a, b, m.weight, m.bias), { atol: 1e-5 });
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias']);
  });
});

describe('Identity', () => {
  it('returns its input and ignores constructor arguments', () => {
    const x = randn([2]);
    expect(new Identity(54, { unused: true })(x)).toBe(x);
    expect([...new Identity().parameters()]).toEqual([]);
  });
});
