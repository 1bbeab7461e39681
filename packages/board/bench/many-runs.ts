/**
 * flint-board with many runs: writes a logdir of RUNS runs x TAGS scalar tags x POINTS steps
 * (one value per event, as SummaryWriter writes them), then measures
 *   - server load: startBoard() until every event is read (`/data/status` loading: false),
 *   - page ready in headless Chromium: navigation until the charts in view are drawn with a
 *     legend row for every run, on a server that has loaded (warm) and on one still loading
 *     (cold: the page opens at once and fills in),
 *   - a smoothing change redrawing the loaded charts, and the size of one chart's request.
 *
 *   pnpm --filter @flint/board bench:many-runs            # 200 x 20 x 5000
 *   npx tsx bench/many-runs.ts --runs 50 --points 1000    # smaller
 *   npx tsx bench/many-runs.ts --dir /tmp/many            # keep the logdir; reuse it next time
 *
 * Needs /usr/bin/chromium (or FLINT_CHROMIUM) for the page numbers; without it only the server
 * is measured. Prints one table; asserts nothing about time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskedCrc32c } from '../src/format/crc32c.js';
import { encodeEvent } from '../src/format/event-proto.js';
import { frameRecord } from '../src/format/record.js';
import { startBoard } from '../src/viewer/server.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    tags: { type: 'string', default: '20' },
    points: { type: 'string', default: '5000' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const TAGS = Number(args.tags);
const POINTS = Number(args.points);
const CHROMIUM = process.env.FLINT_CHROMIUM ?? '/usr/bin/chromium';

/** One framed scalar event, encoded by hand (the generator must be fast; the reader checks it). */
function scalarRecord(wallTime: number, step: number, tagBytes: Uint8Array, value: number): Uint8Array {
  const valueMsgLen = 2 + tagBytes.length + 5; // tag field + simple_value field
  const summaryLen = 2 + valueMsgLen;
  const stepLen = varintLen(step);
  const eventLen = 9 + 1 + stepLen + 2 + summaryLen;
  const out = new Uint8Array(eventLen + 16);
  const view = new DataView(out.buffer);
  view.setUint32(0, eventLen, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  let p = 12;
  out[p++] = 0x09; // wall_time, double
  view.setFloat64(p, wallTime, true);
  p += 8;
  out[p++] = 0x10; // step, varint
  for (let v = step; ; ) {
    if (v < 0x80) {
      out[p++] = v;
      break;
    }
    out[p++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[p++] = 0x2a; // summary
  out[p++] = summaryLen; // summary body length (< 128 for short tags)
  out[p++] = 0x0a; // value
  out[p++] = valueMsgLen;
  out[p++] = 0x0a; // tag
  out[p++] = tagBytes.length;
  out.set(tagBytes, p);
  p += tagBytes.length;
  out[p++] = 0x15; // simple_value, float
  view.setFloat32(p, value, true);
  p += 4;
  view.setUint32(p, maskedCrc32c(out.subarray(12, 12 + eventLen)), true);
  return out;
}

function varintLen(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeLogdir(dir: string): number {
  let bytes = 0;
  const tags = Array.from({ length: TAGS }, (_, k) => new TextEncoder().encode(`${['loss', 'metrics', 'lr', 'grad'][k % 4]}/tag_${k}`));
  for (let r = 0; r < RUNS; r++) {
    const runDir = join(dir, `sweep/lr_${(r % 10) + 1}e-3/seed_${Math.floor(r / 10)}`);
    mkdirSync(runDir, { recursive: true });
    const t0 = 1_700_000_000 + r * 3;
    const parts: Uint8Array[] = [frameRecord(encodeEvent({ wallTime: t0, fileVersion: 'brain.Event:2' }))];
    for (let s = 0; s < POINTS; s++) {
      for (let k = 0; k < TAGS; k++) parts.push(scalarRecord(t0 + s * 0.5, s, tags[k]!, Math.exp(-s / (800 + 40 * (r % 17))) * (1 + k / 10) + 0.02 * Math.sin(s * 0.37 + r + k)));
    }
    const buf = Buffer.concat(parts);
    bytes += buf.length;
    writeFileSync(join(runDir, `events.out.tfevents.${t0}.bench.${r}.0`), buf);
  }
  return bytes;
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'flint-board-bench-'));
  const rows: [string, string][] = [];
  try {
    let t = performance.now();
    const reuse = args.dir !== undefined && existsSync(join(dir, 'sweep'));
    const bytes = reuse ? NaN : writeLogdir(dir);
    rows.push(['logdir', `${RUNS} runs x ${TAGS} tags x ${POINTS} points = ${(RUNS * TAGS * POINTS / 1e6).toFixed(1)} M events, ${reuse ? `reused ${dir}` : `${(bytes / 2 ** 20).toFixed(0)} MiB (written in ${fmtS(performance.now() - t)})`}`]);

    // server load: from start until every run is read
    t = performance.now();
    const board = await startBoard({ logdir: dir, port: 0, reloadInterval: 1000 });
    let firstRuns = NaN;
    for (;;) {
      const s = await (await fetch(`${board.url}data/status`)).json();
      if (Number.isNaN(firstRuns) && s.runs > 0) firstRuns = performance.now() - t;
      if (!s.loading) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const loadMs = performance.now() - t;
    const points = board.reader.scalars(board.reader.runs()[0]!, 'loss/tag_0').length;
    if (board.reader.runs().length !== RUNS || points !== POINTS) throw new Error(`read ${board.reader.runs().length} runs, ${points} points`);
    rows.push(['server: first run listed', fmtS(firstRuns)]);
    rows.push(['server: all events read', `${fmtS(loadMs)} (${((RUNS * TAGS * POINTS) / (loadMs / 1000) / 1e6).toFixed(2)} M events/s)`]);
    const mem = process.memoryUsage();
    rows.push(['server: memory after load', `${((mem.heapUsed + mem.arrayBuffers) / 2 ** 20).toFixed(0)} MiB (JS heap + typed arrays), RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB`]);

    t = performance.now();
    const one = await fetch(`${board.url}data/plugin/scalars/scalars_multirun`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' }, body: JSON.stringify({ tag: 'loss/tag_0', samples: 500 }) });
    const body = await one.arrayBuffer();
    rows.push(['one chart request (all runs, 500 samples each)', `${fmtS(performance.now() - t)}, ${(body.byteLength / 2 ** 20).toFixed(1)} MiB of JSON (sent ${one.headers.get("content-encoding") ?? "uncompressed"})`]);

    if (existsSync(CHROMIUM)) {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const ready = async () => {
        // every card in view has a canvas and one legend row per run
        await page.waitForFunction(
          (n) => {
            const cards = [...document.querySelectorAll('.scalar-card')].filter((c) => {
              const r = c.getBoundingClientRect();
              return r.top < innerHeight && r.bottom > 0;
            });
            return cards.length > 0 && cards.every((c) => c.querySelector('.uplot canvas') && c.querySelectorAll('.legend tbody tr').length === n);
          },
          RUNS,
          { timeout: 600_000, polling: 50 },
        );
      };
      t = performance.now();
      await page.goto(board.url);
      const domLoaded = performance.now() - t;
      await ready();
      const warm = performance.now() - t;
      const charts = await page.evaluate(() => document.querySelectorAll('.scalar-card .uplot').length);
      rows.push(['page (server loaded): DOMContentLoaded', fmtS(domLoaded)]);
      rows.push(['page (server loaded): charts in view drawn, a legend row per run', `${fmtS(warm)} (${charts} charts drawn of ${RUNS > 0 ? TAGS : 0} tags)`]);
      const redraw = await page.evaluate(() => {
        const input = document.querySelector('.smoothing-value') as HTMLInputElement;
        input.value = '0.9';
        const t0 = performance.now();
        input.dispatchEvent(new Event('change'));
        return performance.now() - t0;
      });
      rows.push(['page: smoothing change, loaded charts redrawn', `${redraw.toFixed(0)} ms`]);
      t = performance.now();
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await ready();
      rows.push(['page: scroll to the last charts, drawn', fmtS(performance.now() - t)]);
      await board.close();

      // cold: the page opens while the server is still reading
      t = performance.now();
      const cold = await startBoard({ logdir: dir, port: 0, reloadInterval: 1000 });
      const page2 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page2.goto(cold.url);
      const listed = performance.now() - t;
      await page2.waitForFunction(() => document.querySelector('.scalar-card .uplot canvas'), undefined, { timeout: 600_000, polling: 50 });
      const firstChart = performance.now() - t;
      rows.push(['cold start: page served', fmtS(listed)]);
      rows.push(['cold start: first chart drawn (server still reading)', fmtS(firstChart)]);
      await browser.close();
      await cold.close();
    } else {
      rows.push(['page', `skipped: no Chromium at ${CHROMIUM}`]);
      await board.close();
    }
  } finally {
    if (!args.keep && !args.dir) rmSync(dir, { recursive: true, force: true });
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nflint-board many-runs bench (node ${process.version})`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

await main();
