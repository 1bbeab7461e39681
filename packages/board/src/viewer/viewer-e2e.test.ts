/// <reference lib="dom" />
// End to end: flint-board on a logdir written by SummaryWriter, opened in real headless
// Chromium (Debian's /usr/bin/chromium through playwright-core). Each dashboard is checked for
// what a person would see, data appended while the page is open must appear, and a screenshot
// of each dashboard goes to packages/board/test-output/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoLogdir } from '../test-util/demo-logdir.js';
import { SummaryWriter } from '../writer/summary-writer.js';
import { type BoardServer, startBoard } from './server.js';

const CHROMIUM = process.env.FLINT_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const OUT = join(import.meta.dirname, '../../test-output');
if (!HAVE_CHROMIUM) console.warn(`viewer-e2e: SKIPPED, no Chromium at ${CHROMIUM} (apt-get install chromium, or set FLINT_CHROMIUM)`);

describe.skipIf(!HAVE_CHROMIUM)('flint-board in headless Chromium', () => {
  let dir: string;
  let board: BoardServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const open = async (dashboard: string) => {
    await page.goto(`${board.url}#${dashboard}`);
    await page.waitForSelector(`body[data-dashboard="${dashboard}"]`);
  };
  const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  const legendRuns = (tag: string) => page.locator(`.scalar-card[data-tag="${tag}"] .legend tbody tr .run-name`).allTextContents();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'flint-board-e2e-'));
    await writeDemoLogdir(dir);
    board = await startBoard({ logdir: dir, port: 0, reloadInterval: 200, waitForLoad: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await board?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Scalars: one chart per tag, a legend row per run, hostile run names shown as text', async () => {
    await open('scalars');
    await page.waitForSelector('.scalar-card[data-tag="loss/train"] .uplot canvas');
    expect((await legendRuns('loss/train')).sort()).toEqual(['<script>', 'eval', 'train']);
    expect(await legendRuns('accuracy')).toHaveLength(2);
    expect(await page.locator('#tabs .tab').allTextContents()).toEqual(['Scalars', 'Custom Scalars', 'Images', 'Audio', 'Histograms', 'Text', 'PR Curves', 'HParams', 'Embeddings']);
    // the run named <script> is text in the runs panel, and no script element was added
    expect(await page.locator('.run-list .run-name', { hasText: '<script>' }).count()).toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2); // import map + main.js
    const box = await page.locator('.scalar-card[data-tag="loss/train"] .uplot canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await shot('scalars');
  });

  it('Scalars: smoothing, run filter, hover values and CSV / JSON downloads', async () => {
    await open('scalars');
    const card = page.locator('.scalar-card[data-tag="loss/train"]');
    await card.locator('.uplot canvas').waitFor();
    const row = card.locator('.legend tbody tr', { hasText: 'train' }).first();
    const cells = async () => (await row.locator('td').allTextContents()).slice(2, 4);
    const [smoothed, value] = await cells();
    expect(smoothed).not.toBe(value); // default smoothing 0.6
    await page.fill('.smoothing-value', '0');
    await page.dispatchEvent('.smoothing-value', 'change');
    await expect.poll(async () => {
      const [s, v] = await cells();
      return s === v;
    }).toBe(true);
    // hovering the chart shows the values at the cursor, not the last ones
    await card.locator('.u-over').hover({ position: { x: 20, y: 60 } });
    await expect.poll(async () => Number((await row.locator('td').allTextContents())[4])).toBeLessThan(10);
    await page.mouse.move(0, 0);

    await page.fill('.run-filter', '^(train|eval)$');
    await expect.poll(async () => (await legendRuns('loss/train')).sort()).toEqual(['eval', 'train']);
    expect(await page.locator('.run-list .run').count()).toBe(2);

    const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('.dl-csv').click()]);
    const text = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(text[0]).toBe('Run,Tag,Wall time,Step,Value');
    expect(text).toHaveLength(1 + 2 * 50);
    expect(new Set(text.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['train', 'eval']));
    const [js] = await Promise.all([page.waitForEvent('download'), card.locator('.dl-json').click()]);
    const data = JSON.parse(readFileSync((await js.path())!, 'utf8'));
    expect(Object.keys(data).sort()).toEqual(['eval', 'train']);
    expect(data.train).toHaveLength(50);
    expect(data.train[0]).toHaveLength(3);

    await page.fill('.run-filter', '');
    await page.fill('.smoothing-value', '0.6');
    await page.dispatchEvent('.smoothing-value', 'change');
    await page.selectOption('.x-axis', 'relative');
    await page.check('.log-y');
    await card.locator('.uplot canvas').waitFor();
    expect(await legendRuns('loss/train')).toHaveLength(3);
    await shot('scalars-relative-log');
    await page.selectOption('.x-axis', 'step');
    await page.uncheck('.log-y');
  });

  it('Scalars: runs, tags and points written while the page is open appear without a reload', async () => {
    await open('scalars');
    await page.locator('.scalar-card[data-tag="loss/train"] .uplot canvas').waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const w = new SummaryWriter(join(dir, 'live'));
    for (let s = 0; s < 20; s++) {
      w.addScalar('loss/train', 3 - s * 0.1, s);
      w.addScalar('fresh/metric', s * s, s);
    }
    await w.close();
    await expect.poll(() => legendRuns('loss/train'), { timeout: 20_000 }).toContain('live');
    await page.locator('.scalar-card[data-tag="fresh/metric"] .uplot canvas').waitFor();
    expect(await legendRuns('fresh/metric')).toEqual(['live']);
    expect(await page.locator('.run-list .run[data-run="live"]').count()).toBe(1);
    // more points for an existing run: the legend's last step moves on
    const w2 = new SummaryWriter(join(dir, 'live'));
    w2.addScalar('fresh/metric', 999, 50);
    await w2.close();
    const stepCell = page.locator('.scalar-card[data-tag="fresh/metric"] .legend tbody tr').first().locator('td').nth(4);
    await expect.poll(() => stepCell.textContent(), { timeout: 20_000 }).toBe('50');
    expect(navigations).toEqual([]);
    await shot('scalars-live');
  });

  it('Images: the image of the chosen step is shown, with a step slider', async () => {
    await open('images');
    const img = page.locator('.card[data-tag="samples/gradient"] img').first();
    await img.waitFor();
    await expect.poll(() => img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth)).toBe(48);
    expect(await img.evaluate((e: HTMLImageElement) => e.naturalHeight)).toBe(32);
    expect(await page.locator('.card[data-tag="samples/gradient"] .step-label').textContent()).toBe('step 20');
    await page.locator('.card[data-tag="samples/gradient"] .step-slider').fill('0');
    await expect.poll(() => page.locator('.card[data-tag="samples/gradient"] .step-label').textContent()).toBe('step 0');
    await expect.poll(() => img.getAttribute('src')).toContain('step=0');
    await shot('images');
  });

  it('Audio: a playable <audio> element', async () => {
    await open('audio');
    const audio = page.locator('.card[data-tag="audio/tone"] audio');
    await audio.waitFor();
    await expect.poll(() => audio.evaluate((e: HTMLAudioElement) => e.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await audio.evaluate((e: HTMLAudioElement) => e.duration)).toBeCloseTo(0.5, 2); // 4000 samples at 8 kHz
    expect(await audio.getAttribute('controls')).not.toBeNull();
    await shot('audio');
  });

  it('Text: Markdown rendered as HTML, scripts and handlers stripped', async () => {
    await open('text');
    const card = page.locator('.card[data-tag="notes/text_summary"]');
    await card.locator('.markdown h1').waitFor();
    expect(await card.locator('.markdown h1').textContent()).toBe('Run notes');
    expect(await card.locator('.markdown strong').first().textContent()).toBe('lr');
    expect(await card.locator('.markdown table td').allTextContents()).toEqual(['1', '2']);
    expect(await card.locator('.markdown em').textContent()).toBe('emphasis');
    expect(await card.locator('script').count()).toBe(0);
    expect(await card.locator('[onerror]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await shot('text');
  });

  it('Histograms: drawn offset and overlaid', async () => {
    await open('histograms');
    const canvas = page.locator('.card[data-tag="weights/fc1"] canvas.histogram');
    await canvas.waitFor();
    const inked = () => canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    await expect.poll(inked).toBeGreaterThan(500);
    expect(await page.locator('.card[data-tag="weights/fc1"] .note').textContent()).toBe('steps 0–40');
    await shot('histograms');
    await page.selectOption('.histogram-mode', 'overlay');
    await expect.poll(inked).toBeGreaterThan(500);
    await shot('histograms-overlay');
    await page.selectOption('.histogram-mode', 'offset');
  });

  it('PR curves: a curve per run with a step slider', async () => {
    await open('pr_curves');
    const card = page.locator('.pr-card[data-tag="pr/positive"]');
    await card.locator('.uplot canvas').waitFor();
    expect(await card.locator('.legend tbody .run-name').allTextContents()).toEqual(['train']);
    expect(await card.locator('.step-label').textContent()).toBe('step 10');
    await shot('pr_curves');
  });

  it('HParams: a row per session, sortable, with a CSV export', async () => {
    await open('hparams');
    const rows = page.locator('.hparams-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const headers = await page.locator('.hparams-table th').allTextContents();
    expect(headers.map((x) => x.trim())).toEqual(['Run', 'lr', 'optimizer', 'batchSize', 'hparam/accuracy', 'hparam/loss', 'Status']);
    await page.click('.hparams-table th[data-key="h:lr"]');
    expect(await rows.first().getAttribute('data-run')).toBe('hp/lr_0.01');
    await page.click('.hparams-table th[data-key="h:lr"]');
    expect(await rows.first().getAttribute('data-run')).toBe('hp/lr_0.1');
    expect(await rows.first().locator('td.metric').allTextContents()).toEqual(['0.91', '0.3']);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('text=Download CSV (all)')]);
    expect(readFileSync((await dl.path())!, 'utf8').split('\r\n')[0]).toBe('Run,lr,optimizer,batchSize,hparam/accuracy,hparam/loss');
    await shot('hparams');
  });

  it('Custom Scalars: the layout written by addCustomScalars', async () => {
    await open('custom_scalars');
    await page.locator('.scalar-card[data-chart="train and eval"] .uplot canvas').waitFor();
    expect((await page.locator('.scalar-card[data-chart="train and eval"] .legend .run-name').allTextContents()).sort()).toEqual(['<script>', 'eval', 'live', 'train']);
    await page.locator('.scalar-card[data-chart="with margin"] .uplot canvas').waitFor();
    expect(await page.locator('.scalar-card[data-chart="with margin"] .legend .run-name').allTextContents()).toEqual(['train: margin/value', 'train: margin/lower', 'train: margin/upper']);
    await shot('custom_scalars');
  });

  it('Embeddings: a 2-D PCA scatter with labels and sprite thumbnails', async () => {
    await open('projector');
    await page.waitForSelector('.dashboard.projector[data-points="30"]');
    expect(await page.locator('.embedding-info').textContent()).toMatch(/features:00000 \(train\): 30 points × 5 dimensions; PCA, variance explained/);
    expect(await page.locator('.color-by option').allTextContents()).toEqual(['label']);
    await shot('embeddings');
    await page.uncheck('.show-thumbs');
    await shot('embeddings-points');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
