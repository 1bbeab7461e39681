// @ts-check
/**
 * The PR Curves dashboard: a chart per tag, precision against recall for every shown run at the
 * step chosen with the card's slider (each run shows its last curve at or before that step).
 * @module
 */
import { getJson, num } from './api.js';
import { lineChart, nearestIndex } from './chart.js';
import { fmt, groupTags, h } from './dom.js';
import { LazyLoader } from './lazy.js';
import { stepSlider } from './run-tag-dashboard.js';
import { runColor, runShown, state } from './state.js';

/** @returns {import('./main.js').Dashboard} */
export function prCurvesDashboard() {
  /** @type {Record<string, Record<string, unknown>>} */
  let tagsByRun = {};
  /** @type {Map<string, { el: HTMLElement, load: () => Promise<void>, destroy: () => void }>} */
  const cards = new Map();
  const lazy = new LazyLoader(4);
  const el = h('div', { class: 'dashboard pr_curves' });

  function makeCard(/** @type {string} */ tag) {
    /** @type {Record<string, any[]>} */
    let data = {};
    /** @type {number[]} */
    let steps = [];
    /** @type {{ destroy: () => void } | null} */
    let chart = null;
    const chartEl = h('div', { class: 'chart' });
    const legendBody = h('tbody');
    const draw = (/** @type {number} */ i) => {
      const step = steps[i];
      chart?.destroy();
      chartEl.replaceChildren();
      legendBody.replaceChildren();
      const series = [];
      /** @type {{ xs: number[], ys: number[], th: number[], cells: HTMLElement[] }[]} */
      const rows = [];
      for (const run of state.runs) {
        if (!data[run] || !runShown(run)) continue;
        const entry = [...data[run]].reverse().find((e) => e.step <= step) ?? data[run][0];
        if (!entry) continue;
        // recall falls as the threshold rises: reversed, x increases
        const xs = entry.recall.map(num).reverse();
        const ys = entry.precision.map(num).reverse();
        const th = entry.thresholds.map(num).reverse();
        series.push({ label: run, color: runColor(run), xs, ys, width: 1.6 });
        const cells = [h('td', {}), h('td', {}), h('td', {})];
        legendBody.append(h('tr', {}, h('td', {}, h('span', { class: 'swatch', style: { background: runColor(run) } })), h('td', { class: 'run-name' }, run), h('td', {}, String(entry.step)), ...cells));
        rows.push({ xs, ys, th, cells });
      }
      const show = (/** @type {number | null} */ x) => {
        for (const r of rows) {
          const j = x === null ? -1 : nearestIndex(r.xs, x);
          r.cells[0].textContent = j < 0 ? '' : fmt(r.th[j]);
          r.cells[1].textContent = j < 0 ? '' : fmt(r.ys[j]);
          r.cells[2].textContent = j < 0 ? '' : fmt(r.xs[j]);
        }
      };
      chart = series.length ? lineChart(chartEl, { series, xRange: [0, 1], yRange: [0, 1.05], onHover: show }) : null;
    };
    const slider = stepSlider(draw);
    const card = h(
      'div',
      { class: 'card pr-card', dataset: { tag } },
      h('div', { class: 'card-head' }, h('span', { class: 'card-title' }, tag), h('span', { class: 'note' }, 'precision (y) against recall (x)')),
      slider.el,
      chartEl,
      h('div', { class: 'legend-box' }, h('table', { class: 'legend' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Run'), h('th', {}, 'Step'), h('th', {}, 'Threshold'), h('th', {}, 'Precision'), h('th', {}, 'Recall'))), legendBody)),
    );
    return {
      el: card,
      async load() {
        const runs = state.runs.filter((r) => runShown(r) && tagsByRun[r]?.[tag]);
        const q = new URLSearchParams({ tag });
        for (const r of runs) q.append('run', r);
        data = await (await fetch(`/data/plugin/pr_curves/pr_curves?${q}`)).json();
        steps = [...new Set(Object.values(data).flatMap((list) => list.map((e) => e.step)))].sort((a, b) => a - b);
        draw(slider.setSteps(steps));
      },
      destroy() {
        chart?.destroy();
      },
    };
  }

  function render() {
    const all = new Set();
    for (const run of state.runs) if (runShown(run)) for (const t of Object.keys(tagsByRun[run] ?? {})) all.add(t);
    for (const [tag, c] of cards) {
      if (!all.has(tag)) {
        lazy.remove(c);
        c.destroy();
        cards.delete(tag);
      }
    }
    const sections = [];
    for (const [group, tags] of groupTags([...all])) {
      const grid = h('div', { class: 'grid' });
      for (const tag of tags) {
        let c = cards.get(tag);
        if (!c) {
          c = makeCard(tag);
          cards.set(tag, c);
          lazy.add(c);
        }
        grid.append(c.el);
      }
      sections.push(h('details', { class: 'group', open: true }, h('summary', {}, group), grid));
    }
    el.replaceChildren(...(sections.length ? sections : [h('div', { class: 'empty' }, 'No PR curve data for the selected runs.')]));
  }

  return {
    el,
    controls: null,
    async refresh() {
      tagsByRun = await getJson('plugin/pr_curves/tags');
      render();
      lazy.invalidate();
    },
    runsChanged() {
      render();
      lazy.invalidate();
    },
    destroy() {
      lazy.destroy();
      for (const c of cards.values()) c.destroy();
    },
  };
}
