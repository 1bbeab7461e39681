/**
 * `Checkpoint`: saves the state dicts of objects on an event, keeping the last or the best few
 * (PyTorch-Ignite's `Checkpoint`), and `Checkpoint.loadObjects` to resume from one.
 * @module
 */
import { ArgumentError, FlintError, load, scope } from '@flint/core';
import type { Engine } from '../engine.js';
import { CallableHandler } from './callable.js';
import { CHECKPOINT_EXT, DiskSaver, type CheckpointMetadata, type SaveHandler } from './disk-saver.js';

/**
 * Anything with a state dict: modules, optimizers, schedulers, engines, handlers.
 *
 * @example
 * ```ts
 * const counter: Stateful = { stateDict: () => ({ n }), loadStateDict: (sd) => void (n = sd.n) };
 * ```
 */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict?(stateDict: any, options?: { strict?: boolean }): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Options of {@link Checkpoint} (Ignite's keyword arguments, camelCased).
 *
 * @example
 * ```ts
 * const options: CheckpointOptions = { nSaved: 2, filenamePrefix: 'best', scoreFunction: (e) => e.state.metrics.accuracy as number, scoreName: 'val_acc' };
 * ```
 */
export interface CheckpointOptions {
  /** How many files to keep (default 1); `null` keeps all. */
  nSaved?: number | null;
  /** Starts every file name (default none). */
  filenamePrefix?: string;
  /** A score to keep the best files by (higher is better); without one, the latest files are kept. */
  scoreFunction?: (engine: Engine<any, any>) => number; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The score's name in file names (`model_val_acc=0.9512.safetensors`). */
  scoreName?: string;
  /** The step in file names (default: the engine's iteration, when there is no score function). */
  globalStepTransform?: (engine: Engine<any, any>, eventName: string) => number; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Also save this checkpoint's own state (its list of saved files) under `checkpointer`. */
  includeSelf?: boolean;
  /** With a directory name: refuse one that already holds checkpoints (default true). */
  requireEmpty?: boolean;
  /**
   * Before its first save, count the files already in the save handler's place (a handler with
   * `list()`, such as {@link DiskSaver}) whose names match this checkpoint's file name pattern as
   * saved files, so retention removes them like its own (default true). This removes a file left
   * behind when a run was killed between writing a new checkpoint and deleting the one it
   * replaces. With a score, an adopted file ranks by the score in its name; without one, by its
   * step, except that a step past the one being saved (a file left by a run that went further
   * before being resumed from an earlier checkpoint) ranks below every other file. Files of
   * other checkpoints sharing the directory (another prefix, name or score name) are left alone.
   */
  adoptExisting?: boolean;
  /** Keep a new file when its score equals the worst kept one (default false). */
  greaterOrEqual?: boolean;
  /**
   * The file name pattern, with `{filenamePrefix}`, `{name}`, `{globalStep}`, `{scoreName}`,
   * `{score}` and `{ext}`; default Ignite's `{filenamePrefix}_{name}_{globalStep}_{scoreName}={score}.{ext}`
   * without the parts that do not apply.
   */
  filenamePattern?: string;
}

/** Stands for objects given later, at each call (as {@link ModelCheckpoint} takes them). @internal */
export const DEFERRED_TO_SAVE: Record<string, Stateful> = Object.freeze({}) as Record<string, Stateful>;

/**
 * One saved file.
 *
 * @example
 * ```ts
 * const item: SavedItem = { priority: 0.91, filename: 'best_model_val_acc=0.9100.safetensors' };
 * ```
 */
export interface SavedItem {
  priority: number;
  filename: string;
}

/**
 * Saves `toSave`'s state dicts when its event fires, keeping `nSaved` files: the latest ones, or
 * with a `scoreFunction` the best-scoring ones. Files are named as Ignite names them, with
 * Flint's `.safetensors` extension: `{prefix}_{name}_{step}_{scoreName}={score}.safetensors`,
 * where `name` is the single key of `toSave` or `checkpoint`, `step` the iteration (or
 * `globalStepTransform`'s value) and the score has four decimals (`val_acc=1.0000`). A file holds
 * `{ key: obj.stateDict(), ... }` (just the state dict when `toSave` has one key).
 *
 * @example
 * ```ts
 * const toSave = { model, optimizer, trainer };
 * const checkpoint = new Checkpoint(toSave, 'runs/exp1/checkpoints', { nSaved: 2 });
 * trainer.on(Events.EPOCH_COMPLETED, checkpoint);
 * const best = new Checkpoint({ model }, 'runs/exp1/best', {
 *   filenamePrefix: 'best', scoreFunction: () => evaluator.state.metrics.accuracy as number, scoreName: 'val_acc',
 * });
 * evaluator.on(Events.COMPLETED, best);
 * // later: await Checkpoint.loadObjects(toSave, checkpoint.lastCheckpoint!);
 * ```
 */
export class Checkpoint extends CallableHandler {
  /** The file extension (Flint's `save` writes the safetensors layout). */
  static ext = CHECKPOINT_EXT;
  /** The objects whose state dicts are saved. */
  toSave: Record<string, Stateful>;
  readonly saveHandler: SaveHandler;
  readonly nSaved: number | null;
  readonly filenamePrefix: string;
  readonly scoreFunction: ((engine: Engine<any, any>) => number) | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly scoreName: string | null;
  readonly globalStepTransform: NonNullable<CheckpointOptions['globalStepTransform']> | null;
  readonly includeSelf: boolean;
  readonly greaterOrEqual: boolean;
  readonly filenamePattern: string | null;
  readonly adoptExisting: boolean;
  /** Whether the files already present have been looked at (done before the first save). */
  private adopted = false;
  /** The saved files, worst (or oldest) first. */
  protected saved: SavedItem[] = [];

  constructor(toSave: Record<string, Stateful>, saveHandler: SaveHandler | ((checkpoint: Record<string, unknown>, filename: string, metadata?: CheckpointMetadata) => unknown) | string, options: CheckpointOptions = {}) {
    super();
    const fn = 'Checkpoint()';
    if (toSave !== DEFERRED_TO_SAVE) checkToSave(fn, toSave);
    if (options.includeSelf && 'checkpointer' in toSave) {
      throw new ArgumentError(`${fn}: toSave cannot have a key 'checkpointer' when includeSelf is true`);
    }
    this.toSave = toSave;
    if (typeof saveHandler === 'string') this.saveHandler = new DiskSaver(saveHandler, { requireEmpty: options.requireEmpty ?? true });
    else if (typeof saveHandler === 'function') this.saveHandler = { save: async (c, f, m) => void (await saveHandler(c, f, m)) };
    else if (saveHandler !== null && typeof saveHandler === 'object' && typeof saveHandler.save === 'function') this.saveHandler = saveHandler;
    else throw new ArgumentError(`${fn}: saveHandler must be a directory name, a DiskSaver, an object with save() or a function; received ${typeof saveHandler}`);
    const nSaved = options.nSaved === undefined ? 1 : options.nSaved;
    if (nSaved !== null && (!Number.isInteger(nSaved) || nSaved < 1)) throw new ArgumentError(`${fn}: options.nSaved must be a positive integer or null; received ${String(nSaved)}`);
    this.nSaved = nSaved;
    this.filenamePrefix = options.filenamePrefix ?? '';
    if (typeof this.filenamePrefix !== 'string') throw new ArgumentError(`${fn}: options.filenamePrefix must be a string`);
    if (options.scoreFunction !== undefined && typeof options.scoreFunction !== 'function') throw new ArgumentError(`${fn}: options.scoreFunction must be a function (engine) => number`);
    if (options.globalStepTransform !== undefined && typeof options.globalStepTransform !== 'function') {
      throw new ArgumentError(`${fn}: options.globalStepTransform must be a function (engine, eventName) => number`);
    }
    this.scoreFunction = options.scoreFunction ?? null;
    this.scoreName = options.scoreName ?? null;
    this.globalStepTransform = options.globalStepTransform ?? null;
    this.includeSelf = options.includeSelf ?? false;
    this.greaterOrEqual = options.greaterOrEqual ?? false;
    this.filenamePattern = options.filenamePattern ?? null;
    this.adoptExisting = options.adoptExisting ?? true;
  }

  /**
   * A score function reading `engine.state.metrics[metricName]`, negated with `scoreSign` -1 for
   * metrics where lower is better (Ignite's `get_default_score_fn`).
   *
   * @example
   * ```ts
   * new Checkpoint({ model }, 'best', { scoreFunction: Checkpoint.getDefaultScoreFn('loss', -1), scoreName: 'neg_val_loss' });
   * ```
   */
  static getDefaultScoreFn(metricName: string, scoreSign: 1 | -1 = 1): (engine: Engine<any, any>) => number { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof metricName !== 'string' || metricName === '') throw new ArgumentError('Checkpoint.getDefaultScoreFn(): metricName must be a non-empty string');
    if (scoreSign !== 1 && scoreSign !== -1) throw new ArgumentError(`Checkpoint.getDefaultScoreFn(): scoreSign must be 1 or -1; received ${String(scoreSign)}`);
    return (engine) => {
      const v = engine.state.metrics[metricName];
      if (typeof v !== 'number') {
        throw new ArgumentError(`Checkpoint: engine.state.metrics.${metricName} must be a number; received ${v === undefined ? 'undefined (is the metric attached to this engine?)' : typeof v}`);
      }
      return scoreSign * v;
    };
  }

  /** The path (for a {@link DiskSaver}) or file name of the most recently saved best file, or null. */
  get lastCheckpoint(): string | null {
    const last = this.saved.at(-1);
    if (last === undefined) return null;
    return this.saveHandler instanceof DiskSaver ? `${this.saveHandler.dirname}/${last.filename}` : last.filename;
  }

  /** The saved files, worst (or oldest) first. */
  get savedItems(): readonly SavedItem[] {
    return this.saved.map((s) => ({ ...s }));
  }

  /**
   * Ignite's default file name pattern for the parts that apply.
   *
   * @example
   * ```ts
   * Checkpoint.setupFilenamePattern({ withPrefix: true, withScore: true, withScoreName: true, withGlobalStep: false });
   * // '{filenamePrefix}_{name}_{scoreName}={score}.{ext}'
   * ```
   */
  static setupFilenamePattern(parts: { withPrefix?: boolean; withScore?: boolean; withScoreName?: boolean; withGlobalStep?: boolean } = {}): string {
    const { withPrefix = true, withScore = true, withScoreName = true, withGlobalStep = true } = parts;
    let p = '{name}';
    if (withPrefix) p = `{filenamePrefix}_${p}`;
    if (withGlobalStep) p += '_{globalStep}';
    if (withScoreName && withScore) p += '_{scoreName}={score}';
    else if (withScore) p += '_{score}';
    else if (withScoreName) p += '_{scoreName}';
    return `${p}.{ext}`;
  }

  private fewerThanNSaved(): boolean {
    return this.nSaved === null || this.saved.length < this.nSaved;
  }

  private better(priority: number): boolean {
    const worst = this.saved[0]!.priority;
    return this.greaterOrEqual ? priority >= worst : priority > worst;
  }

  /** Saves a checkpoint if it is among the `nSaved` latest or best; removes the file it replaces. */
  async call(engine: Engine<any, any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    let globalStep: number | null = null;
    if (this.globalStepTransform !== null) globalStep = this.globalStepTransform(engine, engine.lastEvent ?? '');
    let priority: number;
    if (this.scoreFunction !== null) {
      priority = this.scoreFunction(engine);
      if (typeof priority !== 'number' || Number.isNaN(priority)) {
        throw new ArgumentError(`Checkpoint: scoreFunction must return a number; received ${String(priority)}`);
      }
    } else {
      globalStep ??= engine.state.iteration;
      priority = globalStep;
    }
    if (this.toSave === DEFERRED_TO_SAVE) throw new ArgumentError('ModelCheckpoint: pass the objects to save when attaching it: engine.on(event, handler, { model })');

    const names = Object.keys(this.toSave);
    const name = names.length === 1 ? names[0]! : 'checkpoint';
    const pattern =
      this.filenamePattern ??
      Checkpoint.setupFilenamePattern({
        withPrefix: this.filenamePrefix.length > 0,
        withScore: this.scoreFunction !== null,
        withScoreName: this.scoreName !== null,
        withGlobalStep: globalStep !== null,
      });
    const values: Record<string, string> = {
      filenamePrefix: this.filenamePrefix,
      ext: (this.constructor as typeof Checkpoint).ext,
      name,
      scoreName: String(this.scoreName),
      // JavaScript cannot tell 1.0 from 1: scores (floats in Ignite) always get four decimals.
      score: this.scoreFunction === null ? 'None' : priority.toFixed(4),
      globalStep: String(globalStep),
    };
    const filename = pattern.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
    if (this.adoptExisting && !this.adopted) await this.adopt(pattern, values, filename, priority);
    this.adopted = true;
    if (!this.fewerThanNSaved() && !this.better(priority)) return;
    const metadata: CheckpointMetadata = {
      basename: `${this.filenamePrefix}${this.filenamePrefix.length > 0 ? '_' : ''}${name}`,
      scoreName: this.scoreName,
      priority,
    };

    // A file of the same name is replaced in place; beyond nSaved, the worst (or oldest) files go.
    const next = this.saved.filter((s) => s.filename !== filename);
    next.push({ priority, filename });
    next.sort((a, b) => a.priority - b.priority);
    const removed: SavedItem[] = [];
    while (this.nSaved !== null && next.length > this.nSaved) removed.push(next.shift()!);

    let checkpoint: Record<string, unknown> = {};
    for (const [k, obj] of Object.entries(this.toSave)) checkpoint[k] = obj.stateDict();
    if (names.length === 1) checkpoint = { ...(checkpoint[name] as Record<string, unknown>) };
    if (this.includeSelf) checkpoint.checkpointer = { saved: next.map((s) => ({ ...s })) };
    await this.saveHandler.save(checkpoint, filename, metadata);
    // Only a written file counts as saved: a failing save leaves the list (and the files) as they were.
    this.saved = next;
    // The old files go only once their replacement is written.
    for (const r of removed) await this.saveHandler.remove?.(r.filename);
  }

  /** Counts the matching files already present as saved (see {@link CheckpointOptions.adoptExisting}). */
  private async adopt(pattern: string, values: Record<string, string>, filename: string, priority: number): Promise<void> {
    if (typeof this.saveHandler.list !== 'function') return;
    const present = await this.saveHandler.list();
    const known = new Set(this.saved.map((s) => s.filename));
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const source = pattern
      .split(/(\{\w+\})/)
      .map((part) => {
        const key = /^\{(\w+)\}$/.exec(part)?.[1];
        if (key === 'globalStep') return values.globalStep === 'null' ? 'null' : '(?<globalStep>-?\\d+)';
        if (key === 'score') return this.scoreFunction === null ? 'None' : '(?<score>-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?|-?Infinity)';
        return escape(key !== undefined && key in values ? values[key]! : part);
      })
      .join('');
    const re = new RegExp(`^${source}$`);
    const adopted: SavedItem[] = [];
    for (const name of present) {
      const m = re.exec(name);
      if (m === null || known.has(name)) continue;
      let p: number;
      if (this.scoreFunction !== null) p = Number(m.groups?.score);
      else {
        const step = Number(m.groups?.globalStep ?? Number.NaN);
        p = name === filename || step <= priority ? step : -1;
      }
      if (!Number.isNaN(p)) adopted.push({ priority: p, filename: name });
    }
    if (adopted.length > 0) this.saved = [...adopted, ...this.saved].sort((a, b) => a.priority - b.priority);
  }

  /**
   * This checkpoint's list of saved files, to resume its retention after a restart.
   *
   * @example
   * ```ts
   * const sd = checkpoint.stateDict(); // { saved: [{ priority: 2, filename: 'model_2.safetensors' }] }
   * ```
   */
  stateDict(): { saved: SavedItem[] } {
    return { saved: this.saved.map((s) => ({ priority: s.priority, filename: s.filename })) };
  }

  /**
   * Restores the list of saved files from {@link stateDict}.
   *
   * @example
   * ```ts
   * checkpoint.loadStateDict(ckpt.checkpointer);
   * ```
   */
  loadStateDict(stateDict: { saved: SavedItem[] }): void {
    const saved = (stateDict as { saved?: unknown } | null)?.saved;
    if (!Array.isArray(saved) || !saved.every((s) => typeof s?.priority === 'number' && typeof s?.filename === 'string')) {
      throw new ArgumentError('Checkpoint.loadStateDict(): stateDict must be { saved: [{ priority, filename }, ...] } from checkpoint.stateDict()');
    }
    this.saved = saved.map((s: SavedItem) => ({ priority: s.priority, filename: s.filename })).sort((a, b) => a.priority - b.priority);
  }

  /**
   * Loads a checkpoint (a file path or an already loaded object) into `toLoad`'s objects by key,
   * with `loadStateDict`. When `toLoad` has one key that the checkpoint lacks, the whole
   * checkpoint is that object's state dict (as {@link Checkpoint} saves a single object).
   *
   * @example
   * ```ts
   * const toLoad = { model, optimizer, trainer };
   * await Checkpoint.loadObjects(toLoad, 'checkpoints/checkpoint_1200.safetensors');
   * await trainer.run(loader, { maxEpochs: 10 }); // resumes at iteration 1200
   * ```
   */
  static async loadObjects(toLoad: Record<string, Stateful>, checkpoint: string | Record<string, unknown>, options: { strict?: boolean } = {}): Promise<void> {
    const fn = 'Checkpoint.loadObjects()';
    checkToSave(fn, toLoad, true);
    if (typeof checkpoint !== 'string' && (checkpoint === null || typeof checkpoint !== 'object')) {
      throw new ArgumentError(`${fn}: checkpoint must be a file path or a loaded checkpoint object; received ${checkpoint === null ? 'null' : typeof checkpoint}`);
    }
    const strict = options.strict ?? true;
    // Loaded tensors are copied into the objects; the loaded ones are freed with the scope.
    await scope(async () => {
      const ckpt = typeof checkpoint === 'string' ? await load<Record<string, unknown>>(checkpoint) : checkpoint;
      const keys = Object.keys(toLoad);
      if (keys.length === 1 && !(keys[0]! in ckpt)) {
        const obj = toLoad[keys[0]!]!;
        obj.loadStateDict!(ckpt, { strict });
        return;
      }
      for (const [k, obj] of Object.entries(toLoad)) {
        if (!(k in ckpt)) {
          throw new FlintError(`${fn}: the checkpoint has no '${k}'; it has [${Object.keys(ckpt).join(', ')}]`);
        }
        obj.loadStateDict!(ckpt[k], { strict });
      }
    });
  }
}

/** Checks a `{ name: object with stateDict() }` record. @internal */
export function checkToSave(fn: string, toSave: unknown, needLoad = false): asserts toSave is Record<string, Stateful> {
  if (toSave === null || typeof toSave !== 'object' || Array.isArray(toSave) || Object.keys(toSave).length === 0) {
    throw new ArgumentError(`${fn}: the objects must be a non-empty object like { model, optimizer }; received ${toSave === null ? 'null' : typeof toSave}`);
  }
  for (const [k, v] of Object.entries(toSave)) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || typeof (v as Stateful).stateDict !== 'function') {
      throw new ArgumentError(`${fn}: object '${k}' must have a stateDict() method; received ${v === null ? 'null' : typeof v}`);
    }
    if (needLoad && typeof (v as Stateful).loadStateDict !== 'function') {
      throw new ArgumentError(`${fn}: object '${k}' must have a loadStateDict() method`);
    }
  }
}
