import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, randn, zeros } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { Flatten, Unflatten } from './flatten.js';

describe('Flatten and Unflatten', () => {
  it('flatten all but the batch dimension by default', () => {
    expect(new Flatten()(zeros([32, 1, 28, 28])).shape).toEqual([32, 784]);
    expect(new Flatten(0, 1)(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new Flatten(-2)(zeros([2, 3, 4])).shape).toEqual([2, 12]);
  });

  it('unflatten one dimension, inferring a -1, and undo Flatten', () => {
    expect(new Unflatten(1, [2, 5])(zeros([3, 10])).shape).toEqual([3, 2, 5]);
    expect(new Unflatten(-1, [4, -1])(zeros([8])).shape).toEqual([4, 2]);
    const x = randn([2, 3, 4]);
    assertClose(new Unflatten(1, [3, 4])(new Flatten()(x)), x);
    const g = randn([2, 12], { requiresGrad: true });
    new Unflatten(1, [3, 4])(g).sum().backward();
    expect(g.grad!.shape).toEqual([2, 12]);
  });

  it('name the layer and sizes in their errors', () => {
    expect(() => new Unflatten(1, [3, 3])(zeros([2, 10]))).toThrow(ShapeError);
    expect(() => new Unflatten(1, [3, 3])(zeros([2, 10]))).toThrow(/Unflatten\(\): unflattenedSize \[3, 3\] does not fit dimension 1 of size 10/);
    expect(() => new Unflatten(1, [])).toThrow(ArgumentError);
    expect(() => new Flatten(0.5)).toThrow(/Flatten\(\): startDim and endDim must be integers/);
    expect(() => new Flatten(2)(zeros([2, 3]))).toThrow(ShapeError);
  });
});
