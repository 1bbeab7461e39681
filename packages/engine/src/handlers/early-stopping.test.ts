import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { EarlyStopping } from './early-stopping.js';

async function stopsAt(scores: number[], patience: number, options = {}): Promise<number> {
  const trainer = new Engine(() => undefined);
  const handler = new EarlyStopping(patience, (e) => scores[e.state.epoch - 1]!, trainer, options);
  trainer.on(Events.EPOCH_COMPLETED, handler);
  await trainer.run([1], { maxEpochs: scores.length });
  return trainer.state.epoch;
}

describe('EarlyStopping', () => {
  it('terminates the trainer after patience calls without improvement', async () => {
    expect(await stopsAt([1, 2, 3, 4, 5, 6], 2)).toBe(6);
    expect(await stopsAt([1, 2, 2, 1.5, 3, 3], 2)).toBe(4);
    expect(await stopsAt([1, 2, 1, 3, 2, 2.5, 1], 3)).toBe(7);
  });

  it('needs an improvement larger than minDelta; cumulativeDelta compares with the last improvement', async () => {
    // Steps of 0.05 are not improvements with minDelta 0.1.
    expect(await stopsAt([1, 1.05, 1.1, 1.15, 1.2], 2, { minDelta: 0.1 })).toBe(3);
    // Without cumulativeDelta the best follows the small steps (1.08, 1.16) and 1.21 is no improvement over 1.16;
    // with it, the best stays 1.0 until 1.21 beats it by more than 0.1.
    expect(await stopsAt([1, 1.08, 1.16, 1.21, 1.22], 3, { minDelta: 0.1 })).toBe(4);
    expect(await stopsAt([1, 1.08, 1.16, 1.21, 1.22], 3, { minDelta: 0.1, cumulativeDelta: true })).toBe(5);
  });

  it('saves and restores its counter, and validates its arguments', () => {
    const trainer = new Engine(() => undefined);
    const h = new EarlyStopping(3, () => 1, trainer);
    h.call(trainer);
    h.call(trainer);
    expect(h.stateDict()).toEqual({ counter: 1, bestScore: 1 });
    const h2 = new EarlyStopping(3, () => 1, trainer);
    h2.loadStateDict(h.stateDict());
    expect(h2.counter).toBe(1);
    expect(() => new EarlyStopping(0, () => 1, trainer)).toThrow(/patience must be a positive integer; received 0/);
    expect(() => new EarlyStopping(1, () => 1, {} as never)).toThrow(/trainer must be an Engine/);
    expect(() => new EarlyStopping(1, () => 1, trainer, { minDelta: -1 })).toThrow(/minDelta must be a number >= 0/);
  });
});
