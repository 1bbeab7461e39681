import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { Events } from '../events.js';
import { ProgressBar } from './progress-bar.js';

/** An engine on a fake clock: fetching a batch takes 1 s (inside the data iterable), processing it 3 s. */
function timedEngine(n: number) {
  let t = 0;
  const engine = new Engine(() => {
    t += 3;
    return 1;
  });
  const data = { *[Symbol.iterator]() { for (let i = 0; i < n; i++) { t += 1; yield i; } } };
  return { engine, clock: () => t, data };
}

describe('ProgressBar', () => {
  it('writes plain lines every logEvery iterations when the stream is not a terminal', async () => {
    const out: string[] = [];
    const { engine, clock, data } = timedEngine(6);
    engine.on(Events.EPOCH_COMPLETED, (e) => void (e.state.metrics.acc = 0.5 * e.state.epoch));
    new ProgressBar({ stream: { write: (s) => void out.push(s), isTTY: false }, logEvery: 2, clock }).attach(engine, { metricNames: ['acc'] });
    await engine.run(data, { maxEpochs: 2, epochLength: 6 });
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines).toEqual([
      'Epoch [1/2] 2/6 (33%) | 4.00s/it | ETA 00:16 | loss=1.0000 | efficiency=0.75',
      'Epoch [1/2] 4/6 (67%) | 4.00s/it | ETA 00:08 | loss=1.0000 | efficiency=0.75',
      'Epoch [1/2] 6/6 (100%) | done in 00:24 | loss=1.0000 | acc=0.5000 | efficiency=0.75',
      'Epoch [2/2] 2/6 (33%) | 4.00s/it | ETA 00:16 | loss=1.0000 | acc=0.5000 | efficiency=0.75',
      'Epoch [2/2] 4/6 (67%) | 4.00s/it | ETA 00:08 | loss=1.0000 | acc=0.5000 | efficiency=0.75',
      'Epoch [2/2] 6/6 (100%) | done in 00:24 | loss=1.0000 | acc=1.0000 | efficiency=0.75',
    ]);
  });

  it('shows a running average of the loss and the data-loading share in the efficiency', async () => {
    const out: string[] = [];
    let t = 0;
    const engine = new Engine((_e, b: number) => {
      t += 1; // compute 1 s
      return b;
    });
    const data = { *[Symbol.iterator]() { for (const v of [2, 4]) { t += 3; yield v; } } }; // 3 s waiting per batch
    new ProgressBar({ stream: { write: (s) => void out.push(s) }, clock: () => t }).attach(engine, { alpha: 0.5 });
    await engine.run(data, { epochLength: 2 });
    // Running loss: 2, then 0.5 * 2 + 0.5 * 4 = 3; efficiency 2 / (2 + 6).
    expect(out.join('')).toBe('Iteration 1/2 (50%) | 4.00s/it | ETA 00:04 | loss=2.0000 | efficiency=0.25\nIteration 2/2 (100%) | done in 00:08 | loss=3.0000 | efficiency=0.25\n');
  });

  it('redraws one line in place on a terminal and clears it at the end of the epoch', async () => {
    const out: string[] = [];
    let t = 0;
    const engine = new Engine(() => void (t += 1));
    const pbar = new ProgressBar({ stream: { write: (s) => void out.push(s), isTTY: true, columns: 200 }, clock: () => t, barWidth: 10 });
    pbar.attach(engine);
    engine.on(Events.ITERATION_COMPLETED({ once: 2 }), () => pbar.logMessage('hello'));
    await engine.run([1, 2, 3, 4]);
    expect(out[0]).toBe('\rIteration  25%|███       | 1/4 [00:01<00:03, 1.00it/s, efficiency=1.00]\x1b[K');
    expect(out).toContain('hello\n');
    expect(out.at(-2)).toBe('\rIteration 100%|██████████| 4/4 [00:04<00:00, 1.00it/s, efficiency=1.00]\x1b[K');
    expect(out.at(-1)).toBe('\r\x1b[K');
    expect(out.join('')).not.toMatch(/\n.*\n.*\n/); // only the message ends a line
  });

  it('validates its options', () => {
    expect(() => new ProgressBar({ stream: {} as never })).toThrow(/write\(chunk\)/);
    expect(() => new ProgressBar({ logEvery: 0 })).toThrow(/logEvery must be a positive integer; received 0/);
  });
});
