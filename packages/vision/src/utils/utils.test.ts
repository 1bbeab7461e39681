/**
 * makeGrid and drawBoundingBoxes against torchvision.utils 0.14 (fixtures/utils.json from
 * tools/fixtures/vision_utils.py); saveImage round-trips through sharp. makeGrid is exact up to
 * float32 rounding of the normalization (1e-6); boxes are pixel-exact, as PIL draws them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rand, tensor, type Tensor } from '@flint/core';
import { runGolden } from '../../test/golden.js';
import { readImage } from '../io/image-io.js';
import { drawBoundingBoxes, makeGrid, saveImage } from './index.js';

runGolden(
  'utils',
  {
    make_grid_default: (x: Tensor) => makeGrid(x),
    make_grid_nrow2_pad1: (x: Tensor) => makeGrid(x, { nrow: 2, padding: 1, padValue: 0.5 }),
    make_grid_normalize: { fn: (x: Tensor) => makeGrid(x, { nrow: 3, normalize: true }), atol: 1e-6 },
    make_grid_value_range: { fn: (x: Tensor) => makeGrid(x, { normalize: true, valueRange: [-0.5, 1.5] }), atol: 1e-6 },
    make_grid_scale_each: { fn: (x: Tensor) => makeGrid(x, { normalize: true, scaleEach: true, padding: 0 }), atol: 1e-6 },
    make_grid_gray: (x: Tensor) => makeGrid(x, { nrow: 2 }),
    make_grid_single: (x: Tensor) => makeGrid(x),
    draw_boxes_default: (x: Tensor, b: Tensor) => drawBoundingBoxes(x, b),
    draw_boxes_colors_width: (x: Tensor, b: Tensor) => drawBoundingBoxes(x, b, { colors: ['red', [0, 255, 0], '#0000ff', 'yellow'], width: 3 }),
    draw_boxes_fill: (x: Tensor, b: Tensor) => drawBoundingBoxes(x, b, { colors: 'orange', fill: true, width: 2 }),
    draw_boxes_gray: (x: Tensor, b: Tensor) => drawBoundingBoxes(x, b.narrow(0, 0, 2), { colors: 'white' }),
  },
  { atol: 0 },
);

describe('saveImage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-vision-utils-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the grid as a PNG whose pixels are round(x * 255) as torchvision computes them', async () => {
    const batch = rand([4, 3, 5, 6]);
    const path = join(dir, 'grid.png');
    await saveImage(batch, path, { nrow: 2 });
    const back = await readImage(path);
    const grid = makeGrid(batch, { nrow: 2 });
    expect(back.shape).toEqual(grid.shape);
    const g = grid.dataSync();
    const b = back.dataSync();
    for (let i = 0; i < g.length; i++) expect(b[i]).toBe(Math.trunc(Math.min(255, Math.max(0, Math.fround(Math.fround(g[i]! * 255) + 0.5)))));
  });

  it('names the file it cannot write', async () => {
    await expect(saveImage(rand([3, 4, 4]), join(dir, 'no', 'such', 'dir', 'x.png'))).rejects.toThrow(/saveImage\(\): cannot write .*x\.png/);
  });
});

describe('drawBoundingBoxes: arguments', () => {
  const img = tensor(new Int32Array(3 * 8 * 8), { dtype: 'int32' }).reshape([3, 8, 8]);
  it('refuses float images', () => {
    expect(() => drawBoundingBoxes(img.float(), tensor([[0, 0, 2, 2]]))).toThrow(/drawBoundingBoxes\(\): image must be int32 holding 0..255/);
  });
  it('refuses boxes with xmax < xmin', () => {
    expect(() => drawBoundingBoxes(img, tensor([[3, 0, 2, 2]]))).toThrow(/xmin <= xmax/);
  });
  it('checks the number of labels and names unknown colors', () => {
    expect(() => drawBoundingBoxes(img, tensor([[0, 0, 2, 2]]), { labels: ['a', 'b'] })).toThrow(/number of boxes \(1\) and labels \(2\) mismatch/);
    expect(() => drawBoundingBoxes(img, tensor([[0, 0, 2, 2]]), { colors: 'octarine' })).toThrow(/unknown color "octarine"/);
  });
  it('accepts labels (not rendered) and still draws the box', () => {
    const out = drawBoundingBoxes(img, tensor([[1, 1, 5, 5]]), { labels: ['cat'], colors: 'red' });
    expect(out.dataSync()[1 * 8 + 1]).toBe(255);
  });
});
