import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as flint from '@flint/core';
import sharp from 'sharp';
import wf from 'wavefile';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, FlintError, ShapeError, WriterClosedError } from '../errors.js';
import { readLogdir } from '../reader/logdir-reader.js';
import { tempDir } from '../test-util/tmp.js';
import { SummaryWriter } from './summary-writer.js';

const { WaveFile } = wf;

async function pixels(png: Uint8Array): Promise<{ data: number[]; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data: [...data], width: info.width, height: info.height, channels: info.channels };
}

describe('SummaryWriter: scalars', () => {
  it('writes scalars that read back in step order, NaN included', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addScalar('loss', 0.5, 0, { walltime: 100 });
    w.addScalar('loss', flint.tensor([0.25]), 1, { walltime: 101 });
    w.addScalar('loss', NaN, 2, { walltime: 102 });
    w.addScalar('loss', 7, 3, { walltime: 103, newStyle: true });
    await w.close();
    const r = await readLogdir(dir);
    expect(r.runs()).toEqual(['.']);
    const s = r.scalars('.', 'loss');
    expect(s.slice(0, 2)).toEqual([[100, 0, 0.5], [101, 1, 0.25]]);
    expect(Number.isNaN(s[2]![2])).toBe(true);
    expect(s[3]).toEqual([103, 3, 7]);
    expect(r.problems()).toEqual([]);
  });

  it('addScalars writes one run per key, as PyTorch does', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addScalars('loss/all', { train: 1, val: 2 }, 5);
    w.addScalars('loss/all', { train: 0.5, val: 1.5 }, 6);
    await w.close();
    expect(readdirSync(dir).filter((f) => !f.startsWith('events.out.tfevents.')).sort()).toEqual(['loss_all_train', 'loss_all_val']);
    expect(readdirSync(join(dir, 'loss_all_train')).filter((f) => f.startsWith('events.out.tfevents.'))).toHaveLength(1);
    const r = await readLogdir(dir);
    expect(r.runs().sort()).toEqual(['.', 'loss_all_train', 'loss_all_val']);
    expect(r.scalars('loss_all_train', 'loss/all').map((p) => [p[1], p[2]])).toEqual([[5, 1], [6, 0.5]]);
    expect(r.scalars('loss_all_val', 'loss/all').map((p) => [p[1], p[2]])).toEqual([[5, 2], [6, 1.5]]);
  });
});

describe('SummaryWriter: bad input', () => {
  it('names the method, the argument, what was expected and what came', async () => {
    const w = new SummaryWriter(tempDir());
    expect(() => w.addScalar(1 as never, 1)).toThrow('addScalar(): tag must be a string (got 1)');
    expect(() => w.addScalar('a', 'x' as never)).toThrow(DTypeError);
    expect(() => w.addScalar('a', [1, 2])).toThrow(/addScalar\(\): scalarValue must hold exactly one value \(got shape \[2\]/);
    expect(() => w.addScalar('a', 1, 1.5e300 * 1e10)).toThrow(/globalStep must be an integer/);
    expect(() => w.addImage('img', new Float32Array(12))).toThrow(ShapeError);
    expect(() => w.addImage('img', { data: new Float32Array(12), shape: [2, 2, 3] })).toThrow(/3 channels|has 2 channels/);
    expect(() => w.addImage('img', [[1, 2], [3]])).toThrow(/ragged/);
    expect(() => w.addImages('img', { data: new Float32Array(12), shape: [2, 2, 3] })).toThrow(/dataformats 'NCHW' needs rank 4/);
    expect(() => w.addText('t', 5 as never)).toThrow('addText(): textString must be a string (got 5)');
    expect(() => w.addHistogram('h', [])).toThrow(/values has no element/);
    expect(() => w.addAudio('a', [0.1], 0, { sampleRate: -1 })).toThrow(/sampleRate must be a positive number/);
    try {
      w.addScalar(null as never, 1);
    } catch (e) {
      expect(ArgumentError.isInstance(e)).toBe(true);
      expect(FlintError.isInstance(e)).toBe(true);
    }
    await w.close();
    expect(() => w.addScalar('a', 1)).toThrow(WriterClosedError);
    expect(() => w.addScalar('a', 1)).toThrow(/addScalar\(\): this SummaryWriter .* is closed/);
    const r = await readLogdir(w.logDir);
    expect(r.problems()).toEqual([]);
    expect(Object.keys(r.tags('scalars')['.'] ?? {})).toEqual([]);
  });
});

describe('SummaryWriter: histograms, text, PR curves, custom scalars, meshes', () => {
  it('round-trips through the reader', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addHistogram('w', flint.tensor([[0.1, 0.2], [0.2, 5]]), 1);
    w.addHistogram('w', [1, 2, 3, 4], 2, { bins: 2 });
    w.addHistogramRaw('raw', 0, 9, 10, 45, 285, [3, 6, 9], [3, 3, 4], 4);
    w.addText('notes', '# Title\n*hi*', 3);
    w.addPrCurve('pr', [1, 0, 1, 1], [0.9, 0.2, 0.6, 0.4], 4, { numThresholds: 5 });
    w.addPrCurve('pr200', [1, 0], [0.9, 0.2], 4, { numThresholds: 200 });
    w.addCustomScalars({ Loss: { both: ['Multiline', ['loss/train', 'loss/val']], band: ['Margin', ['m', 'lo', 'hi']] } });
    w.addMesh('cube', [[[0, 0, 0], [1, 0, 0], [0, 1, 0]]], 6, { colors: [[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], faces: [[[0, 1, 2]]], configDict: { camera: { fov: 75 } } });
    await w.close();
    const r = await readLogdir(dir);
    expect(r.problems()).toEqual([]);
    const h = r.histograms('.', 'w');
    expect(h.map((x) => x.step)).toEqual([1, 2]);
    expect(h[0]!.num).toBe(4);
    expect(h[0]!.buckets.reduce((a, b) => a + b[2], 0)).toBe(4);
    expect(h[0]!.buckets[0]![0]).toBeCloseTo(0.1);
    expect(h[0]!.buckets.at(-1)![1]).toBe(5);
    expect(h[1]!.buckets).toEqual([[1, 1, 0], [1, 2.5, 2], [2.5, 4, 2]]);
    expect(r.histograms('.', 'raw')[0]!.buckets).toEqual([[0, 3, 3], [3, 6, 3], [6, 9, 4]]);
    const t = r.text('.', 'notes/text_summary');
    expect(t).toEqual([expect.objectContaining({ step: 3, text: '# Title\n*hi*', shape: [1] })]);
    const pr = r.prCurves('.', 'pr')[0]!;
    expect(pr.thresholds).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(pr.truePositives).toEqual([3, 3, 2, 1, 0]);
    expect(pr.falsePositives).toEqual([1, 0, 0, 0, 0]);
    expect(r.prCurves('.', 'pr200')[0]!.thresholds).toHaveLength(127);
    expect(r.customScalars('.')).toEqual({
      categories: [{ title: 'Loss', charts: [{ title: 'both', multiline: { tags: ['loss/train', 'loss/val'] } }, { title: 'band', margin: { series: [{ value: 'm', lower: 'lo', upper: 'hi' }] } }] }],
    });
    expect(Object.keys(r.tags('mesh')['.']!)).toEqual(['cube']);
    const m = r.meshes('.', 'cube')[0]!;
    expect(m.step).toBe(6);
    expect([...m.vertices!.data]).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect([...m.faces!.data]).toEqual([0, 1, 2]);
    expect(m.colors!.shape).toEqual([1, 3, 3]);
    expect(JSON.parse(m.config)).toEqual({ camera: { fov: 75 } });
  });
});

describe('SummaryWriter: images, audio, video', () => {
  it('images decode back to the same pixels in every layout', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    // CHW floats in [0, 1]: 3 x 2 x 2.
    const chw = [[[0, 1], [0.5, 0.2]], [[1, 0], [0.5, 0.4]], [[0, 0], [1, 0.6]]];
    const expectRgb = [0, 255, 0, 255, 0, 0, 127, 127, 255, 51, 102, 153];
    await w.addImage('chw', chw, 1);
    await w.addImage('hwc', { data: Uint8Array.from(expectRgb), shape: [2, 2, 3] }, 1, { dataformats: 'HWC' });
    await w.addImage('hw', flint.tensor([[0, 255], [128, 64]], { dtype: 'int32' }), 1, { dataformats: 'HW' });
    await w.addImage('rgba', { data: Uint8Array.from([1, 2, 3, 4]), shape: [1, 1, 4] }, 1, { dataformats: 'HWC' });
    const batch = flint.rand([10, 1, 3, 2]);
    const batchData = [...batch.dataSync()];
    await w.addImages('grid', batch, 2);
    await w.close();
    const r = await readLogdir(dir);
    const img = r.images('.', 'chw')[0]!;
    expect([img.width, img.height, img.contentType]).toEqual([2, 2, 'image/png']);
    expect((await pixels(img.data)).data).toEqual(expectRgb);
    expect((await pixels(r.images('.', 'hwc')[0]!.data)).data).toEqual(expectRgb);
    expect((await pixels(r.images('.', 'hw')[0]!.data)).data).toEqual([0, 0, 0, 255, 255, 255, 128, 128, 128, 64, 64, 64]);
    expect(await pixels(r.images('.', 'rgba')[0]!.data)).toEqual({ data: [1, 2, 3, 4], width: 1, height: 1, channels: 4 });
    const grid = await pixels(r.images('.', 'grid')[0]!.data);
    expect([grid.width, grid.height]).toEqual([8 * 2, 2 * 3]);
    // Image 9 (index 9) sits in row 1, column 1; its pixel (y=2, x=1) is gray.
    const v = Math.trunc(batchData[9 * 6 + 2 * 2 + 1]! * 255);
    const o = ((3 + 2) * 16 + 2 + 1) * 3;
    expect(grid.data.slice(o, o + 3)).toEqual([v, v, v]);
    // Cells past the last image are black.
    expect(grid.data.slice((5 * 16 + 15) * 3, (5 * 16 + 15) * 3 + 3)).toEqual([0, 0, 0]);
  });

  it('draws boxes in red and labels above them', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    const white = { data: new Uint8Array(40 * 30 * 3).fill(255), shape: [30, 40, 3] };
    await w.addImageWithBoxes('det', white, [[5, 12, 30, 25]], 0, { dataformats: 'HWC', labels: ['cat'] });
    await w.addImageWithBoxes('det2x', white, [5, 12, 30, 25], 0, { dataformats: 'HWC', rescale: 2 });
    await w.close();
    const r = await readLogdir(dir);
    const p = await pixels(r.images('.', 'det')[0]!.data);
    const at = (x: number, y: number) => p.data.slice((y * p.width + x) * p.channels, (y * p.width + x) * p.channels + 3);
    expect(at(5, 18)).toEqual([255, 0, 0]);
    expect(at(15, 25)).toEqual([255, 0, 0]);
    expect(at(15, 18)).toEqual([255, 255, 255]);
    expect(at(5, 0)).toEqual([255, 0, 0]); // the label's background above the box
    const big = r.images('.', 'det2x')[0]!;
    expect([big.width, big.height]).toEqual([80, 60]);
  });

  it('audio decodes back to the same 16-bit samples', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    const samples = Array.from({ length: 100 }, (_, i) => Math.sin(i / 5) * 0.8);
    w.addAudio('tone', samples, 1, { sampleRate: 8000 });
    w.addAudio('loud', [[2, -2, 0.5]], 1);
    await w.close();
    const r = await readLogdir(dir);
    const a = r.audio('.', 'tone')[0]!;
    expect([a.sampleRate, a.numChannels, a.lengthFrames, a.contentType]).toEqual([8000, 1, 100, 'audio/wav']);
    const wav = new WaveFile(a.data);
    expect((wav.fmt as { sampleRate: number }).sampleRate).toBe(8000);
    expect((wav.fmt as { bitsPerSample: number }).bitsPerSample).toBe(16);
    expect([...(wav.getSamples(false, Int16Array) as unknown as Int16Array)]).toEqual(samples.map((s) => Math.trunc(s * 32767)));
    const loud = new WaveFile(r.audio('.', 'loud')[0]!.data);
    expect([...(loud.getSamples(false, Int16Array) as unknown as Int16Array)]).toEqual([32767, -32767, 16383]);
  });

  it('video is an animated GIF of the gridded batch', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    // N=3 (padded to 4: PyTorch's grid is 1 x 4), T=2, C=3, H=2, W=2; frame t of video i is a flat color.
    const colors = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
    const data = new Uint8Array(3 * 2 * 3 * 4);
    for (let i = 0; i < 3; i++) for (let t = 0; t < 2; t++) for (let c = 0; c < 3; c++) data.fill(t === 0 ? colors[i]![c]! : 255 - colors[i]![c]!, ((i * 2 + t) * 3 + c) * 4, ((i * 2 + t) * 3 + c + 1) * 4);
    w.addVideo('clip', { data, shape: [3, 2, 3, 2, 2] }, 0, { fps: 10 });
    await w.close();
    const r = await readLogdir(dir);
    const v = r.images('.', 'clip')[0]!;
    expect([v.contentType, v.width, v.height]).toEqual(['image/gif', 8, 2]);
    const meta = await sharp(v.data, { pages: -1 }).metadata();
    expect(meta.pages).toBe(2);
    expect(meta.delay).toEqual([100, 100]);
    const first = await pixels(await sharp(v.data, { page: 0 }).png().toBuffer());
    const px = (x: number, y: number) => first.data.slice((y * 8 + x) * first.channels, (y * 8 + x) * first.channels + 3);
    expect(px(0, 0)).toEqual([255, 0, 0]);
    expect(px(3, 1)).toEqual([0, 255, 0]);
    expect(px(4, 0)).toEqual([0, 0, 255]);
    expect(px(7, 1)).toEqual([0, 0, 0]);
    const second = await pixels(await sharp(v.data, { page: 1 }).png().toBuffer());
    expect(second.data.slice(0, 3)).toEqual([0, 255, 255]);
  });
});

describe('SummaryWriter: hparams', () => {
  it("writes PyTorch's sub-run layout, and the table has the metric columns filled", async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addHparams({ lr: 0.1, bsize: 32, optimizer: 'sgd', nesterov: true, skipped: undefined }, { 'hparam/accuracy': 0.9, 'hparam/loss': 0.25 }, { runName: 'trial1', hparamDomainDiscrete: { optimizer: ['sgd', 'adam'] } });
    w.addHparams({ lr: 0.01, bsize: 64, optimizer: 'adam', nesterov: false }, { 'hparam/accuracy': 0.95, 'hparam/loss': 0.125 }, { runName: 'trial2' });
    await w.close();
    expect(readdirSync(dir).filter((f) => !f.includes('tfevents')).sort()).toEqual(['trial1', 'trial2']);
    const r = await readLogdir(dir);
    const h = r.hparams('trial1')!;
    expect(h.experiment!.hparamInfos.map((i) => [i.name, i.type])).toEqual([['lr', 3], ['bsize', 3], ['optimizer', 1], ['nesterov', 2]]);
    expect(h.experiment!.hparamInfos[2]!.domainDiscrete).toEqual(['sgd', 'adam']);
    expect(h.experiment!.metricInfos.map((m) => m.tag)).toEqual(['hparam/accuracy', 'hparam/loss']);
    expect(h.sessionStart!.hparams).toEqual({ lr: 0.1, bsize: 32, optimizer: 'sgd', nesterov: true });
    expect(h.sessionEnd!.status).toBe(1);
    const table = r.hparamsTable();
    expect(table.metrics.map((m) => m.tag)).toEqual(['hparam/accuracy', 'hparam/loss']);
    expect(table.sessions.map((s) => [s.run, s.hparams.lr, s.metrics['hparam/accuracy']?.value, s.metrics['hparam/loss']?.value])).toEqual([
      ['trial1', 0.1, expect.closeTo(0.9, 6), 0.25],
      ['trial2', 0.01, expect.closeTo(0.95, 6), 0.125],
    ]);
    expect(() => new SummaryWriter(tempDir()).addHparams({ lr: 0.3 }, {}, { hparamDomainDiscrete: { lr: [0.1, 0.2] } })).toThrow(/is not in its hparamDomainDiscrete/);
  });

  it("runName '.' keeps the session in the writer's own run", async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addScalar('hparam/acc', 0.5, 1);
    w.addHparams({ lr: 1 }, { 'hparam/acc': 0.7 }, { runName: '.', globalStep: 2 });
    await w.close();
    const r = await readLogdir(dir);
    expect(r.runs()).toEqual(['.']);
    expect(r.hparamsTable().sessions).toEqual([expect.objectContaining({ run: '.', metrics: { 'hparam/acc': expect.objectContaining({ step: 2, value: expect.closeTo(0.7, 6) }) } })]);
  });
});

describe('SummaryWriter: embeddings', () => {
  it('writes the projector files and config, and the reader finds them', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    const mat = [[1, 2, 3], [4, 5, 6.5], [7, 8, 9], [0, -1, 0.25]];
    const labelImg = flint.ones([4, 1, 2, 2]);
    await w.addEmbedding(mat, { metadata: ['a', 'b', 'c', 'd'], labelImg, globalStep: 3 });
    await w.addEmbedding(mat, { metadata: [['a', 1], ['b', 2], ['c', 3], ['d', 4]], metadataHeader: ['name', 'id'], tag: 'feat/x%' });
    await w.close();
    const sub = join(dir, '00003', 'default');
    expect(readFileSync(join(sub, 'tensors.tsv'), 'utf8')).toBe('1\t2\t3\n4\t5\t6.5\n7\t8\t9\n0\t-1\t0.25\n');
    expect(readFileSync(join(sub, 'metadata.tsv'), 'utf8')).toBe('a\nb\nc\nd\n');
    expect(readFileSync(join(dir, '00000', 'feat%2fx%25', 'metadata.tsv'), 'utf8')).toBe('name\tid\na\t1\nb\t2\nc\t3\nd\t4\n');
    const sprite = await pixels(readFileSync(join(sub, 'sprite.png')));
    expect([sprite.width, sprite.height]).toEqual([4, 4]);
    const config = readFileSync(join(dir, 'projector_config.pbtxt'), 'utf8');
    expect(config).toContain('tensor_name: "default:00003"');
    expect(config).toContain('single_image_dim: 2');
    expect(config).toContain('tensor_path: "00000/feat%2fx%25/tensors.tsv"');
    const r = await readLogdir(dir);
    expect(r.embeddings('.').map((e) => e.tensorName)).toEqual(['default:00003', 'feat/x%:00000']);
    expect(await r.embeddingTensor('.', 'default:00003')).toEqual({ shape: [4, 3], data: Float32Array.from(mat.flat()) });
    expect(await r.embeddingMetadata('.', 'feat/x%:00000')).toEqual({ header: ['name', 'id'], rows: [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']] });
    expect((await r.embeddingMetadata('.', 'default:00003')).rows).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect((await pixels(await r.embeddingSprite('.', 'default:00003'))).width).toBe(4);
    // A second writer in the same logdir keeps the first one's entries.
    const w2 = new SummaryWriter(dir);
    await w2.addEmbedding([[1]], { globalStep: 9 });
    await w2.close();
    expect(parseNames(readFileSync(join(dir, 'projector_config.pbtxt'), 'utf8'))).toEqual(['default:00003', 'feat/x%:00000', 'default:00009']);
    expect(() => new SummaryWriter(tempDir()).addEmbedding([[1, 2]], { metadata: ['a', 'b'] })).toThrow(/one label per point \(1 points, got 2 labels\)/);
  });
});

function parseNames(pbtxt: string): string[] {
  return [...pbtxt.matchAll(/tensor_name: "([^"]*)"/g)].map((m) => m[1]!);
}

describe('SummaryWriter: graph', () => {
  it("writes a Flint Module's structure, traced with an input", async () => {
    const { Linear, Module, ReLU, Sequential } = await import('@flint/core/nn');
    class Net extends Module {
      features = new Sequential(new Linear(4, 3), new ReLU());
      head = new Linear(3, 2);
      forward(x: flint.Tensor) {
        return this.head(this.features(x));
      }
    }
    const dir = tempDir();
    const w = new SummaryWriter(dir);
    w.addGraph(new Net(), flint.randn([5, 4]));
    await w.close();
    const g = (await readLogdir(dir)).graph('.')!;
    const byName = new Map(g.node.map((n) => [n.name, n]));
    expect(byName.get('Net/Sequential[features]/Linear[0]')?.op).toBe('Linear');
    expect(byName.get('Net/Sequential[features]/Linear[0]')?.input).toEqual(['input/input.1', 'Net/Sequential[features]/Linear[0]/weight', 'Net/Sequential[features]/Linear[0]/bias']);
    expect(byName.get('Net/Sequential[features]/ReLU[1]')?.input).toEqual(['Net/Sequential[features]/Linear[0]']);
    expect(byName.get('Net/Linear[head]')?.input[0]).toBe('Net/Sequential[features]/ReLU[1]');
    expect(byName.get('Net/Linear[head]')?.attr._output_shapes?.list?.shape).toEqual([[5, 2]]);
    expect(byName.get('Net/Linear[head]/weight')?.attr._output_shapes?.list?.shape).toEqual([[2, 3]]);
    expect(byName.get('output/output.1')?.input).toEqual(['Net/Linear[head]']);
    expect(() => w.addGraph({} as never)).toThrow(WriterClosedError);
    expect(() => new SummaryWriter(tempDir()).addGraph({} as never)).toThrow(/addGraph\(\): model must be a Module/);
  });
});

describe('SummaryWriter: directories and purge', () => {
  it("defaults to PyTorch's runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment>", async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const w = new SummaryWriter(undefined, { comment: '_lr0.1' });
      expect(w.getLogdir()).toMatch(/^runs\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\d\d_\d\d-\d\d-\d\d_.+_lr0\.1$/);
      await w.close();
      expect(readdirSync(join(dir, w.getLogdir())).some((f) => /^events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+$/.test(f))).toBe(true);
      const named = new SummaryWriter(join(dir, 'x'), { comment: 'ignored', filenameSuffix: '.v2' });
      await named.close();
      expect(readdirSync(join(dir, 'x'))[0]).toMatch(/\.v2$/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('purgeStep hides the steps a crashed run wrote at and after it', async () => {
    const dir = tempDir();
    const first = new SummaryWriter(dir, { filenameSuffix: '.a' });
    for (let s = 0; s < 10; s++) {
      first.addScalar('loss', s, s);
      first.addScalar('other', s, s);
    }
    await first.close();
    const resumed = new SummaryWriter(dir, { purgeStep: 5, filenameSuffix: '.b' });
    for (let s = 5; s < 8; s++) resumed.addScalar('loss', 100 + s, s);
    await resumed.close();
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'loss').map((p) => [p[1], p[2]])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 105], [6, 106], [7, 107]]);
    expect(r.scalars('.', 'other').map((p) => p[1])).toEqual([0, 1, 2, 3, 4]);
  });

  it('await using closes the writer', async () => {
    const dir = tempDir();
    {
      await using w = new SummaryWriter(dir);
      w.addScalar('a', 1, 1);
    }
    expect((await readLogdir(dir)).scalars('.', 'a')).toHaveLength(1);
    expect(existsSync(dir)).toBe(true);
  });
});
