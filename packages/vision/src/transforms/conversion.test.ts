/**
 * ToPILImage's `mode` (`transforms.ToPILImage(mode)`): the mode of the channel count is accepted,
 * another one is an error naming the function, the mode expected and the one given.
 */
import { describe, expect, it } from 'vitest';
import { rand } from '@flint/core';
import { Image } from '../image.js';
import { ToPILImage } from './conversion.js';
import { toPILImage } from './functional/convert.js';

describe('ToPILImage(mode)', () => {
  it('accepts the mode of the channel count and gives an Image of that mode', () => {
    for (const [c, mode] of [[1, 'L'], [2, 'LA'], [3, 'RGB'], [4, 'RGBA']] as const) {
      const img = new ToPILImage(mode)(rand([c, 3, 5]));
      expect(img).toBeInstanceOf(Image);
      expect(img.mode).toBe(mode);
      expect(img.size).toEqual([5, 3]);
    }
    expect(new ToPILImage()(rand([2, 3, 5])).mode).toBe('LA');
    expect(String(new ToPILImage('RGB'))).toBe("ToPILImage('RGB')");
  });

  it('refuses a mode that does not fit the channels, and unknown modes', () => {
    expect(() => new ToPILImage('L')(rand([3, 4, 4]))).toThrow(/toPILImage\(\): only mode 'RGB' is supported for 3-channel inputs \(got "L"\)/);
    expect(() => toPILImage(rand([1, 4, 4]), 'RGBA')).toThrow(/only mode 'L' is supported for 1-channel inputs \(got "RGBA"\)/);
    expect(() => new ToPILImage('CMYK' as never)).toThrow(/ToPILImage\(\): mode must be 'L', 'LA', 'RGB' or 'RGBA' \(got "CMYK"\)/);
  });
});
