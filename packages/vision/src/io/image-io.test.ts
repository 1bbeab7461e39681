import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tensor, type Tensor } from '@flint/core';
import sharp from 'sharp';
import { Image } from '../image.js';
import { decodeImage, decodeJpeg, decodePng, encodeJpeg, encodePng, ImageReadMode, loadImage, readImage, writeJpeg, writePng } from './image-io.js';

const BACKENDS = ['wasm', 'cpu'] as const;

function rgbTensor(h: number, w: number): Tensor {
  const v = new Int32Array(3 * h * w);
  for (let i = 0; i < v.length; i++) v[i] = (i * 37 + 11) % 256;
  return tensor(v, { dtype: 'int32' }).reshape([3, h, w]);
}

for (const backend of BACKENDS) {
  describe(`io [${backend}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-vision-io-'));
    beforeAll(async () => {
      await setBackend(backend);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writePng then readImage gives back the same int32 [C, H, W] pixels', async () => {
      const x = rgbTensor(5, 7);
      await writePng(x, join(dir, 'a.png'));
      const y = await readImage(join(dir, 'a.png'));
      expect(y.dtype).toBe('int32');
      expect(y.shape).toEqual([3, 5, 7]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    });

    it('reads a file sharp wrote, pixel for pixel, with channels first', async () => {
      const raw = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
      await sharp(raw, { raw: { width: 2, height: 2, channels: 3 } }).png().toFile(join(dir, 'b.png'));
      const y = await readImage(join(dir, 'b.png'));
      expect(y.tolist()).toEqual([
        [[255, 0], [0, 10]],
        [[0, 255], [0, 20]],
        [[0, 0], [255, 30]],
      ]);
    });

    it('keeps gray and alpha in UNCHANGED mode and converts in the others', async () => {
      const gray = tensor(Int32Array.from([0, 50, 100, 150, 200, 250]), { dtype: 'int32' }).reshape([1, 2, 3]);
      await writePng(gray, join(dir, 'g.png'));
      expect((await readImage(join(dir, 'g.png'))).shape).toEqual([1, 2, 3]);
      const rgb = await readImage(join(dir, 'g.png'), ImageReadMode.RGB);
      expect(rgb.shape).toEqual([3, 2, 3]);
      expect(Array.from(rgb.dataSync().subarray(6, 12))).toEqual([0, 50, 100, 150, 200, 250]);
      const ga = await readImage(join(dir, 'g.png'), 'GRAY_ALPHA');
      expect(Array.from(ga.dataSync().subarray(6))).toEqual([255, 255, 255, 255, 255, 255]);
      const rgba = tensor(Int32Array.from([255, 0, 0, 128]), { dtype: 'int32' }).reshape([4, 1, 1]);
      await writePng(rgba, join(dir, 'rgba.png'));
      expect((await readImage(join(dir, 'rgba.png'))).tolist()).toEqual([[[255]], [[0]], [[0]], [[128]]]);
      // ITU-R 601-2 luma of pure red: 299 * 255 / 1000 = 76.2 -> 76
      expect((await readImage(join(dir, 'rgba.png'), 'GRAY')).tolist()).toEqual([[[76]]]);
      expect((await readImage(join(dir, 'rgba.png'), 'RGB')).shape).toEqual([3, 1, 1]);
    });

    it('decodes JPEG bytes close to the original (lossy) and refuses 4 channels for JPEG', async () => {
      const flat = tensor(new Int32Array(3 * 16 * 16).fill(120), { dtype: 'int32' }).reshape([3, 16, 16]);
      const jpg = await encodeJpeg(flat, 95);
      expect(jpg[0]).toBe(0xff);
      expect(jpg[1]).toBe(0xd8);
      const back = await decodeImage(jpg);
      expect(back.shape).toEqual([3, 16, 16]);
      for (const v of back.dataSync()) expect(Math.abs(v - 120)).toBeLessThanOrEqual(2);
      await expect(encodeJpeg(tensor(new Int32Array(4 * 4), { dtype: 'int32' }).reshape([4, 2, 2]))).rejects.toThrow(/encodeJpeg\(\): JPEG holds 1 or 3 channels \(got 4\)/);
      await writeJpeg(flat, join(dir, 'c.jpg'), 90);
      expect((await readImage(join(dir, 'c.jpg'))).shape).toEqual([3, 16, 16]);
    });

    it('decodePng and decodeJpeg decode their own format and refuse the other', async () => {
      const x = rgbTensor(5, 7);
      const png = await encodePng(x);
      const jpg = await encodeJpeg(x, 95);
      expect(Array.from((await decodePng(png)).dataSync())).toEqual(Array.from(x.dataSync()));
      expect((await decodePng(png, ImageReadMode.GRAY)).shape).toEqual([1, 5, 7]);
      expect((await decodeJpeg(jpg)).shape).toEqual([3, 5, 7]);
      await expect(decodePng(jpg)).rejects.toThrow(/decodePng\(\): the \d+ bytes are not a PNG image \(they start with ff d8 ff [0-9a-f]{2}\); decodeImage\(\) reads any format/);
      await expect(decodeJpeg(png)).rejects.toThrow(/decodeJpeg\(\): the \d+ bytes are not a JPEG image \(they start with 89 50 4e 47\)/);
      await expect(decodeJpeg(new Uint8Array(0))).rejects.toThrow(/they start with nothing/);
      await expect(decodePng(png, 'CMYK' as never)).rejects.toThrow(/decodePng\(\): mode must be one of/);
    });

    it('names a missing file and an undecodable one', async () => {
      await expect(readImage(join(dir, 'nope.png'))).rejects.toThrow(/readImage\(\): cannot read image file .*nope\.png: no such file/);
      writeFileSync(join(dir, 'bad.png'), 'not an image');
      await expect(readImage(join(dir, 'bad.png'))).rejects.toThrow(/readImage\(\): cannot decode .*bad\.png/);
      await expect(loadImage(join(dir, 'bad.png'))).rejects.toThrow(/loadImage\(\): cannot decode .*bad\.png/);
    });

    it('checks arguments: mode, dtype, value range, compression level', async () => {
      await expect(readImage(join(dir, 'a.png'), 'CMYK' as never)).rejects.toThrow(/readImage\(\): mode must be one of 'UNCHANGED'/);
      await expect(encodePng(rgbTensor(2, 2).float())).rejects.toThrow(/encodePng\(\): input must be an int32 image of 0..255.*got float32/);
      await expect(encodePng(tensor(Int32Array.from([300]), { dtype: 'int32' }).reshape([1, 1, 1]))).rejects.toThrow(/values must lie in 0..255 \(got 300/);
      await expect(encodePng(rgbTensor(2, 2), 12)).rejects.toThrow(/compressionLevel must be an integer in 0..9 \(got 12\)/);
    });

    it('loadImage returns an Image (the PIL analog) in the file mode or the mode asked for', async () => {
      const img = await loadImage(join(dir, 'a.png'));
      expect(img).toBeInstanceOf(Image);
      expect(img.mode).toBe('RGB');
      expect(img.size).toEqual([7, 5]);
      expect((await loadImage(join(dir, 'a.png'), 'L')).mode).toBe('L');
      const png = await encodePng(img);
      expect((await decodeImage(png)).shape).toEqual([3, 5, 7]);
    });
  });
}
