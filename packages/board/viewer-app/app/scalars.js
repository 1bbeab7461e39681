// @ts-check
/**
 * The Scalars dashboard: one chart per tag, all shown runs overlaid, tags grouped by their
 * first path component. Charts load when they scroll into view (a batched request per chart
 * for all runs, downsampled for drawing); downloads fetch every point.
 * @module
 */
import { getJson, scalarsMultirun } from './api.js';
import { groupTags, h, userRegex } from './dom.js';
import { LazyLoader } from './lazy.js';
import { ScalarCard, scalarControls } from './scalar-card.js';
import { load, save } from './settings.js';
import { runColor, runShown, state } from './state.js';

/** Points per run and chart for drawing (a chart is a few hundred pixels wide; downloads get all). */
export const DRAW_SAMPLES = 500;

/** @param {import('./main.js').DashboardContext} _ctx */
export function scalarsDashboard(_ctx) {
  let tagFilter = load('scalars.tagFilter', '');
  /** @type {Record<string, Record<string, unknown>>} */
  let tagsByRun = {};
  /** @type {Map<string, { card: ScalarCard, lazy: import('./lazy.js').LazyCard }>} */
  const cards = new Map();
  const lazy = new LazyLoader(4);
  const el = h('div', { class: 'dashboard scalars' });

  const runsWith = (/** @type {string} */ tag) => state.runs.filter((r) => runShown(r) && tagsByRun[r]?.[tag]);
  const entries = (/** @type {string} */ tag, /** @type {Record<string, [number, number, number][]>} */ data) =>
    Object.keys(data)
      .filter((r) => runShown(r))
      .sort((a, b) => state.runs.indexOf(a) - state.runs.indexOf(b))
      .map((run) => ({ label: run, run, tag, color: runColor(run), points: data[run] }));

  const redrawAll = () => {
    for (const { card, lazy: l } of cards.values()) if (l.loaded) card.draw();
  };
  const tagInput = h('input', {
    type: 'search',
    class: 'tag-filter',
    placeholder: 'Filter tags (regex)',
    value: tagFilter,
    oninput: (/** @type {Event} */ e) => {
      tagFilter = /** @type {HTMLInputElement} */ (e.target).value;
      save('scalars.tagFilter', tagFilter);
      render();
    },
  });
  const controls = h('div', {}, h('label', { class: 'control' }, h('span', {}, 'Tags'), tagInput), scalarControls(redrawAll));

  function cardFor(/** @type {string} */ tag) {
    let c = cards.get(tag);
    if (c) return c;
    const card = new ScalarCard(tag, async () => entries(tag, await scalarsMultirun(tag, runsWith(tag))));
    const lz = {
      el: card.el,
      load: async () => {
        const runs = runsWith(tag);
        card.setData(runs.length > 0 ? entries(tag, await scalarsMultirun(tag, runs, DRAW_SAMPLES)) : []);
      },
    };
    lazy.add(lz);
    c = { card, lazy: lz };
    cards.set(tag, c);
    return c;
  }

  function render() {
    const re = userRegex(tagFilter);
    tagInput.classList.toggle('invalid', !re.valid);
    const all = new Set();
    for (const run of state.runs) if (runShown(run)) for (const t of Object.keys(tagsByRun[run] ?? {})) all.add(t);
    const tags = [...all].filter((t) => re.test(t));
    for (const [tag, c] of cards) {
      if (!all.has(tag)) {
        lazy.remove(c.lazy);
        c.card.destroy();
        cards.delete(tag);
      }
    }
    if (tags.length === 0) {
      el.replaceChildren(h('div', { class: 'empty' }, all.size === 0 ? 'No scalar data for the selected runs.' : 'No tags match the filter.'));
      return;
    }
    const sections = [];
    for (const [group, list] of groupTags(tags)) {
      const grid = h('div', { class: 'grid' });
      for (const tag of list) grid.append(cardFor(tag).card.el);
      sections.push(h('details', { class: 'group', open: true, dataset: { group } }, h('summary', {}, group, h('span', { class: 'count' }, ` ${list.length}`)), grid));
    }
    el.replaceChildren(...sections);
  }

  return {
    el,
    controls,
    async refresh() {
      tagsByRun = await getJson('plugin/scalars/tags');
      render();
      lazy.invalidate();
    },
    runsChanged() {
      render();
      lazy.invalidate();
    },
    destroy() {
      lazy.destroy();
      for (const c of cards.values()) c.card.destroy();
    },
  };
}
