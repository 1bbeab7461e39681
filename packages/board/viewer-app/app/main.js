// @ts-check
/**
 * The page: tabs for the dashboards that have data, the runs panel (filter and switches, shared
 * by all dashboards), and a poll of `/data/status` every second; when the server has read new
 * data, the runs, tabs and the open dashboard refresh in place.
 * @module
 */
import { getJson } from './api.js';
import { audioDashboard } from './audio.js';
import { customScalarsDashboard } from './custom-scalars.js';
import { h, userRegex } from './dom.js';
import { embeddingsDashboard } from './embeddings.js';
import { histogramsDashboard } from './histograms.js';
import { hparamsDashboard } from './hparams.js';
import { imagesDashboard } from './images.js';
import { prCurvesDashboard } from './pr-curves.js';
import { scalarsDashboard } from './scalars.js';
import { load, save } from './settings.js';
import { runColor, runShown, runsChanged, setRuns, state, onRunsChange } from './state.js';
import { textDashboard } from './text.js';

/**
 * @typedef {object} DashboardContext
 * @property {() => void} rerender
 */
/**
 * @typedef {object} Dashboard
 * @property {HTMLElement} el
 * @property {HTMLElement | null} controls
 * @property {() => Promise<void>} refresh   read the server's data again (new data arrived)
 * @property {() => void} runsChanged        the shown runs changed
 * @property {() => void} destroy
 */

/** @type {Record<string, (ctx: DashboardContext) => Dashboard>} */
const DASHBOARDS = {
  scalars: scalarsDashboard,
  custom_scalars: customScalarsDashboard,
  images: imagesDashboard,
  audio: audioDashboard,
  histograms: histogramsDashboard,
  text: textDashboard,
  pr_curves: prCurvesDashboard,
  hparams: hparamsDashboard,
  projector: embeddingsDashboard,
};

const POLL_MS = 1000;

const tabsEl = /** @type {HTMLElement} */ (document.getElementById('tabs'));
const contentEl = /** @type {HTMLElement} */ (document.getElementById('content'));
const controlsEl = /** @type {HTMLElement} */ (document.getElementById('dashboard-controls'));
const runsEl = /** @type {HTMLElement} */ (document.getElementById('runs-panel'));
const statusEl = /** @type {HTMLElement} */ (document.getElementById('status'));

/** @type {Record<string, { enabled: boolean, tab_name: string }>} */
let listing = {};
/** @type {{ name: string, dash: Dashboard } | null} */
let current = null;
let generation = -1;
let seenRuns = -1;
let refreshing = false;

state.filter = load('runFilter', '');

function currentTab() {
  const want = location.hash.slice(1);
  const enabled = Object.keys(listing).filter((k) => listing[k].enabled && DASHBOARDS[k]);
  return enabled.includes(want) ? want : enabled[0] ?? null;
}

function renderTabs() {
  const active = currentTab();
  tabsEl.replaceChildren(
    ...Object.entries(listing)
      .filter(([k, v]) => v.enabled && DASHBOARDS[k])
      .map(([k, v]) => h('a', { href: `#${k}`, class: `tab${k === active ? ' active' : ''}`, dataset: { plugin: k } }, v.tab_name)),
  );
}

const runList = h('ul', { class: 'run-list' });
const runFilter = h('input', {
  type: 'search',
  class: 'run-filter',
  placeholder: 'Filter runs (regex)',
  value: state.filter,
  'aria-label': 'Filter runs (regular expression)',
  oninput: (/** @type {Event} */ e) => {
    state.filter = /** @type {HTMLInputElement} */ (e.target).value;
    save('runFilter', state.filter);
    runsChanged();
  },
});
const toggleAll = h('input', {
  type: 'checkbox',
  class: 'toggle-all',
  checked: true,
  title: 'All runs on or off',
  onchange: (/** @type {Event} */ e) => {
    const on = /** @type {HTMLInputElement} */ (e.target).checked;
    for (const r of state.runs) if (userRegex(state.filter).test(r)) on ? state.hidden.delete(r) : state.hidden.add(r);
    runsChanged();
  },
});
runsEl.append(h('h2', {}, 'Runs'), runFilter, h('label', { class: 'control inline' }, toggleAll, h('span', {}, 'all')), runList);

function renderRuns() {
  const re = userRegex(state.filter);
  runFilter.classList.toggle('invalid', !re.valid);
  const shown = state.runs.filter((r) => re.test(r));
  runList.replaceChildren(
    ...shown.map((run) =>
      h(
        'li',
        { class: 'run', dataset: { run } },
        h(
          'label',
          { title: run },
          h('input', {
            type: 'checkbox',
            checked: !state.hidden.has(run),
            onchange: (/** @type {Event} */ e) => {
              /** @type {HTMLInputElement} */ (e.target).checked ? state.hidden.delete(run) : state.hidden.add(run);
              runsChanged();
            },
          }),
          h('span', { class: 'swatch', style: { background: runColor(run) } }),
          h('span', { class: 'run-name' }, run),
        ),
      ),
    ),
  );
  if (shown.length === 0) runList.append(h('li', { class: 'empty' }, state.runs.length ? 'No runs match.' : 'No runs yet.'));
}
onRunsChange(() => {
  renderRuns();
  current?.dash.runsChanged();
});

async function openDashboard() {
  const name = currentTab();
  renderTabs();
  if (current && current.name === name) return;
  current?.dash.destroy();
  current = null;
  controlsEl.replaceChildren();
  if (!name) {
    contentEl.replaceChildren(h('div', { class: 'empty' }, h('h2', {}, 'No dashboards are active for the current data set.'), h('p', {}, 'Write some data with SummaryWriter into the log directory; this page updates by itself.')));
    return;
  }
  const dash = DASHBOARDS[name]({ rerender: () => {} });
  current = { name, dash };
  contentEl.replaceChildren(dash.el);
  if (dash.controls) controlsEl.append(dash.controls);
  document.body.dataset.dashboard = name;
  await dash.refresh();
}

/** Reads runs and tabs again, then refreshes the open dashboard. */
async function refreshAll() {
  if (refreshing) return;
  refreshing = true;
  try {
    const [runs, plugins] = await Promise.all([getJson('runs'), getJson('plugins_listing')]);
    setRuns(runs);
    listing = plugins;
    renderRuns();
    const before = current?.name;
    await openDashboard();
    if (current && current.name === before) await current.dash.refresh();
    document.body.dataset.generation = String(generation);
  } finally {
    refreshing = false;
  }
}

async function poll() {
  try {
    const s = await getJson('status');
    statusEl.textContent = `${s.loading ? 'loading… ' : ''}${s.runs} run${s.runs === 1 ? '' : 's'}`;
    statusEl.classList.toggle('offline', false);
    // the generation moves when a reload ends; while a long first load runs, new runs show up
    // as they are read
    if ((s.generation !== generation || s.runs !== seenRuns) && !refreshing) {
      generation = s.generation;
      seenRuns = s.runs;
      await refreshAll();
    }
  } catch {
    statusEl.textContent = 'server unreachable';
    statusEl.classList.toggle('offline', true);
  }
  setTimeout(poll, POLL_MS);
}

window.addEventListener('hashchange', () => void openDashboard());
/** @type {HTMLElement} */ (document.getElementById('reload')).addEventListener('click', async () => {
  await fetch('/data/reload', { method: 'POST' });
  generation = -1;
  seenRuns = -1;
});
void poll();
export { runShown };
