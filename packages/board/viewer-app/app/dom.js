// @ts-check
/**
 * DOM helpers. Every string goes in as text (textContent or a Text node), never as HTML, so a
 * run named `<script>` shows as those characters. The one place HTML is inserted is
 * `markdown.js`, after DOMPurify.
 * @module
 */

/**
 * Creates an element: `h('div', { class: 'card', onclick: fn, title: 'x' }, 'text', child)`.
 * Keys starting with `on` add listeners, `style` may be an object, `dataset` sets data-*;
 * other keys become attributes (or properties for `value`, `checked`, `disabled`).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') /** @type {any} */ (el)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

/**
 * Appends children (strings become Text nodes).
 * @param {Element} el
 * @param {...(Node | string | number | null | undefined | false)} children
 */
export function append(el, ...children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Removes all children. @param {Element} el */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
}

/**
 * Calls `fn` once per animation frame at most, with the last arguments.
 * @template {any[]} A
 * @param {(...args: A) => void} fn
 * @returns {(...args: A) => void}
 */
export function perFrame(fn) {
  let pending = /** @type {A | null} */ (null);
  return (...args) => {
    const first = pending === null;
    pending = args;
    if (first) {
      requestAnimationFrame(() => {
        const a = /** @type {A} */ (pending);
        pending = null;
        fn(...a);
      });
    }
  };
}

/**
 * Waits `ms` after the last call before calling `fn`.
 * @template {any[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 * @returns {(...args: A) => void}
 */
export function debounce(fn, ms) {
  let t = 0;
  return (...args) => {
    clearTimeout(t);
    t = window.setTimeout(() => fn(...args), ms);
  };
}

/**
 * Saves text as a file through a blob: URL and a temporary link.
 * @param {string} name
 * @param {string} text
 * @param {string} type
 */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, style: { display: 'none' } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A short number for tables and legends.
 * @param {number | null | undefined} v
 * @returns {string}
 */
export function fmt(v) {
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

/**
 * Groups tags by their first path component (`loss/train` -> `loss`), as TensorBoard does.
 * @param {string[]} tags
 * @returns {Map<string, string[]>}
 */
export function groupTags(tags) {
  /** @type {Map<string, string[]>} */
  const groups = new Map();
  for (const tag of [...tags].sort()) {
    const i = tag.indexOf('/');
    const g = i > 0 ? tag.slice(0, i) : tag;
    const list = groups.get(g) ?? [];
    list.push(tag);
    groups.set(g, list);
  }
  return groups;
}

/**
 * A case-insensitive regular expression from user input; an invalid one matches as plain text.
 * @param {string} source
 * @returns {{ test: (s: string) => boolean, valid: boolean }}
 */
export function userRegex(source) {
  if (!source) return { test: () => true, valid: true };
  try {
    const re = new RegExp(source, 'i');
    return { test: (s) => re.test(s), valid: true };
  } catch {
    const lower = source.toLowerCase();
    return { test: (s) => s.toLowerCase().includes(lower), valid: false };
  }
}
