import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoLogdir, DEMO_STEPS } from '../test-util/demo-logdir.js';
import { tempDir } from '../test-util/tmp.js';
import { SummaryWriter } from '../writer/summary-writer.js';
import { main } from './main.js';
import { sampleIndices } from './routes.js';
import { type BoardServer, startBoard } from './server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function raw(board: BoardServer, path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: board.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        ok({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

async function json(board: BoardServer, path: string): Promise<any> {
  const r = await raw(board, path);
  expect(r.status, `${path}: ${r.text}`).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(r.text);
}

const q = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]): [string, string] => [k, String(v)])).toString();

describe('flint-board server: data routes on a logdir written by SummaryWriter', () => {
  let dir: string;
  let board: BoardServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-board-server-')); // lives for the whole suite
    await writeDemoLogdir(dir);
    board = await startBoard({ logdir: dir, port: 0, reloadInterval: 0, waitForLoad: true });
  });
  afterAll(async () => {
    await board.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 by default and lists runs by start time', async () => {
    expect(board.host).toBe('127.0.0.1');
    expect(board.url).toBe(`http://127.0.0.1:${board.port}/`);
    const runs: string[] = await json(board, '/data/runs');
    expect([...runs].sort()).toEqual(['<script>', 'eval', 'hp', 'hp/lr_0.01', 'hp/lr_0.1', 'train']);
    expect(runs).toEqual(board.reader.runs());
    expect(await json(board, '/data/logdir')).toEqual({ logdir: board.reader.logdir });
  });

  it('plugins_listing enables the dashboards that have data', async () => {
    const l = await json(board, '/data/plugins_listing');
    for (const p of ['scalars', 'histograms', 'images', 'audio', 'text', 'pr_curves', 'hparams', 'custom_scalars', 'projector']) expect(l[p], p).toMatchObject({ enabled: true });
    expect(l.scalars.tab_name).toBe('Scalars');
  });

  it('scalars: tags, [[wall, step, value]], CSV with TensorBoard header, multirun form and JSON', async () => {
    const tags = await json(board, '/data/plugin/scalars/tags');
    expect(Object.keys(tags.train).sort()).toEqual(['accuracy', 'loss/train', 'lr', 'margin/lower', 'margin/upper', 'margin/value']);
    expect(tags['<script>']).toEqual({ 'loss/train': { displayName: 'loss/train', description: '' } });
    const pts = await json(board, `/data/plugin/scalars/scalars?${q({ run: 'train', tag: 'loss/train' })}`);
    expect(pts).toHaveLength(DEMO_STEPS);
    expect(pts).toEqual(board.reader.scalars('train', 'loss/train'));
    expect(pts[3][1]).toBe(3);
    expect(pts[3][0]).toBe(1_700_000_030);

    const csv = await raw(board, `/data/plugin/scalars/scalars?${q({ run: 'train', tag: 'loss/train', format: 'csv' })}`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Wall time,Step,Value');
    expect(lines).toHaveLength(DEMO_STEPS + 1);
    expect(lines[1]).toBe(pts[0].join(','));

    const form = await raw(board, '/data/plugin/scalars/scalars_multirun', { method: 'POST', body: q({ tag: 'loss/train' }) + '&runs=train&runs=%3Cscript%3E', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const multi = JSON.parse(form.text);
    expect(Object.keys(multi).sort()).toEqual(['<script>', 'train']);
    expect(multi.train).toEqual(pts);
    const sampled = await raw(board, '/data/plugin/scalars/scalars_multirun', { method: 'POST', body: JSON.stringify({ tag: 'loss/train', samples: 5 }), headers: { 'Content-Type': 'application/json' } });
    const s = JSON.parse(sampled.text);
    expect(Object.keys(s).sort()).toEqual(['<script>', 'eval', 'train']);
    expect(s.train.map((p: number[]) => p[1])).toEqual([0, 12, 25, 37, 49]);
  });

  it('non-finite values travel as strings; unknown runs are 404', async () => {
    const w = new SummaryWriter(join(dir, 'nan'));
    w.addScalar('x', NaN, 0);
    w.addScalar('x', Infinity, 1);
    await w.close();
    await board.reload();
    const pts = await json(board, `/data/plugin/scalars/scalars?${q({ run: 'nan', tag: 'x' })}`);
    expect(pts.map((p: unknown[]) => p[2])).toEqual(['NaN', 'Infinity']);
    expect((await raw(board, `/data/plugin/scalars/scalars?${q({ run: 'nope', tag: 'x' })}`)).status).toBe(404);
    expect((await raw(board, '/data/plugin/scalars/scalars?run=train')).status).toBe(400);
  });

  it('histograms, text, PR curves, custom scalars and hparams', async () => {
    const h = await json(board, `/data/plugin/histograms/histograms?${q({ run: 'train', tag: 'weights/fc1' })}`);
    expect(h.map((e: unknown[]) => e[1])).toEqual([0, 10, 20, 30, 40]);
    const counts = h[0][2].reduce((a: number, b: number[]) => a + b[2], 0);
    expect(counts).toBe(2000);
    expect((await json(board, `/data/plugin/histograms/histograms?${q({ run: 'train', tag: 'weights/fc1', samples: 2 })}`)).map((e: unknown[]) => e[1])).toEqual([0, 40]);

    const text = await json(board, `/data/plugin/text/text?${q({ run: 'train', tag: 'notes/text_summary' })}`);
    expect(text).toHaveLength(2);
    expect(text[0]).toMatchObject({ step: 0, shape: [1] });
    expect(text[0].text).toContain('# Run notes');

    const pr = await json(board, `/data/plugin/pr_curves/pr_curves?${q({ tag: 'pr/positive', run: 'train' })}`);
    expect(pr.train.map((e: { step: number }) => e.step)).toEqual([0, 10]);
    expect(pr.train[0].precision).toHaveLength(127);
    expect(Object.keys(pr.train[0]).sort()).toEqual(['false_negatives', 'false_positives', 'precision', 'recall', 'step', 'thresholds', 'true_negatives', 'true_positives', 'wall_time']);

    const layout = await json(board, '/data/plugin/custom_scalars/layout');
    expect(layout.categories[0].title).toBe('Losses');
    expect(layout.categories[0].charts.map((c: { title: string }) => c.title)).toEqual(['train and eval', 'with margin']);

    const table = await json(board, '/data/plugin/hparams/table');
    expect(table.hparams.map((p: { name: string }) => p.name).sort()).toEqual(['batchSize', 'lr', 'optimizer']);
    expect(table.sessions.map((s: { run: string }) => s.run).sort()).toEqual(['hp/lr_0.01', 'hp/lr_0.1']);
    const csv = await raw(board, '/data/plugin/hparams/table?format=csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0].split(',')).toEqual(['Run', ...table.hparams.map((p: { name: string }) => p.name), 'hparam/accuracy', 'hparam/loss']);
    expect(lines).toHaveLength(3);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="hparams_table.csv"');
  });

  it('images and audio: listings with queries, blobs with their content type', async () => {
    const imgs = await json(board, `/data/plugin/images/images?${q({ run: 'train', tag: 'samples/gradient' })}`);
    expect(imgs.map((x: { step: number }) => x.step)).toEqual([0, 10, 20]);
    expect(imgs[0]).toMatchObject({ width: 48, height: 32, sample: 0, content_type: 'image/png' });
    const png = await raw(board, `/data/plugin/images/individualImage?${imgs[1].query}`);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect([...png.body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await raw(board, `/data/plugin/images/individualImage?${q({ run: 'train', tag: 'samples/gradient', step: 5 })}`)).status).toBe(404);
    expect((await json(board, '/data/plugin/images/tags')).train['samples/gradient'].samples).toBe(1);

    const clips = await json(board, `/data/plugin/audio/audio?${q({ run: 'train', tag: 'audio/tone' })}`);
    expect(clips).toHaveLength(1);
    const wav = await raw(board, `/data/plugin/audio/individualAudio?${clips[0].query}`);
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(wav.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('embeddings: listing, tensor, labels and sprite', async () => {
    const list = await json(board, '/data/plugin/projector/embeddings');
    expect(list.train).toEqual([{ tensorName: 'features:00000', tensorShape: [], hasMetadata: true, sprite: { singleImageDim: [8, 8] } }]);
    const t = await json(board, `/data/plugin/projector/tensor?${q({ run: 'train', name: 'features:00000' })}`);
    expect(t.shape).toEqual([30, 5]);
    expect(t.data).toHaveLength(150);
    const m = await json(board, `/data/plugin/projector/metadata?${q({ run: 'train', name: 'features:00000' })}`);
    expect(m.rows[4]).toEqual(['class 1']);
    const sprite = await raw(board, `/data/plugin/projector/sprite?${q({ run: 'train', name: 'features:00000' })}`);
    expect(sprite.headers['content-type']).toBe('image/png');
    expect((await raw(board, `/data/plugin/projector/tensor?${q({ run: 'train', name: 'nope' })}`)).status).toBe(404);
  });

  it('serves the page with a Content-Security-Policy and the vendored modules', async () => {
    const page = await raw(board, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.text).toContain('<script type="module" src="/app/main.js">');
    for (const path of ['/app/main.js', '/app/style.css', '/vendor/uplot.js', '/vendor/uplot.css', '/vendor/marked.js', '/vendor/dompurify.js']) {
      const r = await raw(board, path);
      expect(r.status, path).toBe(200);
      expect(r.body.length, path).toBeGreaterThan(100);
    }
    expect((await raw(board, '/vendor/uplot.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses path traversal, stray files, odd methods and foreign Host headers', async () => {
    const attempts = [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/app/..%2f..%2fpackage.json',
      '/app/%2e%2e/%2e%2e/package.json',
      '/app/..%5c..%5cpackage.json',
      '/app/%2e%2e%2fserver.test.ts',
      '/vendor/..%2f..%2fpackage.json',
      '/app/main.js%00.png',
      '/%E0%A4%A',
      '/package.json',
      '/src/viewer/server.ts',
      '/node_modules/uplot/package.json',
      '/app/',
      '/app/tsconfig.json',
    ];
    for (const path of attempts) {
      const r = await raw(board, path);
      expect([400, 404], `${path} -> ${r.status}`).toContain(r.status);
      expect(r.text).not.toMatch(/root:|"name"|import /);
    }
    // names from the query are looked up, never used as paths
    for (const run of ['../../etc', '../train', '/etc/passwd', 'train/../eval']) {
      expect((await raw(board, `/data/plugin/images/individualImage?${q({ run, tag: 'samples/gradient', step: 0 })}`)).status).toBe(404);
      expect((await raw(board, `/data/plugin/projector/sprite?${q({ run, name: 'features:00000' })}`)).status).toBe(404);
    }
    expect((await raw(board, '/data/nope')).status).toBe(404);
    expect((await raw(board, '/data/runs', { method: 'PUT' })).status).toBe(405);
    expect((await raw(board, '/', { method: 'POST' })).status).toBe(405);
    const rebinding = await raw(board, '/data/runs', { headers: { Host: 'evil.example:6006' } });
    expect(rebinding.status).toBe(403);
    expect((await raw(board, '/data/runs', { headers: { Host: `localhost:${board.port}` } })).status).toBe(200);
  });

  it('gzips large JSON for clients that accept it', async () => {
    const r = await raw(board, '/data/plugin/scalars/scalars_multirun?tag=loss%2Ftrain', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(r.headers['content-encoding']).toBe('gzip');
  });
});

describe('flint-board server: live data', () => {
  it('new runs, tags and points appear after a reload; the generation moves', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(join(dir, 'a'), { flushSecs: 3600 });
    w.addScalar('loss', 1, 0);
    await w.flush();
    const board = await startBoard({ logdir: dir, port: 0, reloadInterval: 0, waitForLoad: true });
    try {
      const g0 = board.generation;
      expect(await json(board, '/data/runs')).toEqual(['a']);
      w.addScalar('loss', 0.5, 1);
      w.addScalar('acc', 0.7, 1);
      await w.flush();
      const b = new SummaryWriter(join(dir, 'b'));
      b.addScalar('loss', 2, 0);
      await b.close();
      const r = JSON.parse((await raw(board, '/data/reload', { method: 'POST' })).text);
      expect(r.generation).toBeGreaterThan(g0);
      expect((await json(board, '/data/runs')).sort()).toEqual(['a', 'b']);
      expect(Object.keys((await json(board, '/data/plugin/scalars/tags')).a).sort()).toEqual(['acc', 'loss']);
      expect((await json(board, `/data/plugin/scalars/scalars?${q({ run: 'a', tag: 'loss' })}`)).map((p: number[]) => p[2])).toEqual([1, 0.5]);
      const status = await json(board, '/data/status');
      expect(status).toMatchObject({ generation: board.generation, loading: false, runs: 2 });
      await raw(board, '/data/reload', { method: 'POST' });
      expect(board.generation).toBe(r.generation); // nothing new: unchanged
    } finally {
      await w.close();
      await board.close();
    }
  });

  it('reloads by itself every reloadInterval', async () => {
    const dir = tempDir();
    const board = await startBoard({ logdir: dir, port: 0, reloadInterval: 50, waitForLoad: true });
    try {
      expect(await json(board, '/data/runs')).toEqual([]);
      const w = new SummaryWriter(join(dir, 'late'));
      w.addScalar('x', 1, 0);
      await w.close();
      for (let i = 0; i < 200 && board.reader.runs().length === 0; i++) await new Promise((ok) => setTimeout(ok, 25));
      expect(await json(board, '/data/runs')).toEqual(['late']);
    } finally {
      await board.close();
    }
  });
});

describe('flint-board command line', () => {
  it('starts on --logdir with --port 0 and refuses bad arguments', async () => {
    const dir = tempDir();
    const logs: string[] = [];
    const errors: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (m: string) => logs.push(m);
    console.error = (m: string) => errors.push(m);
    const exitCode = process.exitCode;
    try {
      const board = await main(['--logdir', dir, '--port', '0']);
      expect(board).toBeDefined();
      expect(board!.host).toBe('127.0.0.1');
      expect(logs[0]).toContain(`at http://127.0.0.1:${board!.port}/`);
      expect((await raw(board!, '/data/runs')).status).toBe(200);
      await board!.close();

      expect(await main([])).toBeUndefined();
      expect(errors.at(-1)).toMatch(/--logdir is required[\s\S]*usage: flint-board/);
      expect(process.exitCode).toBe(2);
      expect(await main(['--logdir', join(dir, 'missing')])).toBeUndefined();
      expect(errors.at(-1)).toMatch(/is not a directory/);
      expect(await main(['--logdir', dir, '--port', '70000'])).toBeUndefined();
      expect(errors.at(-1)).toMatch(/--port must be an integer in 0\.\.65535/);
      expect(await main(['--logdir', dir, '--bogus'])).toBeUndefined();
      expect(errors.at(-1)).toMatch(/Unknown option '--bogus'/);
    } finally {
      console.log = log;
      console.error = error;
      process.exitCode = exitCode;
    }
  });
});

describe('flint-board executable', () => {
  it('serves until SIGTERM', async () => {
    const dir = tempDir();
    await writeDemoLogdir(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--logdir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) ok(m[1]!);
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
      });
      let runs: string[] = [];
      for (let i = 0; i < 100 && runs.length < 6; i++) {
        runs = await (await fetch(`${url}data/runs`)).json();
        if (runs.length < 6) await new Promise((ok) => setTimeout(ok, 50));
      }
      expect(runs).toContain('<script>');
      expect((await fetch(url)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    } finally {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  });
});

describe('sampleIndices', () => {
  it('spreads k indices over n, ends included', () => {
    expect(sampleIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleIndices(3, 10)).toEqual([0, 1, 2]);
    expect(sampleIndices(5, undefined)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleIndices(5, 1)).toEqual([4]);
  });
});
