import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, FlintError } from '../errors.js';
import { full, getRngState, manualSeed, memory, randn, setRngState, tensor, zeros, Tensor } from '../index.js';
import { Module } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { Adam } from '../optim/adam.js';
import { load, loadSync } from './load.js';
import { save, saveSync } from './save.js';
import { SerializationError } from './serialization-error.js';

const dir = mkdtempSync(join(tmpdir(), 'flint-save-'));
let counter = 0;
const fresh = (name = 'x.safetensors'): string => join(mkdtempSync(join(dir, `t${counter++}-`)), name);

/** Deep equality that tells -0 from 0, NaN from NaN-free, and compares tensors by dtype, shape and values. */
function expectSame(a: unknown, b: unknown, path = 'obj'): void {
  if (b instanceof Tensor) {
    expect(a, path).toBeInstanceOf(Tensor);
    const t = a as Tensor;
    expect(t.dtype, `${path}.dtype`).toBe(b.dtype);
    expect(t.shape, `${path}.shape`).toEqual(b.shape);
    // Byte equality: exact, and tells -0 from 0 and NaN from NaN-free.
    const x = t.dataSync();
    const y = b.dataSync();
    const same = Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    expect(same, `${path}: ${Array.from(x.slice(0, 8)).join(', ')} vs ${Array.from(y.slice(0, 8)).join(', ')}`).toBe(true);
    return;
  }
  if (typeof b === 'number') {
    expect(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`).toBe(true);
    return;
  }
  if (Array.isArray(b)) {
    expect(Array.isArray(a), path).toBe(true);
    expect((a as unknown[]).length, `${path}.length`).toBe(b.length);
    b.forEach((v, i) => expectSame((a as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  if (typeof b === 'object' && b !== null) {
    expect(typeof a === 'object' && a !== null && Object.getPrototypeOf(a) === Object.prototype, `${path} is a plain object`).toBe(true);
    const keys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    expect(Object.keys(a as object), `${path} keys`).toEqual(keys);
    for (const k of keys) expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toBe(b);
}

function everyKind(): Record<string, unknown> {
  return {
    f: tensor([[1.5, -2, -0], [NaN, Infinity, -Infinity]]),
    i: tensor([1, -2, 2147483647, -2147483648], { dtype: 'int32' }),
    b: tensor([[true, false], [false, true]]),
    zeroD: tensor(3.25),
    zeroDInt: tensor(7, { dtype: 'int32' }),
    empty: zeros([0, 3]),
    emptyInt: zeros([2, 0], { dtype: 'int32' }),
    emptyBool: zeros([0], { dtype: 'bool' }),
    nums: [0, -0, 1.5, NaN, Infinity, -Infinity, 1e-300, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, -7],
    str: 'héllo "quoted" \\ \n ✓ 😀 \u0000 \ud800',
    empties: ['', [], {}],
    bools: [true, false],
    nul: null,
    nested: { a: { b: [{ c: 1, t: tensor([1, 2]) }, [[tensor([3], { dtype: 'int32' })]], {}] } },
    dollars: { $tensor: 'not a tensor', $number: 'NaN', plain: 1 },
    onlyTag: { $object: { $tensor: 'x' } },
    'weird.key with spaces': 'x',
    '': 'empty key',
    12: 'integer key',
    skipped: undefined,
    protoKey: JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'),
  };
}

describe('save and load round trips', () => {
  it('keeps every kind of value exactly (async)', async () => {
    const obj = everyKind();
    const path = fresh();
    await save(obj, path);
    const back = await load(path);
    expectSame(back, obj);
    expect(Object.hasOwn(back.protoKey, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps every kind of value exactly (sync)', () => {
    const obj = everyKind();
    const path = fresh();
    saveSync(obj, path);
    expectSame(loadSync(path), obj);
  });

  it('saves top-level values that are not objects', () => {
    for (const v of [tensor([[1, 2]]), 5, NaN, -0, 'text', true, null, [1, tensor(2)]]) {
      const path = fresh();
      saveSync(v, path);
      expectSame(loadSync(path), v);
    }
  });

  it('writes the same tensor twice when it occurs twice, and loads two tensors', () => {
    const t = tensor([1, 2, 3]);
    const path = fresh();
    saveSync({ a: t, b: [t] }, path);
    const back = loadSync(path);
    expectSame(back, { a: t, b: [t] });
    expect(back.a).not.toBe(back.b[0]);
  });

  it('overwrites an existing file', async () => {
    const path = fresh();
    await save({ v: 1 }, path);
    await save({ v: 2, t: tensor([4]) }, path);
    expectSame(await load(path), { v: 2, t: tensor([4]) });
    expect(readdirSync(join(path, '..'))).toEqual(['x.safetensors']);
  });

  it('loads Parameters as plain tensors that do not require grad', () => {
    const p = new Parameter(tensor([1, 2]));
    const path = fresh();
    saveSync({ p }, path);
    const back = loadSync(path);
    expect(back.p).not.toBeInstanceOf(Parameter);
    expect(back.p.requiresGrad).toBe(false);
    expectSame(back.p, tensor([1, 2]));
  });

  it('a 10 MB tensor round trips through both paths', async () => {
    manualSeed(3);
    const big = randn([2500, 1000]);
    const path = fresh();
    await save({ big }, path);
    expectSame(loadSync(path).big, big);
    saveSync({ big }, path);
    expectSame((await load(path)).big, big);
  });
});

class Block extends Module {
  weight = new Parameter(randn([3, 2]));
  bias = new Parameter(zeros([2]));
  declare count: Tensor;
  constructor() {
    super();
    this.registerBuffer('count', tensor([0, 0], { dtype: 'int32' }));
  }
  forward(x: Tensor): Tensor {
    return x.matmul(this.weight).add(this.bias);
  }
}

class TinyNet extends Module {
  first = new Block();
  second = new Block();
  forward(x: Tensor): Tensor {
    return this.second(this.first(x).tanh().matmul(tensor([[1, 0, 1], [0, 1, 1]])));
  }
}

function trainStep(net: TinyNet, opt: Adam, x: Tensor): void {
  opt.zeroGrad();
  net(x).pow(2).mean().backward();
  opt.step();
}

describe('checkpoints', () => {
  it('resume training exactly from {epoch, model, optimizer, scheduler, rngState, loss}', async () => {
    manualSeed(0);
    const net = new TinyNet();
    const opt = new Adam(net.parameters(), { lr: 0.01 });
    const x = randn([4, 3]);
    for (let i = 0; i < 3; i++) trainStep(net, opt, x);
    const scheduler = { lastEpoch: 3, baseLrs: [0.01], best: Infinity, mode: 'min', cooldownCounter: 0 };
    const path = fresh('ckpt.safetensors');
    await save({ epoch: 3, model: net.stateDict(), optimizer: opt.stateDict(), scheduler, rngState: getRngState(), loss: 0.25 }, path);
    const expected = { drawn: randn([5]), after: (trainStep(net, opt, x), net.stateDict()) };

    manualSeed(99);
    const net2 = new TinyNet();
    const opt2 = new Adam(net2.parameters(), { lr: 0.5 });
    const ckpt = await load(path);
    expect(ckpt.epoch).toBe(3);
    expect(ckpt.loss).toBe(0.25);
    expectSame(ckpt.scheduler, scheduler);
    expect(Object.keys(ckpt.model)).toEqual(['first.weight', 'first.bias', 'first.count', 'second.weight', 'second.bias', 'second.count']);
    expect(Object.keys(ckpt.optimizer.state)).toEqual(['0', '1', '2', '3']);
    expect(ckpt.optimizer.state[0].step).toBe(3);
    expect(ckpt.optimizer.paramGroups[0].params).toEqual([0, 1, 2, 3]);
    expect(ckpt.optimizer.paramGroups[0].betas).toEqual([0.9, 0.999]);
    net2.loadStateDict(ckpt.model);
    opt2.loadStateDict(ckpt.optimizer);
    setRngState(ckpt.rngState);
    expectSame(randn([5]), expected.drawn);
    trainStep(net2, opt2, x);
    expect(opt2.paramGroups[0]!.lr).toBe(0.01);
    expectSame(net2.stateDict(), expected.after);
  });

  it('a flat state dict keeps PyTorch names as tensor names', () => {
    const net = new TinyNet();
    const path = fresh('model.safetensors');
    saveSync(net.stateDict(), path);
    const buf = readFileSync(path);
    const n = Number(buf.readBigUInt64LE(0));
    const header = JSON.parse(buf.subarray(8, 8 + n).toString());
    expect(Object.keys(header)).toEqual(['__metadata__', 'first.weight', 'first.bias', 'first.count', 'second.weight', 'second.bias', 'second.count']);
    expect(header['first.count']).toEqual({ dtype: 'I32', shape: [2], data_offsets: [32, 40] });
  });
});

describe('save() refuses values it cannot write, before writing anything', () => {
  class Foo {
    x = 1;
  }
  const net = new TinyNet();
  const cycle: Record<string, unknown> = { a: { b: {} } };
  (cycle.a as { b: Record<string, unknown> }).b.back = cycle.a;
  const freed = tensor([1]);
  freed.dispose();
  const cases: [string, unknown, RegExp][] = [
    ['a function deep inside', { optimizer: { state: { 3: { step: () => 1 } } } }, /^obj\.optimizer\.state\[3\]\.step is a function; FN\(\) writes tensors, numbers, strings, booleans, null, arrays and plain objects$/],
    ['a class instance', { cfg: new Foo() }, /^obj\.cfg is an instance of Foo; convert it to a plain object;/],
    ['a Map', { m: new Map([['a', 1]]) }, /^obj\.m is a Map; convert it with Object\.fromEntries\(map\);/],
    ['a Set', { s: new Set([1]) }, /^obj\.s is a Set; convert it with \[\.\.\.set\];/],
    ['a typed array', { w: new Float64Array(2) }, /^obj\.w is a Float64Array; wrap it in tensor\(\);/],
    ['a Date', { when: new Date(0) }, /^obj\.when is a Date; save date\.toISOString\(\) or date\.getTime\(\);/],
    ['a Module', { net }, /^obj\.net is a TinyNet; save its stateDict\(\) instead;/],
    ['undefined in an array', { list: [1, undefined, 3] }, /^obj\.list\[1\] is undefined \(use null for a missing value\);/],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in an array', { list: [1, , 3] }, /^obj\.list\[1\] is undefined/],
    ['undefined at the top', undefined, /^obj is undefined/],
    ['a bigint', { n: 5n }, /^obj\.n is a bigint \(5n; convert it with Number\(\)\);/],
    ['a symbol', { s: Symbol('q') }, /^obj\.s is a symbol \(Symbol\(q\)\);/],
    ['a cycle', cycle, /^obj\.a\.b\.back refers back to obj\.a, a cycle; FN\(\) writes trees of values$/],
    ['a freed tensor', { sd: { 'fc.weight': freed } }, /^obj\.sd\["fc\.weight"\] is a tensor whose memory was freed/],
  ];
  const messageOf = async (f: () => unknown): Promise<string> => {
    try {
      await f();
    } catch (e) {
      expect(e).toBeInstanceOf(SerializationError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  for (const [what, value, message] of cases) {
    it(`${what}`, async () => {
      const path = fresh();
      writeFileSync(path, 'previous');
      for (const [fn, f] of [['save', () => save(value, path)], ['saveSync', () => saveSync(value, path)]] as const) {
        const m = await messageOf(f);
        expect(m.startsWith(`${fn}(): `), m).toBe(true);
        expect(m.slice(fn.length + 4)).toMatch(new RegExp(message.source.replaceAll('FN', fn)));
      }
      expect(readdirSync(join(path, '..'))).toEqual(['x.safetensors']);
      expect(readFileSync(path, 'utf8')).toBe('previous');
    });
  }

  it('a path that is not a string is an ArgumentError', async () => {
    await expect(save({}, 3 as unknown as string)).rejects.toThrow(ArgumentError);
    expect(() => saveSync({}, '')).toThrow(/saveSync\(\): path must be a non-empty string \(got ""\)/);
  });
});

describe('failed writes leave the previous file and no temporary file', () => {
  const failing = (): Tensor => {
    const t = full([1000], 1);
    t.data = async () => {
      throw new Error('disk on fire');
    };
    t.dataSync = () => {
      throw new Error('disk on fire');
    };
    return t;
  };

  it('async: an error after the header was written', async () => {
    const path = fresh();
    await save({ v: tensor([1, 2]) }, path);
    const before = readFileSync(path);
    const err = await save({ a: tensor([5]), b: failing() }, path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as Error).message).toBe(`save(): could not write ${path}: disk on fire`);
    expect(((err as Error).cause as Error).message).toBe('disk on fire');
    expect(readdirSync(join(path, '..'))).toEqual(['x.safetensors']);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('sync: an error after the header was written', () => {
    const path = fresh();
    saveSync({ v: tensor([1, 2]) }, path);
    const before = readFileSync(path);
    expect(() => saveSync({ a: tensor([5]), b: failing() }, path)).toThrow(`saveSync(): could not write ${path}: disk on fire`);
    expect(readdirSync(join(path, '..'))).toEqual(['x.safetensors']);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a tensor freed while an async save runs', async () => {
    const path = fresh();
    const t = full([10], 2);
    const pending = save({ t }, path);
    t.dispose();
    const err = await pending.catch((e: unknown) => e);
    expect(FlintError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/freed/);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('a missing directory is a SerializationError naming the path', async () => {
    const path = join(dir, 'no', 'such', 'dir', 'x.safetensors');
    await expect(save({ a: 1 }, path)).rejects.toThrow(new RegExp(`^save\\(\\): could not write ${path.replace(/[.]/g, '\\.')}: ENOENT`));
    expect(() => saveSync({ a: 1 }, path)).toThrow(SerializationError);
  });

  it('does not leak tensors', async () => {
    const t = tensor([1, 2, 3]);
    const path = fresh();
    const before = memory().numTensors;
    await save({ t }, path);
    saveSync({ t }, path);
    expect(memory().numTensors).toBe(before);
    const back = loadSync(path);
    expect(memory().numTensors).toBe(before + 1);
    back.t.dispose();
  });
});
