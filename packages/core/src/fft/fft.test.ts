import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { fft, tensor, type Tensor } from '../index.js';
import { assertClose, gradcheck } from '../testing/index.js';
import { BACKENDS, runGolden } from '../../test/golden.js';

/** Complex product of two real views [..., 2]. */
function cmul(a: Tensor, b: Tensor): Tensor {
  const [ar, ai] = [a.index('...', 0), a.index('...', 1)];
  const [br, bi] = [b.index('...', 0), b.index('...', 1)];
  return flint.stack([ar.mul(br).sub(ai.mul(bi)), ar.mul(bi).add(ai.mul(br))], -1);
}

const table: Record<string, (...xs: Tensor[]) => Tensor> = {};
for (const n of [1, 2, 6, 7, 8, 12, 15, 16, 37, 67, 106, 400]) table[`rfft_${n}`] = (x) => fft.rfft(x);
for (const n of [2, 8, 15, 67]) {
  table[`fft_${n}`] = (x) => fft.fft(x);
  table[`ifft_${n}`] = (x) => fft.ifft(x);
}
for (const n of [2, 8, 9, 15, 67]) table[`irfft_${n}`] = (x) => fft.irfft(x, { n });
Object.assign(table, {
  irfft_default_n: (x: Tensor) => fft.irfft(x),
  rfft_n_pad: (x: Tensor) => fft.rfft(x, { n: 12 }),
  rfft_n_trim: (x: Tensor) => fft.rfft(x, { n: 6 }),
  rfft_dim0: (x: Tensor) => fft.rfft(x, { dim: 0 }),
  rfft_ortho: (x: Tensor) => fft.rfft(x, { norm: 'ortho' }),
  rfft_forward: (x: Tensor) => fft.rfft(x, { norm: 'forward' }),
  irfft_ortho_n: (x: Tensor) => fft.irfft(x, { n: 11, norm: 'ortho' }),
  irfft_forward: (x: Tensor) => fft.irfft(x, { norm: 'forward' }),
  fft_n_dim0: (x: Tensor) => fft.fft(x, { n: 7, dim: 0 }),
  ifft_ortho: (x: Tensor) => fft.ifft(x, { norm: 'ortho' }),
  rfft_1d: (x: Tensor) => fft.rfft(x),
  rfft_abs: (x: Tensor) => fft.rfft(x).pow(2).sum(-1).sqrt(),
  rfft_irfft_roundtrip: (x: Tensor) => {
    const s = fft.rfft(x);
    return fft.irfft(cmul(s, s), { n: 12 });
  },
});
const bigOnes = new Set(['rfft_400', 'rfft_106', 'rfft_67', 'fft_67', 'ifft_67', 'irfft_67']);
runGolden(
  'core_fft',
  Object.fromEntries(Object.entries(table).map(([k, fn]) => [k, { fn, gradcheck: !bigOnes.has(k), atol: 1e-3, rtol: 1e-4 }])),
);

describe.each(BACKENDS)('fft [%s]', (backendName) => {
  beforeAll(async () => {
    await flint.setBackend(backendName);
  });

  it('inverts itself on lengths of every kind, batched, to float32 precision', () => {
    flint.scope(() => {
      for (const n of [3, 10, 64, 97, 243, 1000]) {
        const x = flint.randn([3, n]);
        assertClose(fft.irfft(fft.rfft(x), { n }), x, { atol: 1e-4 });
        const z = flint.randn([2, n, 2]);
        assertClose(fft.ifft(fft.fft(z)), z, { atol: 1e-4 });
      }
    });
  });

  it('matches the direct DFT sum for a prime length', () => {
    flint.scope(() => {
      const n = 131;
      const x = flint.randn([n]);
      const xs = Array.from(x.dataSync());
      const got = fft.rfft(x).tolist() as number[][];
      for (const k of [0, 1, 17, 65]) {
        let re = 0;
        let im = 0;
        xs.forEach((v, t) => {
          re += v * Math.cos((2 * Math.PI * k * t) / n);
          im -= v * Math.sin((2 * Math.PI * k * t) / n);
        });
        expect(got[k]![0]).toBeCloseTo(re, 3);
        expect(got[k]![1]).toBeCloseTo(im, 3);
      }
    });
  });

  it('passes a numerical gradcheck through fft and ifft with dim and n', () => {
    flint.scope(() => {
      const z = flint.randn([4, 3, 2]);
      expect(gradcheck((a) => fft.ifft(fft.fft(a, { dim: 0, n: 5 }).mul(tensor([1, 2]))), [z.requiresGrad_()], { atol: 2e-2, rtol: 2e-2 })).toBe(true);
    });
  });

  it('rejects bad input with errors naming the function and argument', () => {
    expect(() => fft.fft(flint.zeros([4, 3]))).toThrow(/fft\(\): input must be a complex tensor in real view, shape \[\.\.\., n, 2\] \(got shape \[4, 3\]\)/);
    expect(() => fft.rfft(flint.zeros([4]), { n: 0 })).toThrow(/rfft\(\): n must be a positive integer \(got 0\)/);
    expect(() => fft.rfft(flint.zeros([4]), { norm: 'bad' as never })).toThrow(/rfft\(\): norm must be/);
    expect(() => fft.irfft(flint.zeros([1, 2]))).toThrow(/irfft\(\): output length would be 0/);
    expect(() => fft.rfft(flint.zeros([4]), { dim: 3 })).toThrow(/rfft\(\)/);
  });
});
