/**
 * Events of an {@link Engine} run, as PyTorch-Ignite names them. Each built-in event is an object
 * that is also callable with a filter (`Events.ITERATION_COMPLETED({ every: 10 })`), and any two
 * events combine with `a.or(b)`.
 * @module
 */
import { ArgumentError } from '@flint/core';

/**
 * The engine state a filter may look at (the real {@link Engine} satisfies it).
 *
 * @example
 * ```ts
 * const late = (engine: FilterEngine) => engine.state.epoch > 5;
 * ```
 */
export interface FilterEngine {
  readonly state: { readonly epoch: number; readonly iteration: number };
}

/**
 * Decides whether a handler runs: receives the engine and the event's count (the iteration for
 * iteration events, the epoch for epoch events, the number of times fired for custom events).
 *
 * @example
 * ```ts
 * const firstAndLast: EventFilter = (engine, n) => n === 1 || n === 100;
 * engine.on(Events.ITERATION_COMPLETED({ eventFilter: firstAndLast }), log);
 * ```
 */
export type EventFilter = (engine: FilterEngine, eventCount: number) => boolean;

/**
 * Ignite's filter keywords: `every` n-th event, `once` at the n-th (or at each of a list),
 * strictly `before` / `after` a count (combinable with each other and with `every`), or any
 * `eventFilter` function.
 *
 * @example
 * ```ts
 * Events.ITERATION_COMPLETED({ every: 50, after: 100 });
 * Events.EPOCH_COMPLETED({ once: [1, 5] });
 * ```
 */
export interface EventFilterOptions {
  every?: number;
  once?: number | number[];
  before?: number;
  after?: number;
  eventFilter?: EventFilter;
}

/**
 * Which state counter a filter on the event looks at; `'count'` counts the event's own firings.
 *
 * @example
 * ```ts
 * const VALIDATED = createEvent('VALIDATED', { counter: 'epoch' });
 * ```
 */
export type EventCounter = 'iteration' | 'epoch' | 'count';

/**
 * An event: a name, the counter its filters use, callable with {@link EventFilterOptions} to make a
 * {@link FilteredEvent}, and combinable with `or`.
 *
 * @example
 * ```ts
 * engine.on(Events.EPOCH_COMPLETED, (e) => console.log(e.state.epoch));
 * engine.on(Events.ITERATION_COMPLETED({ every: 10 }), logLoss);
 * ```
 */
export interface CallableEvent {
  (options: EventFilterOptions): FilteredEvent;
  readonly kind: 'event';
  /** The event's name, the key handlers are registered under. */
  readonly eventName: string;
  readonly counter: EventCounter;
  or(other: EventLike): EventsList;
  toString(): string;
}

/**
 * An event with a filter: the handler runs only when `filter(engine, count)` is true.
 *
 * @example
 * ```ts
 * const every10: FilteredEvent = Events.ITERATION_COMPLETED({ every: 10 });
 * ```
 */
export interface FilteredEvent {
  readonly kind: 'filtered';
  readonly event: CallableEvent;
  readonly filter: EventFilter;
  or(other: EventLike): EventsList;
  toString(): string;
}

/**
 * Several events (plain or filtered) sharing one handler: Ignite's `a | b`.
 *
 * @example
 * ```ts
 * engine.on(Events.STARTED.or(Events.EPOCH_COMPLETED({ every: 2 })), evaluate);
 * ```
 */
export class EventsList {
  readonly kind = 'list' as const;
  readonly events: ReadonlyArray<CallableEvent | FilteredEvent>;
  constructor(events: ReadonlyArray<CallableEvent | FilteredEvent>) {
    this.events = Object.freeze([...events]);
  }
  /** Adds more events to a copy of this list. */
  or(other: EventLike): EventsList {
    return new EventsList([...this.events, ...flattenEvents(other)]);
  }
  toString(): string {
    return this.events.map(String).join(' | ');
  }
}

/**
 * Anything `engine.on` accepts: an event, a filtered event, or a combination of them.
 *
 * @example
 * ```ts
 * const when: EventLike = Events.EPOCH_COMPLETED({ every: 2 }).or(Events.COMPLETED);
 * ```
 */
export type EventLike = CallableEvent | FilteredEvent | EventsList;

/**
 * Lists the single (plain or filtered) events an {@link EventLike} stands for.
 *
 * @example
 * ```ts
 * flattenEvents(Events.STARTED.or(Events.COMPLETED)).length; // 2
 * ```
 */
export function flattenEvents(event: EventLike): Array<CallableEvent | FilteredEvent> {
  if (isEventLike(event)) return event.kind === 'list' ? [...event.events] : [event];
  throw new ArgumentError(`flattenEvents(): event must be an event, a filtered event or an or() of them; received ${describe(event)}`);
}

/**
 * True for events, filtered events and their combinations.
 *
 * @example
 * ```ts
 * isEventLike(Events.STARTED); // true
 * ```
 */
export function isEventLike(value: unknown): value is EventLike {
  if (value instanceof EventsList) return true;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'event' || kind === 'filtered';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'function') return 'a function';
  return typeof value;
}

function positiveInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ArgumentError(`${fn}: ${arg} must be a positive integer; received ${String(v)}`);
  }
  return v;
}

function nonNegativeInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new ArgumentError(`${fn}: ${arg} must be a non-negative integer; received ${String(v)}`);
  }
  return v;
}

/** Builds the filter function Ignite's keywords describe; validates them. @internal */
export function makeFilter(eventName: string, options: EventFilterOptions): EventFilter {
  const fn = `Events.${eventName}()`;
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(`${fn}: expected an options object such as { every: 10 }; received ${describe(options)}`);
  }
  const { every, once, before, after, eventFilter } = options;
  const given = [every !== undefined, once !== undefined, before !== undefined || after !== undefined, eventFilter !== undefined];
  const count = given.filter(Boolean).length;
  if (count === 0) {
    throw new ArgumentError(`${fn}: one of every, once, before/after or eventFilter must be given; received none`);
  }
  if (once !== undefined && count > 1) {
    throw new ArgumentError(`${fn}: once cannot be combined with every, before/after or eventFilter`);
  }
  if (eventFilter !== undefined && count > 1) {
    throw new ArgumentError(`${fn}: eventFilter cannot be combined with every, once or before/after`);
  }
  if (eventFilter !== undefined) {
    if (typeof eventFilter !== 'function') {
      throw new ArgumentError(`${fn}: eventFilter must be a function (engine, count) => boolean; received ${describe(eventFilter)}`);
    }
    return eventFilter;
  }
  if (once !== undefined) {
    const steps = Array.isArray(once) ? once.map((s, i) => positiveInt(fn, `once[${i}]`, s)) : [positiveInt(fn, 'once', once)];
    const set = new Set(steps);
    return (_engine, n) => set.has(n);
  }
  const e = every === undefined ? undefined : positiveInt(fn, 'every', every);
  const b = before === undefined ? undefined : nonNegativeInt(fn, 'before', before);
  const a = after === undefined ? undefined : nonNegativeInt(fn, 'after', after);
  return (_engine, n) => (e === undefined || n % e === 0) && (b === undefined || n < b) && (a === undefined || n > a);
}

/**
 * Makes an event: built-in ones are in {@link Events}; users make their own for custom events
 * and register them with `engine.registerEvents(...)`, then `engine.fire(event)` them.
 *
 * @example
 * ```ts
 * const BACKWARD_COMPLETED = createEvent('BACKWARD_COMPLETED');
 * engine.registerEvents(BACKWARD_COMPLETED);
 * engine.on(BACKWARD_COMPLETED({ every: 2 }), logGrads);
 * // inside processFn: await engine.fire(BACKWARD_COMPLETED);
 * ```
 */
export function createEvent(name: string, options: { counter?: EventCounter } = {}): CallableEvent {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ArgumentError(`createEvent(): name must be a non-empty string; received ${describe(name)}`);
  }
  const counter = options.counter ?? 'count';
  if (counter !== 'iteration' && counter !== 'epoch' && counter !== 'count') {
    throw new ArgumentError(`createEvent(): counter must be 'iteration', 'epoch' or 'count'; received ${String(counter)}`);
  }
  const event = ((filterOptions: EventFilterOptions): FilteredEvent => {
    const filter = makeFilter(name, filterOptions);
    const filtered: FilteredEvent = {
      kind: 'filtered',
      event,
      filter,
      or: (other) => new EventsList([filtered, ...flattenEvents(other)]),
      toString: () => `${name}(filtered)`,
    };
    return Object.freeze(filtered);
  }) as CallableEvent;
  Object.defineProperties(event, {
    name: { value: name },
    kind: { value: 'event', enumerable: true },
    eventName: { value: name, enumerable: true },
    counter: { value: counter, enumerable: true },
    or: { value: (other: EventLike) => new EventsList([event, ...flattenEvents(other)]) },
    toString: { value: () => name },
  });
  return Object.freeze(event);
}

/**
 * The built-in events, fired in Ignite's order: STARTED; per epoch EPOCH_STARTED, then per
 * iteration GET_BATCH_STARTED, GET_BATCH_COMPLETED, ITERATION_STARTED, ITERATION_COMPLETED; then
 * EPOCH_COMPLETED; at the end COMPLETED. TERMINATE / TERMINATE_SINGLE_EPOCH fire when
 * `terminate()` / `terminateEpoch()` take effect; EXCEPTION_RAISED receives the error.
 *
 * @example
 * ```ts
 * engine.on(Events.ITERATION_COMPLETED({ every: 100 }), (e) => console.log(e.state.output));
 * engine.on(Events.EXCEPTION_RAISED, (e, err) => console.error(err));
 * ```
 */
export const Events = Object.freeze({
  STARTED: createEvent('STARTED', { counter: 'epoch' }),
  EPOCH_STARTED: createEvent('EPOCH_STARTED', { counter: 'epoch' }),
  GET_BATCH_STARTED: createEvent('GET_BATCH_STARTED', { counter: 'iteration' }),
  GET_BATCH_COMPLETED: createEvent('GET_BATCH_COMPLETED', { counter: 'iteration' }),
  ITERATION_STARTED: createEvent('ITERATION_STARTED', { counter: 'iteration' }),
  ITERATION_COMPLETED: createEvent('ITERATION_COMPLETED', { counter: 'iteration' }),
  EPOCH_COMPLETED: createEvent('EPOCH_COMPLETED', { counter: 'epoch' }),
  COMPLETED: createEvent('COMPLETED', { counter: 'epoch' }),
  EXCEPTION_RAISED: createEvent('EXCEPTION_RAISED', { counter: 'epoch' }),
  TERMINATE: createEvent('TERMINATE', { counter: 'epoch' }),
  TERMINATE_SINGLE_EPOCH: createEvent('TERMINATE_SINGLE_EPOCH', { counter: 'epoch' }),
});

/**
 * The names of the built-in events.
 *
 * @example
 * ```ts
 * const name: EventName = 'ITERATION_COMPLETED';
 * ```
 */
export type EventName = keyof typeof Events;
