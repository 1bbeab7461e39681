// @ts-check
/**
 * Requests to the server's data routes. Non-finite numbers arrive as the strings "NaN",
 * "Infinity" and "-Infinity" (JSON has no such numbers); `num` turns them back.
 * @module
 */

/**
 * @param {string} path
 * @param {Record<string, string | number | undefined>} [params]
 * @returns {string}
 */
export function dataUrl(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return `/data/${path}${s ? `?${s}` : ''}`;
}

/**
 * GETs a data route as JSON.
 * @param {string} path
 * @param {Record<string, string | number | undefined>} [params]
 * @returns {Promise<any>}
 */
export async function getJson(path, params) {
  const res = await fetch(dataUrl(path, params));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * POSTs a JSON body to a data route.
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<any>}
 */
export async function postJson(path, body) {
  const res = await fetch(`/data/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * A number from the JSON replies.
 * @param {number | string} v
 * @returns {number}
 */
export function num(v) {
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Scalars of one tag for several runs: `{ run: [[wallTime, step, value], ...] }`.
 * @param {string} tag
 * @param {string[]} runs
 * @param {number} [samples] at most this many points per run (evenly spaced, ends kept)
 * @returns {Promise<Record<string, [number, number, number][]>>}
 */
export async function scalarsMultirun(tag, runs, samples) {
  /** @type {Record<string, [number, number, any][]>} */
  const raw = await postJson('plugin/scalars/scalars_multirun', { tag, runs, ...(samples ? { samples } : {}) });
  for (const pts of Object.values(raw)) for (const p of pts) if (typeof p[2] === 'string') p[2] = Number(p[2]);
  return raw;
}
