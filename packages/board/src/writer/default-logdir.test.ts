import { describe, expect, it } from 'vitest';
import { defaultLogdir } from './default-logdir.js';

describe('defaultLogdir', () => {
  it("is PyTorch's runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment> in local time", () => {
    expect(defaultLogdir('_lr0.1', new Date(2024, 2, 5, 9, 7, 3), 'box')).toBe('runs/Mar05_09-07-03_box_lr0.1');
    expect(defaultLogdir('', new Date(2023, 11, 31, 23, 59, 59), 'h')).toBe('runs/Dec31_23-59-59_h');
  });
});
