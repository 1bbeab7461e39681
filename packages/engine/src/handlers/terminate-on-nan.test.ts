import { describe, expect, it } from 'vitest';
import { tensor } from '@flint/core';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { TerminateOnNan } from './terminate-on-nan.js';

describe('TerminateOnNan', () => {
  it('stops the run at the first non-finite output: numbers, tensors, nested outputs', async () => {
    const cases: Array<[unknown[], number]> = [
      [[1, 2, NaN, 4], 3],
      [[1, Infinity, 3], 2],
      [[tensor([1, 2]), tensor([1, NaN]), tensor([0])], 2],
      [[{ loss: 1, parts: [2, 3] }, { loss: 1, parts: [2, -Infinity] }], 2],
      [[1, 2, 3], 3],
    ];
    for (const [outputs, stop] of cases) {
      const engine = new Engine((_e, b: unknown) => b);
      engine.on(Events.ITERATION_COMPLETED, new TerminateOnNan());
      await engine.run(outputs);
      expect(engine.state.iteration).toBe(stop);
    }
  });

  it('applies its outputTransform', async () => {
    const engine = new Engine((_e, b: number) => ({ loss: b, other: NaN }));
    engine.on(Events.ITERATION_COMPLETED, new TerminateOnNan((o: { loss: number }) => o.loss));
    await engine.run([1, 2, 3]);
    expect(engine.state.iteration).toBe(3);
  });
});
