/**
 * Key averages: recorded events grouped by name (and optionally input shapes or call stack),
 * with totals, self times and call counts, and `table()` printing them as PyTorch does.
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { EventKind, ProfilerEvent } from './event.js';

/**
 * One row of {@link KeyAverages}: the events that share a key. Times are in microseconds.
 *
 * @example
 * ```ts
 * const row: FunctionEventAvg | undefined = prof.keyAverages().get('matmul');
 * console.log(row?.count, row?.selfCpuTimeTotal);
 * ```
 */
export interface FunctionEventAvg {
  /** The op, node or range name. */
  readonly key: string;
  readonly kind: EventKind;
  /** How many events were grouped. */
  readonly count: number;
  /** Sum of the events' durations (nested events included). */
  readonly cpuTimeTotal: number;
  /** Sum of the events' self times (nested events excluded). */
  readonly selfCpuTimeTotal: number;
  /** `cpuTimeTotal / count`. */
  readonly cpuTime: number;
  /** `selfCpuTimeTotal / count`. */
  readonly selfCpuTime: number;
  /** The input shapes, as `[[128, 784], [784, 256]]`, when grouped by input shape; else `null`. */
  readonly inputShapes: string | null;
  /** Net bytes left allocated, summed, when memory was profiled; else `null`. */
  readonly cpuMemoryUsage: number | null;
  /** The same without nested events; else `null`. */
  readonly selfCpuMemoryUsage: number | null;
  /** The call stack shared by the group, when grouped by stack; else `null`. */
  readonly stack: readonly string[] | null;
}

/**
 * Options of `keyAverages()`, as PyTorch's `key_averages()`.
 *
 * @example
 * ```ts
 * prof.keyAverages({ groupByInputShape: true } satisfies KeyAveragesOptions);
 * ```
 */
export interface KeyAveragesOptions {
  /** Separate rows for each distinct list of input shapes (needs `recordShapes`). */
  groupByInputShape?: boolean;
  /** Separate rows for each distinct top-`n` frames of the call stack (needs `withStack`). */
  groupByStackN?: number;
}

/**
 * What `table()` can sort by (descending); PyTorch's `sort_by` in camelCase.
 *
 * @example
 * ```ts
 * const by: SortKey = 'selfCpuTimeTotal'; // PyTorch: sort_by='self_cpu_time_total'
 * ```
 */
export type SortKey = 'cpuTimeTotal' | 'selfCpuTimeTotal' | 'count' | 'cpuMemoryUsage' | 'selfCpuMemoryUsage';
const SORT_KEYS: readonly SortKey[] = ['cpuTimeTotal', 'selfCpuTimeTotal', 'count', 'cpuMemoryUsage', 'selfCpuMemoryUsage'];

/**
 * Options of `table()`.
 *
 * @example
 * ```ts
 * prof.table({ sortBy: 'count', rowLimit: 20 } satisfies TableOptions);
 * ```
 */
export interface TableOptions {
  /** Sort rows by this, largest first; default: the order in which keys first appeared. */
  sortBy?: SortKey;
  /** At most this many rows (a positive integer or `Infinity`). Default 100. */
  rowLimit?: number;
}

const MAX_NAME_WIDTH = 55;
const MAX_SHAPES_WIDTH = 80;

/** Microseconds as PyTorch prints them: `12.345us`, `1.234ms`, `2.000s`. */
export function formatTime(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(3)}s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(3)}ms`;
  return `${us.toFixed(3)}us`;
}

/** Bytes as PyTorch prints them: `512 b`, `1.50 Kb`, `-3.00 Mb`. */
export function formatMemory(bytes: number): string {
  const a = Math.abs(bytes);
  if (a >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} Gb`;
  if (a >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(2)} Mb`;
  if (a >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(2)} Kb`;
  return `${bytes} b`;
}

function shapesKey(shapes: ProfilerEvent['inputShapes']): string {
  return shapes === null ? '[]' : `[${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}]`;
}

/**
 * Recorded events grouped into rows ({@link FunctionEventAvg}), in the order their keys first
 * appeared. Iterable; `table()` formats them.
 *
 * @example
 * ```ts
 * const prof = profile({ recordShapes: true }, () => model(x).sum().backward());
 * const avg = prof.keyAverages({ groupByInputShape: true });
 * for (const row of avg) console.log(row.key, row.count, row.inputShapes);
 * console.log(avg.table({ sortBy: 'cpuTimeTotal', rowLimit: 10 }));
 * ```
 */
export class KeyAverages implements Iterable<FunctionEventAvg> {
  constructor(
    /** The rows. */
    readonly rows: readonly FunctionEventAvg[],
    /** Whether rows were split by input shape (adds the Input Shapes column). */
    readonly groupedByInputShape = false,
    /** Whether rows were split by call stack (adds the Source Location column). */
    readonly groupedByStack = false,
  ) {}

  /** Groups events by name (and input shapes or stack, when asked). */
  static fromEvents(events: readonly ProfilerEvent[], options: KeyAveragesOptions = {}): KeyAverages {
    if (typeof options !== 'object' || options === null) {
      throw new ArgumentError(`keyAverages(): options must be an object { groupByInputShape?, groupByStackN? } (got ${String(options)})`);
    }
    const byShape = options.groupByInputShape ?? false;
    const stackN = options.groupByStackN ?? 0;
    if (!Number.isInteger(stackN) || stackN < 0) {
      throw new ArgumentError(`keyAverages(): groupByStackN must be an integer >= 0 (got ${String(stackN)})`);
    }
    interface Acc {
      key: string;
      kind: EventKind;
      count: number;
      total: number;
      self: number;
      shapes: string | null;
      mem: number | null;
      selfMem: number | null;
      stack: string[] | null;
    }
    const groups = new Map<string, Acc>();
    for (const e of events) {
      const shapes = byShape ? shapesKey(e.inputShapes) : null;
      const stack = stackN > 0 ? (e.stack ?? []).slice(0, stackN) : null;
      const id = `${e.name}\u0000${shapes ?? ''}\u0000${stack?.join('\u0001') ?? ''}`;
      let g = groups.get(id);
      if (g === undefined) {
        g = { key: e.name, kind: e.kind, count: 0, total: 0, self: 0, shapes, mem: null, selfMem: null, stack };
        groups.set(id, g);
      }
      g.count++;
      g.total += e.duration;
      g.self += e.selfDuration;
      if (e.cpuMemoryUsage !== null) g.mem = (g.mem ?? 0) + e.cpuMemoryUsage;
      if (e.selfCpuMemoryUsage !== null) g.selfMem = (g.selfMem ?? 0) + e.selfCpuMemoryUsage;
    }
    const rows = [...groups.values()].map(
      (g): FunctionEventAvg => ({
        key: g.key,
        kind: g.kind,
        count: g.count,
        cpuTimeTotal: g.total,
        selfCpuTimeTotal: g.self,
        cpuTime: g.total / g.count,
        selfCpuTime: g.self / g.count,
        inputShapes: g.shapes,
        cpuMemoryUsage: g.mem,
        selfCpuMemoryUsage: g.selfMem,
        stack: g.stack,
      }),
    );
    return new KeyAverages(rows, byShape, stackN > 0);
  }

  [Symbol.iterator](): Iterator<FunctionEventAvg> {
    return this.rows[Symbol.iterator]();
  }

  /** The row for `key` (the first one, when rows are split by shape or stack). */
  get(key: string): FunctionEventAvg | undefined {
    return this.rows.find((r) => r.key === key);
  }

  /** The sum of every row's self time: the time the table accounts for, in microseconds. */
  get selfCpuTimeTotal(): number {
    return this.rows.reduce((s, r) => s + r.selfCpuTimeTotal, 0);
  }

  /**
   * The rows as PyTorch's `table()`: Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time
   * avg, [CPU Mem, Self CPU Mem,] # of Calls[, Input Shapes][, Source Location], then the total.
   *
   * @example
   * ```ts
   * console.log(prof.keyAverages().table({ sortBy: 'selfCpuTimeTotal', rowLimit: 10 }));
   * ```
   */
  table(options: TableOptions = {}): string {
    if (typeof options !== 'object' || options === null) {
      throw new ArgumentError(`table(): options must be an object { sortBy?, rowLimit? } (got ${String(options)})`);
    }
    const { sortBy, rowLimit = 100 } = options;
    if (sortBy !== undefined && !SORT_KEYS.includes(sortBy)) {
      throw new ArgumentError(`table(): sortBy must be one of ${SORT_KEYS.map((k) => `'${k}'`).join(', ')} (got ${JSON.stringify(sortBy)})`);
    }
    if (typeof rowLimit !== 'number' || !(rowLimit === Infinity || (Number.isInteger(rowLimit) && rowLimit > 0))) {
      throw new ArgumentError(`table(): rowLimit must be a positive integer or Infinity (got ${String(rowLimit)})`);
    }
    let rows = [...this.rows];
    if (sortBy !== undefined) rows.sort((a, b) => (b[sortBy] ?? -Infinity) - (a[sortBy] ?? -Infinity));
    rows = rows.slice(0, rowLimit);
    const selfTotal = this.selfCpuTimeTotal;
    const pct = (t: number) => `${selfTotal > 0 ? ((100 * t) / selfTotal).toFixed(2) : '0.00'}%`;
    const withMemory = this.rows.some((r) => r.cpuMemoryUsage !== null);

    const header = ['Name', 'Self CPU %', 'Self CPU', 'CPU total %', 'CPU total', 'CPU time avg'];
    if (withMemory) header.push('CPU Mem', 'Self CPU Mem');
    header.push('# of Calls');
    if (this.groupedByInputShape) header.push('Input Shapes');
    if (this.groupedByStack) header.push('Source Location');
    const body = rows.map((r) => {
      const cells = [r.key, pct(r.selfCpuTimeTotal), formatTime(r.selfCpuTimeTotal), pct(r.cpuTimeTotal), formatTime(r.cpuTimeTotal), formatTime(r.cpuTime)];
      if (withMemory) cells.push(formatMemory(r.cpuMemoryUsage ?? 0), formatMemory(r.selfCpuMemoryUsage ?? 0));
      cells.push(String(r.count));
      if (this.groupedByInputShape) cells.push(r.inputShapes ?? '[]');
      if (this.groupedByStack) cells.push((r.stack ?? [])[0] ?? '');
      return cells;
    });

    const widths = header.map((h, i) => Math.max(12, h.length, ...body.map((c) => c[i]!.length)));
    widths[0] = Math.min(Math.max(4, ...body.map((c) => c[0]!.length)) + 4, MAX_NAME_WIDTH);
    const shapesAt = this.groupedByInputShape ? header.indexOf('Input Shapes') : -1;
    if (shapesAt >= 0) widths[shapesAt] = Math.min(widths[shapesAt]! + 4, MAX_SHAPES_WIDTH);
    const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 3) + '...' : s);
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (header[i] === 'Source Location' ? fit(c, widths[i]!).padEnd(widths[i]!) : fit(c, widths[i]!).padStart(widths[i]!)))
        .join('  ')
        .trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('  ');
    return [rule, line(header), rule, ...body.map(line), rule, `Self CPU time total: ${formatTime(selfTotal)}`, ''].join('\n');
  }
}
