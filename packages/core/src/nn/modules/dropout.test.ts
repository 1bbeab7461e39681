import { describe, expect, it } from 'vitest';
import { Generator, ones } from '../../index.js';
import { Sequential } from './container.js';
import { Dropout, Dropout2d } from './dropout.js';

describe('Dropout layers', () => {
  it('drop in training mode and are the identity in eval mode', () => {
    const drop = new Dropout(0.5, { generator: new Generator(0) });
    expect(drop.training).toBe(true);
    const x = ones([1000]);
    const v = Array.from(drop(x).dataSync());
    const zeros = v.filter((e) => e === 0).length;
    expect(zeros).toBeGreaterThan(400);
    expect(zeros).toBeLessThan(600);
    expect(v.filter((e) => e !== 0).every((e) => e === 2)).toBe(true);
    drop.eval();
    expect(drop(x)).toBe(x);
    // Switching the parent switches the layer.
    const seq = new Sequential(new Dropout2d(0.3));
    seq.eval();
    expect(seq(x.reshape(10, 10, 10))).toBeDefined();
    expect(seq.at(0).training).toBe(false);
  });

  it('Dropout2d zeroes whole channels of [N, C, H, W]', () => {
    const drop = new Dropout2d(0.5, { generator: new Generator(5) });
    const v = Array.from(drop(ones([4, 8, 2, 2])).dataSync());
    for (let c = 0; c < 32; c++) expect(new Set(v.slice(c * 4, c * 4 + 4)).size).toBe(1);
  });

  it('same generator seed, same masks', () => {
    const a = new Dropout(0.3, { generator: new Generator(42) });
    const b = new Dropout(0.3, { generator: new Generator(42) });
    expect(Array.from(a(ones([64])).dataSync())).toEqual(Array.from(b(ones([64])).dataSync()));
  });

  it('validate p naming the class', () => {
    expect(() => new Dropout(1.2)).toThrow(/Dropout\(\): p must be a probability in \[0, 1\] \(got 1.2\)/);
    expect(() => new Dropout2d(-0.1)).toThrow(/Dropout2d\(\): p must be a probability/);
  });
});
