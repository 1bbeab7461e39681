import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { Timer } from './timer.js';

describe('Timer', () => {
  it('counts time between resume and pause events, averaged over steps', async () => {
    // A fake clock: each iteration's processing takes 2 s, each batch fetch 1 s.
    let t = 0;
    const engine = new Engine(() => void (t += 2));
    engine.on(Events.GET_BATCH_STARTED, () => void (t += 1));
    const perIteration = new Timer({ average: true, clock: () => t });
    perIteration.attach(engine, { start: Events.EPOCH_STARTED, resume: Events.ITERATION_STARTED, pause: Events.ITERATION_COMPLETED, step: Events.ITERATION_COMPLETED });
    const total = new Timer({ clock: () => t }).attach(engine);
    const perEpoch: number[] = [];
    engine.on(Events.EPOCH_COMPLETED, () => void perEpoch.push(perIteration.value()));
    await engine.run([1, 2, 3], { maxEpochs: 2 });
    // As in Ignite, `start` leaves the timer running: the first batch fetch (1 s) counts too: (1 + 3 * 2) / 3.
    expect(perEpoch).toEqual([7 / 3, 7 / 3]);
    expect(total.value()).toBe(18);
  });

  it('pause, resume and reset by hand', () => {
    let t = 10;
    const timer = new Timer({ clock: () => t });
    t = 13;
    timer.pause();
    t = 20;
    expect(timer.value()).toBe(3);
    timer.resume();
    t = 21;
    expect(timer.value()).toBe(4);
    timer.reset();
    expect(timer.value()).toBe(0);
  });
});
