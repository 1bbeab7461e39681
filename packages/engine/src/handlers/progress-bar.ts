/**
 * `ProgressBar`: a terminal progress bar for an engine run, or plain log lines when the output is
 * not a terminal (PyTorch-Ignite's `ProgressBar`, with the seeds' "compute efficiency").
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Engine } from '../engine.js';
import type { RemovableHandle } from '../event-host.js';
import { Events, type EventLike } from '../events.js';

/**
 * Where the bar is written: `process.stdout` by default; anything with `write` for tests or files.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const stream: ProgressStream = { write: (s) => lines.push(s), isTTY: false };
 * ```
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** A terminal redraws the bar in place; anything else gets log lines. */
  isTTY?: boolean;
  columns?: number;
}

/**
 * Options of {@link ProgressBar}.
 *
 * @example
 * ```ts
 * const options: ProgressBarOptions = { persist: true, desc: 'Train' };
 * ```
 */
export interface ProgressBarOptions {
  /** Where to write (default `process.stdout`). */
  stream?: ProgressStream;
  /** On a terminal, leave each epoch's finished bar on screen (default false: it is cleared). */
  persist?: boolean;
  /** Without a terminal: a log line every this many iterations (default: about ten per epoch). */
  logEvery?: number;
  /** Text before the epoch counter (default none). */
  desc?: string;
  /** Characters of the bar itself (default 20). */
  barWidth?: number;
  /** Seconds from some origin (default `performance.now() / 1000`); for reproducible output. */
  clock?: () => number;
}

/**
 * Options of {@link ProgressBar.attach}.
 *
 * @example
 * ```ts
 * pbar.attach(trainer, { metricNames: ['accuracy'], outputTransform: (out) => ({ loss: out.loss }) });
 * ```
 */
export interface ProgressBarAttachOptions {
  /** Entries of `engine.state.metrics` to show (`'all'`: every numeric one). */
  metricNames?: string[] | 'all';
  /**
   * Turns the output into the numbers to show as running averages; default: a number output is
   * shown as `loss`, anything else is not shown.
   */
  outputTransform?: (output: any) => number | Record<string, number> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The weight of the past in the running averages (default 0.98, as Ignite's RunningAverage). */
  alpha?: number;
  /** When to update the bar (default ITERATION_COMPLETED). */
  event?: EventLike;
  /** When the bar of an epoch is finished (default EPOCH_COMPLETED). */
  closingEvent?: EventLike;
}

function clockTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

/**
 * Shows an engine's progress: epoch and iteration, a bar, iterations per second, the time left,
 * running averages of the output (the loss), chosen metrics, and the compute efficiency: the
 * share of time spent computing rather than waiting for data (time between a batch's arrival
 * and the next request, over that plus the time waiting in GET_BATCH_STARTED to
 * GET_BATCH_COMPLETED). A value well below 1 means the data loading is the bottleneck.
 *
 * On a terminal the bar is redrawn in place (at most ten times a second); otherwise (a file, a
 * CI log) it writes a plain line every `logEvery` iterations and one at the end of each epoch.
 *
 * @example
 * ```ts
 * const pbar = new ProgressBar();
 * pbar.attach(trainer, { metricNames: ['accuracy'] });
 * // Epoch [2/10]  45%|█████████           | 45/100 [00:12<00:15, 3.71it/s, loss=0.2345, efficiency=0.93]
 * ```
 */
export class ProgressBar {
  readonly stream: ProgressStream;
  readonly persist: boolean;
  readonly logEvery: number | null;
  readonly desc: string;
  readonly barWidth: number;
  private readonly clock: () => number;
  private handles: RemovableHandle[] = [];
  private averages = new Map<string, number>();
  private epochStart = 0;
  private iterations = 0;
  private batchAsked: number | null = null;
  private batchArrived: number | null = null;
  private dataWait = 0;
  private compute = 0;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(options: ProgressBarOptions = {}) {
    const fn = 'ProgressBar()';
    this.stream = options.stream ?? process.stdout;
    if (this.stream === null || typeof this.stream !== 'object' || typeof this.stream.write !== 'function') {
      throw new ArgumentError(`${fn}: options.stream must have a write(chunk) method`);
    }
    this.persist = options.persist ?? false;
    const every = options.logEvery ?? null;
    if (every !== null && (!Number.isInteger(every) || every < 1)) throw new ArgumentError(`${fn}: options.logEvery must be a positive integer; received ${String(every)}`);
    this.logEvery = every;
    this.desc = options.desc ?? '';
    this.barWidth = options.barWidth ?? 20;
    if (!Number.isInteger(this.barWidth) || this.barWidth < 1) throw new ArgumentError(`${fn}: options.barWidth must be a positive integer`);
    this.clock = options.clock ?? (() => performance.now() / 1000);
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  /**
   * Starts showing `engine`'s progress. Returns `this`.
   *
   * @example
   * ```ts
   * new ProgressBar({ persist: true }).attach(trainer, { metricNames: 'all' });
   * ```
   */
  attach(engine: Engine<any, any>, options: ProgressBarAttachOptions = {}): this { // eslint-disable-line @typescript-eslint/no-explicit-any
    const fn = 'ProgressBar.attach()';
    const { metricNames = [], outputTransform, alpha = 0.98, event = Events.ITERATION_COMPLETED, closingEvent = Events.EPOCH_COMPLETED } = options;
    if (metricNames !== 'all' && !Array.isArray(metricNames)) throw new ArgumentError(`${fn}: options.metricNames must be an array of names or 'all'`);
    if (!(alpha >= 0 && alpha < 1)) throw new ArgumentError(`${fn}: options.alpha must be in [0, 1); received ${String(alpha)}`);
    const transform = outputTransform ?? ((o: unknown) => (typeof o === 'number' ? { loss: o } : undefined));
    this.detach();
    this.handles.push(
      engine.on(Events.EPOCH_STARTED, () => {
        this.epochStart = this.clock();
        this.iterations = 0;
        this.dataWait = 0;
        this.compute = 0;
        this.batchArrived = null;
        this.lastDraw = -Infinity;
      }),
      engine.on(Events.GET_BATCH_STARTED, () => {
        const t = this.clock();
        if (this.batchArrived !== null) this.compute += t - this.batchArrived;
        this.batchAsked = t;
      }),
      engine.on(Events.GET_BATCH_COMPLETED, () => {
        const t = this.clock();
        if (this.batchAsked !== null) this.dataWait += t - this.batchAsked;
        this.batchArrived = t;
      }),
      engine.on(Events.ITERATION_COMPLETED, (e) => {
        this.iterations += 1;
        let values = transform(e.state.output);
        if (typeof values === 'number') values = { output: values };
        for (const [k, v] of Object.entries(values ?? {})) {
          if (typeof v !== 'number' || !Number.isFinite(v)) continue;
          const prev = this.averages.get(k);
          this.averages.set(k, prev === undefined ? v : prev * alpha + v * (1 - alpha));
        }
      }),
      engine.on(event, (e) => this.update(e, metricNames, false)),
      engine.on(closingEvent, (e) => this.close(e, metricNames)),
      engine.on(Events.STARTED, () => this.averages.clear()),
    );
    return this;
  }

  /** Stops showing progress. */
  detach(): void {
    for (const h of this.handles) h.remove();
    this.handles = [];
  }

  /**
   * Writes a message without garbling the bar (Ignite's `log_message`).
   *
   * @example
   * ```ts
   * trainer.on(Events.EPOCH_COMPLETED, (e) => pbar.logMessage(`validation accuracy ${acc}`));
   * ```
   */
  logMessage(message: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }

  /** The compute efficiency of the current epoch so far, or null before the first batch. */
  efficiency(): number | null {
    const t = this.clock();
    const compute = this.compute + (this.batchArrived === null ? 0 : t - this.batchArrived);
    const total = compute + this.dataWait;
    return total > 0 ? compute / total : null;
  }

  private position(e: Engine<any, any>): { done: number; total: number | null } { // eslint-disable-line @typescript-eslint/no-explicit-any
    const s = e.state;
    if (s.epochLength === null) return { done: this.iterations, total: null };
    return { done: s.iteration - (s.epoch - 1) * s.epochLength, total: s.epochLength };
  }

  private line(e: Engine<any, any>, metricNames: string[] | 'all', final: boolean): string { // eslint-disable-line @typescript-eslint/no-explicit-any
    const s = e.state;
    const { done, total } = this.position(e);
    const elapsed = this.clock() - this.epochStart;
    const rate = elapsed > 0 ? this.iterations / elapsed : 0;
    const head = [this.desc, s.maxEpochs !== null && s.maxEpochs > 1 ? `Epoch [${s.epoch}/${s.maxEpochs}]` : ''].filter(Boolean).join(' ') || 'Iteration';
    const stats: string[] = [];
    for (const [k, v] of this.averages) stats.push(`${k}=${num(v)}`);
    const names = metricNames === 'all' ? Object.keys(s.metrics) : metricNames;
    for (const k of names) {
      const v = s.metrics[k];
      if (typeof v === 'number') stats.push(`${k}=${num(v)}`);
    }
    const eff = this.efficiency();
    if (eff !== null) stats.push(`efficiency=${eff.toFixed(2)}`);
    const rateText = `${rate >= 1 || rate === 0 ? rate.toFixed(2) : (1 / rate).toFixed(2)}${rate >= 1 || rate === 0 ? 'it/s' : 's/it'}`;
    if (this.tty) {
      const frac = total === null ? null : Math.min(1, done / total);
      const filled = frac === null ? 0 : Math.round(frac * this.barWidth);
      const bar = frac === null ? '' : ` ${String(Math.round(frac * 100)).padStart(3)}%|${'█'.repeat(filled)}${' '.repeat(this.barWidth - filled)}|`;
      const eta = total === null || rate === 0 ? '?' : clockTime((total - done) / rate);
      return `${head}${bar} ${done}${total === null ? '' : `/${total}`} [${clockTime(elapsed)}<${eta}, ${[rateText, ...stats].join(', ')}]`;
    }
    const parts = [`${head} ${done}${total === null ? '' : `/${total} (${Math.round((100 * done) / total)}%)`}`];
    if (final) parts.push(`done in ${clockTime(elapsed)}`);
    else parts.push(rateText, `ETA ${total === null || rate === 0 ? '?' : clockTime((total - done) / rate)}`);
    return [...parts, ...stats].join(' | ');
  }

  private update(e: Engine<any, any>, metricNames: string[] | 'all', _final: boolean): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { done, total } = this.position(e);
    if (this.tty) {
      const t = this.clock();
      if (t - this.lastDraw < 0.1 && done !== total) return;
      this.lastDraw = t;
      const text = this.line(e, metricNames, false);
      const cols = this.stream.columns;
      this.stream.write(`\r${cols !== undefined && text.length >= cols ? text.slice(0, cols - 1) : text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const every = this.logEvery ?? Math.max(1, Math.ceil((total ?? 1000) / 10));
    if (done % every === 0 && done !== total) this.stream.write(`${this.line(e, metricNames, false)}\n`);
  }

  private close(e: Engine<any, any>, metricNames: string[] | 'all'): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (this.tty) {
      if (this.persist) {
        const text = this.line(e, metricNames, true);
        this.stream.write(`\r${text}\x1b[K\n`);
      } else if (this.drawn) this.stream.write('\r\x1b[K');
      this.drawn = false;
      return;
    }
    this.stream.write(`${this.line(e, metricNames, true)}\n`);
  }
}
