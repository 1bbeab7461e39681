// @ts-check
/**
 * The frame of dashboards that show one card per (tag, run): Images, Audio, Text, Histograms.
 * Tags are grouped by their first path component; cards load lazily and reload when the server
 * has new data.
 * @module
 */
import { getJson } from './api.js';
import { groupTags, h, userRegex } from './dom.js';
import { LazyLoader } from './lazy.js';
import { load, save } from './settings.js';
import { runColor, runShown, state } from './state.js';

/**
 * @typedef {object} RunTagCard
 * @property {HTMLElement} el
 * @property {() => Promise<void>} load
 * @property {() => void} [destroy]
 */

/**
 * @param {object} o
 * @param {string} o.plugin          e.g. 'images' (tags from `/data/plugin/<plugin>/tags`)
 * @param {string} o.emptyText
 * @param {(run: string, tag: string, info: any) => RunTagCard} o.makeCard
 * @param {HTMLElement | null} [o.controls]  extra sidebar controls
 * @returns {import('./main.js').Dashboard & { reloadAll: () => void, redrawAll: () => void }}
 */
export function runTagDashboard({ plugin, emptyText, makeCard, controls = null }) {
  let tagFilter = load(`${plugin}.tagFilter`, '');
  /** @type {Record<string, Record<string, any>>} */
  let tagsByRun = {};
  /** @type {Map<string, { card: RunTagCard, lazy: import('./lazy.js').LazyCard }>} */
  const cards = new Map();
  const lazy = new LazyLoader(6);
  const el = h('div', { class: `dashboard ${plugin}` });
  const tagInput = h('input', {
    type: 'search',
    class: 'tag-filter',
    placeholder: 'Filter tags (regex)',
    value: tagFilter,
    oninput: (/** @type {Event} */ e) => {
      tagFilter = /** @type {HTMLInputElement} */ (e.target).value;
      save(`${plugin}.tagFilter`, tagFilter);
      render();
    },
  });

  function render() {
    const re = userRegex(tagFilter);
    tagInput.classList.toggle('invalid', !re.valid);
    /** @type {Map<string, string[]>} */
    const runsByTag = new Map();
    for (const run of state.runs) {
      if (!runShown(run)) continue;
      for (const tag of Object.keys(tagsByRun[run] ?? {})) if (re.test(tag)) runsByTag.set(tag, [...(runsByTag.get(tag) ?? []), run]);
    }
    const keep = new Set();
    const sections = [];
    for (const [group, tags] of groupTags([...runsByTag.keys()])) {
      const grid = h('div', { class: 'grid' });
      for (const tag of tags) {
        for (const run of runsByTag.get(tag) ?? []) {
          const key = `${run}\u0000${tag}`;
          keep.add(key);
          let c = cards.get(key);
          if (!c) {
            const card = makeCard(run, tag, tagsByRun[run][tag]);
            card.el.classList.add('card');
            card.el.dataset.run = run;
            card.el.dataset.tag = tag;
            card.el.prepend(h('div', { class: 'card-head' }, h('span', { class: 'card-title', title: tag }, tag), h('span', { class: 'card-run', title: run }, h('span', { class: 'swatch', style: { background: runColor(run) } }), run)));
            const lz = { el: card.el, load: card.load };
            lazy.add(lz);
            c = { card, lazy: lz };
            cards.set(key, c);
          }
          grid.append(c.card.el);
        }
      }
      sections.push(h('details', { class: 'group', open: true, dataset: { group } }, h('summary', {}, group), grid));
    }
    for (const [key, c] of cards) {
      if (!keep.has(key)) {
        lazy.remove(c.lazy);
        c.card.destroy?.();
        cards.delete(key);
      }
    }
    el.replaceChildren(...(sections.length ? sections : [h('div', { class: 'empty' }, emptyText)]));
  }

  return {
    el,
    controls: h('div', {}, h('label', { class: 'control' }, h('span', {}, 'Tags'), tagInput), controls),
    async refresh() {
      tagsByRun = await getJson(`plugin/${plugin}/tags`);
      render();
      lazy.invalidate();
    },
    runsChanged() {
      render();
    },
    reloadAll() {
      lazy.invalidate();
    },
    redrawAll() {
      lazy.invalidate();
    },
    destroy() {
      lazy.destroy();
      for (const c of cards.values()) c.card.destroy?.();
    },
  };
}

/**
 * A step slider: `onChange(index)`; follows the newest step while it sits at the end.
 * @param {(i: number) => void} onChange
 */
export function stepSlider(onChange) {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'range', min: 0, max: 0, step: 1, value: '0', class: 'step-slider', 'aria-label': 'Step' }));
  const label = h('span', { class: 'step-label' });
  let steps = /** @type {number[]} */ ([]);
  let atEnd = true;
  input.addEventListener('input', () => {
    atEnd = Number(input.value) === steps.length - 1;
    show();
    onChange(Number(input.value));
  });
  const show = () => {
    label.textContent = steps.length ? `step ${steps[Number(input.value)]}` : '';
  };
  return {
    el: h('div', { class: 'slider-row' }, label, input),
    /** @param {number[]} s the steps; returns the selected index */
    setSteps(s) {
      const prev = steps[Number(input.value)];
      steps = s;
      input.max = String(Math.max(0, s.length - 1));
      input.disabled = s.length <= 1;
      input.value = String(atEnd || prev === undefined ? s.length - 1 : Math.max(0, s.indexOf(prev)));
      show();
      return Number(input.value);
    },
  };
}
