/**
 * The base of handlers that are attached as they are, like Ignite's callable handler objects:
 * `trainer.on(Events.EPOCH_COMPLETED, checkpoint)`.
 * @module
 */
import type { Engine } from '../engine.js';

/**
 * Handler objects are callable: `handler(engine, ...args)` runs `handler.call(engine, ...args)`.
 *
 * @example
 * ```ts
 * handler(engine); // the same as handler.call(engine)
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CallableHandler<A extends unknown[] = []> {
  (engine: Engine<any, any>, ...args: A): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A handler object that can be given to `engine.on` directly: calling it runs {@link call}.
 *
 * @example
 * ```ts
 * class LogEpoch extends CallableHandler {
 *   call(engine: Engine) { console.log(engine.state.epoch); }
 * }
 * trainer.on(Events.EPOCH_COMPLETED, new LogEpoch());
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class CallableHandler<A extends unknown[] = []> {
  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const self = ((engine: Engine<any, any>, ...args: A) => self.call(engine, ...args)) as unknown as CallableHandler<A>;
    // A function object carries `name` and `length`; handlers may want fields of those names.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }

  /** What the handler does when its event fires. */
  abstract call(engine: Engine<any, any>, ...args: A): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}
