import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeEvent } from '../format/event-proto.js';
import { scanRecords } from '../format/record.js';
import { readLogdir } from '../reader/logdir-reader.js';
import { tempDir } from '../test-util/tmp.js';
import { EventFileWriter } from './event-file-writer.js';

const PKG = join(import.meta.dirname, '../..');

function events(path: string) {
  const scan = scanRecords(readFileSync(path));
  return scan.records.map((r) => decodeEvent(r.data));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('EventFileWriter', () => {
  it('names the file as TensorBoard does and starts it with file_version', () => {
    const w = new EventFileWriter(tempDir(), { filenameSuffix: '.x' });
    expect(w.path).toMatch(new RegExp(`events\\.out\\.tfevents\\.\\d{10}\\..+\\.${process.pid}\\.\\d+\\.x$`));
    expect(events(w.path)).toEqual([{ wallTime: expect.any(Number), fileVersion: 'brain.Event:2' }]);
    w.closeSync();
  });

  it('queues until maxQueue events wait, then writes them all', () => {
    const w = new EventFileWriter(tempDir(), { maxQueue: 3 });
    w.addEvent({ wallTime: 1, step: 1 });
    w.addEvent({ wallTime: 1, step: 2 });
    expect(events(w.path)).toHaveLength(1);
    w.addEvent({ wallTime: 1, step: 3 });
    expect(events(w.path).map((e) => e.step)).toEqual([undefined, 1, 2, 3]);
    w.closeSync();
  });

  it('flushes every flushSecs', () => {
    vi.useFakeTimers();
    const w = new EventFileWriter(tempDir(), { flushSecs: 5 });
    w.addEvent({ wallTime: 1, step: 7 });
    vi.advanceTimersByTime(4000);
    expect(events(w.path)).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(events(w.path).map((e) => e.step)).toEqual([undefined, 7]);
    w.closeSync();
  });

  it('keeps call order behind an event still being computed', async () => {
    const w = new EventFileWriter(tempDir(), { maxQueue: 1 });
    let resolve!: (e: { wallTime: number; step: number }) => void;
    const done = w.addPendingEvent(new Promise((r) => (resolve = r)));
    w.addEvent({ wallTime: 1, step: 2 });
    expect(events(w.path)).toHaveLength(1);
    resolve({ wallTime: 1, step: 1 });
    await done;
    expect(events(w.path).map((e) => e.step)).toEqual([undefined, 1, 2]);
    await w.close();
    expect(w.closed).toBe(true);
  });
});

function runChild(body: string, dir: string) {
  const script = join(dir, 'child.mts');
  writeFileSync(script, `import { SummaryWriter } from ${JSON.stringify(join(PKG, 'src/index.ts'))};\n${body}\n`);
  return spawnSync(process.execPath, ['--import', 'tsx', script, join(dir, 'run')], { cwd: PKG, encoding: 'utf8', timeout: 60_000 });
}

describe('process exit', () => {
  it('a normal exit without close() loses nothing', async () => {
    const dir = tempDir();
    const r = runChild(`const w = new SummaryWriter(process.argv[2]);\nfor (let i = 0; i < 5; i++) w.addScalar('x', i * 2, i);\nw.addText('t', 'bye', 9);\nvoid w.addImage('img', { data: new Uint8Array(12).fill(200), shape: [2, 2, 3] }, 1, { dataformats: 'HWC' });`, dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reader = await readLogdir(join(dir, 'run'));
    expect(reader.scalars('.', 'x').map((p) => p[2])).toEqual([0, 2, 4, 6, 8]);
    expect(reader.text('.', 't/text_summary')[0]?.text).toBe('bye');
    expect(reader.images('.', 'img')).toHaveLength(1); // an image still encoding at the end is waited for
  });

  it('process.exit() flushes too', async () => {
    const dir = tempDir();
    const r = runChild(`const w = new SummaryWriter(process.argv[2]);\nw.addScalar('x', 1, 1);\nprocess.exit(3);`, dir);
    expect(r.status).toBe(3);
    expect((await readLogdir(join(dir, 'run'))).scalars('.', 'x')).toHaveLength(1);
  });

  it('a crash loses only the unflushed queue, and the file stays readable', async () => {
    const dir = tempDir();
    const r = runChild(`const w = new SummaryWriter(process.argv[2]);\nfor (let i = 0; i < 3; i++) w.addScalar('x', i, i);\nawait w.flush();\nw.addScalar('x', 99, 99);\nprocess.kill(process.pid, 'SIGKILL');`, dir);
    expect(r.signal).toBe('SIGKILL');
    const reader = await readLogdir(join(dir, 'run'));
    expect(reader.scalars('.', 'x').map((p) => p[1])).toEqual([0, 1, 2]);
    expect(reader.problems()).toEqual([]);
  });
});
