// @ts-check
/**
 * The HParams dashboard: a table with a row per session (run) and a column per hyperparameter
 * and metric (the metric's last value). Click a header to sort; the run filter applies; the
 * table downloads as CSV (from the server, every session) or as the shown rows.
 * @module
 */
import { getJson } from './api.js';
import { download, fmt, h } from './dom.js';
import { runColor, runShown } from './state.js';

const STATUS = ['unknown', 'success', 'failure', 'running'];

/** @returns {import('./main.js').Dashboard} */
export function hparamsDashboard() {
  /** @type {any} */
  let table = { hparams: [], metrics: [], sessions: [] };
  let sortKey = 'run';
  let sortDir = 1;
  const el = h('div', { class: 'dashboard hparams' });

  /** @returns {{ key: string, label: string, get: (s: any) => any, kind: string }[]} */
  const columns = () => [
    { key: 'run', label: 'Run', get: (s) => s.run, kind: 'run' },
    ...table.hparams.map((/** @type {any} */ p) => ({ key: `h:${p.name}`, label: p.name, get: (/** @type {any} */ s) => s.hparams[p.name], kind: 'hparam' })),
    ...table.metrics.map((/** @type {any} */ m) => ({ key: `m:${m.group}/${m.tag}`, label: m.group ? `${m.group}/${m.tag}` : m.tag, get: (/** @type {any} */ s) => s.metrics[m.tag]?.value, kind: 'metric' })),
    { key: 'status', label: 'Status', get: (s) => (s.status === undefined ? '' : STATUS[s.status] ?? String(s.status)), kind: 'status' },
  ];

  const blank = (/** @type {any} */ v) => v === undefined || v === null || v === '';
  /** @param {any} a @param {any} b */
  const compare = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true }));

  function render() {
    const cols = columns();
    const col = cols.find((c) => c.key === sortKey) ?? cols[0];
    const rows = table.sessions.filter((/** @type {any} */ s) => runShown(s.run));
    rows.sort((/** @type {any} */ a, /** @type {any} */ b) => {
      const va = col.get(a);
      const vb = col.get(b);
      if (blank(va) || blank(vb)) return blank(va) === blank(vb) ? 0 : blank(va) ? 1 : -1; // blanks last
      return compare(va, vb) * sortDir;
    });
    if (table.sessions.length === 0) {
      el.replaceChildren(h('div', { class: 'empty' }, 'No hparams data. Log with writer.addHparams(hparams, metrics).'));
      return;
    }
    const head = h(
      'tr',
      {},
      ...cols.map((c) =>
        h(
          'th',
          {
            class: `sortable ${c.kind}${c.key === sortKey ? (sortDir > 0 ? ' asc' : ' desc') : ''}`,
            dataset: { key: c.key },
            title: 'Sort',
            onclick: () => {
              sortDir = c.key === sortKey ? -sortDir : 1;
              sortKey = c.key;
              render();
            },
          },
          c.label,
        ),
      ),
    );
    const body = rows.map((/** @type {any} */ s) =>
      h(
        'tr',
        { dataset: { run: s.run } },
        ...cols.map((c) => {
          const v = c.get(s);
          if (c.kind === 'run') return h('td', { class: 'run-cell' }, h('span', { class: 'swatch', style: { background: runColor(s.run) } }), s.run);
          return h('td', { class: c.kind }, typeof v === 'number' ? fmt(v) : v === undefined || v === null ? '' : String(v));
        }),
      ),
    );
    const csvShown = () => {
      const q = (/** @type {any} */ v) => {
        const t = v === undefined || v === null ? '' : String(v);
        return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
      };
      const lines = [cols.map((c) => q(c.label)).join(','), ...rows.map((/** @type {any} */ s) => cols.map((c) => q(c.get(s))).join(','))];
      download('hparams_shown.csv', lines.join('\r\n') + '\r\n', 'text/csv');
    };
    el.replaceChildren(
      h(
        'div',
        { class: 'table-actions' },
        h('span', { class: 'note' }, `${rows.length} of ${table.sessions.length} sessions`),
        h('a', { class: 'button', href: '/data/plugin/hparams/table?format=csv', download: 'hparams_table.csv' }, 'Download CSV (all)'),
        h('button', { type: 'button', onclick: csvShown }, 'Download CSV (shown rows)'),
      ),
      h('div', { class: 'table-box' }, h('table', { class: 'hparams-table' }, h('thead', {}, head), h('tbody', {}, ...body))),
    );
  }

  return {
    el,
    controls: null,
    async refresh() {
      table = await getJson('plugin/hparams/table');
      render();
    },
    runsChanged: render,
    destroy() {},
  };
}
