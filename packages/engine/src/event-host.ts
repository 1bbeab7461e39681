/**
 * `EventHost`: the handler registry of an {@link Engine}: events, filters, custom events,
 * attaching and removing handlers, and firing them in order (awaiting async ones).
 * @module
 */
import { ArgumentError } from '@flint/core';
import type { Engine } from './engine.js';
import {
  createEvent,
  Events,
  flattenEvents,
  isEventLike,
  type CallableEvent,
  type EventFilter,
  type EventLike,
  type FilteredEvent,
} from './events.js';

/**
 * A handler: receives the engine, then the event's own arguments, then those given to `on`.
 *
 * @example
 * ```ts
 * const log: EventHandler = (engine, tag: string) => console.log(tag, engine.state.iteration);
 * engine.on(Events.ITERATION_COMPLETED, log, 'train');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler<E = Engine<any, any>> = (engine: E, ...args: any[]) => unknown;

/**
 * What `on` returns: `remove()` takes the handler off again.
 *
 * @example
 * ```ts
 * const handle: RemovableHandle = engine.on(Events.COMPLETED, report);
 * handle.remove();
 * ```
 */
export interface RemovableHandle {
  remove(): void;
}

interface Registered {
  handler: EventHandler;
  filter: EventFilter | null;
  args: unknown[];
}

/** Whether a value is a promise (or another thenable). @internal */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * The events side of an {@link Engine}: handlers attached to events (with filters), custom events,
 * and firing. `Engine` extends it; it is exported for typing handlers that accept any engine.
 *
 * @example
 * ```ts
 * function attachLogger(engine: EventHost) {
 *   engine.on(Events.EPOCH_COMPLETED, (e) => console.log(e.state.epoch));
 * }
 * ```
 */
export abstract class EventHost {
  /** The counters that filters look at. */
  abstract readonly state: { epoch: number; iteration: number };
  /** The name of the last event fired. */
  lastEvent: string | null = null;
  private readonly handlers = new Map<string, Registered[]>();
  private readonly allowed = new Map<string, CallableEvent>();
  /** Firings of custom events, the counter of their filters. */
  protected readonly customCounts = new Map<string, number>();

  constructor() {
    for (const e of Object.values(Events)) this.allowed.set(e.eventName, e);
  }

  /**
   * Registers custom events (made with {@link createEvent}, or given by name) so handlers can be
   * attached to them and `fire()` can fire them.
   *
   * @example
   * ```ts
   * const BACKWARD_COMPLETED = createEvent('BACKWARD_COMPLETED');
   * engine.registerEvents(BACKWARD_COMPLETED, 'OPTIM_STEP_COMPLETED');
   * ```
   */
  registerEvents(...events: Array<CallableEvent | string>): void {
    for (const [i, e] of events.entries()) {
      const event = typeof e === 'string' ? createEvent(e) : e;
      if (!isEventLike(event) || event.kind !== 'event') {
        throw new ArgumentError(`Engine.registerEvents(): events[${i}] must be an event made by createEvent() or a name; received ${typeof e}`);
      }
      const known = this.allowed.get(event.eventName);
      if (known !== undefined && known !== event && typeof e !== 'string') {
        throw new ArgumentError(`Engine.registerEvents(): another event named '${event.eventName}' is already registered`);
      }
      if (known === undefined) this.allowed.set(event.eventName, event);
    }
  }

  protected resolve(fn: string, event: EventLike | string): Array<CallableEvent | FilteredEvent> {
    if (typeof event === 'string') {
      const e = this.allowed.get(event);
      if (e === undefined) {
        throw new ArgumentError(`${fn}: event '${event}' is not registered; use Events.* or call engine.registerEvents('${event}') first`);
      }
      return [e];
    }
    if (!isEventLike(event)) {
      throw new ArgumentError(`${fn}: event must be an event (Events.ITERATION_COMPLETED), a filtered event or an or() of them; received ${typeof event}`);
    }
    const list = flattenEvents(event);
    for (const e of list) {
      const base = e.kind === 'event' ? e : e.event;
      if (this.allowed.get(base.eventName) !== base) {
        throw new ArgumentError(`${fn}: event '${base.eventName}' is not registered; call engine.registerEvents(${base.eventName}) first`);
      }
    }
    return list;
  }

  /**
   * Attaches `handler` to an event (plain, filtered or combined with `or`); it is called as
   * `handler(engine, ...eventArgs, ...args)`. Returns a handle whose `remove()` detaches it.
   *
   * @example
   * ```ts
   * const h = trainer.on(Events.EPOCH_COMPLETED({ every: 2 }), async (e) => { await evaluator.run(valLoader); });
   * h.remove();
   * ```
   */
  on(event: EventLike | string, handler: EventHandler<this>, ...args: unknown[]): RemovableHandle {
    return this.addEventHandler(event, handler as unknown as EventHandler, ...args);
  }

  /**
   * The same as {@link on} (Ignite's `add_event_handler`).
   *
   * @example
   * ```ts
   * engine.addEventHandler(Events.COMPLETED, (e, name) => console.log(name, 'done'), 'trainer');
   * ```
   */
  addEventHandler(event: EventLike | string, handler: EventHandler, ...args: unknown[]): RemovableHandle {
    const fn = 'Engine.on()';
    const list = this.resolve(fn, event);
    if (typeof handler !== 'function') throw new ArgumentError(`${fn}: handler must be a function (engine, ...args) => void; received ${typeof handler}`);
    const added: Array<[string, Registered]> = [];
    for (const e of list) {
      const name = e.kind === 'event' ? e.eventName : e.event.eventName;
      const entry: Registered = { handler, filter: e.kind === 'filtered' ? e.filter : null, args };
      let arr = this.handlers.get(name);
      if (arr === undefined) this.handlers.set(name, (arr = []));
      arr.push(entry);
      added.push([name, entry]);
    }
    return {
      remove: () => {
        for (const [name, entry] of added) {
          const arr = this.handlers.get(name);
          const i = arr?.indexOf(entry) ?? -1;
          if (i >= 0) arr!.splice(i, 1);
        }
      },
    };
  }

  /**
   * Whether `handler` is attached (to `event`, or to any event).
   *
   * @example
   * ```ts
   * engine.hasEventHandler(logLoss, Events.ITERATION_COMPLETED); // true
   * ```
   */
  hasEventHandler(handler: EventHandler, event?: EventLike | string): boolean {
    const names = event === undefined ? [...this.handlers.keys()] : this.resolve('Engine.hasEventHandler()', event).map(nameOf);
    return names.some((n) => (this.handlers.get(n) ?? []).some((r) => r.handler === handler));
  }

  /**
   * Detaches every registration of `handler` on `event` (on all its filtered forms too).
   * Throws when it is not attached there.
   *
   * @example
   * ```ts
   * engine.removeEventHandler(logLoss, Events.ITERATION_COMPLETED);
   * ```
   */
  removeEventHandler(handler: EventHandler, event: EventLike | string): void {
    const fn = 'Engine.removeEventHandler()';
    let removed = 0;
    for (const name of this.resolve(fn, event).map(nameOf)) {
      const arr = this.handlers.get(name) ?? [];
      const keep = arr.filter((r) => r.handler !== handler);
      removed += arr.length - keep.length;
      this.handlers.set(name, keep);
    }
    if (removed === 0) throw new ArgumentError(`${fn}: the handler is not attached to ${String(event)}`);
  }

  /**
   * Fires an event now: runs its handlers (filters applied) in order, awaiting async ones. Used
   * for custom events from a process function or a handler.
   *
   * @example
   * ```ts
   * const engine = new Engine(async (e, batch) => { ...; await e.fire(BACKWARD_COMPLETED); });
   * ```
   */
  async fire(event: CallableEvent | string, ...eventArgs: unknown[]): Promise<void> {
    const [e] = this.resolve('Engine.fire()', event);
    if (e === undefined || e.kind !== 'event') throw new ArgumentError('Engine.fire(): fire a plain event, not a filtered one');
    await this.fireEvent(e, eventArgs);
  }

  /** The count a filter on `event` sees. */
  private count(event: CallableEvent): number {
    if (event.counter === 'iteration') return this.state.iteration;
    if (event.counter === 'epoch') return this.state.epoch;
    return this.customCounts.get(event.eventName) ?? 0;
  }

  /** Runs `event`'s handlers whose filters pass, in order, awaiting async ones. @internal */
  protected async fireEvent(event: CallableEvent, eventArgs: unknown[] = []): Promise<void> {
    this.lastEvent = event.eventName;
    if (event.counter === 'count') this.customCounts.set(event.eventName, (this.customCounts.get(event.eventName) ?? 0) + 1);
    const arr = this.handlers.get(event.eventName);
    if (arr === undefined || arr.length === 0) return;
    const n = this.count(event);
    // A copy: handlers may add or remove handlers while they run.
    for (const r of [...arr]) {
      if (r.filter !== null && !r.filter(this, n)) continue;
      const out = r.handler(this as never, ...eventArgs, ...r.args);
      if (isThenable(out)) await out;
    }
  }

  /** How many handlers are attached to `event`. @internal */
  protected handlerCount(event: CallableEvent): number {
    return this.handlers.get(event.eventName)?.length ?? 0;
  }
}

function nameOf(e: CallableEvent | FilteredEvent): string {
  return e.kind === 'event' ? e.eventName : e.event.eventName;
}
