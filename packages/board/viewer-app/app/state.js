// @ts-check
/**
 * What all dashboards share: the runs, their colors (fixed when a run is first seen), the run
 * filter (a regular expression) and the runs switched off in the sidebar.
 * @module
 */
import { userRegex } from './dom.js';

const PALETTE = ['#ff7043', '#0077bb', '#009988', '#ee3377', '#33bbee', '#cc3311', '#aa4499', '#ddaa33', '#117733', '#332288', '#882255', '#44aa99', '#999933', '#6699cc', '#bb5566', '#004488', '#997700', '#66ccee', '#228833', '#aa3377'];

export const state = {
  /** @type {string[]} */
  runs: [],
  /** @type {Set<string>} */
  hidden: new Set(),
  filter: '',
  /** @type {Map<string, string>} */
  colors: new Map(),
};

/** @param {string[]} runs */
export function setRuns(runs) {
  state.runs = runs;
  for (const r of runs) if (!state.colors.has(r)) state.colors.set(r, PALETTE[state.colors.size % PALETTE.length]);
}

/** @param {string} run @returns {string} */
export function runColor(run) {
  return state.colors.get(run) ?? '#888';
}

/** True when a run passes the filter and is switched on. @param {string} run */
export function runShown(run) {
  return !state.hidden.has(run) && userRegex(state.filter).test(run);
}

/** @type {Set<() => void>} */
const listeners = new Set();

/** Calls `fn` when the shown runs change (filter or switches). @param {() => void} fn */
export function onRunsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function runsChanged() {
  for (const fn of listeners) fn();
}
