import { describe, expect, it } from 'vitest';
import { FlintError, memory, ones, rand, randn, tensor, type Tensor } from '@flint/core';
import { data } from '@flint/core';
import { Engine } from './engine.js';
import { createEvent, Events } from './events.js';

const ALL = [
  Events.STARTED,
  Events.EPOCH_STARTED,
  Events.GET_BATCH_STARTED,
  Events.GET_BATCH_COMPLETED,
  Events.ITERATION_STARTED,
  Events.ITERATION_COMPLETED,
  Events.EPOCH_COMPLETED,
  Events.COMPLETED,
  Events.TERMINATE,
  Events.TERMINATE_SINGLE_EPOCH,
];

function recordAll(engine: Engine<any, any>): string[] {
  const log: string[] = [];
  for (const e of ALL) engine.on(e, (en) => void log.push(`${e.eventName}:${en.state.epoch}:${en.state.iteration}`));
  return log;
}

describe('Engine event order', () => {
  it('fires events in Ignite order with counters', async () => {
    const engine = new Engine((_e, b: number) => b * 2);
    const log = recordAll(engine);
    const state = await engine.run([1, 2], { maxEpochs: 2 });
    expect(log).toEqual([
      'STARTED:0:0',
      'EPOCH_STARTED:1:0',
      'GET_BATCH_STARTED:1:0',
      'GET_BATCH_COMPLETED:1:0',
      'ITERATION_STARTED:1:1',
      'ITERATION_COMPLETED:1:1',
      'GET_BATCH_STARTED:1:1',
      'GET_BATCH_COMPLETED:1:1',
      'ITERATION_STARTED:1:2',
      'ITERATION_COMPLETED:1:2',
      'EPOCH_COMPLETED:1:2',
      'EPOCH_STARTED:2:2',
      'GET_BATCH_STARTED:2:2',
      'GET_BATCH_COMPLETED:2:2',
      'ITERATION_STARTED:2:3',
      'ITERATION_COMPLETED:2:3',
      'GET_BATCH_STARTED:2:3',
      'GET_BATCH_COMPLETED:2:3',
      'ITERATION_STARTED:2:4',
      'ITERATION_COMPLETED:2:4',
      'EPOCH_COMPLETED:2:4',
      'COMPLETED:2:4',
    ]);
    expect(state.output).toBe(4);
    expect(state.epochLength).toBe(2);
    expect(typeof state.times.EPOCH_COMPLETED).toBe('number');
    expect(typeof state.times.COMPLETED).toBe('number');
  });

  it('passes batches and outputs through state, and handler arguments after the event arguments', async () => {
    const seen: unknown[] = [];
    const engine = new Engine((_e, b: string) => b.toUpperCase());
    engine.on(Events.ITERATION_COMPLETED, (e, tag: string) => void seen.push([tag, e.state.batch, e.state.output]), 'x');
    await engine.run(['a', 'b']);
    expect(seen).toEqual([
      ['x', 'a', 'A'],
      ['x', 'b', 'B'],
    ]);
  });

  it('runs with an epochLength shorter than the data, and learns the length of a generator', async () => {
    const batches: number[] = [];
    const engine = new Engine((_e, b: number) => void batches.push(b));
    await engine.run([1, 2, 3, 4], { maxEpochs: 2, epochLength: 3 });
    expect(engine.state.iteration).toBe(6);
    // Ignite continues the pass across epochs and restarts it when it ends.
    expect(batches).toEqual([1, 2, 3, 4, 1, 2]);

    function* gen() {
      for (let i = 0; i < 5; i++) yield i;
    }
    const g = new Engine(() => undefined);
    await g.run({ [Symbol.iterator]: gen }, { maxEpochs: 3 });
    expect(g.state.epochLength).toBe(5);
    expect(g.state.iteration).toBe(15);
  });

  it('iterates async iterables and a DataLoader once per epoch', async () => {
    async function* agen() {
      yield 1;
      yield 2;
    }
    const outs: number[] = [];
    const engine = new Engine(async (_e, b: number) => {
      await new Promise((r) => setTimeout(r, 1));
      return b + 10;
    });
    engine.on(Events.ITERATION_COMPLETED, (e) => void outs.push(e.state.output as number));
    await engine.run({ [Symbol.asyncIterator]: agen }, { maxEpochs: 2 });
    expect(outs).toEqual([11, 12, 11, 12]);

    const ds = new data.TensorDataset(tensor([0, 1, 2, 3, 4]));
    const loader = new data.DataLoader(ds, { batchSize: 2 });
    const got: number[][] = [];
    const e2 = new Engine((_e, [x]: Tensor[]) => (x as Tensor).tolist() as number[]);
    e2.on(Events.ITERATION_COMPLETED, (e) => void got.push(e.state.output as number[]));
    await e2.run(loader, { maxEpochs: 2 });
    expect(e2.state.epochLength).toBe(3);
    expect(got).toEqual([[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]);
  });

  it('iterates a DataLoader with worker threads, also when terminated mid-epoch', async () => {
    const ds = new data.TensorDataset(tensor([0, 1, 2, 3, 4, 5]));
    const loader = new data.DataLoader(ds, { batchSize: 2, numWorkers: 2 });
    const got: number[][] = [];
    const engine = new Engine((_e, [x]: Tensor[]) => void got.push(x!.tolist() as number[]));
    await engine.run(loader, { maxEpochs: 2 });
    expect(got).toEqual([[0, 1], [2, 3], [4, 5], [0, 1], [2, 3], [4, 5]]);
    const stopped = new Engine(() => undefined);
    stopped.on(Events.ITERATION_COMPLETED({ once: 2 }), (e) => e.terminate());
    await stopped.run(loader, { maxEpochs: 2 });
    expect(stopped.state.iteration).toBe(2);
  });

  it('stops a single-use iterator that runs dry with a warning', async () => {
    function* gen() {
      yield 1;
      yield 2;
    }
    const warnings: string[] = [];
    const onWarn = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarn);
    const engine = new Engine(() => undefined);
    const log = recordAll(engine);
    await engine.run(gen(), { maxEpochs: 3, epochLength: 2 });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarn);
    expect(engine.state.iteration).toBe(2);
    expect(warnings.some((w) => w.includes('cannot provide more batches'))).toBe(true);
    expect(log.slice(-2)).toEqual(['TERMINATE:2:2', 'COMPLETED:2:2']);
  });

  it('validates its arguments', async () => {
    const engine = new Engine(() => 1);
    await expect(engine.run(5 as never)).rejects.toThrow(/data must be an iterable/);
    await expect(engine.run([1], { maxEpochs: 0 })).rejects.toThrow(/maxEpochs must be a positive integer; received 0/);
    await expect(engine.run([])).rejects.toThrow(/data is empty/);
    await expect(engine.run(null)).rejects.toThrow(/epochLength is needed when data is null/);
    expect(() => new Engine(3 as never)).toThrow(/processFn must be a function/);
    expect(() => engine.on('NOPE', () => undefined)).toThrow(/'NOPE' is not registered/);
  });

  it('runs without data given an epochLength', async () => {
    const engine = new Engine((_e, b) => b);
    const log = recordAll(engine);
    await engine.run(null, { epochLength: 2 });
    expect(log).toEqual(['STARTED:0:0', 'EPOCH_STARTED:1:0', 'ITERATION_STARTED:1:1', 'ITERATION_COMPLETED:1:1', 'ITERATION_STARTED:1:2', 'ITERATION_COMPLETED:1:2', 'EPOCH_COMPLETED:1:2', 'COMPLETED:1:2']);
  });
});

describe('Engine filters and handlers', () => {
  const run = async (event: Parameters<Engine['on']>[0], n = 10, maxEpochs = 1): Promise<number[]> => {
    const engine = new Engine(() => undefined);
    const hits: number[] = [];
    engine.on(event, (e) => void hits.push(e.state.iteration));
    await engine.run(Array.from({ length: n }, (_, i) => i), { maxEpochs });
    return hits;
  };

  it('every, once, before/after, eventFilter and or()', async () => {
    expect(await run(Events.ITERATION_COMPLETED({ every: 3 }))).toEqual([3, 6, 9]);
    expect(await run(Events.ITERATION_COMPLETED({ once: 4 }))).toEqual([4]);
    expect(await run(Events.ITERATION_COMPLETED({ once: [2, 7] }))).toEqual([2, 7]);
    expect(await run(Events.ITERATION_COMPLETED({ after: 7 }))).toEqual([8, 9, 10]);
    expect(await run(Events.ITERATION_COMPLETED({ before: 3 }))).toEqual([1, 2]);
    expect(await run(Events.ITERATION_COMPLETED({ after: 2, before: 9, every: 2 }))).toEqual([4, 6, 8]);
    expect(await run(Events.ITERATION_COMPLETED({ eventFilter: (_e, n) => n * n === 25 }))).toEqual([5]);
    expect(await run(Events.STARTED.or(Events.ITERATION_COMPLETED({ every: 5 })).or(Events.COMPLETED))).toEqual([0, 5, 10, 10]);
    // Epoch events count epochs.
    expect(await run(Events.EPOCH_COMPLETED({ every: 2 }), 2, 5)).toEqual([4, 8]);
  });

  it('rejects bad filters with clear messages', () => {
    expect(() => Events.ITERATION_COMPLETED({})).toThrow(/one of every, once, before\/after or eventFilter must be given/);
    expect(() => Events.ITERATION_COMPLETED({ every: 0 })).toThrow(/every must be a positive integer; received 0/);
    expect(() => Events.ITERATION_COMPLETED({ once: 2, every: 3 })).toThrow(/once cannot be combined/);
    expect(() => Events.ITERATION_COMPLETED({ eventFilter: 3 as never })).toThrow(/eventFilter must be a function/);
  });

  it('removes handlers through the handle and removeEventHandler, and reports them', async () => {
    const engine = new Engine(() => undefined);
    let a = 0;
    let b = 0;
    const ha = () => void a++;
    const hb = () => void b++;
    const handle = engine.on(Events.ITERATION_COMPLETED({ every: 1 }), ha);
    engine.on(Events.ITERATION_COMPLETED, hb);
    expect(engine.hasEventHandler(ha)).toBe(true);
    expect(engine.hasEventHandler(ha, Events.EPOCH_COMPLETED)).toBe(false);
    handle.remove();
    expect(engine.hasEventHandler(ha)).toBe(false);
    await engine.run([1, 2]);
    expect([a, b]).toEqual([0, 2]);
    engine.removeEventHandler(hb, Events.ITERATION_COMPLETED);
    expect(() => engine.removeEventHandler(hb, Events.ITERATION_COMPLETED)).toThrow(/not attached/);
  });

  it('awaits async handlers one after the other, in the order they were added', async () => {
    const engine = new Engine(() => undefined);
    const log: string[] = [];
    engine.on(Events.ITERATION_COMPLETED, async (e) => {
      log.push(`a-start-${e.state.iteration}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`a-end-${e.state.iteration}`);
    });
    engine.on(Events.ITERATION_COMPLETED, (e) => void log.push(`b-${e.state.iteration}`));
    engine.on(Events.EPOCH_COMPLETED, () => void log.push('epoch'));
    await engine.run([1, 2]);
    expect(log).toEqual(['a-start-1', 'a-end-1', 'b-1', 'a-start-2', 'a-end-2', 'b-2', 'epoch']);
  });

  it('fires custom events with their own counters and filters', async () => {
    const BACKWARD_COMPLETED = createEvent('BACKWARD_COMPLETED');
    const engine = new Engine(async (e) => {
      await e.fire(BACKWARD_COMPLETED);
      await e.fire('OPTIM_STEP');
    });
    expect(() => engine.on(BACKWARD_COMPLETED, () => undefined)).toThrow(/not registered/);
    engine.registerEvents(BACKWARD_COMPLETED, 'OPTIM_STEP');
    const counts: number[] = [];
    let steps = 0;
    engine.on(BACKWARD_COMPLETED({ every: 2 }), (e) => void counts.push(e.state.iteration));
    engine.on('OPTIM_STEP', () => void steps++);
    await engine.run([1, 2, 3, 4, 5]);
    expect(counts).toEqual([2, 4]);
    expect(steps).toBe(5);
  });
});

describe('Engine custom events', () => {
  it('count by epoch or iteration when made so, combine with or(), pass event arguments, and resume their counts', async () => {
    const VALIDATED = createEvent('VALIDATED', { counter: 'epoch' });
    const STEP = createEvent('STEP');
    const engine = new Engine(async (e, b: number) => {
      await e.fire(STEP, b * 10);
      return b;
    });
    engine.registerEvents(VALIDATED, STEP);
    engine.on(Events.EPOCH_COMPLETED, (e) => e.fire(VALIDATED, `epoch-${e.state.epoch}`));
    const validated: string[] = [];
    const steps: Array<[number, number]> = [];
    const combined: string[] = [];
    engine.on(VALIDATED({ every: 2 }), (_e, tag: string) => void validated.push(tag));
    engine.on(STEP({ once: [3, 7] }), (e, value: number) => void steps.push([e.state.iteration, value]));
    engine.on(STEP({ every: 4 }).or(VALIDATED), (e) => void combined.push(`${e.lastEvent}@${e.state.iteration}`));
    engine.on(Events.ITERATION_COMPLETED({ once: 5 }), (e) => e.terminate());
    await engine.run([1, 2, 3], { maxEpochs: 3 });
    expect(validated).toEqual([]);
    expect(steps).toEqual([[3, 30]]);
    expect(combined).toEqual(['VALIDATED@3', 'STEP@4']);

    // A new engine resumed from the state dict goes on counting STEP firings from 5.
    const sd = engine.stateDict();
    expect(sd.customEventCounts).toEqual({ STEP: 5 }); // VALIDATED counts epochs, not firings
    const resumed = new Engine(async (e, b: number) => void (await e.fire(STEP, b * 10)));
    resumed.registerEvents(VALIDATED, STEP);
    const later: Array<[number, number]> = [];
    resumed.on(STEP({ once: [3, 7] }), (e, value: number) => void later.push([e.state.iteration, value]));
    resumed.loadStateDict(sd);
    await resumed.run([1, 2, 3]);
    expect(later).toEqual([[7, 10]]);
    expect(() => resumed.loadStateDict({ ...sd, customEventCounts: { STEP: -1 } })).toThrow(/customEventCounts must map event names/);
  });
});

describe('Engine terminate and exceptions', () => {
  it('terminate() stops after the current event: TERMINATE then COMPLETED, no EPOCH_COMPLETED', async () => {
    const engine = new Engine(() => undefined);
    const log = recordAll(engine);
    engine.on(Events.ITERATION_COMPLETED({ once: 3 }), (e) => e.terminate());
    await engine.run([1, 2, 3, 4, 5], { maxEpochs: 3 });
    expect(engine.state.iteration).toBe(3);
    expect(log.slice(-3)).toEqual(['ITERATION_COMPLETED:1:3', 'TERMINATE:1:3', 'COMPLETED:1:3']);
    // A later run resumes from the next epoch.
    await engine.run([1, 2, 3, 4, 5]);
    expect(engine.state.epoch).toBe(3);
    expect(engine.state.iteration).toBe(13);
  });

  it('terminateEpoch() ends the epoch: TERMINATE_SINGLE_EPOCH then EPOCH_COMPLETED', async () => {
    const engine = new Engine(() => undefined);
    const log = recordAll(engine);
    engine.on(Events.ITERATION_COMPLETED({ once: 2 }), (e) => e.terminateEpoch());
    await engine.run([1, 2, 3], { maxEpochs: 2 });
    expect(log.filter((l) => /EPOCH|TERMINATE|COMPLETED:/.test(l) && !l.startsWith('ITER') && !l.startsWith('GET'))).toEqual([
      'EPOCH_STARTED:1:0',
      'TERMINATE_SINGLE_EPOCH:1:2',
      'EPOCH_COMPLETED:1:2',
      'EPOCH_STARTED:2:2',
      'EPOCH_COMPLETED:2:5',
      'COMPLETED:2:5',
    ]);
  });

  it('re-throws an error when no EXCEPTION_RAISED handler is attached', async () => {
    const engine = new Engine((_e, b: number) => {
      if (b === 2) throw new Error('bad batch');
    });
    const log = recordAll(engine);
    await expect(engine.run([1, 2, 3])).rejects.toThrow('bad batch');
    expect(log.at(-1)).toBe('ITERATION_STARTED:1:2');
  });

  it('passes the error to EXCEPTION_RAISED handlers, which may terminate', async () => {
    const engine = new Engine((_e, b: number) => {
      if (b === 2) throw new Error('bad batch');
    });
    const errors: string[] = [];
    engine.on(Events.EXCEPTION_RAISED, (e, err: Error) => {
      errors.push(err.message);
      e.terminate();
    });
    const log = recordAll(engine);
    await engine.run([1, 2, 3], { maxEpochs: 2 });
    expect(errors).toEqual(['bad batch']);
    expect(log.slice(-3)).toEqual(['EPOCH_COMPLETED:1:2', 'TERMINATE:1:2', 'COMPLETED:1:2']);
  });

  it('reports errors from handlers too, and refuses terminateEpoch on STARTED', async () => {
    const engine = new Engine(() => undefined);
    engine.on(Events.EPOCH_COMPLETED, () => {
      throw new Error('handler failed');
    });
    await expect(engine.run([1])).rejects.toThrow('handler failed');
    const e2 = new Engine(() => undefined);
    e2.on(Events.STARTED, (e) => e.terminateEpoch());
    await expect(e2.run([1])).rejects.toSatisfy((e) => FlintError.isInstance(e) && /terminateEpoch/.test((e as Error).message));
  });
});

describe('Engine stateDict', () => {
  const loader = () => new data.DataLoader(new data.TensorDataset(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])), { batchSize: 2, shuffle: true });
  const recorder = () => {
    const seen: number[][] = [];
    const engine = new Engine((_e, [x]: Tensor[]) => void seen.push(x!.tolist() as number[]));
    return { engine, seen };
  };

  it('resumes mid-epoch from loadStateDict with the batches an uninterrupted seeded run sees', async () => {
    const full = recorder();
    await full.engine.run(loader(), { maxEpochs: 3, seed: 5 });
    expect(full.seen.length).toBe(15);
    // The epochs are shuffled differently, and a second seeded run repeats them.
    expect(full.seen.slice(0, 5)).not.toEqual(full.seen.slice(5, 10));
    const again = recorder();
    await again.engine.run(loader(), { maxEpochs: 3, seed: 5 });
    expect(again.seen).toEqual(full.seen);

    const first = recorder();
    let saved: ReturnType<Engine['stateDict']> | undefined;
    first.engine.on(Events.ITERATION_COMPLETED({ once: 7 }), (e) => {
      saved = JSON.parse(JSON.stringify(e.stateDict()));
      e.terminate();
    });
    await first.engine.run(loader(), { maxEpochs: 3, seed: 5 });
    expect(saved).toMatchObject({ iteration: 7, epoch: 2, epochLength: 5, maxEpochs: 3, seed: 5 });

    const second = recorder();
    second.engine.loadStateDict(saved!);
    expect([second.engine.state.iteration, second.engine.state.epoch]).toEqual([7, 1]);
    const log = recordAll(second.engine);
    await second.engine.run(loader());
    expect([...first.seen, ...second.seen]).toEqual(full.seen);
    expect(log.slice(0, 3)).toEqual(['STARTED:1:7', 'EPOCH_STARTED:2:7', 'GET_BATCH_STARTED:2:7']);
    expect(log.at(-1)).toBe('COMPLETED:3:15');
  });

  it('resumes from an epoch boundary, continues after terminate, and validates the state dict', async () => {
    const e = new Engine(() => undefined);
    e.loadStateDict({ epoch: 2, epochLength: 4, maxEpochs: 3 });
    expect(e.state.iteration).toBe(8);
    const log = recordAll(e);
    await e.run([1, 2, 3, 4]);
    expect(log.filter((l) => l.startsWith('EPOCH_STARTED'))).toEqual(['EPOCH_STARTED:3:8']);
    const done = new Engine(() => undefined);
    done.loadStateDict({ epoch: 2, epochLength: 4, maxEpochs: 3 });
    await expect(done.run([1, 2, 3, 4], { maxEpochs: 1 })).rejects.toThrow(/maxEpochs \(1\) must be at least the epoch to resume from \(2\)/);
    await expect(done.run([1, 2, 3, 4], { epochLength: 3 })).rejects.toThrow(/must equal the resumed state's epochLength \(4\)/);
    expect(() => e.loadStateDict({ iteration: 3 } as never)).toThrow(/lacks the key 'epochLength'/);
    expect(() => e.loadStateDict({ epochLength: 2, maxEpochs: 1 })).toThrow(/needs 'iteration' or 'epoch'/);
    expect(() => e.loadStateDict({ iteration: 9, epochLength: 2, maxEpochs: 1 })).toThrow(/epoch \(4\) is larger than stateDict.maxEpochs \(1\)/);
  });
});

describe('Engine memory', () => {
  it('keeps a flat tensor count over many iterations, with a DataLoader and with plain arrays', async () => {
    const w = randn([4, 1]);
    const loader = new data.DataLoader(new data.TensorDataset(randn([64, 4])), { batchSize: 4 });
    const counts: number[] = [];
    const engine = new Engine((_e, [x]: Tensor[]) => x!.matmul(w).relu().sum().add(1).item());
    engine.on(Events.EPOCH_COMPLETED, () => void counts.push(memory().numTensors));
    engine.on(Events.EPOCH_COMPLETED, (e) => {
      // A tensor metric outlives the epoch (the engine keeps it); the handler frees the one it replaces.
      (e.state.metrics.total as Tensor | undefined)?.dispose();
      e.state.metrics.total = ones([2]).mul(e.state.epoch);
    });
    await engine.run(loader, { maxEpochs: 12 });
    expect(counts.length).toBe(12);
    expect(new Set(counts.slice(2)).size).toBe(1);
    expect((engine.state.metrics.total as Tensor).tolist()).toEqual([12, 12]);

    // Batches made on the fly by a generator are freed with their iteration.
    const made = { [Symbol.iterator]: function* () { for (let i = 0; i < 50; i++) yield rand([3]); } };
    const before = memory().numTensors;
    const gen = new Engine((_e, x: Tensor) => x.mul(2).sum().item());
    const mid: number[] = [];
    gen.on(Events.ITERATION_COMPLETED({ every: 10 }), () => void mid.push(memory().numTensors));
    await gen.run(made, { maxEpochs: 4 });
    expect(new Set(mid).size).toBe(1);
    expect(memory().numTensors).toBe(before);
  });
});

describe('Engine and the event loop', () => {
  it('lets timers run during a long run whose batches and handlers only resolve promises', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const engine = new Engine(() => {
        const s = Date.now();
        while (Date.now() - s < 2) {
          // busy: a synchronous step of about 2 ms
        }
      });
      await engine.run(Array.from({ length: 150 }, (_, i) => i));
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
