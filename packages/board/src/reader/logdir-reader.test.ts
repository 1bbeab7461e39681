import { appendFileSync, copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeEvent, type EventData } from '../format/event-proto.js';
import { frameRecord } from '../format/record.js';
import { tempDir } from '../test-util/tmp.js';
import { SummaryWriter } from '../writer/summary-writer.js';
import { LogdirReader, readLogdir } from './logdir-reader.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const golden = JSON.parse(readFileSync(join(FIXTURES, 'board_golden.json'), 'utf8')).event_file;
const FIXTURE_FILE = join(FIXTURES, 'pytorch_run', golden.name);

const rec = (e: EventData) => frameRecord(encodeEvent(e));
const scalarEvent = (step: number, value: number, tag = 'x', wallTime = 1000 + step): EventData => ({ wallTime, step, summary: [{ tag, simpleValue: value }] });

describe('LogdirReader on a file in PyTorch layout', () => {
  it('reads scalars, a histogram, text and an image', async () => {
    const r = await readLogdir(join(FIXTURES, 'pytorch_run'));
    expect(r.problems()).toEqual([]);
    expect(r.runs()).toEqual(['.']);
    expect(r.runInfo('.')?.startTime).toBe(1700000000);
    expect(r.scalars('.', 'loss')).toEqual(golden.scalars.loss);
    expect(r.scalars('.', 'acc')).toEqual(golden.scalars.acc);
    expect(Object.keys(r.tags('scalars')['.']!).sort()).toEqual(['acc', 'loss']);
    const h = r.histograms('.', 'weights');
    const g = golden.histogram;
    expect(h).toHaveLength(1);
    expect([h[0]!.step, h[0]!.num, h[0]!.min, h[0]!.max, h[0]!.sum]).toEqual([g.step, g.num, g.min, g.max, g.sum]);
    expect(h[0]!.buckets.map((b) => b[2])).toEqual(g.bucket);
    expect(h[0]!.buckets.map((b) => b[1]).slice(0, -1)).toEqual(g.bucket_limit.slice(0, -1));
    expect(h[0]!.buckets[0]![0]).toBe(g.min);
    expect(r.text('.', golden.text.tag)).toEqual([{ wallTime: 1700000012, step: 4, text: golden.text.text, values: [golden.text.text], shape: [1] }]);
    const img = r.images('.', 'img')[0]!;
    expect([img.step, img.width, img.height, img.contentType]).toEqual([7, 3, 2, 'image/png']);
    expect([...(await sharp(img.data).raw().toBuffer())]).toEqual(golden.image.rgb);
    expect(r.plugins()).toEqual(['histograms', 'images', 'scalars', 'text']);
  });
});

describe('LogdirReader: framing problems', () => {
  it('treats every cut of a file as more data coming, and reads on when it grows', async () => {
    const full = readFileSync(FIXTURE_FILE);
    for (const cut of [5, 30, 57, 200, Math.floor(full.length / 2), full.length - 3]) {
      const dir = tempDir();
      const path = join(dir, golden.name);
      writeFileSync(path, full.subarray(0, cut));
      const r = new LogdirReader(dir);
      await r.reload();
      expect(r.problems()).toEqual([]);
      appendFileSync(path, full.subarray(cut));
      const second = await r.reload();
      expect(second.problems).toEqual([]);
      expect(r.scalars('.', 'loss')).toEqual(golden.scalars.loss);
      expect(r.images('.', 'img')).toHaveLength(1);
      expect(r.runInfo('.')!.files[0]!.bytesRead).toBe(full.length);
    }
  });

  it('skips a record with a bad data CRC and reports it', async () => {
    const dir = tempDir();
    const good = [rec({ wallTime: 1, fileVersion: 'brain.Event:2' }), rec(scalarEvent(1, 1)), rec(scalarEvent(2, 2)), rec(scalarEvent(3, 3))];
    const bytes = Buffer.concat(good);
    const at = good[0]!.length + good[1]!.length + 14; // inside the data of step 2
    bytes[at] ^= 0xff;
    writeFileSync(join(dir, 'events.out.tfevents.1.h'), bytes);
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'x').map((p) => p[1])).toEqual([1, 3]);
    expect(r.problems()).toEqual([expect.objectContaining({ kind: 'bad-data-crc', offset: good[0]!.length + good[1]!.length })]);
  });

  it('stops at a bad length CRC, reports once, and never crashes', async () => {
    const dir = tempDir();
    const parts = [rec({ wallTime: 1, fileVersion: 'brain.Event:2' }), rec(scalarEvent(1, 1)), rec(scalarEvent(2, 2))];
    const bytes = Buffer.concat(parts);
    bytes[parts[0]!.length + parts[1]!.length + 2] ^= 0x10;
    const path = join(dir, 'events.out.tfevents.1.h');
    writeFileSync(path, bytes);
    mkdirSync(join(dir, 'garbage'));
    writeFileSync(join(dir, 'garbage', 'events.out.tfevents.2.h'), Buffer.from('this is not an event file at all, not even close'));
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'x').map((p) => p[1])).toEqual([1]);
    expect(r.problems().map((p) => p.kind).sort()).toEqual(['bad-length-crc', 'bad-length-crc']);
    appendFileSync(path, rec(scalarEvent(3, 3)));
    const again = await r.reload();
    expect(again.problems).toEqual([]);
    expect(r.scalars('.', 'x').map((p) => p[1])).toEqual([1]);
    expect(r.runs().sort()).toEqual(['.', 'garbage']);
  });

  it('reports a record that is not an Event and a file that shrank', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.tfevents.x');
    writeFileSync(path, Buffer.concat([rec(scalarEvent(1, 1)), frameRecord(Uint8Array.of(0x2a, 0x10, 0x01)), rec(scalarEvent(2, 2))]));
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'x').map((p) => p[1])).toEqual([1, 2]);
    expect(r.problems().map((p) => p.kind)).toEqual(['bad-event']);
    truncateSync(path, 10);
    expect((await r.reload()).problems.map((p) => p.kind)).toEqual(['truncated-file']);
  });
});

describe('LogdirReader: incremental reads', () => {
  it('reads only the new bytes of a growing file while a writer appends', async () => {
    const dir = tempDir();
    const w = new SummaryWriter(dir, { maxQueue: 1 });
    const r = new LogdirReader(dir);
    let expected = 0;
    let lastBytes = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) w.addScalar('loss', round * 10 + i, round * 3 + i);
      expected += 3;
      const res = await r.reload();
      expect(res.newEvents).toBe(round === 0 ? 4 : 3); // round 0 also reads file_version
      const info = r.runInfo('.')!;
      expect(info.files[0]!.bytesRead).toBeGreaterThan(lastBytes);
      lastBytes = info.files[0]!.bytesRead;
      expect(r.scalars('.', 'loss')).toHaveLength(expected);
    }
    const idle = await r.reload();
    expect(idle.newEvents).toBe(0);
    await w.close();
  });

  it('finds runs created after the first reload, and orders runs by start time', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'events.out.tfevents.1.h'), rec({ wallTime: 50, fileVersion: 'brain.Event:2' }));
    const r = await readLogdir(dir);
    expect(r.runs()).toEqual(['b']);
    mkdirSync(join(dir, 'a', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'a', 'deep', 'events.out.tfevents.1.h'), rec({ wallTime: 10, fileVersion: 'brain.Event:2' }));
    writeFileSync(join(dir, 'events.out.tfevents.9.h'), rec({ wallTime: 70, fileVersion: 'brain.Event:2' }));
    const res = await r.reload();
    expect(res.newRuns.sort()).toEqual(['.', 'a/deep']);
    expect(r.runs()).toEqual(['a/deep', 'b', '.']);
  });

  it('reads the files of a run in name order', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'events.out.tfevents.2.h'), Buffer.concat([rec(scalarEvent(5, 50)), rec(scalarEvent(6, 60))]));
    writeFileSync(join(dir, 'events.out.tfevents.1.h'), Buffer.concat([rec(scalarEvent(1, 10)), rec(scalarEvent(2, 20))]));
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'x').map((p) => p[1])).toEqual([1, 2, 5, 6]);
  });
});

describe('LogdirReader: purge', () => {
  it('drops earlier points at steps >= a step seen again, per series', async () => {
    const dir = tempDir();
    const events = [0, 1, 2, 3, 4].map((s) => scalarEvent(s, s)).concat([scalarEvent(2, 20), scalarEvent(3, 30)]);
    events.push(scalarEvent(9, 9, 'other'));
    writeFileSync(join(dir, 'events.out.tfevents.1.h'), Buffer.concat(events.map(rec)));
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'x').map((p) => [p[1], p[2]])).toEqual([[0, 0], [1, 1], [2, 20], [3, 30]]);
    expect(r.scalars('.', 'other').map((p) => p[1])).toEqual([9]);
  });

  it('a SessionLog START at step T drops every series at steps >= T', async () => {
    const dir = tempDir();
    const events = [0, 1, 2, 3].flatMap((s) => [scalarEvent(s, s, 'a'), scalarEvent(s, s, 'b')]);
    events.push({ wallTime: 2000, step: 2, sessionLog: { status: 1 } });
    events.push(scalarEvent(2, 200, 'a'));
    writeFileSync(join(dir, 'events.out.tfevents.1.h'), Buffer.concat(events.map(rec)));
    const r = await readLogdir(dir);
    expect(r.scalars('.', 'a').map((p) => [p[1], p[2]])).toEqual([[0, 0], [1, 1], [2, 200]]);
    expect(r.scalars('.', 'b').map((p) => p[1])).toEqual([0, 1]);
  });
});

describe('LogdirReader: projector paths', () => {
  it('does not read projector files outside the logdir, and reports a bad config', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'projector_config.pbtxt'), 'embeddings { tensor_name: "evil" tensor_path: "../../../etc/passwd" }\n');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'projector_config.pbtxt'), 'embeddings { tensor_name: ');
    const r = await readLogdir(dir);
    expect(r.embeddings('run').map((e) => e.tensorName)).toEqual(['evil']);
    await expect(r.embeddingTensor('run', 'evil')).rejects.toThrow(/outside the logdir/);
    await expect(r.embeddingTensor('run', 'nope')).rejects.toThrow(/has no tensor file/);
    expect(r.problems().map((p) => p.kind)).toEqual(['bad-projector-config']);
  });

  it('copes with a missing logdir', async () => {
    const r = await readLogdir(join(tempDir(), 'missing'));
    expect(r.runs()).toEqual([]);
    expect(r.problems()).toHaveLength(1);
  });
});

describe('LogdirReader: copies of fixture', () => {
  it('a copied PyTorch file next to a flint one makes two runs with the same tags', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'torch'));
    copyFileSync(FIXTURE_FILE, join(dir, 'torch', golden.name));
    const w = new SummaryWriter(join(dir, 'flint'));
    for (let s = 0; s < 5; s++) w.addScalar('loss', 1 / (s + 1), s);
    await w.close();
    const r = await readLogdir(dir);
    const tags = r.tags('scalars');
    expect(Object.keys(tags).sort()).toEqual(['flint', 'torch']);
    expect(r.scalars('flint', 'loss').map((p) => p[2])).toEqual(r.scalars('torch', 'loss').map((p) => p[2]));
  });
});
