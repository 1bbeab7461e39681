import { describe, expect, it } from 'vitest';
import { Image } from './image.js';

describe('Image', () => {
  it('holds interleaved bytes and reports size as [width, height]', () => {
    const img = new Image(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1, 'RGB');
    expect(img.size).toEqual([2, 1]);
    expect(img.channels).toBe(3);
    expect(img.getPixel(1, 0)).toEqual([4, 5, 6]);
    expect(String(img)).toBe('Image(mode=RGB, size=2x1)');
  });
  it('converts RGB to L with PIL luma and back to RGB(A)', () => {
    const img = new Image(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 150, 200]), 4, 1, 'RGB');
    // PIL: L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded
    expect(Array.from(img.convert('L').data)).toEqual([76, 150, 29, 141]);
    const rgba = img.convert('L').convert('RGBA');
    expect(Array.from(rgba.data.subarray(0, 4))).toEqual([76, 76, 76, 255]);
    expect(img.convert('LA').getPixel(3, 0)).toEqual([141, 255]);
  });
  it('rejects data of the wrong length, naming what it expected', () => {
    expect(() => new Image(new Uint8Array(5), 2, 2, 'L')).toThrow(/Image\(\): data must be a Uint8Array of width \* height \* channels = 4 bytes for mode 'L' \(got 5 bytes\)/);
    expect(() => new Image(new Uint8Array(4), 2, 2, 'P' as never)).toThrow(/mode must be one of/);
  });
});
