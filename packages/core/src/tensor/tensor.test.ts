import { describe, expect, it } from 'vitest';
import { ArgumentError, FlintError, ShapeError, DTypeError, DeviceError, arange, gpu, cuda, ones, tensor, zeros } from '../index.js';

describe('Tensor basics', () => {
  it('reports shape, dtype, device, numel, dim and size', () => {
    const x = zeros([2, 3, 4]);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(x.ndim).toBe(3);
    expect(x.dim()).toBe(3);
    expect(x.numel()).toBe(24);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(-1)).toBe(4);
    expect(() => x.size(3)).toThrow(/dim must be an integer in \[-3, 2\]/);
    expect(x.device).toBe('cpu');
    expect(x.dtype).toBe('float32');
  });

  it('item reads one element and refuses more', () => {
    expect(tensor([[2.5]]).item()).toBe(2.5);
    expect(tensor([true]).item()).toBe(1);
    expect(() => ones([2]).item()).toThrow(/only a one-element tensor.*\[2\]/);
  });

  it('tolist, data and dataSync give the values', async () => {
    const x = arange(6).reshape(2, 3);
    expect(x.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(Array.from(await x.data())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(x.dataSync()).toBeInstanceOf(Int32Array);
    expect(tensor(3).tolist()).toBe(3);
  });

  it('prints like PyTorch', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])');
    expect(tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=int32)');
    expect(tensor([true]).toString()).toBe('tensor([true], dtype=bool)');
    expect(tensor(1.5, { requiresGrad: true }).toString()).toBe('tensor(1.5000, requiresGrad=true)');
    expect(tensor([1], { requiresGrad: true }).mul(2).toString()).toBe('tensor([2.0000], gradFn=<MulBackward0>)');
    expect(tensor([1e-6, 1]).toString()).toBe('tensor([1.0000e-6, 1.0000e+0])');
    expect(tensor([NaN, Infinity, -Infinity]).toString()).toBe('tensor([ nan,  inf, -inf])');
    const big = arange(2000).toString();
    expect(big).toBe('tensor([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)');
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=[0, 3])');
  });

  it('converts dtypes and refuses missing devices', () => {
    const x = tensor([1.7, -1.7, 0]);
    expect(x.int().tolist()).toEqual([1, -1, 0]);
    expect(x.bool().tolist()).toEqual([true, true, false]);
    expect(x.to('int32').dtype).toBe('int32');
    expect(x.to({ dtype: 'bool' }).dtype).toBe('bool');
    expect(x.float()).toBe(x);
    expect(x.to('cpu')).toBe(x);
    expect(() => x.to('gpu')).toThrow(DeviceError);
    expect(() => x.cuda()).toThrow(/gpu.isAvailable\(\) is false/);
    expect(gpu.isAvailable()).toBe(false);
    expect(cuda.deviceCount()).toBe(0);
  });

  it('grad must match the shape', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => {
      w.grad = ones([3]);
    }).toThrow(/grad: shape \[3\] must equal the tensor's shape \[2\]/);
  });
});

describe('errors', () => {
  it('share a base class that works across copies', () => {
    let caught: unknown;
    try {
      tensor([1, 2]).add(tensor([1, 2, 3]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ShapeError);
    expect(FlintError.isInstance(caught)).toBe(true);
    expect(ShapeError.isInstance(caught)).toBe(true);
    expect(DTypeError.isInstance(caught)).toBe(false);
    // An error from another installed copy carries the same marker and class name.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('flint.error')]: 'ArgumentError' });
    expect(ArgumentError.isInstance(foreign)).toBe(true);
    expect(ShapeError.isInstance(foreign)).toBe(false);
    expect(FlintError.isInstance(new Error('plain'))).toBe(false);
    expect((caught as Error).name).toBe('ShapeError');
  });
});
