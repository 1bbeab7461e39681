import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  DeviceError,
  ShapeError,
  arange,
  empty,
  emptyLike,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  randperm,
  tensor,
  zeros,
  zerosLike,
  Generator,
} from '../index.js';
import { assertClose } from '../testing/index.js';

describe('tensor()', () => {
  it('reads nested arrays, numbers, booleans and typed arrays', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(a.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor(5).item()).toBe(5);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([true, false]).tolist()).toEqual([true, false]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Float32Array([1.5])).dtype).toBe('float32');
    expect(tensor([1.7, -1.7], { dtype: 'int32' }).tolist()).toEqual([1, -1]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
  });

  it('turns int64 data into int32 with an overflow check', () => {
    expect(tensor(new BigInt64Array([1n, -2n])).tolist()).toEqual([1, -2]);
    expect(() => tensor(new BigInt64Array([1n << 40n]))).toThrow(/data\[0\] = 1099511627776 does not fit in int32/);
  });

  it('gives clear errors for ragged data, bad dtypes and devices', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged: expected 2 entries at data\[1\]/);
    expect(() => tensor([1, 'a' as unknown as number])).toThrow(/numbers or booleans/);
    expect(() => tensor([1], { dtype: 'float64' as never })).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: 'float64' as never })).toThrow(/float64 is not supported/);
    expect(() => tensor([1], { dtype: 'int64' as never })).toThrow(/int64 is not supported.*'int32'/);
    expect(() => tensor([1], { device: 'gpu' })).toThrow(DeviceError);
    expect(() => tensor([1], { device: 'tpu' as never })).toThrow(/device must be 'cpu', 'gpu' or 'cuda'/);
    expect(() => tensor([1, true] as never)).toThrow(/mixes booleans and numbers/);
    expect(() => tensor(tensor([1]) as never)).toThrow(/already a Tensor/);
  });

  it('sets requiresGrad and device', () => {
    const t = tensor([1], { requiresGrad: true, device: 'cpu' });
    expect(t.requiresGrad).toBe(true);
    expect(t.device).toBe('cpu');
    expect(() => tensor([1], { device: 'cuda' })).toThrow(/device 'gpu' is not available/);
  }, 10_000);
});

describe('constant fills', () => {
  it('makes zeros, ones, full, empty and the Like forms', () => {
    expect(zeros([2, 3]).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones(2).tolist()).toEqual([1, 1]);
    expect(full([2], 7).tolist()).toEqual([7, 7]);
    expect(full([1], true).dtype).toBe('bool');
    expect(full([1], 3, { dtype: 'int32' }).dtype).toBe('int32');
    expect(empty([3]).shape).toEqual([3]);
    const x = tensor([[1, 2]], { dtype: 'int32' });
    expect(zerosLike(x).dtype).toBe('int32');
    expect(onesLike(x).tolist()).toEqual([[1, 1]]);
    expect(fullLike(x, 4).tolist()).toEqual([[4, 4]]);
    expect(emptyLike(x).shape).toEqual([1, 2]);
    expect(onesLike(x, { dtype: 'float32' }).dtype).toBe('float32');
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('rejects bad sizes', () => {
    expect(() => zeros([2, -1])).toThrow(/size must be an array of integers >= 0/);
    expect(() => ones([1.5])).toThrow(ShapeError);
  });
});

describe('ranges', () => {
  it('arange follows PyTorch, integers give int32', () => {
    expect(arange(4).tolist()).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe('int32');
    expect(arange(2, 8, 3).tolist()).toEqual([2, 5]);
    expect(arange(0, 1, 0.25).tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0, 1, 0.25).dtype).toBe('float32');
    expect(arange(5, 0, -2).tolist()).toEqual([5, 3, 1]);
    expect(arange(3, { dtype: 'float32' }).dtype).toBe('float32');
    expect(arange(0).shape).toEqual([0]);
    expect(() => arange(0, 5, 0)).toThrow(/step must be non-zero/);
    expect(() => arange(0, 5, -1)).toThrow(/must be reachable/);
  });

  it('linspace includes both ends', () => {
    assertClose(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    assertClose(linspace(-1, 1, 1), [-1]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    // PyTorch's values for linspace(-3, 7, 7): both halves are filled from their own end.
    assertClose(linspace(-3, 7, 7), [-3, -1.3333333730697632, 0.33333325386047363, 2, 3.6666667461395264, 5.333333492279053, 7], { rtol: 1e-6 });
  });

  it('eye makes identity matrices', () => {
    expect(eye(2).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(() => eye(-1)).toThrow(ArgumentError);
  });
});

describe('random tensors', () => {
  it('are reproducible from a generator and well distributed', () => {
    const a = rand([1000], { generator: new Generator(7) });
    const b = rand([1000], { generator: new Generator(7) });
    expect(a.tolist()).toEqual(b.tolist());
    const v = a.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(a.mean().item()).toBeGreaterThan(0.45);
    expect(a.mean().item()).toBeLessThan(0.55);
    const n = randn([20000], { generator: new Generator(1) });
    expect(Math.abs(n.mean().item())).toBeLessThan(0.03);
    const centred = n.sub(n.mean());
    expect(Math.sqrt(centred.mul(centred).mean().item())).toBeGreaterThan(0.97);
    expect(Math.sqrt(centred.mul(centred).mean().item())).toBeLessThan(1.03);
  });

  it('randint covers [low, high) as int32; randperm is a permutation', () => {
    const r = randint(3, 7, [2000], { generator: new Generator(2) });
    expect(r.dtype).toBe('int32');
    expect(new Set(r.dataSync())).toEqual(new Set([3, 4, 5, 6]));
    expect(randint(5, [3]).shape).toEqual([3]);
    expect(() => randint(5, 5, [2])).toThrow(/low < high/);
    const p = randperm(10, { generator: new Generator(3) });
    expect([...p.dataSync()].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(p.tolist()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('Like forms take the shape', () => {
    const x = zeros([2, 5]);
    expect(randLike(x).shape).toEqual([2, 5]);
    expect(randnLike(x).shape).toEqual([2, 5]);
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/dtype must be float32/);
  });
});
