import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { BACKENDS, decode } from '../../../test/golden.js';
import { conv1d, conv2d, convTranspose2d } from '../functional/conv.js';
import { pad } from '../functional/padding.js';
import type { AnyModule } from '../module.js';
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from './conv.js';
import { ReflectionPad2d } from './padding.js';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool2d } from './pooling.js';
import { PixelShuffle, Upsample } from './upsampling.js';

type Encoded = Parameters<typeof decode>[0];
interface ModuleCase {
  name: string;
  repr: string;
  stateDict: Record<string, Encoded>;
  input: Encoded;
  output: Encoded;
}
const modules = (JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/conv.json', import.meta.url)), 'utf8')) as { modules: ModuleCase[] }).modules;

/** The Flint layer for each PyTorch module in the fixture, built with the same arguments. */
const build: Record<string, () => AnyModule> = {
  Conv2d: () => new Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  Conv2d_no_bias_groups: () => new Conv2d(4, 6, [3, 2], { groups: 2, bias: false, dilation: [1, 2] }),
  Conv2d_reflect: () => new Conv2d(2, 3, 3, { padding: 1, paddingMode: 'reflect' }),
  Conv2d_replicate: () => new Conv2d(2, 3, 3, { padding: [2, 1], paddingMode: 'replicate' }),
  Conv2d_circular: () => new Conv2d(2, 3, 3, { stride: 2, padding: 1, paddingMode: 'circular' }),
  Conv2d_same_reflect: () => new Conv2d(2, 2, 4, { padding: 'same', paddingMode: 'reflect' }),
  Conv1d: () => new Conv1d(2, 3, 3, { padding: 1 }),
  Conv1d_circular: () => new Conv1d(2, 3, 3, { padding: 1, paddingMode: 'circular' }),
  ConvTranspose2d: () => new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  ConvTranspose1d: () => new ConvTranspose1d(3, 2, 4, { stride: 2 }),
};

/** PyTorch's repr, in Flint's names: `kernel_size=(3, 3)` becomes `kernelSize=[3, 3]`. */
function flintRepr(torchRepr: string): string {
  return torchRepr
    .replace(/\(([\d, ]+?),?\)/g, (m, inner: string, offset: number) => (offset === torchRepr.indexOf('(') ? m : `[${inner}]`))
    .replace(/_(\w)/g, (_, c: string) => c.toUpperCase())
    .replace('bias=False', 'bias=false');
}

for (const backendName of BACKENDS) {
  describe(`conv modules [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('have PyTorch state-dict keys and parameter shapes', () => {
      const c2 = new Conv2d(3, 16, [3, 5], { groups: 1 });
      const sd = c2.stateDict();
      expect(Object.keys(sd)).toEqual(['weight', 'bias']);
      expect(sd.weight!.shape).toEqual([16, 3, 3, 5]);
      expect(sd.bias!.shape).toEqual([16]);
      expect(Object.keys(new Conv2d(4, 8, 3, { groups: 2, bias: false }).stateDict())).toEqual(['weight']);
      expect(new Conv2d(4, 8, 3, { groups: 2 }).weight.shape).toEqual([8, 2, 3, 3]);
      expect(new Conv1d(4, 6, 5, { groups: 2 }).weight.shape).toEqual([6, 2, 5]);
      expect(new ConvTranspose2d(4, 6, 3, { groups: 2 }).weight.shape).toEqual([4, 3, 3, 3]);
      expect(new ConvTranspose1d(4, 6, 3).weight.shape).toEqual([4, 6, 3]);
      expect(new ConvTranspose2d(4, 6, 3).bias!.shape).toEqual([6]);
      expect(c2.weight.requiresGrad && c2.bias!.requiresGrad).toBe(true);
    });

    it('initialise as PyTorch: weight and bias uniform in +-1/sqrt(fanIn)', () => {
      for (const [m, fanIn] of [
        [new Conv2d(6, 64, 5), 6 * 25],
        [new Conv2d(8, 64, 3, { groups: 4 }), 2 * 9],
        [new Conv1d(3, 64, 7), 3 * 7],
        [new ConvTranspose2d(64, 6, 3), 6 * 9], // PyTorch's fan-in of a transposed weight is weight.shape[1] * k
        [new Conv2d(2, 600, 1), 2], // enough bias values to see their spread
      ] as const) {
        const bound = 1 / Math.sqrt(fanIn);
        for (const p of [m.weight, m.bias!]) {
          const v = Array.from(p.dataSync());
          expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
          if (v.length < 500) continue;
          // Uniform over the whole range: the extremes come close to the bound, and the mean is near 0.
          expect(Math.max(...v)).toBeGreaterThan(bound * 0.9);
          expect(Math.min(...v)).toBeLessThan(-bound * 0.9);
          expect(Math.abs(v.reduce((a, b) => a + b, 0) / v.length)).toBeLessThan(bound * 0.25);
        }
      }
    });

    it('draw their initial values from the given generator or the default one', () => {
      const a = new Conv2d(2, 3, 3, { generator: new flint.Generator(5) });
      const b = new Conv2d(2, 3, 3, { generator: new flint.Generator(5) });
      const c = new Conv2d(2, 3, 3, { generator: new flint.Generator(6) });
      assertClose(a.weight, b.weight, { atol: 0, rtol: 0 });
      assertClose(a.bias!, b.bias!, { atol: 0, rtol: 0 });
      expect(a.weight.sub(c.weight).abs().max().item()).toBeGreaterThan(0);
      flint.manualSeed(11);
      const d = new Conv1d(2, 3, 3);
      flint.manualSeed(11);
      const e = new Conv1d(2, 3, 3);
      assertClose(d.weight, e.weight, { atol: 0, rtol: 0 });
    });

    it('forward equals the functional form', () => {
      flint.scope(() => {
        const x = flint.randn([2, 3, 9, 9]);
        const m = new Conv2d(3, 4, 3, { stride: 2, padding: 1, dilation: 1 });
        assertClose(m(x), conv2d(x, m.weight, m.bias, { stride: 2, padding: 1 }), { atol: 1e-6 });
        const r = new Conv2d(3, 4, 3, { padding: 1, paddingMode: 'reflect', bias: false });
        assertClose(r(x), conv2d(pad(x, [1, 1, 1, 1], { mode: 'reflect' }), r.weight), { atol: 1e-6 });
        const x1 = flint.randn([2, 3, 10]);
        const m1 = new Conv1d(3, 2, 3, { padding: 'same', dilation: 2 });
        assertClose(m1(x1), conv1d(x1, m1.weight, m1.bias, { padding: 'same', dilation: 2 }), { atol: 1e-6 });
        const t = new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
        assertClose(t(x), convTranspose2d(x, t.weight, t.bias, { stride: 2, padding: 1, outputPadding: 1 }), { atol: 1e-6 });
        // Unbatched inputs, including with a padding mode.
        assertClose(r(x.index(0)), r(x).index(0), { atol: 1e-6 });
      });
    });

    it('gradients reach weight and bias', () => {
      flint.scope(() => {
        const m = new Conv2d(2, 3, 3, { padding: 1, paddingMode: 'circular' });
        m(flint.randn([2, 2, 5, 5])).pow(2).sum().backward();
        expect(m.weight.grad!.shape).toEqual([3, 2, 3, 3]);
        expect(m.bias!.grad!.shape).toEqual([3]);
        expect(m.weight.grad!.abs().sum().item()).toBeGreaterThan(0);
        m.zeroGrad();
      });
    });

    it.each(modules.map((c) => [c.name, c] as const))('%s: a PyTorch state dict loads by name and reproduces its output', (name, c) => {
      flint.scope(() => {
        const m = build[name]!();
        const sd = Object.fromEntries(Object.entries(c.stateDict).map(([k, v]) => [k, decode(v)]));
        expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(sd).sort());
        const result = m.loadStateDict(sd);
        expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
        const y = (m as unknown as (x: Tensor) => Tensor)(decode(c.input));
        assertClose(y, decode(c.output), { atol: 1e-5, rtol: 1e-4, message: name });
        expect(m.toString()).toBe(flintRepr(c.repr));
      });
    });

    it('a training step through every layer leaves no tensor behind, backend buffers included', () => {
      const conv = new Conv2d(2, 8, 3, { padding: 1, paddingMode: 'reflect' });
      const up = new ConvTranspose2d(8, 4, 2, { stride: 2 });
      const layers = [new ReflectionPad2d(1), new MaxPool2d(3, { stride: 2 }), new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })];
      const heads = [new AdaptiveAvgPool2d([3, 2]), new AdaptiveMaxPool2d(2), new Upsample({ scaleFactor: 1.5, mode: 'bilinear' }), new PixelShuffle(2)];
      const x = flint.randn([2, 2, 9, 9]);
      const step = (): void =>
        flint.scope(() => {
          let h = up(conv(x).relu());
          for (const l of layers) h = l(h);
          const loss = heads.map((m) => m(h).pow(2).mean()).reduce((a, b) => a.add(b));
          const [gw] = flint.autograd.grad([loss], [conv.weight], { createGraph: true });
          gw!.pow(2).sum().add(loss).backward();
          conv.zeroGrad();
          up.zeroGrad();
        });
      step();
      expectNoLeak(step);
      [conv, up].forEach((m) => m.dispose());
      x.dispose();
    });

    it('every fixture module has a builder', () => {
      expect(modules.map((c) => c.name).sort()).toEqual(Object.keys(build).sort());
    });

    it('print their arguments as PyTorch does, in Flint names', () => {
      expect(new Conv2d(3, 16, 3, { stride: 2 }).toString()).toBe('Conv2d(3, 16, kernelSize=[3, 3], stride=[2, 2])');
      expect(new Conv2d(3, 16, [3, 5], { padding: 'same', bias: false, paddingMode: 'reflect' }).toString()).toBe(
        'Conv2d(3, 16, kernelSize=[3, 5], stride=[1, 1], padding=same, bias=false, paddingMode=reflect)',
      );
      expect(new Conv1d(2, 4, 3, { dilation: 2, groups: 2 }).toString()).toBe('Conv1d(2, 4, kernelSize=[3], stride=[1], dilation=[2], groups=2)');
      expect(new ConvTranspose2d(4, 8, 3, { stride: 2, outputPadding: 1 }).toString()).toBe('ConvTranspose2d(4, 8, kernelSize=[3, 3], stride=[2, 2], outputPadding=[1, 1])');
    });

    it('ConvTranspose2d picks the output padding for a requested output size', () => {
      flint.scope(() => {
        const t = new ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1 });
        const x = flint.randn([1, 2, 4, 4]);
        expect(t(x).shape).toEqual([1, 2, 7, 7]);
        expect(t(x, [8, 7]).shape).toEqual([1, 2, 8, 7]);
        expect(t(x, [1, 2, 8, 8]).shape).toEqual([1, 2, 8, 8]);
        expect(() => t(x, [9, 9])).toThrow(/ConvTranspose2d\(\): requested an output size of \[9, 9\], but valid sizes range from \[7, 7\] to \[8, 8\]/);
      });
    });

    it('check their arguments', () => {
      expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d\(\): inChannels \(3\) must be divisible by groups \(2\)/);
      expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(/Conv2d\(\): outChannels \(3\) must be divisible by groups \(2\)/);
      expect(() => new Conv2d(0, 4, 3)).toThrow(/Conv2d\(\): inChannels must be a positive integer \(got 0\)/);
      expect(() => new Conv2d(3, 4, 3, { paddingMode: 'mirror' as 'reflect' })).toThrow(ArgumentError);
      expect(() => new Conv2d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' is not supported for strided convolutions/);
      expect(() => new Conv1d(3, 4, [3, 3] as unknown as number)).toThrow(/Conv1d\(\): kernelSize must be a positive integer \(got \[3,3\]\)/);
      expect(() => new ConvTranspose2d(3, 4, 3, { paddingMode: 'reflect' as 'zeros' })).toThrow(/only paddingMode 'zeros' is supported/);
      expect(() => new Conv2d(3, 4, 3)(flint.randn([1, 2, 5, 5]))).toThrow(ShapeError);
    });
  });
}
