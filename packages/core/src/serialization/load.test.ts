import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DeviceError, FlintError } from '../errors.js';
import { arange, gpu, memory, tensor, zeros, type Tensor } from '../index.js';
import { swapBytes } from './format.js';
import { load, loadSync } from './load.js';
import { saveSync } from './save.js';
import { SerializationError } from './serialization-error.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const script = fileURLToPath(new URL('../../../../tools/fixtures/core_safetensors.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'flint-load-'));
let counter = 0;
const fresh = (): string => join(dir, `f${counter++}.safetensors`);

const f32 = (values: number[]): number[] => values.map(Math.fround);
const values = (t: Tensor): number[] => Array.from(t.dataSync());
/** Object.is per element: tells -0 from 0 and matches NaN. */
function expectValues(t: Tensor, dtype: string, shape: number[], expected: number[]): void {
  expect(t.dtype).toBe(dtype);
  expect(t.shape).toEqual(shape);
  const got = values(t);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(Object.is(v, expected[i]), `[${i}]: ${v} vs ${expected[i]}`).toBe(true));
}

/** Writes a file by hand: header length, `header` (JSON, or raw bytes), then `data`. */
function writeRaw(header: unknown, data: Uint8Array = new Uint8Array(0), options: { length?: bigint } = {}): string {
  const json = header instanceof Uint8Array ? header : Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(options.length ?? BigInt(json.length));
  const path = fresh();
  writeFileSync(path, Buffer.concat([len, json, data]));
  return path;
}
const entry = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

/** The tensors of the Python-written sample, in the same order. */
const sampleTensors = (): Record<string, Tensor> => ({
  'linear.weight': tensor([[0.5, -1.25, 3.0], [1e-3, -0.0, 65504.0]]),
  'linear.bias': tensor([NaN, -Infinity]),
  labels: tensor([0, -7, 2147483647, -2147483648], { dtype: 'int32' }),
  mask: tensor([true, false, true]),
  scalar: tensor(2.5),
  empty: zeros([0, 2]),
});

describe('safetensors files written by other tools', () => {
  it('loads the Python-written sample as a flat object with exact values', async () => {
    for (const sd of [await load(join(fixtures, 'sample.safetensors')), loadSync(join(fixtures, 'sample.safetensors'))]) {
      expect(Object.keys(sd)).toEqual(['linear.weight', 'linear.bias', 'labels', 'mask', 'scalar', 'empty']);
      expectValues(sd['linear.weight'], 'float32', [2, 3], f32([0.5, -1.25, 3.0, 1e-3, -0, 65504]));
      expectValues(sd['linear.bias'], 'float32', [2], [NaN, -Infinity]);
      expectValues(sd.labels, 'int32', [4], [0, -7, 2147483647, -2147483648]);
      expectValues(sd.mask, 'bool', [3], [1, 0, 1]);
      expectValues(sd.scalar, 'float32', [], [2.5]);
      expectValues(sd.empty, 'float32', [0, 2], []);
    }
  });

  it('converts the dtypes Flint lacks to float32 and int32', () => {
    const sd = loadSync(join(fixtures, 'safetensors-converted.safetensors'));
    expectValues(sd.f64, 'float32', [3], f32([1.5, -2.25, 1e10]));
    expectValues(sd.f16, 'float32', [4], [1, -0.5, 65504, 5.960464477539063e-8]);
    expectValues(sd.bf16, 'float32', [2], [1, -3]);
    expectValues(sd.i64, 'int32', [3], [0, -5, 2147483647]);
    expectValues(sd.u8, 'int32', [2, 2], [0, 1, 200, 255]);
    expectValues(sd.i8, 'int32', [2], [-128, 127]);
    expectValues(sd.i16, 'int32', [2], [-32768, 32767]);
    expectValues(sd.u16, 'int32', [1], [65535]);
    expectValues(sd.u32, 'int32', [1], [4000000]);
    expectValues(sd.u64, 'int32', [1], [123]);
    expectValues(sd.num_batches_tracked, 'int32', [], [42]);
  });

  it('an int64 value outside the int32 range is an error, not a wrapped number', () => {
    const path = join(fixtures, 'safetensors-i64-overflow.safetensors');
    expect(() => loadSync(path)).toThrow(
      `loadSync(): ${path}: tensor 'step' (I64) holds 1099511627776 at flat index 1, which does not fit in int32, and Flint has no int64`,
    );
  });

  it('normalizes BOOL bytes other than 0 and 1 to true', () => {
    const path = writeRaw({ m: entry('BOOL', [3], 0, 3) }, new Uint8Array([0, 2, 255]));
    expectValues(loadSync(path).m, 'bool', [3], [0, 1, 1]);
  });
});

describe('the files save() writes', () => {
  it('lay out the tensors byte for byte as the Python-written sample does', () => {
    const sample = readFileSync(join(fixtures, 'sample.safetensors'));
    const sampleN = Number(sample.readBigUInt64LE(0));
    const sampleHeader = JSON.parse(sample.subarray(8, 8 + sampleN).toString());
    const path = fresh();
    saveSync(sampleTensors(), path);
    const file = readFileSync(path);
    const n = Number(file.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    expect(8 + n).toBeLessThanOrEqual(file.length);
    const text = file.subarray(8, 8 + n).toString('utf8');
    expect(text.startsWith('{')).toBe(true);
    expect(/^[^ ]*\} {0,7}$/.test(text)).toBe(true); // padded with at most 7 spaces, as the reference does
    const header = JSON.parse(text);
    const { __metadata__: meta, ...tensors } = header;
    delete sampleHeader.__metadata__;
    expect(tensors).toEqual(sampleHeader);
    expect(Object.keys(tensors)).toEqual(Object.keys(sampleHeader));
    expect(Object.values(meta).every((v) => typeof v === 'string')).toBe(true);
    expect(meta.flint_version).toBe('1');
    expect(file.subarray(8 + n).equals(sample.subarray(8 + sampleN))).toBe(true);
  });

  it('write little-endian data at the offsets the header gives', () => {
    const path = fresh();
    saveSync({ a: tensor([1, -2], { dtype: 'int32' }), b: tensor([true]), c: tensor([0.1]) }, path);
    const file = readFileSync(path);
    const start = 8 + Number(file.readBigUInt64LE(0));
    const h = JSON.parse(file.subarray(8, start).toString());
    expect(h.a).toEqual(entry('I32', [2], 0, 8));
    expect(h.b).toEqual(entry('BOOL', [1], 8, 9));
    expect(h.c).toEqual(entry('F32', [1], 9, 13));
    expect(file.readInt32LE(start)).toBe(1);
    expect(file.readInt32LE(start + 4)).toBe(-2);
    expect(file[start + 8]).toBe(1);
    expect(file.readFloatLE(start + 9)).toBe(Math.fround(0.1));
    expect(file.length).toBe(start + 13);
  });

  it('name nested tensors by dotted path, so other readers see sensible names', () => {
    const path = fresh();
    const t = tensor([1]);
    saveSync({ model: { 'fc.weight': t }, optimizer: { state: { 0: { expAvg: t } } }, list: [t], 'model.fc.weight': t }, path);
    const file = readFileSync(path);
    const h = JSON.parse(file.subarray(8, 8 + Number(file.readBigUInt64LE(0))).toString());
    expect(Object.keys(h)).toEqual(['__metadata__', 'model.fc.weight', 'optimizer.state.0.expAvg', 'list.0', 'model.fc.weight#2']);
    const back = loadSync(path);
    expect(back['model.fc.weight'].item()).toBe(1);
    expect(back.model['fc.weight'].item()).toBe(1);
  });

  const python = '/usr/bin/python3';
  it.skipIf(!existsSync(python))('parse with an independent Python reader (tools/fixtures/core_safetensors.py --read)', () => {
    const path = fresh();
    saveSync({ epoch: 3, model: sampleTensors(), note: 'x' }, path);
    const r = spawnSync(python, [script, '--read', path], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.order).toEqual(['model.linear.weight', 'model.linear.bias', 'model.labels', 'model.mask', 'model.scalar', 'model.empty']);
    expect(out.tensors['model.linear.weight'].values).toEqual(f32([0.5, -1.25, 3.0, 1e-3, -0, 65504]));
    expect(out.tensors['model.linear.bias'].values).toEqual(['nan', '-inf']);
    expect(out.tensors['model.labels']).toEqual({ dtype: 'I32', shape: [4], values: [0, -7, 2147483647, -2147483648] });
    expect(out.tensors['model.mask'].values).toEqual([true, false, true]);
    expect(out.tensors['model.scalar']).toEqual({ dtype: 'F32', shape: [], values: [2.5] });
    expect(out.tensors['model.empty']).toEqual({ dtype: 'F32', shape: [0, 2], values: [] });
    expect(JSON.parse(out.metadata.flint).epoch).toBe(3);
  });
});

describe('load() refuses broken files with a clear error', () => {
  const good = (): Buffer => {
    const path = fresh();
    saveSync({ w: arange(1024).float(), step: 5 }, path);
    return readFileSync(path);
  };
  const withBytes = (bytes: Uint8Array): string => {
    const path = fresh();
    writeFileSync(path, bytes);
    return path;
  };
  const f32data = new Uint8Array(16);

  const cases: [string, () => string, string | RegExp][] = [
    ['an empty file', () => withBytes(new Uint8Array(0)), 'is not a safetensors file: it is 0 bytes long, but every safetensors file starts with an 8-byte header length'],
    ['a file shorter than 8 bytes', () => withBytes(new Uint8Array(5)), /^is not a safetensors file: it is 5 bytes long, /],
    ['a header length past the end', () => writeRaw({}, new Uint8Array(40), { length: 1000n }), 'is truncated or not a safetensors file: its first 8 bytes say a JSON header of 1000 bytes follows, but only 42 bytes do'],
    ['a huge header length', () => writeRaw({}, new Uint8Array(0), { length: 2n ** 63n }), /its first 8 bytes say a JSON header of 9223372036854776000 bytes follows, but only 2 bytes do$/],
    ['a text file', () => withBytes(Buffer.from('hello world, not a checkpoint')), /is truncated or not a safetensors file/],
    ['invalid JSON', () => writeRaw(Buffer.from('{"w": {"dtype": "F32",')), /has a corrupted header: it is not valid UTF-8 JSON \(.+\)$/],
    ['invalid UTF-8', () => writeRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /has a corrupted header: it is not valid UTF-8 JSON/],
    ['a header that is not an object', () => writeRaw([1, 2]), 'has a corrupted header: expected a JSON object of tensors (got an array)'],
    ['an entry without data_offsets', () => writeRaw({ w: { dtype: 'F32', shape: [2] } }), `has a corrupted header: the entry of tensor 'w' must be {"dtype", "shape", "data_offsets"} (got {"dtype":"F32","shape":[2]})`],
    ['an unknown dtype', () => writeRaw({ w: entry('F8_E4M3', [2], 0, 2) }, new Uint8Array(2)), `has tensor 'w' of dtype "F8_E4M3", which Flint can't read (it reads F32, I32 and BOOL; F64, F16 and BF16 as float32; I64, U64, U32, I16, U16, I8 and U8 as int32)`],
    ['a bad shape', () => writeRaw({ w: entry('F32', [-1], 0, 4) }, new Uint8Array(4)), `has a corrupted header: tensor 'w' has shape [-1], which is not an array of integers >= 0`],
    ['reversed offsets', () => writeRaw({ w: entry('F32', [1], 4, 0) }, new Uint8Array(4)), `has a corrupted header: tensor 'w' has data_offsets [4,0], which are not two integers 0 <= begin <= end`],
    ['offsets that do not match dtype and shape', () => writeRaw({ w: entry('F32', [3], 0, 8) }, new Uint8Array(8)), `has a corrupted header: tensor 'w' (F32, shape [3]) takes 12 bytes, but its data_offsets [0, 8] span 8`],
    ['offsets out of range', () => writeRaw({ w: entry('F32', [4], 0, 16) }, new Uint8Array(10)), 'is truncated: its header says 16 bytes of tensor data, but only 10 follow'],
    ['overlapping tensors', () => writeRaw({ a: entry('F32', [2], 0, 8), b: entry('F32', [2], 4, 12) }, new Uint8Array(12)), `has a corrupted header: tensors 'a' and 'b' overlap (data_offsets [0, 8] and [4, 12])`],
    ['a gap between tensors', () => writeRaw({ a: entry('F32', [1], 0, 4), b: entry('F32', [1], 8, 12) }, new Uint8Array(12)), 'has a corrupted header: no tensor covers bytes 4 to 8 of the tensor data'],
    ['bytes after the tensor data', () => writeRaw({ a: entry('F32', [4], 0, 16) }, new Uint8Array(19)), 'is corrupted: 3 bytes follow the 16 bytes of tensor data its header describes'],
    ['__metadata__ that is not a map of strings', () => writeRaw({ __metadata__: { flint_version: 1 } }), `has a corrupted header: "__metadata__" must be an object of strings (got {"flint_version":1})`],
    ['Flint metadata without the object', () => writeRaw({ __metadata__: { flint_version: '1' } }), `has corrupted Flint metadata: it has "flint_version" but no "flint" key with the saved object`],
    ['Flint metadata without a version', () => writeRaw({ __metadata__: { flint: '{}' } }), `has corrupted Flint metadata: it has a "flint" key but no "flint_version"`],
    ['a newer format version', () => writeRaw({ __metadata__: { flint: '{}', flint_version: '2' } }), 'is in Flint file format version "2", but this Flint reads version 1; upgrade @flint/core'],
    ['invalid object JSON', () => writeRaw({ __metadata__: { flint: '{"a":', flint_version: '1' } }), /has corrupted Flint metadata: its "flint" metadata is not valid JSON \(.+\)$/],
    ['a reference to a missing tensor', () => writeRaw({ __metadata__: { flint: '{"m":{"w":{"$tensor":"m.w"}}}', flint_version: '1' } }), `has corrupted Flint metadata: obj.m.w refers to tensor 'm.w', which the header does not list`],
    ['a tensor the object does not use', () => writeRaw({ __metadata__: { flint: '{"a":1}', flint_version: '1' }, w: entry('F32', [4], 0, 16) }, f32data), `has corrupted Flint metadata: the header lists tensor(s) 'w' that the saved object does not use`],
    ['an unknown tag', () => writeRaw({ __metadata__: { flint: '{"a":[{"$date":1}]}', flint_version: '1' } }), 'has corrupted Flint metadata: obj.a[0] has an unknown tag "$date"'],
    ['a bad special number', () => writeRaw({ __metadata__: { flint: '{"a":{"$number":"1e400"}}', flint_version: '1' } }), 'has corrupted Flint metadata: obj.a is an unknown special number "1e400"'],
    ['a tag next to other keys', () => writeRaw({ __metadata__: { flint: '{"a":{"$tensor":"w","b":1}}', flint_version: '1' }, w: entry('F32', [4], 0, 16) }, f32data), 'has corrupted Flint metadata: obj.a has a "$" tag next to other keys ($tensor, b)'],
  ];
  for (const [what, make, message] of cases) {
    it(`${what}`, async () => {
      const path = make();
      // Tensors the safety net collects meanwhile count as freed, so add them back.
      const live = (): number => memory().numTensors + memory().numCollected;
      const before = live();
      for (const [fn, f] of [['load', () => load(path)], ['loadSync', () => loadSync(path)]] as const) {
        let err: unknown;
        try {
          await f();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(SerializationError);
        expect(FlintError.isInstance(err)).toBe(true);
        const m = (err as Error).message;
        const prefix = `${fn}(): ${path} `;
        expect(m.startsWith(prefix), m).toBe(true);
        if (typeof message === 'string') expect(m.slice(prefix.length)).toBe(message);
        else expect(m.slice(prefix.length)).toMatch(message);
      }
      expect(live()).toBe(before);
    });
  }

  it('a truncated checkpoint says how much data is missing', () => {
    const bytes = good();
    const start = 8 + Number(bytes.readBigUInt64LE(0));
    const path = withBytes(bytes.subarray(0, start + 1000));
    expect(() => loadSync(path)).toThrow(`loadSync(): ${path} is truncated: its header says 4096 bytes of tensor data, but only 1000 follow`);
  });

  it('every truncation of a checkpoint is an error', () => {
    const bytes = good();
    for (let cut = 0; cut < bytes.length; cut += 97) {
      const path = withBytes(bytes.subarray(0, cut));
      expect(() => loadSync(path), `cut at ${cut}`).toThrow(SerializationError);
    }
    expect(loadSync(withBytes(bytes)).step).toBe(5);
  });

  it('a missing file and a directory', async () => {
    const missing = join(dir, 'nope.safetensors');
    await expect(load(missing)).rejects.toThrow(`load(): ${missing} does not exist`);
    const folder = join(dir, 'folder.safetensors');
    mkdirSync(folder);
    expect(() => loadSync(folder)).toThrow(SerializationError);
  });
});

describe('load() options', () => {
  it("loads onto 'cpu', onto 'gpu' when there is one, and refuses a missing GPU with a DeviceError", async () => {
    const path = fresh();
    saveSync({ t: tensor([1]) }, path);
    expect(loadSync(path, { device: 'cpu' }).t.device).toBe('cpu');
    if (gpu.isAvailable()) {
      const t = (await load(path, { device: 'cuda:0' })).t;
      expect([t.device, t.tolist()]).toEqual(['gpu', [1]]);
    } else {
      await expect(load(path, { device: 'cuda:0' })).rejects.toThrow(DeviceError);
      await expect(load(path, { device: 'cuda:0' })).rejects.toThrow(/^load\(\): device 'gpu' is not available \(gpu\.isAvailable\(\) is false\)/);
    }
    expect(() => loadSync(path, { device: 'tpu' as 'cpu' })).toThrow(/^loadSync\(\): device must be 'cpu', 'gpu' or 'cuda' \(got "tpu"\)/);
  });
});

describe('byte order', () => {
  it('swapBytes reverses each element in place', () => {
    expect(Array.from(swapBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 4))).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    expect(Array.from(swapBytes(new Uint8Array([1, 2, 3, 4]), 2))).toEqual([2, 1, 4, 3]);
  });
});
