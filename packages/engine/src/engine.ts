/**
 * `Engine`: runs a process function over data for some epochs and fires events that handlers
 * attach to (PyTorch-Ignite's `Engine`).
 * @module
 */
import {
  ArgumentError,
  beginScope,
  data as flintData,
  FlintError,
  getRngState,
  keep,
  manualSeed,
  scope,
  setRngState,
  type GeneratorState,
} from '@flint/core';
import { Events, type CallableEvent } from './events.js';
import { EventHost, isThenable } from './event-host.js';
import { State } from './state.js';


/**
 * The process function: one iteration's work on one batch; its result becomes `state.output`.
 *
 * @example
 * ```ts
 * const step: ProcessFunction<[Tensor, Tensor], number> = (engine, [x, y]) => lossFn(model(x), y).item();
 * ```
 */
export type ProcessFunction<TBatch, TOutput> = (engine: Engine<TBatch, TOutput>, batch: TBatch) => TOutput | Promise<TOutput>;

/**
 * The data an engine runs over: any iterable or async iterable (a `DataLoader`, an array, a generator).
 *
 * @example
 * ```ts
 * const batches: EngineData<number> = [1, 2, 3];
 * ```
 */
export type EngineData<TBatch> = Iterable<TBatch> | AsyncIterable<TBatch>;

/**
 * Options of {@link Engine.run}.
 *
 * @example
 * ```ts
 * await trainer.run(loader, { maxEpochs: 10, seed: 0 });
 * ```
 */
export interface RunOptions {
  /** Epochs to run (default 1 for a new run; when resuming, the new total). */
  maxEpochs?: number;
  /** Iterations per epoch (default: the data's length, or the length of its first pass). */
  epochLength?: number;
  /** Seeds the default generator with `seed + epoch` at the start of every epoch, so data order can be replayed. */
  seed?: number;
}

/**
 * What {@link Engine.stateDict} returns: enough to resume a run where it stopped.
 *
 * @example
 * ```ts
 * const sd: EngineStateDict = trainer.stateDict(); // { iteration, epoch, epochLength, maxEpochs, ... }
 * ```
 */
export interface EngineStateDict {
  iteration: number;
  epoch: number;
  epochLength: number | null;
  maxEpochs: number | null;
  seed: number | null;
  /** The default generator's state when the state dict was taken. */
  rngState?: GeneratorState;
  /** How often each custom event (counted by firings) has fired: what its filters count from on resume. */
  customEventCounts?: Record<string, number>;
  [key: string]: unknown;
}


/** Thrown inside the run to unwind to the place that handles terminate(). */
class TerminateSignal extends Error {}
class TerminateEpochSignal extends Error {}

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;


/** Longest stretch, in seconds, a run keeps the event loop busy before letting callbacks run. */
const YIELD_INTERVAL_S = 0.05;

function now(): number {
  return performance.now() / 1000;
}

function checkPositiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ArgumentError(`${fn}: ${name} must be a positive integer; received ${String(v)}`);
  }
  return v;
}

/** The number of batches of `data` when it says so (`length`, `len()`), else null. */
function dataLength(data: unknown): number | null {
  if (data === null || data === undefined) return null;
  if (Array.isArray(data)) return data.length;
  const d = data as { length?: unknown; len?: unknown };
  try {
    if (typeof d.len === 'function') {
      const n = (d.len as () => unknown).call(data);
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
    }
    if (typeof d.length === 'number' && Number.isInteger(d.length) && d.length >= 0) return d.length;
  } catch {
    // An iterable-style dataset without len(): the length is learned from the first pass.
  }
  return null;
}

/**
 * Runs `processFn(engine, batch)` over data for `maxEpochs` epochs and fires {@link Events} that
 * handlers attach to, in PyTorch-Ignite's order: STARTED; per epoch EPOCH_STARTED, then per
 * iteration GET_BATCH_STARTED, GET_BATCH_COMPLETED, ITERATION_STARTED, (process),
 * ITERATION_COMPLETED; then EPOCH_COMPLETED; finally COMPLETED. Handlers run in the order they
 * were added; async handlers are awaited one after the other.
 *
 * - `terminate()` stops the run after the current event's handlers: TERMINATE fires, then
 *   COMPLETED. `terminateEpoch()` ends the current epoch: TERMINATE_SINGLE_EPOCH fires, then
 *   EPOCH_COMPLETED.
 * - An error thrown by the process function or a handler fires EXCEPTION_RAISED with the error;
 *   without a handler for it, `run()` rejects with the error.
 * - Each iteration runs in a memory scope: tensors made by the batch's loading (for data other
 *   than a `DataLoader`, which scopes its batches itself), the process function and the
 *   iteration's handlers are freed when the iteration ends, so a long run keeps a flat tensor
 *   count. Epoch and run events run in scopes too. Tensors written to `state.metrics` are kept.
 * - Data is any iterable or async iterable; a pass that ends starts a new one, so re-iterable
 *   data (arrays, a `DataLoader`) is iterated once per epoch. A single-use iterator (a
 *   generator object) that runs dry before the last epoch ends the run with a warning.
 * - `stateDict()` / `loadStateDict()` resume a run mid-epoch: the resumed run skips the batches
 *   the interrupted epoch already used, and with `seed` given the data order is replayed.
 *
 * One engine runs at a time in a thread (nested runs, such as an evaluator run from a trainer's
 * handler, are fine).
 *
 * @example
 * ```ts
 * const trainer = new Engine(async (engine, [x, y]: [Tensor, Tensor]) => {
 *   optimizer.zeroGrad();
 *   const loss = lossFn(model(x), y);
 *   loss.backward();
 *   optimizer.step();
 *   return loss.item();
 * });
 * trainer.on(Events.ITERATION_COMPLETED({ every: 100 }), (e) => console.log(e.state.iteration, e.state.output));
 * await trainer.run(loader, { maxEpochs: 5 });
 * ```
 */
export class Engine<TBatch = unknown, TOutput = unknown> extends EventHost {
  /** The run's state (counters, batch, output, metrics, times). */
  state: State<TBatch, TOutput> = new State<TBatch, TOutput>();
  /** Keys of `state` that {@link stateDict} also saves (Ignite's `state_dict_user_keys`). */
  readonly stateDictUserKeys: string[] = [];
  /** Set by `terminate()`: the run stops after the current event. */
  shouldTerminate = false;
  /** Set by `terminateEpoch()`: the current epoch ends after the current event. */
  shouldTerminateSingleEpoch = false;

  private readonly processFn: ProcessFunction<TBatch, TOutput>;
  private iterator: AnyIterator<TBatch> | null = null;
  /** Batches of the current epoch to skip when a loaded state resumes mid-epoch. */
  private resumeSkip = 0;
  private resumeRngState: GeneratorState | null = null;
  private running = false;
  private lastYield = 0;

  /**
   * @param processFn the work of one iteration: `(engine, batch) => output` (may be async)
   */
  constructor(processFn: ProcessFunction<TBatch, TOutput>) {
    super();
    if (typeof processFn !== 'function') {
      throw new ArgumentError(`Engine(): processFn must be a function (engine, batch) => output; received ${typeof processFn}`);
    }
    this.processFn = processFn;
  }


  /** Fires a run- or epoch-level event inside a scope that frees its handlers' temporaries. */
  private async fireScoped(event: CallableEvent, eventArgs: unknown[] = []): Promise<void> {
    if (this.handlerCount(event) === 0) {
      this.lastEvent = event.eventName;
      return;
    }
    await scope(async () => {
      await this.fireEvent(event, eventArgs);
      keep(this.state.metrics);
    });
  }

  private checkTerminate(): void {
    if (this.shouldTerminate) throw new TerminateSignal();
    if (this.shouldTerminateSingleEpoch) throw new TerminateEpochSignal();
  }

  /**
   * Stops the run after the current event's handlers: TERMINATE fires, then COMPLETED. A later
   * `run()` continues from the next epoch.
   *
   * @example
   * ```ts
   * trainer.on(Events.ITERATION_COMPLETED, (e) => { if (Number.isNaN(e.state.output)) e.terminate(); });
   * ```
   */
  terminate(): void {
    this.shouldTerminate = true;
  }

  /**
   * Ends the current epoch after the current event's handlers: TERMINATE_SINGLE_EPOCH fires, then
   * EPOCH_COMPLETED, and the next epoch starts with a fresh pass over the data.
   *
   * @example
   * ```ts
   * trainer.on(Events.ITERATION_COMPLETED({ once: 50 }), (e) => e.terminateEpoch());
   * ```
   */
  terminateEpoch(): void {
    this.shouldTerminateSingleEpoch = true;
  }

  /**
   * The run's progress, to save in a checkpoint and restore with {@link loadStateDict}:
   * iteration, epoch, epochLength, maxEpochs, seed, the default generator's state, the firing
   * counts of custom events (so their `every` / `once` filters go on counting), and the state
   * keys named in `stateDictUserKeys`.
   *
   * @example
   * ```ts
   * await save({ trainer: trainer.stateDict(), model: model.stateDict() }, 'ckpt.safetensors');
   * ```
   */
  stateDict(): EngineStateDict {
    const sd: EngineStateDict = {
      iteration: this.state.iteration,
      epoch: this.state.epoch,
      epochLength: this.state.epochLength,
      maxEpochs: this.state.maxEpochs,
      seed: this.state.seed,
      rngState: getRngState(),
    };
    if (this.customCounts.size > 0) sd.customEventCounts = Object.fromEntries(this.customCounts);
    for (const k of this.stateDictUserKeys) sd[k] = this.state[k];
    return sd;
  }

  /**
   * Restores progress saved by {@link stateDict}; the next `run()` resumes there. Mid-epoch, the
   * resumed epoch skips the batches already used (replayed in the same order when the run was
   * seeded) and restores the default generator's state after them.
   *
   * @example
   * ```ts
   * trainer.loadStateDict((await load('ckpt.safetensors')).trainer);
   * await trainer.run(loader); // continues where the checkpoint was taken
   * ```
   */
  loadStateDict(stateDict: Partial<EngineStateDict>): void {
    const fn = 'Engine.loadStateDict()';
    if (stateDict === null || typeof stateDict !== 'object') {
      throw new ArgumentError(`${fn}: stateDict must be an object from engine.stateDict(); received ${stateDict === null ? 'null' : typeof stateDict}`);
    }
    for (const k of ['epochLength', 'maxEpochs'] as const) {
      if (!(k in stateDict)) throw new ArgumentError(`${fn}: stateDict lacks the key '${k}'`);
    }
    for (const k of this.stateDictUserKeys) {
      if (!(k in stateDict)) throw new ArgumentError(`${fn}: stateDict lacks the user key '${k}' named in stateDictUserKeys`);
    }
    const hasIter = typeof stateDict.iteration === 'number';
    const hasEpoch = typeof stateDict.epoch === 'number';
    if (!hasIter && !hasEpoch) throw new ArgumentError(`${fn}: stateDict needs 'iteration' or 'epoch'`);
    const epochLength = stateDict.epochLength ?? null;
    const maxEpochs = stateDict.maxEpochs ?? null;
    if (epochLength !== null) checkPositiveInt(fn, 'stateDict.epochLength', epochLength);
    if (maxEpochs !== null) checkPositiveInt(fn, 'stateDict.maxEpochs', maxEpochs);
    let iteration: number;
    let epoch: number;
    if (hasIter) {
      iteration = stateDict.iteration!;
      if (!Number.isInteger(iteration) || iteration < 0) throw new ArgumentError(`${fn}: stateDict.iteration must be a non-negative integer; received ${iteration}`);
      if (epochLength === null) throw new ArgumentError(`${fn}: stateDict.epochLength is needed to resume from an iteration`);
      epoch = Math.floor(iteration / epochLength);
    } else {
      epoch = stateDict.epoch!;
      if (!Number.isInteger(epoch) || epoch < 0) throw new ArgumentError(`${fn}: stateDict.epoch must be a non-negative integer; received ${epoch}`);
      iteration = epochLength === null ? 0 : epoch * epochLength;
    }
    if (maxEpochs !== null && epoch > maxEpochs) {
      throw new ArgumentError(`${fn}: stateDict.epoch (${epoch}) is larger than stateDict.maxEpochs (${maxEpochs})`);
    }
    this.state.iteration = iteration;
    this.state.epoch = epoch;
    this.state.epochLength = epochLength;
    this.state.maxEpochs = maxEpochs;
    const counts = stateDict.customEventCounts;
    if (counts !== undefined && (counts === null || typeof counts !== 'object' || Object.values(counts).some((n) => !Number.isInteger(n) || n < 0))) {
      throw new ArgumentError(`${fn}: stateDict.customEventCounts must map event names to non-negative integers`);
    }
    this.state.seed = stateDict.seed ?? null;
    this.customCounts.clear();
    for (const [name, n] of Object.entries(counts ?? {})) this.customCounts.set(name, n);
    for (const k of this.stateDictUserKeys) this.state[k] = stateDict[k];
    this.resumeSkip = epochLength === null ? 0 : iteration % epochLength;
    this.resumeRngState = stateDict.rngState ?? null;
    this.iterator = null;
    this.shouldTerminate = false;
    this.shouldTerminateSingleEpoch = false;
  }

  private isDone(): boolean {
    const s = this.state;
    if (s.maxEpochs === null) return false;
    if (s.epochLength !== null && s.iteration >= s.epochLength * s.maxEpochs) return true;
    return s.epoch >= s.maxEpochs;
  }

  /**
   * Runs the engine over `data`. A new run starts from zero (first run, or the previous one
   * finished); otherwise (after `terminate()` or `loadStateDict()`) it resumes, with `maxEpochs`
   * as the new total. Resolves with the state. `data` may be null when `epochLength` is given:
   * batches are then `undefined`.
   *
   * @example
   * ```ts
   * const state = await trainer.run(trainLoader, { maxEpochs: 10, seed: 42 });
   * console.log(state.iteration, state.times.COMPLETED);
   * ```
   */
  async run(data: EngineData<TBatch> | null, options: RunOptions = {}): Promise<State<TBatch, TOutput>> {
    const fn = 'Engine.run()';
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object like { maxEpochs: 5 }`);
    if (this.running) throw new FlintError(`${fn}: this engine is already running; await the first run before starting another`);
    if (data !== null && data !== undefined) {
      const d = data as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
      if (typeof d[Symbol.iterator] !== 'function' && typeof d[Symbol.asyncIterator] !== 'function') {
        throw new ArgumentError(`${fn}: data must be an iterable or async iterable (an array, a DataLoader, a generator); received ${typeof data}`);
      }
    }
    const { maxEpochs, epochLength, seed } = options;
    if (maxEpochs !== undefined) checkPositiveInt(fn, 'options.maxEpochs', maxEpochs);
    if (epochLength !== undefined) checkPositiveInt(fn, 'options.epochLength', epochLength);
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)) {
      throw new ArgumentError(`${fn}: options.seed must be an integer in [0, 2^53); received ${String(seed)}`);
    }
    const s = this.state;
    if (s.maxEpochs === null || this.isDone()) {
      const len = epochLength ?? dataLength(data);
      if (len === null && (data === null || data === undefined)) throw new ArgumentError(`${fn}: options.epochLength is needed when data is null`);
      if (len === 0) throw new ArgumentError(`${fn}: data is empty; give it at least one batch`);
      s.iteration = 0;
      s.epoch = 0;
      s.maxEpochs = maxEpochs ?? 1;
      s.epochLength = len;
      s.seed = seed ?? null;
      this.resumeSkip = 0;
      this.resumeRngState = null;
      this.customCounts.clear();
    } else {
      if (maxEpochs !== undefined) {
        if (maxEpochs < s.epoch) throw new ArgumentError(`${fn}: options.maxEpochs (${maxEpochs}) must be at least the epoch to resume from (${s.epoch})`);
        s.maxEpochs = maxEpochs;
      }
      if (epochLength !== undefined && s.epochLength !== null && epochLength !== s.epochLength) {
        throw new ArgumentError(`${fn}: options.epochLength (${epochLength}) must equal the resumed state's epochLength (${s.epochLength})`);
      }
      if (s.epochLength === null) s.epochLength = epochLength ?? dataLength(data);
      if (seed !== undefined) s.seed = seed;
    }
    s.dataloader = data ?? null;
    this.running = true;
    try {
      await this.internalRun(data ?? null);
    } finally {
      this.running = false;
      await this.closeIterator();
    }
    return s;
  }

  private async closeIterator(): Promise<void> {
    const it = this.iterator;
    this.iterator = null;
    if (it !== null && typeof it.return === 'function') await it.return();
  }

  private async handleException(error: unknown): Promise<void> {
    if (this.handlerCount(Events.EXCEPTION_RAISED) === 0) throw error;
    await this.fireScoped(Events.EXCEPTION_RAISED, [error]);
  }

  private async internalRun(data: EngineData<TBatch> | null): Promise<void> {
    const s = this.state;
    this.shouldTerminate = false;
    this.shouldTerminateSingleEpoch = false;
    s.times[Events.EPOCH_COMPLETED.eventName] = 0;
    s.times[Events.COMPLETED.eventName] = 0;
    const start = now();
    try {
      try {
        await this.fireScoped(Events.STARTED);
        this.checkTerminate();
        if (this.resumeSkip === 0 && this.resumeRngState !== null) {
          setRngState(this.resumeRngState);
          this.resumeRngState = null;
        }
        while (!this.isDone() && !this.shouldTerminate) {
          s.epoch += 1;
          if (s.seed !== null) manualSeed(s.seed + s.epoch);
          const t0 = now();
          await this.fireScoped(Events.EPOCH_STARTED);
          let epochTime = now() - t0;
          this.checkTerminate();
          epochTime += await this.runOnce(data);
          s.times[Events.EPOCH_COMPLETED.eventName] = epochTime;
          const t1 = now();
          await this.fireScoped(Events.EPOCH_COMPLETED);
          s.times[Events.EPOCH_COMPLETED.eventName] = epochTime + (now() - t1);
          this.shouldTerminateSingleEpoch = false;
          this.checkTerminate();
        }
      } catch (e) {
        if (e instanceof TerminateEpochSignal) {
          throw new FlintError('Engine.terminateEpoch(): it cannot be called on STARTED or EPOCH_STARTED; call terminate() to stop the run');
        }
        if (!(e instanceof TerminateSignal)) throw e;
        await this.fireScoped(Events.TERMINATE);
      }
      s.times[Events.COMPLETED.eventName] = now() - start;
      await this.fireScoped(Events.COMPLETED);
      s.times[Events.COMPLETED.eventName] = now() - start;
    } catch (e) {
      await this.closeIterator();
      await this.handleException(e);
    }
  }

  private newIterator(data: EngineData<TBatch>): AnyIterator<TBatch> {
    const d = data as Partial<Iterable<TBatch> & AsyncIterable<TBatch>>;
    return typeof d[Symbol.asyncIterator] === 'function' ? d[Symbol.asyncIterator]!() : d[Symbol.iterator]!();
  }

  /**
   * Lets timers, signal handlers and I/O callbacks run between iterations. Batches and handlers
   * that only resolve promises never leave the microtask queue, so without this a long run would
   * starve `setInterval`, `process.on('SIGINT')` and periodic flushes until it ended.
   */
  private async yieldToEventLoop(): Promise<void> {
    const t = now();
    if (t - this.lastYield < YIELD_INTERVAL_S) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = now();
  }

  /** One epoch; returns its duration in seconds. */
  private async runOnce(data: EngineData<TBatch> | null): Promise<number> {
    const s = this.state;
    const start = now();
    const scopesItself = data instanceof flintData.DataLoader;
    let iterCounter = 0;
    try {
      if (data !== null && this.iterator === null) {
        this.iterator = this.newIterator(data);
        if (this.resumeSkip > 0) {
          // Resuming mid-epoch: the interrupted run already used these batches.
          for (; iterCounter < this.resumeSkip; iterCounter++) {
            const r = await scope(async () => (await this.iterator!.next()).done === true);
            if (r) break;
          }
          this.resumeSkip = 0;
          if (this.resumeRngState !== null) setRngState(this.resumeRngState);
          this.resumeRngState = null;
        }
      } else if (data === null && this.resumeSkip > 0) {
        iterCounter = this.resumeSkip;
        this.resumeSkip = 0;
      }
      let restarted = false;
      for (;;) {
        if (s.epochLength !== null && iterCounter >= s.epochLength) break;
        // Tensors an iteration makes live in this scope; a DataLoader opens its own per batch, so
        // its iteration scope opens after the batch is fetched (nested inside the loader's).
        let iterScope = scopesItself ? null : beginScope();
        try {
          s.batch = undefined;
          if (data !== null) {
            if (!restarted) {
              await this.fireEvent(Events.GET_BATCH_STARTED);
              this.checkTerminate();
            }
            const t0 = now();
            const r = await this.iterator!.next();
            if (r.done === true) {
              if (s.epochLength === null) {
                s.epochLength = iterCounter;
                if (iterCounter === 0) throw new ArgumentError('Engine.run(): data is empty; give it at least one batch');
                break;
              }
              if (restarted) {
                process.emitWarning(
                  `Engine.run(): the data cannot provide more batches, but the run needs ${s.epochLength * (s.maxEpochs ?? 1)} iterations ` +
                    `(now at ${s.iteration}); the run stops. Pass re-iterable data (an array, a DataLoader) rather than a single-use iterator.`,
                );
                this.shouldTerminate = true;
                break;
              }
              this.iterator = this.newIterator(data);
              restarted = true;
              continue;
            }
            restarted = false;
            s.times[Events.GET_BATCH_COMPLETED.eventName] = now() - t0;
            s.batch = r.value;
            s.output = undefined;
            if (iterScope === null) iterScope = beginScope();
            await this.fireEvent(Events.GET_BATCH_COMPLETED);
            this.checkTerminate();
          } else if (iterScope === null) iterScope = beginScope();
          iterCounter += 1;
          s.iteration += 1;
          await this.fireEvent(Events.ITERATION_STARTED);
          this.checkTerminate();
          const t1 = now();
          const out = this.processFn(this, s.batch as TBatch);
          s.output = isThenable(out) ? await out : out;
          s.times[Events.ITERATION_COMPLETED.eventName] = now() - t1;
          await this.fireEvent(Events.ITERATION_COMPLETED);
          this.checkTerminate();
        } finally {
          keep(s.metrics);
          iterScope?.end();
        }
        await this.yieldToEventLoop();
      }
    } catch (e) {
      if (e instanceof TerminateEpochSignal) {
        this.shouldTerminateSingleEpoch = false;
        await this.fireScoped(Events.TERMINATE_SINGLE_EPOCH, [iterCounter]);
        await this.closeIterator();
      } else if (e instanceof TerminateSignal) {
        throw e;
      } else {
        await this.handleException(e);
      }
    }
    return now() - start;
  }
}
