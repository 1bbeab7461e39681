import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { toNdArray, toScalar } from './ndarray.js';

describe('toNdArray', () => {
  it('takes numbers, nested arrays, typed arrays, { data, shape } and tensors', () => {
    expect(toNdArray('f', 'x', 3)).toEqual({ data: [3], shape: [], kind: 'float64' });
    expect(toNdArray('f', 'x', [[1, 2], [3, 4]])).toEqual({ data: [1, 2, 3, 4], shape: [2, 2], kind: 'float64' });
    expect(toNdArray('f', 'x', [true, false])).toEqual({ data: [1, 0], shape: [2], kind: 'bool' });
    expect(toNdArray('f', 'x', Uint8Array.of(1, 2)).kind).toBe('uint8');
    expect(toNdArray('f', 'x', Int32Array.of(1)).kind).toBe('int');
    expect(toNdArray('f', 'x', { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] })).toMatchObject({ shape: [2, 3], kind: 'float32' });
    const t = flint.tensor([[1, 2, 3]]);
    expect(toNdArray('f', 'x', t)).toMatchObject({ shape: [1, 3], kind: 'float32' });
    expect(Array.from(toNdArray("f", "x", t).data)).toEqual([1, 2, 3]);
    expect(toNdArray('f', 'x', flint.tensor([1, 2], { dtype: 'int32' })).kind).toBe('int');
    expect(toNdArray('f', 'x', flint.tensor([true, false])).kind).toBe('bool');
  });

  it('names the function and argument in its errors', () => {
    expect(() => toNdArray('addHistogram', 'values', 'abc')).toThrow(DTypeError);
    expect(() => toNdArray('addHistogram', 'values', 'abc')).toThrow(/^addHistogram\(\): values must be a number, an array/);
    expect(() => toNdArray('f', 'x', [[1, 2], [3]])).toThrow(/x is ragged: x\[1\] should be an array of length 2/);
    expect(() => toNdArray('f', 'x', [1, 'a'])).toThrow(/x\[1\] must be a number \(got "a"\)/);
    expect(() => toNdArray('f', 'x', { data: [1, 2, 3], shape: [2, 2] })).toThrow(ShapeError);
    const t = flint.tensor([1]);
    t.dispose();
    expect(() => toNdArray('f', 'x', t)).toThrow(/disposed/);
  });

  it('toScalar takes one-element inputs only', () => {
    expect(toScalar('f', 'v', [[2.5]])).toBe(2.5);
    expect(toScalar('f', 'v', flint.tensor(4))).toBe(4);
    expect(() => toScalar('addScalar', 'scalarValue', [1, 2])).toThrow(/exactly one value/);
    expect(() => toScalar('addScalar', 'scalarValue', '1')).toThrow(/parse it with Number\(\)/);
  });
});
