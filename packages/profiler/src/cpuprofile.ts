/**
 * Reading V8 CPU profiles (`.cpuprofile`, what `node:inspector`'s `Profiler.stop` returns): the
 * functions that spent the most time themselves, as `flint-profile` prints them.
 * @module
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The parts of a `.cpuprofile` this module reads (Chrome DevTools Protocol `Profiler.Profile`).
 *
 * @example
 * ```ts
 * const p = JSON.parse(readFileSync('node.cpuprofile', 'utf8')) as CpuProfile;
 * ```
 */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  /** Microseconds. */
  startTime: number;
  /** Microseconds. */
  endTime: number;
  /** The node sampled at each tick. */
  samples?: number[];
  /** Microseconds from the previous sample (the first from `startTime`). */
  timeDeltas?: number[];
}

/**
 * One function's share of a CPU profile.
 *
 * @example
 * ```ts
 * const [hottest]: FunctionTime[] = topFunctions(p, 1);
 * ```
 */
export interface FunctionTime {
  /** The function's name, `(anonymous)` when it has none, or V8's `(program)`, `(garbage collector)`. */
  functionName: string;
  /** Where it is defined: `path:line` (1-based), relative to the current folder; empty for V8's entries. */
  location: string;
  /** Time it spent itself (not in its callees), in microseconds. */
  selfTime: number;
}

/**
 * The functions of `profile` by self time, largest first, merged across call sites. Idle time is
 * left out. Each sample's time runs until the next sample, as in Chrome DevTools.
 *
 * @example
 * ```ts
 * const top = topFunctions(JSON.parse(readFileSync('node.cpuprofile', 'utf8')), 10);
 * for (const f of top) console.log(f.functionName, f.location, (f.selfTime / 1000).toFixed(1), 'ms');
 * ```
 */
export function topFunctions(profile: CpuProfile, limit = Infinity): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const next = i + 1 < samples.length ? t + (deltas[i + 1] ?? 0) : profile.endTime;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, next - t));
  }
  const merged = new Map<string, FunctionTime>();
  for (const [id, time] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)' || frame.functionName === '(root)') continue;
    const location = frame.url === '' ? '' : `${displayPath(frame.url)}:${frame.lineNumber + 1}`;
    const functionName = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${functionName}\u0000${location}`;
    const row = merged.get(key);
    if (row === undefined) merged.set(key, { functionName, location, selfTime: time });
    else row.selfTime += time;
  }
  return [...merged.values()].sort((a, b) => b.selfTime - a.selfTime).slice(0, limit);
}

function displayPath(url: string): string {
  if (!url.startsWith('file://')) return url;
  const rel = relative(process.cwd(), fileURLToPath(url));
  return rel.startsWith('..') ? fileURLToPath(url) : rel;
}

/**
 * `rows` as a text table: self time, its share of `total` (microseconds), function, location.
 *
 * @example
 * ```ts
 * console.log(formatFunctionTable(topFunctions(p, 15), p.endTime - p.startTime));
 * ```
 */
export function formatFunctionTable(rows: readonly FunctionTime[], total: number): string {
  const name = Math.min(48, Math.max(8, ...rows.map((r) => r.functionName.length)));
  const fit = (s: string) => (s.length > name ? s.slice(0, name - 3) + '...' : s);
  const lines = [`${'Self time'.padStart(12)}  ${'Self %'.padStart(7)}  ${'Function'.padEnd(name)}  Location`];
  for (const r of rows) {
    const ms = `${(r.selfTime / 1000).toFixed(3)}ms`;
    const pct = `${total > 0 ? ((100 * r.selfTime) / total).toFixed(2) : '0.00'}%`;
    lines.push(`${ms.padStart(12)}  ${pct.padStart(7)}  ${fit(r.functionName).padEnd(name)}  ${r.location}`.trimEnd());
  }
  return lines.join('\n') + '\n';
}
