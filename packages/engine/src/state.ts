/**
 * `State`: what an {@link Engine} run knows, as PyTorch-Ignite's `engine.state`.
 * @module
 */

/**
 * The state of an engine run: counters, the current batch and output, metrics written by
 * attached metrics, and timings. Handlers read and write it through `engine.state`.
 *
 * Tensors in `batch` and `output` live until the end of their iteration (each iteration runs in
 * a memory scope); tensors stored in `metrics` are kept alive by the engine.
 *
 * @example
 * ```ts
 * engine.on(Events.EPOCH_COMPLETED, (e) => {
 *   console.log(`epoch ${e.state.epoch}/${e.state.maxEpochs}, iteration ${e.state.iteration}`, e.state.metrics);
 * });
 * ```
 */
export class State<TBatch = unknown, TOutput = unknown> {
  /** Epochs started so far (1 during the first epoch; 0 before the run). */
  epoch = 0;
  /** Iterations started so far, over all epochs (1 during the first iteration). */
  iteration = 0;
  /** The number of epochs to run (`null` before the first run). */
  maxEpochs: number | null = null;
  /** Iterations per epoch (`null` until known: from `run()`'s option, the data's length, or the first pass). */
  epochLength: number | null = null;
  /** What the process function returned for the current iteration. */
  output: TOutput | undefined = undefined;
  /** The current batch. */
  batch: TBatch | undefined = undefined;
  /** Values written by attached metrics, by name. */
  metrics: Record<string, unknown> = {};
  /**
   * Seconds, by event name: `EPOCH_COMPLETED` (the last epoch), `COMPLETED` (the run),
   * `GET_BATCH_COMPLETED` (waiting for the last batch) and `ITERATION_COMPLETED` (the last
   * process function call).
   */
  times: Record<string, number> = {};
  /** The seed of the run, if `run()` was given one. */
  seed: number | null = null;
  /** The data being run over. */
  dataloader: Iterable<TBatch> | AsyncIterable<TBatch> | null = null;
  /** Anything else handlers want to keep (Ignite lets handlers add attributes to the state). */
  [key: string]: unknown;

  toString(): string {
    return `State(epoch=${this.epoch}, iteration=${this.iteration}, maxEpochs=${this.maxEpochs}, epochLength=${this.epochLength})`;
  }
}
