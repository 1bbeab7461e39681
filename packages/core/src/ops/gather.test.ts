// Golden values for these ops are in index.json and run from indexing.test.ts (runGolden needs
// one table per fixture file); this file checks values, edge cases, errors and memory.
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { BACKENDS } from '../../test/golden.js';
import { indexPut } from './indexing.js';
import { assertClose, expectNoLeak, gradcheck } from '../testing/index.js';

const int = (v: flint.NestedArray): flint.Tensor => flint.tensor(v, { dtype: 'int32' });
const msg = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected an error');
};

for (const backendName of BACKENDS) {
  describe(`gather ops [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('indexSelect and gather pick values; repeated indices add up in the gradient', () => {
      flint.scope(() => {
        expect(flint.tensor([5, 6, 7]).indexSelect(0, int([2, 0])).tolist()).toEqual([7, 5]);
        expect(flint.tensor([[1, 2], [3, 4]]).indexSelect(1, int([1, 1, 0])).tolist()).toEqual([[2, 2, 1], [4, 4, 3]]);
        expect(flint.tensor(7).indexSelect(0, int([0])).tolist()).toBe(7);
        expect(flint.tensor([[1, 2], [3, 4]]).gather(1, int([[1], [0]])).tolist()).toEqual([[2], [3]]);
        expect(flint.tensor(7).gather(0, int(0)).tolist()).toBe(7);
        const x = flint.tensor([1, 2, 3], { requiresGrad: true });
        x.indexSelect(0, int([2, 2, 0])).sum().backward();
        expect(x.grad!.tolist()).toEqual([1, 0, 2]);
        const y = flint.zeros([2, 3], { requiresGrad: true });
        y.gather(1, int([[0, 0, 0], [2, 1, 2]])).sum().backward();
        expect(y.grad!.tolist()).toEqual([[3, 0, 0], [0, 1, 2]]);
      });
    });

    it('scatter writes values; scatterAdd adds repeated indices; src larger than index uses its corner', () => {
      flint.scope(() => {
        expect(flint.zeros([3]).scatter(0, int([1]), 5).tolist()).toEqual([0, 5, 0]);
        expect(flint.zeros([2]).scatterAdd(0, int([1, 1]), flint.ones([2])).tolist()).toEqual([0, 2]);
        expect(flint.zeros([3], { dtype: 'bool' }).scatter(0, int([0, 2]), true).tolist()).toEqual([true, false, true]);
        const src = flint.arange(12).reshape(3, 4).float();
        expect(flint.zeros([2, 3]).scatter(1, int([[2, 0], [1, 2]]), src).tolist()).toEqual([[1, 0, 0], [0, 4, 5]]);
        expect(flint.zeros([2, 3]).scatterAdd(0, int([[1, 1, 0]]), src).tolist()).toEqual([[0, 0, 2], [0, 1, 0]]);
        const s = flint.randn([3, 4], { requiresGrad: true });
        const x = flint.randn([2, 3], { requiresGrad: true });
        expect(gradcheck((a, b) => a.scatter(1, int([[2, 0], [1, 2]]), b).pow(2), [x, s])).toBe(true);
        expect(gradcheck((a, b) => a.scatterAdd(0, int([[1, 1, 0]]), b).sin(), [x, s])).toBe(true);
        const [gs] = flint.autograd.grad([flint.zeros([2, 3]).scatterAdd(0, int([[1, 1, 0]]), s).sum()], [s]);
        expect(gs!.tolist()).toEqual([[1, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
      });
    });

    it('scatter gives x no gradient where it was overwritten (with repeated indices too)', () => {
      flint.scope(() => {
        const x = flint.ones([4], { requiresGrad: true });
        const src = flint.tensor([1, 2, 3], { requiresGrad: true });
        const out = x.scatter(0, int([1, 3, 1]), src);
        const [o0, o1, o2, o3] = out.tolist() as number[];
        expect([o0, o2, o3]).toEqual([1, 1, 2]);
        expect([1, 3]).toContain(o1);
        const [gx, gsrc] = flint.autograd.grad([out.mul(flint.tensor([1, 2, 3, 4])).sum()], [x, src]);
        expect(gx!.tolist()).toEqual([1, 0, 3, 0]);
        expect(gsrc!.tolist()).toEqual([2, 4, 2]);
      });
    });

    it('maskedFill keeps the dtype, broadcasts, and works on bool tensors', () => {
      flint.scope(() => {
        expect(flint.tensor([1, 2]).maskedFill(flint.tensor([true, false]), 0).tolist()).toEqual([0, 2]);
        expect(int([1, 2, 3]).maskedFill(flint.tensor([false, true, false]), 2.7).tolist()).toEqual([1, 2, 3]);
        expect(int([1, 5, 3]).maskedFill(flint.tensor([false, true, true]), 2.7).dtype).toBe('int32');
        const rows = flint.tensor([[true, false, false], [false, true, false]]);
        expect(flint.tensor([true, false, true]).maskedFill(rows, false).tolist()).toEqual([[false, false, true], [true, false, true]]);
        expect(flint.tensor([false, false, true]).maskedFill(rows, true).tolist()).toEqual([[true, false, true], [false, true, true]]);
        const x = flint.randn([2, 3], { requiresGrad: true });
        const v = flint.tensor(0.5, { requiresGrad: true });
        const m = flint.tensor([true, false, true]);
        expect(gradcheck((a, c) => a.maskedFill(m, c).pow(2), [x, v])).toBe(true);
      });
    });

    it('in-place forms update the tensor and its version', () => {
      flint.scope(() => {
        const x = flint.zeros([3]);
        x.scatter_(0, int([2]), 4).scatterAdd_(0, int([0, 0]), flint.ones([2])).maskedFill_(flint.tensor([false, true, false]), -1);
        expect(x.tolist()).toEqual([2, -1, 4]);
      });
    });

    it('frees every temporary, with and without autograd', () => {
      const x = flint.randn([4, 3]);
      const w = flint.randn([4, 3], { requiresGrad: true });
      const idx = int([[0, 2, 1], [3, 3, 0]]);
      const sel = int([3, 0]);
      const m = flint.tensor([true, false, true]);
      const mask = flint.tensor([[true, false, true], [false, false, true], [true, true, true], [false, false, false]]);
      expectNoLeak(() => {
        for (const t of [x, w]) {
          const src = t.clone();
          const picked = src.index(mask);
          const outs = [
            t.indexSelect(0, sel),
            t.gather(0, idx),
            t.scatter(0, idx, 1),
            t.scatterAdd(0, idx, src),
            t.maskedFill(m, 0),
            t.index('::2', [0, 2]),
            t.index(mask),
            t.index(1, '1:'),
            indexPut(t, [':', m], 3),
            indexPut(t, [mask], picked),
            flint.cat([t, src], 1),
            flint.stack([t, src]),
            t.repeat(2, 1),
            t.flip(0),
            ...t.chunk(2, 1),
            ...t.unbind(),
          ];
          const made: flint.Tensor[] = [src, picked, ...outs];
          if (t.requiresGrad) {
            let total = outs[0]!.sum();
            made.push(total);
            for (const o of outs.slice(1)) {
              const s = o.sum();
              total = total.add(s);
              made.push(s, total);
            }
            total.backward();
            expect(t.grad!.shape).toEqual([4, 3]);
            t.grad = null;
          }
          for (const o of made) o.dispose();
        }
      });
      for (const t of [x, w, idx, sel, m, mask]) t.dispose();
    });

    it('names the function, argument, expectation and value in errors', () => {
      flint.scope(() => {
        const x = flint.zeros([2, 3]);
        expect(msg(() => x.indexSelect(0, flint.tensor([0])))).toBe('DTypeError: indexSelect(): index must be an int32 tensor (got dtype float32); convert it with .int()');
        expect(msg(() => x.indexSelect(0, int([[0]])))).toBe('ShapeError: indexSelect(): index must be 0-D or 1-D (got shape [1, 1])');
        expect(msg(() => x.indexSelect(1, int([3])))).toBe(
          'ShapeError: indexSelect(): index 3 is out of bounds for dimension 1 with size 3 (valid indices: 0 to 2)',
        );
        expect(msg(() => x.indexSelect(0, int([-1])))).toMatch(/^ShapeError: indexSelect\(\): index -1 is out of bounds/);
        expect(msg(() => x.indexSelect(2, int([0])))).toBe('ShapeError: indexSelect(): dim must be an integer in [-2, 1] for a 2-D tensor (got 2)');
        expect(msg(() => x.gather(0, int([0])))).toBe(
          'ShapeError: gather(): index must have as many dimensions as input (input has shape [2, 3], index has shape [1])',
        );
        expect(msg(() => x.gather(0, int([[0, 0, 0, 0]])))).toBe(
          'ShapeError: gather(): index of shape [1, 4] must be no larger than input of shape [2, 3] in every dimension but 0',
        );
        expect(msg(() => x.scatter(0, int([[0, 1]]), int([[1, 1]])))).toBe(
          'DTypeError: scatter(): src must have the input\'s dtype float32 (got Tensor(shape=[1, 2], dtype=int32))',
        );
        expect(msg(() => x.scatterAdd(0, int([[0, 1]]), flint.ones([1, 1])))).toBe(
          'ShapeError: scatterAdd(): index of shape [1, 2] must be no larger than src of shape [1, 1] in every dimension',
        );
        expect(msg(() => x.scatter(1, int([[0, 5]]), 1))).toBe('ShapeError: scatter(): index 5 is out of bounds for dimension 1 with size 3 (valid indices: 0 to 2)');
        expect(msg(() => x.maskedFill(int([1, 0, 1]), 1))).toMatch(/^DTypeError: maskedFill\(\): mask must be a bool tensor \(got dtype int32\)/);
        expect(msg(() => x.maskedFill(flint.tensor([true, false]), 1))).toMatch(/^ShapeError: maskedFill\(\): shapes \[2, 3\] and \[2\] can't be broadcast/);
        expect(msg(() => x.maskedFill(flint.tensor([true, false, true]), flint.ones([3])))).toBe(
          'ShapeError: maskedFill(): value must be a number or a 0-D tensor (got shape [3])',
        );
      });
    });
  });
}

describe('gather ops agree across backends', () => {
  it('index of a large random gather gives the same values on wasm and cpu', async () => {
    const results: number[][] = [];
    for (const b of BACKENDS) {
      await flint.setBackend(b);
      flint.manualSeed(0);
      results.push(
        flint.scope(() => {
          const x = flint.randn([50, 40]);
          const i = flint.randint(-50, 50, [30]);
          return Array.from(x.index(i, '5::3').dataSync());
        }),
      );
    }
    assertClose(results[0]!, results[1]!);
  });
});
