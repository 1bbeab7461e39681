// @ts-check
/**
 * The Histograms dashboard: a card per (tag, run), the steps drawn offset (a ridge per step,
 * older steps behind and above, newest in front) or overlaid on one baseline; at most 60 steps
 * per card, evenly spaced over the run.
 * @module
 */
import { getJson } from './api.js';
import { h } from './dom.js';
import { rebin, ticks } from './histogram-math.js';
import { runTagDashboard } from './run-tag-dashboard.js';
import { load, save } from './settings.js';
import { runColor } from './state.js';

/**
 * @typedef {[number, number, [number, number, number][]]} HistogramEntry  [wallTime, step, buckets]
 */

const BINS = 40;

/**
 * Draws histograms on a canvas (sized to its CSS box, sharp on high-DPI screens).
 * @param {HTMLCanvasElement} canvas
 * @param {HistogramEntry[]} entries in step order
 * @param {'offset' | 'overlay'} mode
 * @param {string} color the run's color
 */
function drawHistograms(canvas, entries, mode, color) {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || 400;
  const cssH = canvas.clientHeight || 260;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cssW, cssH);
  if (entries.length === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, , b] of entries) {
    for (const [l, r, c] of b) {
      if (!(c > 0)) continue;
      if (Number.isFinite(l)) lo = Math.min(lo, l);
      if (Number.isFinite(r)) hi = Math.max(hi, r);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = entries.map((e) => rebin(e[2], lo, hi, BINS));
  const peak = Math.max(1e-12, ...counts.map((c) => Math.max(...c)));
  const pad = { l: 10, r: mode === 'offset' ? 56 : 10, t: 10, b: 24 };
  const plotW = cssW - pad.l - pad.r;
  const plotH = cssH - pad.t - pad.b;
  const n = entries.length;
  const ridge = mode === 'offset' ? plotH * (n > 1 ? 0.45 : 1) : plotH;
  const xOf = (/** @type {number} */ b) => pad.l + ((b + 0.5) / BINS) * plotW;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#555';
  g.strokeStyle = '#ccc';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(pad.l, pad.t + plotH + 0.5);
  g.lineTo(pad.l + plotW, pad.t + plotH + 0.5);
  g.stroke();
  g.textAlign = 'center';
  for (const v of ticks(lo, hi, 5)) {
    const x = pad.l + ((v - lo) / (hi - lo)) * plotW;
    g.fillText(String(v), x, cssH - 6);
  }
  for (let i = 0; i < n; i++) {
    const base = mode === 'offset' ? pad.t + plotH - (n > 1 ? ((n - 1 - i) / (n - 1)) * (plotH - ridge) : 0) : pad.t + plotH;
    const c = counts[i];
    const shade = n > 1 ? i / (n - 1) : 1;
    g.beginPath();
    g.moveTo(xOf(0), base);
    for (let b = 0; b < BINS; b++) g.lineTo(xOf(b), base - (c[b] / peak) * ridge);
    g.lineTo(xOf(BINS - 1), base);
    if (mode === 'offset') {
      g.fillStyle = 'rgba(255,255,255,0.85)';
      g.fill();
    }
    g.globalAlpha = 0.25 + 0.75 * shade;
    g.strokeStyle = color;
    g.lineWidth = i === n - 1 ? 1.8 : 1;
    g.stroke();
    g.globalAlpha = 1;
    if (mode === 'offset' && (i === 0 || i === n - 1 || i % Math.ceil(n / 6) === 0)) {
      g.fillStyle = '#777';
      g.textAlign = 'left';
      g.fillText(`${entries[i][1]}`, pad.l + plotW + 6, base);
    }
  }
}

/** @returns {import('./main.js').Dashboard} */
export function histogramsDashboard() {
  let mode = /** @type {'offset' | 'overlay'} */ (load('histograms.mode', 'offset'));
  /** @type {Set<() => void>} */
  const redraws = new Set();
  const select = h(
    'select',
    {
      class: 'histogram-mode',
      onchange: (/** @type {Event} */ e) => {
        mode = /** @type {any} */ (e.target).value;
        save('histograms.mode', mode);
        for (const r of redraws) r();
      },
    },
    h('option', { value: 'offset', selected: mode === 'offset' }, 'Offset'),
    h('option', { value: 'overlay', selected: mode === 'overlay' }, 'Overlay'),
  );
  return runTagDashboard({
    plugin: 'histograms',
    emptyText: 'No histogram data for the selected runs.',
    controls: h('label', { class: 'control' }, h('span', {}, 'Histogram mode'), select),
    makeCard(run, tag) {
      const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { class: 'histogram' }));
      /** @type {any[]} */
      let entries = [];
      const draw = () => drawHistograms(canvas, entries, mode, runColor(run));
      redraws.add(draw);
      const caption = h('div', { class: 'note' });
      return {
        el: h('div', { class: 'histogram-card' }, canvas, caption),
        async load() {
          entries = await getJson('plugin/histograms/histograms', { run, tag, samples: 60 });
          caption.textContent = entries.length ? `steps ${entries[0][1]}–${entries[entries.length - 1][1]}` : '';
          draw();
        },
        destroy() {
          redraws.delete(draw);
        },
      };
    },
  });
}
