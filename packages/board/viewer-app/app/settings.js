// @ts-check
/**
 * Dashboard settings kept in localStorage, so a reload of the page keeps the smoothing, axis
 * and filters.
 * @module
 */

/**
 * @template T
 * @param {string} key
 * @param {T} fallback
 * @returns {T}
 */
export function load(key, fallback) {
  try {
    const v = localStorage.getItem(`flint-board.${key}`);
    return v === null ? fallback : JSON.parse(v);
  } catch {
    return fallback;
  }
}

/** @param {string} key @param {unknown} value */
export function save(key, value) {
  try {
    localStorage.setItem(`flint-board.${key}`, JSON.stringify(value));
  } catch {
    // storage full or disabled: settings last for this page only
  }
}
