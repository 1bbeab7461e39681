// @ts-check
/**
 * A scalar chart with its legend and downloads, shared by the Scalars and Custom Scalars
 * dashboards: series of `[wallTime, step, value]` points drawn with the shared settings
 * (smoothing, x axis, log y), the raw line faint under the smoothed one.
 * @module
 */
import { lineChart, nearestIndex } from './chart.js';
import { download, fmt, h, perFrame } from './dom.js';
import { load, save } from './settings.js';
import { smooth } from './smoothing.js';

/** @typedef {[number, number, number]} Point */
/**
 * @typedef {object} ScalarEntry
 * @property {string} label   what the legend shows (the run, or `run: tag`)
 * @property {string} run
 * @property {string} tag
 * @property {string} color
 * @property {Point[]} points
 * @property {number[]} [dash]
 */

export const settings = {
  smoothing: /** @type {number} */ (load('smoothing', 0.6)),
  /** @type {'step' | 'relative' | 'wall'} */
  xAxis: load('xAxis', 'step'),
  logY: /** @type {boolean} */ (load('logY', false)),
};

/**
 * The sidebar controls of the scalar settings.
 * @param {() => void} onChange
 * @returns {HTMLElement}
 */
export function scalarControls(onChange) {
  const value = h('input', { type: 'number', min: 0, max: 0.999, step: 0.001, value: String(settings.smoothing), class: 'smoothing-value', 'aria-label': 'Smoothing value' });
  const slider = h('input', { type: 'range', min: 0, max: 0.999, step: 0.001, value: String(settings.smoothing), class: 'smoothing-slider', 'aria-label': 'Smoothing' });
  const setSmoothing = (/** @type {number} */ v) => {
    settings.smoothing = Math.min(0.999, Math.max(0, Number.isFinite(v) ? v : 0));
    /** @type {HTMLInputElement} */ (slider).value = String(settings.smoothing);
    /** @type {HTMLInputElement} */ (value).value = String(settings.smoothing);
    save('smoothing', settings.smoothing);
    onChange();
  };
  slider.addEventListener('input', () => setSmoothing(Number(/** @type {HTMLInputElement} */ (slider).value)));
  value.addEventListener('change', () => setSmoothing(Number(/** @type {HTMLInputElement} */ (value).value)));
  const axis = h(
    'select',
    {
      class: 'x-axis',
      'aria-label': 'Horizontal axis',
      onchange: (/** @type {Event} */ e) => {
        settings.xAxis = /** @type {any} */ (e.target).value;
        save('xAxis', settings.xAxis);
        onChange();
      },
    },
    ...[
      ['step', 'Step'],
      ['relative', 'Relative'],
      ['wall', 'Wall'],
    ].map(([v, t]) => h('option', { value: v, selected: settings.xAxis === v }, t)),
  );
  const logY = h('input', {
    type: 'checkbox',
    class: 'log-y',
    checked: settings.logY,
    onchange: (/** @type {Event} */ e) => {
      settings.logY = /** @type {HTMLInputElement} */ (e.target).checked;
      save('logY', settings.logY);
      onChange();
    },
  });
  return h(
    'div',
    { class: 'controls' },
    h('label', { class: 'control' }, h('span', {}, 'Smoothing'), h('span', { class: 'row' }, slider, value)),
    h('label', { class: 'control' }, h('span', {}, 'Horizontal axis'), axis),
    h('label', { class: 'control inline' }, logY, h('span', {}, 'Log scale (y)')),
  );
}

/** @param {number} s */
function duration(s) {
  const a = Math.abs(s);
  if (a < 120) return `${Number(s.toFixed(1))}s`;
  if (a < 7200) return `${Number((s / 60).toFixed(1))}m`;
  return `${Number((s / 3600).toFixed(2))}h`;
}

/**
 * Rows of the download: `Run,Tag,Wall time,Step,Value`.
 * @param {ScalarEntry[]} entries
 */
function toCsv(entries) {
  const q = (/** @type {string} */ s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['Run,Tag,Wall time,Step,Value'];
  for (const e of entries) for (const p of e.points) lines.push(`${q(e.run)},${q(e.tag)},${p[0]},${p[1]},${p[2]}`);
  return lines.join('\r\n') + '\r\n';
}

/**
 * A card: title, chart, legend (one row per series, values at the cursor) and CSV / JSON
 * buttons. `fetchAll` gives the full-resolution data for the downloads.
 */
export class ScalarCard {
  /**
   * @param {string} title
   * @param {() => Promise<ScalarEntry[]>} fetchAll
   */
  constructor(title, fetchAll) {
    this.title = title;
    /** @type {ScalarEntry[]} */
    this.entries = [];
    /** @type {{ destroy: () => void } | null} */
    this.chart = null;
    this.chartEl = h('div', { class: 'chart' }, h('div', { class: 'placeholder' }, 'loading…'));
    this.legendBody = h('tbody');
    const legend = h('table', { class: 'legend' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Run'), h('th', {}, 'Smoothed'), h('th', {}, 'Value'), h('th', {}, 'Step'), h('th', {}, 'Time'))), this.legendBody);
    const name = `scalars_${title.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
    const grab = async (/** @type {'csv' | 'json'} */ kind) => {
      const all = await fetchAll();
      if (kind === 'csv') download(`${name}.csv`, toCsv(all), 'text/csv');
      else download(`${name}.json`, JSON.stringify(Object.fromEntries(all.map((e) => [e.label, e.points]))), 'application/json');
    };
    this.el = h(
      'div',
      { class: 'card scalar-card', dataset: { tag: title } },
      h('div', { class: 'card-head' }, h('span', { class: 'card-title', title }, title), h('span', { class: 'card-actions' }, h('button', { type: 'button', class: 'dl-csv', onclick: () => grab('csv') }, 'CSV'), h('button', { type: 'button', class: 'dl-json', onclick: () => grab('json') }, 'JSON'))),
      this.chartEl,
      h('div', { class: 'legend-box' }, legend),
    );
    /** @type {{ entry: ScalarEntry, xs: number[], raw: number[], sm: number[], steps: number[], walls: number[], cells: HTMLElement[] }[]} */
    this.rows = [];
    this.hover = perFrame((/** @type {number | null} */ x) => this.showValues(x));
  }

  /** @param {ScalarEntry[]} entries */
  setData(entries) {
    this.entries = entries;
    this.draw();
  }

  draw() {
    this.chart?.destroy();
    this.chart = null;
    this.chartEl.replaceChildren();
    this.legendBody.replaceChildren();
    this.rows = [];
    const w = settings.smoothing;
    /** @type {import('./chart.js').LineSeries[]} */
    const series = [];
    for (const entry of this.entries) {
      const pts = entry.points;
      const t0 = pts.length > 0 ? pts[0][0] : 0;
      const sm = smooth(pts.map((p) => p[2]), w);
      /** @type {number[]} */ const xs = [];
      /** @type {number[]} */ const raw = [];
      /** @type {number[]} */ const sms = [];
      /** @type {number[]} */ const steps = [];
      /** @type {number[]} */ const walls = [];
      pts.forEach((p, i) => {
        if (!Number.isFinite(p[2]) || (settings.logY && p[2] <= 0)) return;
        xs.push(settings.xAxis === 'step' ? p[1] : settings.xAxis === 'relative' ? p[0] - t0 : p[0]);
        raw.push(p[2]);
        sms.push(sm[i]);
        steps.push(p[1]);
        walls.push(p[0]);
      });
      if (w > 0) series.push({ label: `${entry.label} (raw)`, color: entry.color, xs, ys: raw, alpha: 0.25, width: 1, dash: entry.dash });
      series.push({ label: entry.label, color: entry.color, xs, ys: w > 0 ? sms : raw, width: 1.6, dash: entry.dash });
      const cells = [h('td', {}), h('td', {}), h('td', {}), h('td', {})];
      this.legendBody.append(h('tr', {}, h('td', {}, h('span', { class: 'swatch', style: { background: entry.color } })), h('td', { class: 'run-name', title: entry.label }, entry.label), ...cells));
      this.rows.push({ entry, xs, raw, sm: sms, steps, walls, cells });
    }
    if (this.entries.length === 0) {
      this.chartEl.append(h('div', { class: 'placeholder' }, 'No data for the selected runs.'));
      return;
    }
    this.chart = lineChart(this.chartEl, {
      series,
      xTime: settings.xAxis === 'wall',
      logY: settings.logY,
      xFormat: settings.xAxis === 'relative' ? duration : undefined,
      onHover: (x) => this.hover(x),
    });
    this.showValues(null);
  }

  /** Fills the legend with the values nearest to x (the last values when x is null). @param {number | null} x */
  showValues(x) {
    for (const r of this.rows) {
      const i = x === null ? r.xs.length - 1 : nearestIndex(r.xs, x);
      const [sm, val, step, time] = r.cells;
      if (i < 0) {
        sm.textContent = val.textContent = step.textContent = time.textContent = '';
        continue;
      }
      sm.textContent = fmt(r.sm[i]);
      val.textContent = fmt(r.raw[i]);
      step.textContent = String(r.steps[i]);
      time.textContent = new Date(r.walls[i] * 1000).toLocaleTimeString();
    }
  }

  destroy() {
    this.chart?.destroy();
  }
}
