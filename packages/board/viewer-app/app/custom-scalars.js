// @ts-check
/**
 * The Custom Scalars dashboard: the layout written by `addCustomScalars`. A Multiline chart
 * draws every (run, tag) whose tag matches one of its regular expressions; a Margin chart
 * draws a value with its lower and upper bounds (dashed) per run.
 * @module
 */
import { getJson, scalarsMultirun } from './api.js';
import { h } from './dom.js';
import { LazyLoader } from './lazy.js';
import { ScalarCard, scalarControls } from './scalar-card.js';
import { DRAW_SAMPLES } from './scalars.js';
import { runColor, runShown, state } from './state.js';

/**
 * @param {RegExp[]} patterns
 * @param {string[]} tags
 */
function matching(patterns, tags) {
  return tags.filter((t) => patterns.some((re) => re.test(t)));
}

/** @param {string} source */
function fullRegex(source) {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return new RegExp(`^${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }
}

/** @returns {import('./main.js').Dashboard} */
export function customScalarsDashboard() {
  /** @type {any} */
  let layout = { categories: [] };
  /** @type {Record<string, Record<string, unknown>>} */
  let tagsByRun = {};
  /** @type {ScalarCard[]} */
  let cards = [];
  let lazy = new LazyLoader(4);
  const el = h('div', { class: 'dashboard custom_scalars' });

  /**
   * Entries of one chart: `[run, tag, dash?]` triples, fetched per tag.
   * @param {[string, string, number[] | undefined][]} wanted
   * @param {number | undefined} samples
   * @param {boolean} labelWithTag
   */
  async function fetchEntries(wanted, samples, labelWithTag) {
    const byTag = new Map();
    for (const [run, tag] of wanted) byTag.set(tag, [...(byTag.get(tag) ?? []), run]);
    const data = new Map();
    await Promise.all([...byTag].map(async ([tag, runs]) => data.set(tag, await scalarsMultirun(tag, runs, samples))));
    return wanted
      .filter(([run, tag]) => data.get(tag)?.[run])
      .map(([run, tag, dash]) => ({ label: labelWithTag ? `${run}: ${tag}` : run, run, tag, color: runColor(run), points: data.get(tag)[run], dash }));
  }

  function render() {
    for (const c of cards) c.destroy();
    lazy.destroy();
    lazy = new LazyLoader(4);
    cards = [];
    const runs = state.runs.filter(runShown);
    const sections = [];
    for (const cat of layout.categories ?? []) {
      const grid = h('div', { class: 'grid' });
      for (const chart of cat.charts ?? []) {
        /** @type {[string, string, number[] | undefined][]} */
        const wanted = [];
        if (chart.multiline) {
          const patterns = chart.multiline.tags.map(fullRegex);
          for (const run of runs) for (const tag of matching(patterns, Object.keys(tagsByRun[run] ?? {}))) wanted.push([run, tag, undefined]);
        } else if (chart.margin) {
          for (const run of runs) {
            for (const s of chart.margin.series) {
              if (!tagsByRun[run]?.[s.value]) continue;
              wanted.push([run, s.value, undefined], [run, s.lower, [4, 4]], [run, s.upper, [4, 4]]);
            }
          }
        }
        const labelWithTag = new Set(wanted.map((w) => w[1])).size > 1;
        const card = new ScalarCard(chart.title, () => fetchEntries(wanted, undefined, labelWithTag));
        card.el.dataset.chart = chart.title;
        cards.push(card);
        lazy.add({ el: card.el, load: async () => card.setData(await fetchEntries(wanted, DRAW_SAMPLES, labelWithTag)) });
        grid.append(card.el);
      }
      sections.push(h('details', { class: 'group', open: !cat.closed, dataset: { group: cat.title } }, h('summary', {}, cat.title), grid));
    }
    el.replaceChildren(...(sections.length ? sections : [h('div', { class: 'empty' }, 'No custom scalars layout. Write one with writer.addCustomScalars(layout).')]));
  }

  return {
    el,
    controls: scalarControls(() => {
      for (const c of cards) if (c.entries.length) c.draw();
    }),
    async refresh() {
      [layout, tagsByRun] = await Promise.all([getJson('plugin/custom_scalars/layout'), getJson('plugin/scalars/tags')]);
      render();
    },
    runsChanged: render,
    destroy() {
      lazy.destroy();
      for (const c of cards) c.destroy();
    },
  };
}
