import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, FlintError, Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { BACKENDS, decode } from '../../../test/golden.js';
import { clipGradNorm_, clipGradValue_ } from './clip-grad.js';

type Encoded = Parameters<typeof decode>[0];
interface NormCase {
  name: string;
  maxNorm: number;
  normType: number | string;
  which: number[];
  grads: Encoded[];
  totalNorm: Encoded;
  clipped: (Encoded | null)[];
}
interface ValueCase {
  name: string;
  clipValue: number;
  grads: Encoded[];
  clipped: Encoded[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/optim.json', import.meta.url)), 'utf8')) as {
  clipNorm: NormCase[];
  clipValue: ValueCase[];
};

const TOL = { rtol: 1e-5, atol: 1e-6 };

/** Leaf tensors whose `.grad` holds the fixture's gradients (those listed in `which`). */
function withGrads(grads: Encoded[], which: number[] = grads.map((_, i) => i)): Tensor[] {
  return grads.map((e, i) => {
    const p = flint.zeros(e.shape, { requiresGrad: true });
    if (which.includes(i)) p.grad = decode(e);
    return p;
  });
}

for (const backendName of BACKENDS) {
  describe(`clipGradNorm_ / clipGradValue_ against PyTorch [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });
    for (const c of fixture.clipNorm) {
      it(c.name, () => {
        flint.scope(() => {
          const params = withGrads(c.grads, c.which);
          const normType = typeof c.normType === 'string' ? Number(c.normType.replace('inf', 'Infinity')) : c.normType;
          const total = clipGradNorm_(params, c.maxNorm, { normType });
          expect(total.shape).toEqual([]);
          assertClose(total, decode(c.totalNorm), { ...TOL, message: `${c.name}: total norm` });
          params.forEach((p, i) => {
            const e = c.clipped[i];
            if (e === null || e === undefined) expect(p.grad).toBeNull();
            else assertClose(p.grad!, decode(e), { ...TOL, message: `${c.name}: gradient ${i}` });
          });
          for (const p of params) p.grad = null;
        });
      });
    }
    for (const c of fixture.clipValue) {
      it(c.name, () => {
        flint.scope(() => {
          const params = withGrads(c.grads);
          expect(clipGradValue_(params, c.clipValue)).toBeUndefined();
          params.forEach((p, i) => assertClose(p.grad!, decode(c.clipped[i]!), { rtol: 0, atol: 0, message: `${c.name}: gradient ${i}` }));
          for (const p of params) p.grad = null;
        });
      });
    }
  });
}

describe('clipGradNorm_', () => {
  beforeAll(async () => {
    await flint.setBackend('wasm');
  });

  it('takes one tensor, scales its gradient in place, and returns the norm to the caller scope', () => {
    const p = flint.zeros([2], { requiresGrad: true });
    p.grad = flint.tensor([3, 4]);
    const g = p.grad;
    const total = flint.scope(() => clipGradNorm_(p, 1));
    expect(total.isDisposed).toBe(false);
    expect(total.item()).toBeCloseTo(5, 6);
    expect(p.grad).toBe(g);
    assertClose(p.grad!, [0.6, 0.8], { rtol: 1e-5 });
    expect(total.requiresGrad).toBe(false);
    p.grad = null;
  });

  it('returns 0 when no parameter has a gradient', () => {
    const t = clipGradNorm_([flint.zeros([2], { requiresGrad: true })], 1);
    expect(t.item()).toBe(0);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([]);
  });

  it('refuses a non-finite norm with errorIfNonfinite, and scales by it otherwise', () => {
    const p = flint.zeros([3], { requiresGrad: true });
    p.grad = flint.tensor([1, Infinity, 2]);
    expect(() => clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(FlintError);
    expect(() => clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(
      "clipGradNorm_(): the total norm of order 2 of the gradients is Infinity, so they can't be clipped; pass errorIfNonfinite: false",
    );
    expect(p.grad!.tolist()).toEqual([1, Infinity, 2]);
    expect(clipGradNorm_([p], 1).item()).toBe(Infinity);
    expect(p.grad!.tolist()).toEqual([0, Number.NaN, 0]);
    p.grad = null;
  });

  it('leaves no temporaries behind', () => {
    const params = [flint.zeros([3, 4], { requiresGrad: true }), flint.zeros([4], { requiresGrad: true })];
    params[0]!.grad = flint.ones([3, 4]);
    params[1]!.grad = flint.ones([4]);
    expectNoLeak(() => {
      clipGradNorm_(params, 0.5, { normType: 3 }).dispose();
      clipGradNorm_(params, 0.5, { normType: Infinity }).dispose();
      clipGradValue_(params, 0.1);
    });
    assertClose(params[1]!.grad!, [0.1, 0.1, 0.1, 0.1], { rtol: 1e-6 });
  });

  it('validates its arguments', () => {
    const p = flint.zeros([2], { requiresGrad: true });
    expect(() => clipGradNorm_([p], Number.NaN)).toThrow(ArgumentError);
    expect(() => clipGradNorm_([p], '1' as unknown as number)).toThrow('clipGradNorm_(): maxNorm must be a number (got "1")');
    expect(() => clipGradNorm_([p], 1, { normType: 'inf' as unknown as number })).toThrow(
      'clipGradNorm_(): normType must be a number, Infinity for the max norm (got "inf")',
    );
    expect(() => clipGradNorm_(5 as unknown as Tensor[], 1)).toThrow(/parameters must be a Tensor or an iterable of Tensors/);
    expect(() => clipGradNorm_([p, 2] as unknown as Tensor[], 1)).toThrow('clipGradNorm_(): parameters[1] must be a Tensor (got 2)');
    expect(() => clipGradValue_([p], undefined as unknown as number)).toThrow('clipGradValue_(): clipValue must be a number (got undefined)');
  });
});
