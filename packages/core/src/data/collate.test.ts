import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors.js';
import { memory } from '../memory/scope.js';
import { tensor, zeros } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { defaultCollate, defaultConvert } from './collate.js';

type Enc = { shape: number[]; kind: 'float' | 'int' | 'bool'; data: number[] } | { dict: Record<string, Enc> } | { list: Enc[] } | { value: unknown };
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/data.json', import.meta.url), 'utf8')) as {
  collate: { name: string; output: Enc }[];
};

/** Compares a Flint batch with PyTorch's encoded one: structure, shapes, values; int64 -> int32, float64 -> float32. */
function expectLike(v: unknown, e: Enc, path = 'batch'): void {
  if ('shape' in e) {
    expect(v, path).toBeInstanceOf(Tensor);
    const t = v as Tensor;
    expect(t.shape, path).toEqual(e.shape);
    expect(t.dtype, path).toBe({ float: 'float32', int: 'int32', bool: 'bool' }[e.kind]);
    expect(Array.from(t.dataSync()), path).toEqual(e.data);
  } else if ('dict' in e) {
    expect(Object.keys(v as object), path).toEqual(Object.keys(e.dict));
    for (const [k, x] of Object.entries(e.dict)) expectLike((v as Record<string, unknown>)[k], x, `${path}.${k}`);
  } else if ('list' in e) {
    expect(Array.isArray(v), path).toBe(true);
    expect((v as unknown[]).length, path).toBe(e.list.length);
    e.list.forEach((x, i) => expectLike((v as unknown[])[i], x, `${path}[${i}]`));
  } else expect(v, path).toEqual(e.value);
}

const inputs: Record<string, unknown[]> = {
  tensors: [tensor([1, 2]), tensor([3, 4]), tensor([5, 6])],
  ints: [1, 2, 3],
  floats: [0.5, 1.5, 2.5],
  strings: ['a', 'b'],
  tuple: [
    [tensor([[1, 2]]), 0],
    [tensor([[3, 4]]), 1],
  ],
  dict: [
    { image: tensor([1, 2, 3]), label: 2, name: 'x' },
    { image: tensor([4, 5, 6]), label: 0, name: 'y' },
  ],
  nested: [
    { pair: [1, tensor(2)], meta: { w: 0.25 } },
    { pair: [3, tensor(4)], meta: { w: 0.75 } },
  ],
  list_of_numbers: [
    [1, 2, 3],
    [4, 5, 6],
  ],
};

describe('defaultCollate', () => {
  it('builds the structures PyTorch default_collate builds', () => {
    expect(fixture.collate.map((c) => c.name).sort()).toEqual(Object.keys(inputs).sort());
    for (const c of fixture.collate) expectLike(defaultCollate(inputs[c.name]!), c.output, c.name);
  });

  it('makes int32 from integers, float32 otherwise, bool from booleans, tensors from typed arrays', () => {
    expect(defaultCollate([1, 2]).dtype).toBe('int32');
    expect(defaultCollate([1, 2.5]).dtype).toBe('float32');
    const b = defaultCollate([true, false]);
    expect(b.dtype).toBe('bool');
    expect(b.tolist()).toEqual([true, false]);
    const f = defaultCollate([new Float32Array([1, 2]), new Float32Array([3, 4])]);
    expect(f.shape).toEqual([2, 2]);
    expect(f.dtype).toBe('float32');
    const u = defaultCollate([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
    expect(u.dtype).toBe('int32');
    expect(u.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const m = defaultCollate([new Map([['a', 1]]), new Map([['a', 2]])]);
    expect(m.get('a')!.tolist()).toEqual([1, 2]);
  });

  it('names the sample and the path of a mismatch', () => {
    expect(() => defaultCollate([{ a: [zeros([2]), 1] }, { a: [zeros([3]), 1] }])).toThrow(ShapeError);
    expect(() => defaultCollate([{ a: [zeros([2]), 1] }, { a: [zeros([3]), 1] }])).toThrow(
      /defaultCollate\(\): batch\[1\]\.a\[0\] has shape \[3\] but batch\[0\]\.a\[0\] has shape \[2\]/,
    );
    expect(() => defaultCollate([{ x: 1 }, { x: 2 }, { x: 'three' }])).toThrow(/batch\[2\]\.x is a string \("three"\) but batch\[0\]\.x is a number/);
    expect(() => defaultCollate([{ x: 1, y: 2 }, { x: 1 }])).toThrow(/batch\[1\] has no key \.y but batch\[0\] has/);
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(/batch\[1\] has 1 entries but batch\[0\] has 2/);
    expect(() => defaultCollate([{ x: null }, { x: null }])).toThrow(/batch\[0\]\.x is null .* pass a collateFn/);
    expect(() => defaultCollate([3e9])).toThrow(/batch\[0\] = 3000000000 is an integer outside int32/);
    expect(() => defaultCollate([new Float32Array(2), new Int32Array(2)])).toThrow(/batch\[1\] is a Int32Array of length 2 but batch\[0\] is a Float32Array/);
    expect(() => defaultCollate([])).toThrow(ArgumentError);
  });

  it('leaves only the batch alive', () => {
    const samples = [new Float32Array([1, 2]), new Float32Array([3, 4])];
    const before = memory().numTensors;
    const b = defaultCollate(samples);
    expect(memory().numTensors).toBe(before + 1);
    b.dispose();
  });
});

describe('defaultConvert', () => {
  it('turns typed arrays into tensors and leaves the rest', () => {
    const t = tensor([1]);
    const out = defaultConvert({ x: new Float32Array([1, 2]), y: 3, z: [new Int32Array([4])], t, s: 'a' });
    expect(out.x).toBeInstanceOf(Tensor);
    expect(out.x.tolist()).toEqual([1, 2]);
    expect(out.y).toBe(3);
    expect(out.z[0]!.dtype).toBe('int32');
    expect(out.t).toBe(t);
    expect(out.s).toBe('a');
  });
});
