import { describe, expect, it } from 'vitest';
import { frameRecord, scanRecords } from './record.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('frameRecord', () => {
  it('writes the reference record byte for byte', () => {
    const data = Buffer.from('0900008038 99d6d741 1a0d'.replace(/ /g, '') + Buffer.from('brain.Event:2').toString('hex'), 'hex');
    const rec = frameRecord(data);
    expect(hex(rec)).toBe('1800000000000000' + 'a37f4b22' + hex(data) + '124b36ab');
  });
});

describe('scanRecords', () => {
  const a = frameRecord(Uint8Array.of(1, 2, 3));
  const b = frameRecord(Uint8Array.of(4, 5));
  const both = Buffer.concat([a, b]);

  it('reads whole records in order', () => {
    const r = scanRecords(both);
    expect(r.records.map((x) => [...x.data])).toEqual([[1, 2, 3], [4, 5]]);
    expect(r.consumed).toBe(both.length);
    expect(r.problems).toEqual([]);
    expect(r.fatal).toBeUndefined();
  });

  it('leaves a short tail unconsumed at every cut', () => {
    for (let cut = a.length; cut < both.length; cut++) {
      const r = scanRecords(both.subarray(0, cut));
      expect(r.records).toHaveLength(1);
      expect(r.consumed).toBe(a.length);
      expect(r.fatal).toBeUndefined();
    }
  });

  it('skips a record whose data is corrupt and goes on', () => {
    const bad = Buffer.from(both);
    bad[13] ^= 0xff;
    const r = scanRecords(bad);
    expect(r.records.map((x) => [...x.data])).toEqual([[4, 5]]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.kind).toBe('bad-data-crc');
    expect(r.consumed).toBe(both.length);
  });

  it('stops at a corrupt length', () => {
    const bad = Buffer.from(both);
    bad[a.length] ^= 0x01;
    const r = scanRecords(bad);
    expect(r.records).toHaveLength(1);
    expect(r.fatal?.kind).toBe('bad-length-crc');
    expect(r.consumed).toBe(a.length);
  });
});
