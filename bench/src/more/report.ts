/**
 * The tables and the RESULTS-more.md text of `bench:more`. Every ratio is Flint's time over
 * PyTorch's (for throughputs: PyTorch's rate over Flint's), so lower is better everywhere and 1
 * means as fast as PyTorch.
 */
import type { Hotspots } from './js-hotspots.js';
import type { Breakdown } from './where-time-goes.js';

/** What a row's iteration is, and how its time is shown. */
export type Unit = { kind: 'ms' } | { kind: 'rate'; per: number; label: string };

/** One benchmark row: medians in ms per iteration (undefined: not run). */
export interface Row {
  title: string;
  unit: Unit;
  torch2?: number;
  torch1?: number;
  flintWasm?: number;
  flintCpu?: number;
  /** Rounds each contender took, for the reader ("9/9/9/3"). */
  rounds: string;
}

export interface Machine {
  date: string;
  nproc: string;
  cpu: string;
  node: string;
  torch: string;
  torchvision: string | null;
  blas: string;
  python: string;
  loadStart: number[];
  loadEnd: number[];
  minutes: number;
}

/** A median time (ms) and its ratio to the baseline row (median over rounds of per-round ratios). */
export interface Relative {
  ms: number;
  ratio: number;
}

export interface OverheadRow {
  label: string;
  flint?: Relative;
  torch2?: Relative;
  torch1?: Relative;
}

export interface Report {
  machine: Machine;
  rows: Row[];
  overhead: { rows: OverheadRow[]; events: { ops: number; backward: number }; hookNs: { label: string; ns: number }[] } | null;
  breakdowns: { title: string; flint: Breakdown; js: Hotspots; torchTable: string; torchThreads: number }[];
  notes: string[];
}

export function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function fmtRate(rate: number): string {
  return rate >= 1000 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(rate >= 100 ? 0 : 1);
}

function value(ms: number, unit: Unit): string {
  return unit.kind === 'ms' ? `${fmt(ms)} ms` : `${fmtRate(unit.per / (ms / 1000))} ${unit.label}`;
}

/** The faster PyTorch time of a row (the reference of its ratios). */
function reference(r: Row): number | undefined {
  const t = Math.min(r.torch2 ?? Infinity, r.torch1 ?? Infinity);
  return t === Infinity ? undefined : t;
}

/** `ms` as a Flint time against the row's reference. */
export function ratio(r: Row, ms: number | undefined): number | undefined {
  const t = reference(r);
  return ms === undefined || t === undefined ? undefined : ms / t;
}

export function mainTable(rows: readonly Row[]): string {
  const lines = [
    '| benchmark | PyTorch, 2 threads | PyTorch, 1 thread | Flint wasm | Flint cpu | rounds |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const t = reference(r);
    const torch = (ms: number | undefined) => (ms === undefined ? '-' : ms === t ? `**${value(ms, r.unit)}**` : value(ms, r.unit));
    const flint = (ms: number | undefined) => (ms === undefined ? '-' : `${value(ms, r.unit)} (**${ratio(r, ms)!.toFixed(2)}x**)`);
    lines.push(`| ${r.title} | ${torch(r.torch2)} | ${torch(r.torch1)} | ${flint(r.flintWasm)} | ${flint(r.flintCpu)} | ${r.rounds} |`);
  }
  return lines.join('\n');
}

export function overheadTable(rows: readonly OverheadRow[], events: { ops: number; backward: number }, hookNs: readonly { label: string; ns: number }[]): string {
  const rel = (v: Relative | undefined) => (v === undefined ? '-' : `${fmt(v.ms)} ms (x${v.ratio.toFixed(3)})`);
  const lines = [
    '| MLP 784-256-10 train step, batch 128 | Flint wasm (vs no hook) | PyTorch, 2 threads (vs no profiler) | PyTorch, 1 thread (vs no profiler) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${rel(r.flint)} | ${rel(r.torch2)} | ${rel(r.torch1)} |`),
  ];
  const base = rows[0]?.flint;
  const rec = rows.find((r) => r.label.startsWith('profiler recording'))?.flint;
  const n = events.ops + events.backward;
  if (rec !== undefined && base !== undefined && n > 0) {
    lines.push(
      '',
      `One Flint step records ${events.ops} ops and ${events.backward} backward nodes; recording costs about ` +
        `${(((rec.ratio - 1) * base.ms * 1000) / n).toFixed(1)} us per event on this step ((ratio - 1) x median step time / events; noise included).`,
    );
  }
  if (hookNs.length > 0) {
    const through = hookNs[0]!.ns;
    lines.push(
      '',
      'The hook alone, around a kernel call that does nothing (best of 7 x 200,000 calls; no step noise):',
      '',
      '| hook | ns per op | over pass-through | x events of one MLP step |',
      '|---|---|---|---|',
      ...hookNs.map((h) => `| ${h.label} | ${h.ns.toFixed(0)} | ${(h.ns - through).toFixed(0)} ns | ${(((h.ns - through) * n) / 1e6).toFixed(3)} ms |`),
    );
  }
  return lines.join('\n');
}

/** The summary line of a V8 CPU profile. */
export function hotspotSummary(h: Hotspots): string {
  const fns = h.top.map((f) => `${f.name} (${f.where}) ${(f.share * 100).toFixed(1)}%`).join(', ');
  return `V8 sampling profile (${fmt(h.stepMs)} ms/step while sampled): wasm kernels ${(h.wasmShare * 100).toFixed(0)}% of CPU time; top JS functions by self time: ${fns}`;
}

/** The summary lines of one breakdown. */
export function breakdownSummary(b: Breakdown): string[] {
  const pct = (ms: number) => `${((ms / b.stepMs) * 100).toFixed(0)}%`;
  const phases = b.phases.map((p) => `${p.name} ${fmt(p.ms)} ms (${pct(p.ms)}; outside recorded ops ${fmt(p.glueMs)} ms)`).join(', ');
  const other = b.stepMs - b.opsMs - b.nodesMs;
  return [
    `step under the profiler: ${fmt(b.stepMs)} ms (mean of ${b.steps} steps): ${phases}`,
    `inside op kernels (op self time) ${fmt(b.opsMs)} ms (${pct(b.opsMs)}); backward-node bookkeeping ${fmt(b.nodesMs)} ms (${pct(b.nodesMs)}); ` +
      `the rest (JS outside kernel calls: module code, ops' own JS work before their kernel call, scopes, read-back, the profiler itself) ${fmt(other)} ms (${pct(other)})`,
    `top ops by self time per step: ${b.top.map((t) => `${t.name} ${fmt(t.ms)} ms (${(t.share * 100).toFixed(0)}%, ${t.calls} calls)`).join(', ')}`,
  ];
}

export function markdown(rep: Report, meaning: readonly string[]): string {
  const m = rep.machine;
  const out = [
    '# Flint vs PyTorch: the second suite (`bench:more`)',
    '',
    'Written by `pnpm --filter @flint/bench bench:more` (`src/more/run.ts`, `more_torch.py`); rerunning it overwrites this file.',
    '',
    `- date: ${m.date}`,
    `- machine: ${m.nproc} CPUs (nproc), ${m.cpu}; load average ${m.loadStart.join(', ')} at start, ${m.loadEnd.join(', ')} at the end (the machine is shared: only ratios from one run mean anything)`,
    `- node ${m.node}; python ${m.python}, torch ${m.torch}, torchvision ${m.torchvision ?? 'not installed'}; torch BLAS: ${m.blas}`,
    `- run time: ${m.minutes.toFixed(1)} minutes`,
    '',
    '## Results',
    '',
    'Medians over interleaved rounds (order shuffled each round, JS garbage collected before each Flint sample, PyTorch given 20 ms to go idle after each of its samples), after warm-up. ' +
      'Ratios in parentheses are Flint time / PyTorch time, against the faster PyTorch (bold); for throughputs that is PyTorch rate / Flint rate. Lower is better; below 1 Flint is faster. ' +
      '"rounds" lists how many samples each contender took, in column order (slow contenders take fewer).',
    '',
    mainTable(rep.rows),
    '',
  ];
  if (rep.overhead !== null) {
    out.push(
      '## Profiler overhead',
      '',
      'Medians over rounds; the ratios are medians over rounds of each sample divided by the baseline sample of the same round (no hook; no profiler).',
      '',
      overheadTable(rep.overhead.rows, rep.overhead.events, rep.overhead.hookNs),
      '',
    );
  }
  for (const b of rep.breakdowns) {
    out.push(`## Where the time goes: ${b.title}`, '', ...[...breakdownSummary(b.flint), hotspotSummary(b.js)].map((l) => `- ${l}`), '');
    out.push('Flint, `profile()` + `keyAverages().table({ sortBy: \'selfCpuTimeTotal\' })` (times are totals over the profiled steps):', '', '```', b.flint.table.trimEnd(), '```', '');
    out.push(
      `PyTorch (${b.torchThreads === 1 ? '1 thread, the faster in this run' : `${b.torchThreads} threads`}), \`torch.profiler\` over the same number of steps, \`key_averages().table(sort_by="self_cpu_time_total")\`:`,
      '', '```', b.torchTable.trimEnd(), '```', '',
    );
  }
  if (rep.notes.length > 0) out.push('## Notes', '', ...rep.notes.map((n) => `- ${n}`), '');
  out.push('## What each row measures', '', ...meaning.map((l) => `- ${l}`), '');
  return out.join('\n');
}
