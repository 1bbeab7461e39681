import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeSimpleScalarEvent, encodeEvent, type EventData } from './event-proto.js';
import { frameRecord } from './record.js';
import { DataType } from './tensor-proto.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encodeEvent', () => {
  it('encodes the reference Event byte for byte', () => {
    const bytes = encodeEvent({ wallTime: 1599759586.0, fileVersion: 'brain.Event:2' });
    expect(hex(bytes)).toBe('0900008038' + '99d6d741' + '1a0d' + Buffer.from('brain.Event:2').toString('hex'));
    expect(hex(frameRecord(bytes))).toBe('1800000000000000a37f4b22' + hex(bytes) + '124b36ab');
  });

  it('writes a simple_value of 0 (a oneof member) and leaves step 0 out', () => {
    const bytes = encodeEvent({ wallTime: 1, step: 0, summary: [{ tag: 'a', simpleValue: 0 }] });
    expect(hex(bytes)).toContain('1500000000');
    expect(decodeEvent(bytes)).toEqual({ wallTime: 1, summary: [{ tag: 'a', simpleValue: 0 }] });
  });

  it('writes the same bytes as the PyTorch-layout fixture for its scalar records', () => {
    const file = readFileSync(join(FIXTURES, 'pytorch_run/events.out.tfevents.1700000000.fixturehost.4242.0'));
    const t0 = 1700000000;
    const ours = [frameRecord(encodeEvent({ wallTime: t0, fileVersion: 'brain.Event:2' }))];
    for (let step = 0; step < 5; step++) ours.push(frameRecord(encodeEvent({ wallTime: t0 + 1 + step, step, summary: [{ tag: 'loss', simpleValue: Math.fround(1 / (step + 1)) }] })));
    ours.push(frameRecord(encodeEvent({ wallTime: t0 + 10, step: 5, summary: [{ tag: 'acc', simpleValue: 0 }] })));
    const joined = Buffer.concat(ours);
    expect(hex(file.subarray(0, joined.length))).toBe(hex(joined));
  });

  it('round-trips every kind of value', () => {
    const e = {
      wallTime: 12.5,
      step: 2 ** 40,
      summary: [
        { tag: 'h', histo: { min: -1, max: 2, num: 3, sum: 1, sumSquares: 6, bucketLimit: [0, 1, 2], bucket: [1, 0, 2] } },
        { tag: 'i', image: { height: 2, width: 3, colorspace: 4, encoded: Uint8Array.of(1, 2, 3) } },
        { tag: 'a', audio: { sampleRate: 16000, numChannels: 1, lengthFrames: 10, encoded: Uint8Array.of(9), contentType: 'audio/wav' } },
        {
          tag: 't',
          metadata: { pluginName: 'x', pluginContent: Uint8Array.of(7), displayName: 'T', summaryDescription: 'd', dataClass: 2 },
          tensor: { dtype: DataType.FLOAT, shape: [2, 1], floatVal: [1.5, -2] },
        },
      ],
    };
    expect(decodeEvent(encodeEvent(e))).toEqual(e);
    const neg = { wallTime: 1, step: -3, sessionLog: { status: 1 } };
    expect(decodeEvent(encodeEvent(neg))).toEqual(neg);
  });

  it('throws on malformed bytes', () => {
    expect(() => decodeEvent(Uint8Array.of(0x2a, 0x10, 0x01))).toThrow(/malformed/);
  });
});

describe('decodeSimpleScalarEvent', () => {
  it('gives what decodeEvent gives for add_scalar events', () => {
    const cases: EventData[] = [
      { wallTime: 1599759586.25, step: 7, summary: [{ tag: 'loss/train', simpleValue: 0.5 }] },
      { wallTime: 1, step: 0, summary: [{ tag: 'a', simpleValue: 0 }] },
      { wallTime: 0, step: 2 ** 40 + 3, summary: [{ tag: 'x', simpleValue: -1.5 }] },
      { wallTime: -3.5, step: 127, summary: [{ tag: 'é/ü', simpleValue: NaN }] },
      { wallTime: 2, step: 128, summary: [{ tag: 't'.repeat(127), simpleValue: Infinity }] },
      { wallTime: 2, summary: [{ tag: 'nostep', simpleValue: 3 }] },
    ];
    for (const e of cases) {
      const bytes = encodeEvent(e);
      const fast = decodeSimpleScalarEvent(bytes);
      expect(fast, JSON.stringify(e)).toBeDefined();
      expect(fast).toEqual(decodeEvent(bytes));
    }
  });

  it('leaves everything else to decodeEvent', () => {
    const others: EventData[] = [
      { wallTime: 1, fileVersion: 'brain.Event:2' },
      { wallTime: 1, step: 1, summary: [{ tag: 'a', simpleValue: 1 }, { tag: 'b', simpleValue: 2 }] },
      { wallTime: 1, step: 1, summary: [{ tag: 'a', simpleValue: 1, metadata: { pluginName: 'scalars' } }] },
      { wallTime: 1, step: 1, summary: [{ tag: '', simpleValue: 1 }] },
      { wallTime: 1, step: 1, summary: [{ tag: 't'.repeat(200), simpleValue: 1 }] },
      { wallTime: 1, step: -1, summary: [{ tag: 'neg', simpleValue: 1 }] },
      { wallTime: 1, sessionLog: { status: 1 } },
    ];
    for (const e of others) expect(decodeSimpleScalarEvent(encodeEvent(e)), JSON.stringify(e)).toBeUndefined();
    expect(decodeSimpleScalarEvent(new Uint8Array([0x09, 1, 2]))).toBeUndefined();
    expect(decodeSimpleScalarEvent(new Uint8Array(0))).toBeUndefined();
  });
});
