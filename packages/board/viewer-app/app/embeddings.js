// @ts-check
/**
 * The Embeddings dashboard: an embedding of the projector config, projected on its first two
 * principal components and drawn as a scatter; points colored by a metadata column, labelled
 * (all labels when there are few points, the nearest one under the cursor), and drawn as their
 * sprite thumbnails when the embedding has a sprite.
 * @module
 */
import { dataUrl, getJson } from './api.js';
import { h } from './dom.js';
import { pca } from './pca.js';
import { runShown, state } from './state.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const MAX_POINTS = 20000;

/** @returns {import('./main.js').Dashboard} */
export function embeddingsDashboard() {
  /** @type {Record<string, any[]>} */
  let listing = {};
  let chosen = '';
  /** @type {any} */
  let view = null; // { n, d, xy, labels, header, rows, colorCol, sprite, dim, variance }
  const pick = h('select', { class: 'embedding-select', 'aria-label': 'Embedding', onchange: () => void open() });
  const colorBy = h('select', { class: 'color-by', 'aria-label': 'Color by', onchange: () => draw() });
  const showLabels = h('input', { type: 'checkbox', class: 'show-labels', onchange: () => draw() });
  const showThumbs = h('input', { type: 'checkbox', class: 'show-thumbs', checked: true, onchange: () => draw() });
  const controls = h(
    'div',
    { class: 'controls' },
    h('label', { class: 'control' }, h('span', {}, 'Embedding'), pick),
    h('label', { class: 'control' }, h('span', {}, 'Color by'), colorBy),
    h('label', { class: 'control inline' }, showLabels, h('span', {}, 'All labels')),
    h('label', { class: 'control inline' }, showThumbs, h('span', {}, 'Sprite thumbnails')),
  );
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { class: 'scatter' }));
  const info = h('div', { class: 'note embedding-info' });
  const tip = h('div', { class: 'tooltip', hidden: true });
  const el = h('div', { class: 'dashboard projector' }, info, h('div', { class: 'scatter-box' }, canvas, tip));

  /** @type {{ x: number, y: number, i: number }[]} */
  let screen = [];

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const W = canvas.clientWidth || 800;
    const H = canvas.clientHeight || 560;
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    screen = [];
    if (!view) return;
    const { n, xy } = view;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, xy[2 * i]);
      x1 = Math.max(x1, xy[2 * i]);
      y0 = Math.min(y0, xy[2 * i + 1]);
      y1 = Math.max(y1, xy[2 * i + 1]);
    }
    const pad = 30;
    const padRight = 80; // room for labels
    const sx = (W - pad - padRight) / (x1 - x0 || 1);
    const sy = (H - 2 * pad) / (y1 - y0 || 1);
    const s = Math.min(sx, sy);
    const cx = pad + (W - pad - padRight) / 2 - ((x0 + x1) / 2) * s;
    const cy = H / 2 + ((y0 + y1) / 2) * s;
    const col = Number(/** @type {HTMLSelectElement} */ (colorBy).value || 0);
    const categories = new Map();
    const thumbs = view.sprite && /** @type {HTMLInputElement} */ (showThumbs).checked;
    const perRow = view.sprite ? Math.ceil(Math.sqrt(n)) : 0;
    const tsize = n > 2000 ? 12 : n > 300 ? 18 : 28;
    for (let i = 0; i < n; i++) {
      const x = cx + xy[2 * i] * s;
      const y = cy - xy[2 * i + 1] * s;
      screen.push({ x, y, i });
      const cat = view.rows?.[i]?.[col] ?? '';
      if (!categories.has(cat)) categories.set(cat, COLORS[categories.size % COLORS.length]);
      if (thumbs) {
        const [dw, dh] = view.dim;
        g.drawImage(view.sprite, (i % perRow) * dw, Math.floor(i / perRow) * dh, dw, dh, x - tsize / 2, y - tsize / 2, tsize, tsize);
      } else {
        g.fillStyle = categories.get(cat);
        g.beginPath();
        g.arc(x, y, n > 5000 ? 1.5 : 3, 0, 2 * Math.PI);
        g.fill();
      }
    }
    if (/** @type {HTMLInputElement} */ (showLabels).checked || n <= 100) {
      g.fillStyle = '#333';
      g.font = '11px system-ui, sans-serif';
      for (const p of screen) g.fillText(label(p.i), p.x + 5, p.y - 4);
    }
  }

  /** @param {number} i */
  function label(i) {
    if (!view?.rows) return `#${i}`;
    const col = Number(/** @type {HTMLSelectElement} */ (colorBy).value || 0);
    return String(view.rows[i]?.[col] ?? `#${i}`);
  }

  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    let best = null;
    let bd = 100;
    for (const p of screen) {
      const dd = (p.x - mx) ** 2 + (p.y - my) ** 2;
      if (dd < bd) {
        bd = dd;
        best = p;
      }
    }
    if (!best) {
      tip.hidden = true;
      return;
    }
    tip.hidden = false;
    tip.textContent = view.rows ? (view.header ?? view.rows[best.i].map((/** @type {any} */ _v, /** @type {number} */ k) => `col ${k}`)).map((/** @type {string} */ name, /** @type {number} */ k) => `${name}: ${view.rows[best.i][k]}`).join('\n') : `point ${best.i}`;
    tip.style.left = `${best.x + 12}px`;
    tip.style.top = `${best.y + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));

  async function open() {
    chosen = /** @type {HTMLSelectElement} */ (pick).value;
    if (!chosen) return;
    const [run, name] = JSON.parse(chosen);
    const meta = (listing[run] ?? []).find((e) => e.tensorName === name);
    info.textContent = 'loading…';
    const t = await getJson('plugin/projector/tensor', { run, name });
    const [n0, d] = t.shape;
    const n = Math.min(n0, MAX_POINTS);
    const { coords, variance } = pca(t.data, n, d, 2);
    /** @type {any} */
    const v = { n, d, xy: coords, variance, rows: null, header: null, sprite: null, dim: null };
    if (meta?.hasMetadata) {
      const m = await getJson('plugin/projector/metadata', { run, name });
      v.rows = m.rows.map((/** @type {any} */ r) => (Array.isArray(r) ? r : [r]));
      v.header = m.header ?? null;
    }
    if (meta?.sprite) {
      const img = new Image();
      img.src = dataUrl('plugin/projector/sprite', { run, name });
      await img.decode().catch(() => undefined);
      if (img.naturalWidth > 0) {
        v.sprite = img;
        v.dim = meta.sprite.singleImageDim;
      }
    }
    const cols = v.header ?? (v.rows?.[0] ? v.rows[0].map((/** @type {any} */ _x, /** @type {number} */ k) => (k === 0 ? 'label' : `column ${k}`)) : []);
    colorBy.replaceChildren(...cols.map((/** @type {string} */ c, /** @type {number} */ k) => h('option', { value: String(k) }, c)));
    view = v;
    info.textContent = `${name} (${run}): ${n0} points × ${d} dimensions${n < n0 ? `, first ${n} shown` : ''}; PCA, variance explained ${variance.map((x) => `${(x * 100).toFixed(1)}%`).join(' + ')}`;
    el.dataset.points = String(n);
    draw();
  }

  return {
    el,
    controls,
    async refresh() {
      listing = await getJson('plugin/projector/embeddings');
      const options = [];
      for (const run of state.runs) if (runShown(run)) for (const e of listing[run] ?? []) options.push(h('option', { value: JSON.stringify([run, e.tensorName]) }, `${e.tensorName} (${run})`));
      const before = chosen;
      pick.replaceChildren(...options);
      if (before && options.some((o) => /** @type {HTMLOptionElement} */ (o).value === before)) /** @type {HTMLSelectElement} */ (pick).value = before;
      if (!options.length) {
        view = null;
        info.textContent = 'No embeddings. Write one with writer.addEmbedding(mat, { metadata }).';
        draw();
      } else if (/** @type {HTMLSelectElement} */ (pick).value !== before || !view) await open();
    },
    runsChanged() {
      void this.refresh();
    },
    destroy() {},
  };
}
