// @ts-check
/**
 * The Text dashboard: a card per (tag, run) listing its texts, newest first, rendered as
 * sanitized Markdown; a 2-D string tensor is shown as a table.
 * @module
 */
import { getJson } from './api.js';
import { h } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { runTagDashboard } from './run-tag-dashboard.js';

const MAX_SHOWN = 50;

/** @param {{ text: string, shape: number[], values?: string[] }} t */
function body(t) {
  if (t.shape.length === 2 && t.values) {
    const [rows, cols] = t.shape;
    const trs = [];
    for (let r = 0; r < rows; r++) trs.push(h('tr', {}, ...Array.from({ length: cols }, (_, c) => h('td', {}, renderMarkdown(t.values?.[r * cols + c] ?? '', true)))));
    return h('table', { class: 'text-table' }, h('tbody', {}, ...trs));
  }
  return renderMarkdown(t.text);
}

/** @returns {import('./main.js').Dashboard} */
export function textDashboard() {
  return runTagDashboard({
    plugin: 'text',
    emptyText: 'No text data for the selected runs.',
    makeCard(run, tag) {
      const list = h('div', { class: 'text-list' });
      return {
        el: h('div', { class: 'text-card' }, list),
        async load() {
          /** @type {any[]} */
          const items = await getJson('plugin/text/text', { run, tag });
          const shown = items.slice(-MAX_SHOWN).reverse();
          list.replaceChildren(...shown.map((t) => h('div', { class: 'text-entry', dataset: { step: t.step } }, h('div', { class: 'step-label' }, `step ${t.step}`), body(t))));
          if (items.length > MAX_SHOWN) list.append(h('div', { class: 'note' }, `${items.length - MAX_SHOWN} older entries not shown`));
        },
      };
    },
  });
}
