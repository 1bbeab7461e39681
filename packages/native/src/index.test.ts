import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as native from './index.js';

/** Deterministic values in [-1.5, 1.5]. */
function values(n: number, seed = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((((i + seed * 131) * 7919) % 61) - 30) / 20);
}

function expectClose(got: Float32Array, want: Float64Array | Float32Array): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  // float32 sums of thousands of terms against float64 ones; an indexing error is off by O(1).
  expect(worst).toBeLessThan(1e-4);
}

/** Row-major op(a)[m, k] @ op(b)[k, n] in float64. */
function naiveGemm(m: number, n: number, k: number, a: Float32Array, b: Float32Array, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      c[i * n + j] = s;
    }
  return c;
}

/** Max pooling window by window, PyTorch's rules: values and the winners' indices into x. */
function referenceMaxPool(x: Float32Array, planes: number, h: number, w: number, rows: native.PoolWindows, cols: native.PoolWindows): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < rows.start.length; i++)
      for (let j = 0; j < cols.start.length; j++) {
        let best = -Infinity;
        let where = p * h * w + rows.start[i]! * w + cols.start[j]!;
        for (let r = rows.start[i]!; r < rows.end[i]!; r += rows.step)
          for (let c = cols.start[j]!; c < cols.end[j]!; c += cols.step) {
            const v = x[p * h * w + r * w + c]!;
            if (v > best || Number.isNaN(v)) [best, where] = [v, p * h * w + r * w + c];
          }
        out.push([best, where]);
      }
  return out;
}

type G = native.Conv2dGeometry;

function geometry(n: number, h: number, w: number, ci: number, co: number, kh: number, kw: number, s: [number, number], pad: [number, number, number, number], d: [number, number]): G {
  const outHeight = Math.floor((h + pad[0] + pad[1] - d[0] * (kh - 1) - 1) / s[0]) + 1;
  const outWidth = Math.floor((w + pad[2] + pad[3] - d[1] * (kw - 1) - 1) / s[1]) + 1;
  return {
    batch: n, inHeight: h, inWidth: w, inChannels: ci, outHeight, outWidth, outChannels: co, kernelHeight: kh, kernelWidth: kw,
    strideHeight: s[0], strideWidth: s[1], padTop: pad[0], padLeft: pad[2], dilationHeight: d[0], dilationWidth: d[1],
  };
}

/** Visits every (output element, input element, filter element) triple of an NHWC / HWIO convolution. */
function eachTap(g: G, fn: (yi: number, xi: number, fi: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let i = 0; i < g.kernelHeight; i++)
          for (let j = 0; j < g.kernelWidth; j++) {
            const y = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
            const x = ow * g.strideWidth - g.padLeft + j * g.dilationWidth;
            if (y < 0 || y >= g.inHeight || x < 0 || x >= g.inWidth) continue;
            for (let c = 0; c < g.inChannels; c++)
              for (let o = 0; o < g.outChannels; o++) {
                fn(((b * g.outHeight + oh) * g.outWidth + ow) * g.outChannels + o, ((b * g.inHeight + y) * g.inWidth + x) * g.inChannels + c, ((i * g.kernelWidth + j) * g.inChannels + c) * g.outChannels + o);
              }
          }
}

const sizes = (g: G) => ({
  x: g.batch * g.inHeight * g.inWidth * g.inChannels,
  y: g.batch * g.outHeight * g.outWidth * g.outChannels,
  f: g.kernelHeight * g.kernelWidth * g.inChannels * g.outChannels,
});

// Every kernel runs with each library the addon can use for its products.
const LIBRARIES: native.GemmLibrary[] = !native.available() ? [] : native.onednnVersion() === null ? ['openblas'] : ['onednn', 'openblas'];

describe.each(LIBRARIES)('@flint/native kernels, products on %s', (library) => {
  let before: native.GemmLibrary;
  beforeAll(() => {
    before = native.gemmLibrary();
    native.setGemmLibrary(library);
  });
  afterAll(() => native.setGemmLibrary(before));

  it('sgemm: every transpose combination, against a float64 loop', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const [m, n, k] = [7, 5, 9];
      const a = values(m * k, 1);
      const b = values(k * n, 2);
      const c = new Float32Array(m * n);
      native.sgemm(m, n, k, a, b, c, { transA: ta, transB: tb });
      expectClose(c, naiveGemm(m, n, k, a, b, ta, tb));
    }
  });

  it('sgemm: strided batches, a shared right operand, alpha and beta', () => {
    const [batch, m, n, k] = [3, 4, 6, 5];
    const a = values(batch * m * k, 1);
    const b = values(k * n, 2);
    const c = values(batch * m * n, 3);
    const before = Float32Array.from(c);
    native.sgemm(m, n, k, a, b, c, { batch, strideB: 0, alpha: 2, beta: 0.5 });
    const want = new Float64Array(batch * m * n);
    for (let i = 0; i < batch; i++) {
      const p = naiveGemm(m, n, k, a.subarray(i * m * k, (i + 1) * m * k), b, false, false);
      for (let e = 0; e < m * n; e++) want[i * m * n + e] = 2 * p[e]! + 0.5 * before[i * m * n + e]!;
    }
    expectClose(c, want);
  });

  it('sgemm: works on views into a larger buffer, such as a WebAssembly heap', () => {
    // (Node's WebAssembly global; this package's TypeScript settings do not declare it.)
    const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } };
    const memory = new wasm.Memory({ initial: 1 });
    const heap = new Float32Array(memory.buffer);
    heap.set(values(6, 1), 10);
    heap.set(values(6, 2), 100);
    const a = new Float32Array(memory.buffer, 40, 6);
    const b = new Float32Array(memory.buffer, 400, 6);
    const c = new Float32Array(memory.buffer, 800, 4);
    native.sgemm(2, 2, 3, a, b, c);
    expectClose(c, naiveGemm(2, 2, 3, a, b, false, false));
    expect(heap[199]).toBe(0);
    expect(heap[204]).toBe(0);
  });

  it('sgemm: an empty inner dimension gives zeros; bad sizes are refused before any access', () => {
    const c = new Float32Array(4).fill(7);
    native.sgemm(2, 2, 0, new Float32Array(0), new Float32Array(0), c);
    expect([...c]).toEqual([0, 0, 0, 0]);
    expect(() => native.sgemm(2, 2, 3, new Float32Array(5), new Float32Array(6), c)).toThrow('sgemm(): a holds 5 floats but the shapes need 6');
    expect(() => native.sgemm(2, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(3))).toThrow(/c holds 3 floats/);
    expect(() => native.sgemm(2, 2, 2, [1, 2, 3, 4] as unknown as Float32Array, new Float32Array(4), c)).toThrow('sgemm(): a must be a Float32Array');
    expect(() => native.sgemm(-1, 2, 2, new Float32Array(4), new Float32Array(4), c)).toThrow(/m must be an integer >= 0/);
  });

  it('biasActivation: bias per column and each activation', () => {
    const rows = 3;
    const cols = 4;
    const bias = values(cols, 5);
    const f: Record<native.Activation, (v: number) => number> = {
      linear: (v) => v,
      relu: (v) => Math.max(0, v),
      relu6: (v) => Math.min(6, Math.max(0, v)),
      leakyrelu: (v) => (v < 0 ? 0.1 * v : v),
      elu: (v) => (v < 0 ? Math.expm1(v) : v),
      sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    };
    for (const [activation, fn] of Object.entries(f) as [native.Activation, (v: number) => number][]) {
      const out = values(rows * cols, 4).map((v) => v * 5);
      const want = Float64Array.from(out, (v, i) => fn(v + bias[i % cols]!));
      native.biasActivation(out, rows, cols, bias, { activation, alpha: 0.1 });
      expectClose(out, want);
    }
    expect(() => native.biasActivation(new Float32Array(4), 2, 2, null, { activation: 'gelu' as never })).toThrow(/activation must be one of/);
  });

  const convCases: [string, G][] = [
    ['3x3, padding 1', geometry(2, 6, 5, 3, 4, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1])],
    ['5x5, one channel, no padding', geometry(2, 9, 9, 1, 6, 5, 5, [1, 1], [0, 0, 0, 0], [1, 1])],
    ['stride 2, uneven padding', geometry(2, 9, 8, 3, 5, 3, 2, [2, 1], [2, 1, 0, 3], [1, 1])],
    ['dilation 2', geometry(1, 10, 9, 2, 3, 3, 3, [1, 1], [0, 0, 0, 0], [2, 2])],
    ['stride 2 and dilation 2', geometry(1, 11, 10, 2, 3, 3, 3, [2, 2], [2, 2, 2, 2], [2, 2])],
    ['1x1', geometry(2, 4, 4, 6, 3, 1, 1, [1, 1], [0, 0, 0, 0], [1, 1])],
    ['1x1 stride 2', geometry(2, 5, 5, 6, 3, 1, 1, [2, 2], [0, 0, 0, 0], [1, 1])],
    ['full padding, fewer output channels (transposed path)', geometry(2, 5, 4, 8, 2, 3, 3, [1, 1], [2, 2, 2, 1], [1, 1])],
    ['full padding with dilation (transposed path)', geometry(1, 6, 6, 6, 2, 3, 2, [1, 1], [4, 3, 1, 2], [2, 2])],
    // im2col in blocks of about 1 M floats: this one is cut into two blocks inside its second image.
    ['large enough to be done in blocks', geometry(2, 48, 48, 32, 4, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1])],
  ];

  for (const [name, g] of convCases) {
    it(`conv2d and both gradients: ${name}`, () => {
      const s = sizes(g);
      const x = values(s.x, 1);
      const f = values(s.f, 2);
      const dy = values(s.y, 3);
      const bias = values(g.outChannels, 4);

      const want = new Float64Array(s.y);
      eachTap(g, (yi, xi, fi) => (want[yi] += x[xi]! * f[fi]!));
      const out = new Float32Array(s.y);
      native.conv2d(x, f, out, g);
      expectClose(out, want);

      const withBias = new Float32Array(s.y);
      native.conv2d(x, f, withBias, g, { bias, activation: 'relu' });
      expectClose(withBias, want.map((v, i) => Math.max(0, v + bias[i % g.outChannels]!)));

      const dxWant = new Float64Array(s.x);
      eachTap(g, (yi, xi, fi) => (dxWant[xi] += dy[yi]! * f[fi]!));
      const dx = new Float32Array(s.x).fill(9);
      native.conv2dBackpropInput(dy, f, dx, g);
      expectClose(dx, dxWant);

      const dfWant = new Float64Array(s.f);
      eachTap(g, (yi, xi, fi) => (dfWant[fi] += dy[yi]! * x[xi]!));
      const df = new Float32Array(s.f).fill(9);
      native.conv2dBackpropFilter(x, dy, df, g);
      expectClose(df, dfWant);
    });
  }

  it('conv2d refuses buffers smaller than the geometry needs', () => {
    const g = geometry(1, 4, 4, 2, 3, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]);
    const s = sizes(g);
    expect(() => native.conv2d(new Float32Array(s.x - 1), new Float32Array(s.f), new Float32Array(s.y), g)).toThrow(`conv2d(): x holds ${s.x - 1} floats but the shapes need ${s.x}`);
    expect(() => native.conv2dBackpropFilter(new Float32Array(s.x), new Float32Array(s.y), new Float32Array(s.f - 1), g)).toThrow(/dfilter holds/);
    expect(() => native.conv2d(new Float32Array(s.x), new Float32Array(s.f), new Float32Array(s.y), { ...g, strideHeight: 0 })).toThrow(/geometry.strideHeight must be an integer >= 1/);
  });

  /** Visits every (output, input, weight) index triple of an NCHW / OIHW convolution with groups. */
  function eachTapNchw(g: G, groups: number, fn: (yi: number, xi: number, wi: number) => void): void {
    const cg = g.inChannels / groups;
    const og = g.outChannels / groups;
    for (let b = 0; b < g.batch; b++)
      for (let o = 0; o < g.outChannels; o++)
        for (let oh = 0; oh < g.outHeight; oh++)
          for (let ow = 0; ow < g.outWidth; ow++)
            for (let cc = 0; cc < cg; cc++)
              for (let i = 0; i < g.kernelHeight; i++)
                for (let j = 0; j < g.kernelWidth; j++) {
                  const y = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
                  const x = ow * g.strideWidth - g.padLeft + j * g.dilationWidth;
                  if (y < 0 || y >= g.inHeight || x < 0 || x >= g.inWidth) continue;
                  const c = Math.floor(o / og) * cg + cc;
                  fn(((b * g.outChannels + o) * g.outHeight + oh) * g.outWidth + ow, ((b * g.inChannels + c) * g.inHeight + y) * g.inWidth + x, ((o * cg + cc) * g.kernelHeight + i) * g.kernelWidth + j);
                }
  }

  const nchwCases: [string, G, number][] = [
    ['3x3, padding 1 (several images in one block)', geometry(3, 6, 5, 3, 4, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), 1],
    ['5x5, one channel, padding 2', geometry(2, 9, 9, 1, 6, 5, 5, [1, 1], [2, 2, 2, 2], [1, 1]), 1],
    ['stride (2, 1), uneven padding', geometry(2, 9, 8, 3, 5, 3, 2, [2, 1], [2, 1, 0, 3], [1, 1]), 1],
    ['stride 2 and dilation 2', geometry(1, 11, 10, 2, 3, 3, 3, [2, 2], [2, 2, 2, 2], [2, 2]), 1],
    ['padding wider than the kernel', geometry(1, 4, 5, 2, 3, 2, 2, [1, 1], [3, 3, 3, 3], [1, 1]), 1],
    ['1x1 (one product per image, no im2col)', geometry(2, 4, 4, 6, 3, 1, 1, [1, 1], [0, 0, 0, 0], [1, 1]), 1],
    ['1x1 stride 2', geometry(2, 5, 5, 6, 3, 1, 1, [2, 2], [0, 0, 0, 0], [1, 1]), 1],
    ['groups 2', geometry(2, 6, 6, 4, 6, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), 2],
    ['depthwise, two outputs per channel', geometry(2, 6, 5, 3, 6, 3, 3, [2, 2], [1, 1, 1, 1], [1, 1]), 3],
    ['1x1 with groups', geometry(2, 4, 4, 6, 4, 1, 1, [1, 1], [0, 0, 0, 0], [1, 1]), 2],
    // Blocks of about 1 M im2col floats: one image is cut into several blocks of output rows.
    ['large enough to cut an image into blocks', geometry(2, 48, 48, 64, 4, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), 1],
    // With oneDNN the next ones run on its convolution primitives (the input gradient from 16
    // channels per group up; 1x1 forward passes stay on im2col + sgemm).
    ["LeNet's conv1 (1 -> 6, 5x5, padding 2)", geometry(4, 28, 28, 1, 6, 5, 5, [1, 1], [2, 2, 2, 2], [1, 1]), 1],
    ["LeNet's conv2 (6 -> 16, 5x5)", geometry(4, 14, 14, 6, 16, 5, 5, [1, 1], [0, 0, 0, 0], [1, 1]), 1],
    ["resnet18's stem (3 -> 16, 7x7, stride 2, padding 3)", geometry(2, 32, 32, 3, 16, 7, 7, [2, 2], [3, 3, 3, 3], [1, 1]), 1],
    ['3x3, 32 channels, padding 1', geometry(2, 12, 12, 32, 32, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), 1],
    ['3x3 stride 2, 32 -> 48 (right padding 0, left 1)', geometry(2, 12, 12, 32, 48, 3, 3, [2, 2], [1, 0, 1, 0], [1, 1]), 1],
    ['1x1 stride 2 downsample (right padding -1: the last row and column are never read)', geometry(2, 8, 8, 32, 48, 1, 1, [2, 2], [0, 0, 0, 0], [1, 1]), 1],
    ['3x3 stride 2, top 0 and bottom 2, left 2 and right 0', geometry(2, 9, 9, 16, 16, 3, 3, [2, 2], [0, 2, 2, 1], [1, 1]), 1],
    ['3x3 stride 2, right padding -1', geometry(2, 9, 9, 16, 16, 3, 3, [2, 2], [1, 1, 1, 0], [1, 1]), 1],
    ['groups 2, 16 channels per group', geometry(2, 8, 8, 32, 32, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), 2],
    ['dilation 2, 16 channels', geometry(2, 10, 10, 16, 16, 3, 3, [1, 1], [2, 2, 2, 2], [2, 2]), 1],
    // The first rows and columns of the output only (bottom padding -2, right padding -3).
    ['an output cut short', { ...geometry(2, 10, 10, 16, 16, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), outHeight: 7, outWidth: 6 }, 1],
  ];

  for (const [name, g, groups] of nchwCases) {
    it(`conv2dNchw and both gradients: ${name}`, () => {
      const s = sizes(g);
      const wLen = s.f / groups;
      const x = values(s.x, 1);
      const w = values(wLen, 2);
      const dy = values(s.y, 3);
      const geo = { ...g, groups };

      const want = new Float64Array(s.y);
      eachTapNchw(g, groups, (yi, xi, wi) => (want[yi] += x[xi]! * w[wi]!));
      const out = new Float32Array(s.y).fill(9);
      native.conv2dNchw(x, w, out, geo);
      expectClose(out, want);
      const bias = values(g.outChannels, 4);
      native.conv2dNchw(x, w, out, geo, { bias });
      const plane = g.outHeight * g.outWidth;
      expectClose(out, want.map((v, i) => v + bias[Math.floor(i / plane) % g.outChannels]!));

      const dxWant = new Float64Array(s.x);
      eachTapNchw(g, groups, (yi, xi, wi) => (dxWant[xi] += dy[yi]! * w[wi]!));
      const dx = new Float32Array(s.x).fill(9);
      native.conv2dNchwBackpropInput(dy, w, dx, geo);
      expectClose(dx, dxWant);
      const inBias = values(g.inChannels, 5);
      native.conv2dNchwBackpropInput(dy, w, dx, geo, { bias: inBias });
      const inPlane = g.inHeight * g.inWidth;
      expectClose(dx, dxWant.map((v, i) => v + inBias[Math.floor(i / inPlane) % g.inChannels]!));

      // Sums of thousands of terms: the error is measured against the sum of their magnitudes
      // (float32 rounding is about 1e-6 of it here; an indexing error is of order 1).
      const dwWant = new Float64Array(wLen);
      const dwScale = new Float64Array(wLen);
      eachTapNchw(g, groups, (yi, xi, wi) => {
        dwWant[wi] += dy[yi]! * x[xi]!;
        dwScale[wi] += Math.abs(dy[yi]! * x[xi]!);
      });
      const dw = new Float32Array(wLen).fill(9);
      native.conv2dNchwBackpropFilter(x, dy, dw, geo);
      let worst = 0;
      for (let i = 0; i < wLen; i++) worst = Math.max(worst, Math.abs(dw[i]! - dwWant[i]!) / (1 + dwScale[i]!));
      expect(worst).toBeLessThan(2e-5);
    });
  }

  it('conv2dNchw and both gradients: repeated calls with new data and other thread counts give fresh results', () => {
    // Large enough (about 10 M multiply-adds) to run on two threads when asked for them.
    const g = { ...geometry(2, 24, 24, 32, 32, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), groups: 1 };
    const s = sizes(g);
    const before = native.getNumThreads();
    try {
      for (const [threads, seed] of [[1, 1], [1, 7], [2, 3], [1, 5]] as const) {
        native.setNumThreads(threads);
        const x = values(s.x, seed);
        const w = values(s.f, seed + 1);
        const dy = values(s.y, seed + 2);
        const want = new Float64Array(s.y);
        const dxWant = new Float64Array(s.x);
        const dwWant = new Float64Array(s.f);
        eachTapNchw(g, 1, (yi, xi, wi) => {
          want[yi] += x[xi]! * w[wi]!;
          dxWant[xi] += dy[yi]! * w[wi]!;
          dwWant[wi] += dy[yi]! * x[xi]!;
        });
        const out = new Float32Array(s.y).fill(9);
        native.conv2dNchw(x, w, out, g);
        expectClose(out, want);
        const dx = new Float32Array(s.x).fill(9);
        native.conv2dNchwBackpropInput(dy, w, dx, g);
        expectClose(dx, dxWant);
        const dw = new Float32Array(s.f).fill(9);
        native.conv2dNchwBackpropFilter(x, dy, dw, g);
        // 1152 terms per weight, each up to 2.25.
        for (let i = 0; i < s.f; i++) expect(Math.abs(dw[i]! - dwWant[i]!), `threads ${threads}, seed ${seed}, dweight[${i}]`).toBeLessThan(5e-3);
      }
    } finally {
      native.setNumThreads(before);
    }
  });

  it('conv2dNchw refuses buffers smaller than the geometry needs and groups that do not divide the channels', () => {
    const g = { ...geometry(1, 4, 4, 2, 3, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1]), groups: 1 };
    const s = sizes(g);
    expect(() => native.conv2dNchw(new Float32Array(s.x - 1), new Float32Array(s.f), new Float32Array(s.y), g)).toThrow(`conv2dNchw(): x holds ${s.x - 1} floats but the shapes need ${s.x}`);
    expect(() => native.conv2dNchwBackpropInput(new Float32Array(s.y), new Float32Array(s.f), new Float32Array(s.x - 1), g)).toThrow(/conv2dNchwBackpropInput\(\): dx holds/);
    expect(() => native.conv2dNchwBackpropFilter(new Float32Array(s.x), new Float32Array(s.y), new Float32Array(s.f - 1), g)).toThrow(/dweight holds/);
    expect(() => native.conv2dNchw(new Float32Array(s.x), new Float32Array(s.f), new Float32Array(s.y), { ...g, groups: 2 })).toThrow(/groups must divide inChannels and outChannels/);
    expect(() => native.conv2dNchw(new Float32Array(s.x), new Float32Array(s.f), new Float32Array(s.y), g, { bias: new Float32Array(2) })).toThrow(/bias must hold 3 floats/);
  });

  it('maxPoolScan: maxima and their positions with PyTorch\'s rules (first of ties, NaN wins), padding and dilation', () => {
    const h = 7;
    const w = 6;
    const planes = 3;
    const x = values(planes * h * w, 7);
    x[5] = Number.NaN; // plane 0, row 0, column 5
    x[h * w + 8] = x[h * w + 9] = 9; // a tie in plane 1
    // 3-row windows with dilation 2 (rows 0, 2, 4 ...), 2-column windows with stride 2, cut by the edges as padding does.
    const rows = { start: Int32Array.from([0, 1, 2]), end: Int32Array.from([5, 6, 7]), step: 2 };
    const cols = { start: Int32Array.from([0, 1, 3, 5]), end: Int32Array.from([1, 3, 5, 6]), step: 1 };
    const got = new Float32Array(planes * 3 * 4);
    const at = new Int32Array(planes * 3 * 4);
    native.maxPoolScan(x, planes, h, w, rows, cols, got, at);
    referenceMaxPool(x, planes, h, w, rows, cols).forEach((want, o) => expect([got[o], at[o]], `window ${o}`).toEqual(want));
    expect(got[3]).toBeNaN();
    expect(at[3]).toBe(5);
    expect(() => native.maxPoolScan(x, planes, h, w, { ...rows, end: Int32Array.from([5, 6, 8]) }, cols, got, at)).toThrow(/a row window reaches outside/);
    expect(() => native.maxPoolScan(x, planes + 1, h, w, rows, cols, got, at)).toThrow(/x holds/);
  });

  it('maxPoolScan: random geometries with ties and NaN, against a window-by-window scan', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const [h, w, k, s, pad, d] of [[9, 11, 2, 2, 0, 1], [12, 13, 3, 2, 1, 1], [10, 10, 3, 1, 1, 2], [8, 17, 2, 3, 1, 1], [7, 7, 7, 1, 3, 1], [5, 16, 1, 1, 0, 1]] as const) {
      const win = (n: number) => {
        const out = Math.floor((n + 2 * pad - d * (k - 1) - 1) / s) + 1;
        const start: number[] = [];
        const end: number[] = [];
        for (let i = 0; i < out; i++) {
          let a = i * s - pad;
          while (a < 0) a += d;
          start.push(a);
          end.push(Math.min(n, i * s - pad + d * (k - 1) + 1));
        }
        return { start: Int32Array.from(start), end: Int32Array.from(end), step: d };
      };
      const rows = win(h);
      const cols = win(w);
      const planes = 3;
      // Small integers make ties common; a few NaN.
      const x = Float32Array.from({ length: planes * h * w }, () => (rand() < 0.03 ? Number.NaN : Math.floor(rand() * 4)));
      const n = planes * rows.start.length * cols.start.length;
      const got = new Float32Array(n);
      const at = new Int32Array(n);
      native.maxPoolScan(x, planes, h, w, rows, cols, got, at);
      referenceMaxPool(x, planes, h, w, rows, cols).forEach((want, o) => expect([got[o], at[o]], `${h}x${w} k${k} s${s} p${pad} d${d}: window ${o}`).toEqual(want));
    }
  });

  it('transpose: every permutation of ranks 1-5 and shapes with size-1 dimensions, float32 and int32', () => {
    const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    const shapes = [[7], [3, 5], [2, 1, 4], [3, 4, 5], [2, 3, 1, 5], [4, 3, 2, 5], [2, 3, 2, 1, 3], [40, 33]];
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      for (const perm of perms(shape.length)) {
        const outShape = perm.map((d) => shape[d]!);
        const want = new Float32Array(n);
        const idx = new Array<number>(shape.length).fill(0);
        for (let o = 0; o < n; o++) {
          want[o] = 1 + perm.reduce((s, d, q) => s + idx[q]! * strides[d]!, 0);
          for (let q = shape.length - 1; q >= 0 && ++idx[q]! === outShape[q]; q--) idx[q] = 0;
        }
        const x = Float32Array.from({ length: n }, (_, i) => i + 1);
        const y = new Float32Array(n);
        native.transpose(x, y, shape, perm);
        expect(y, `shape [${shape}] perm [${perm}]`).toEqual(want);
        const yi = new Int32Array(n);
        native.transpose(Int32Array.from(x), yi, shape, perm);
        expect(Float32Array.from(yi)).toEqual(want);
      }
    }
    expect(() => native.transpose(new Float32Array(6), new Float32Array(6), [2, 3], [0, 0])).toThrow('transpose(): perm must be a permutation of 0..rank-1');
    expect(() => native.transpose(new Float32Array(6), new Float32Array(5), [2, 3], [1, 0])).toThrow('transpose(): x and y must hold 6 elements');
  });

  it('sets and reports the thread count', () => {
    const before = native.getNumThreads();
    native.setNumThreads(1);
    expect(native.getNumThreads()).toBe(1);
    native.setNumThreads(3);
    expect(native.getNumThreads()).toBe(3);
    native.setNumThreads(before);
    expect(() => native.setNumThreads(0)).toThrow('setNumThreads(): n must be a positive integer (got 0)');
    expect(native.config()).toMatch(/OpenBLAS/);
  });

  it('reports and switches the library behind the products, refusing unknown names', () => {
    expect(native.gemmLibrary()).toBe(library);
    expect(() => native.setGemmLibrary('mkl' as native.GemmLibrary)).toThrow("setGemmLibrary(): name must be 'onednn' or 'openblas' (got 'mkl')");
    if (native.onednnVersion() === null) {
      expect(() => native.setGemmLibrary('onednn')).toThrow(/built without oneDNN/);
    } else {
      expect(native.onednnVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(native.gemmLibrary()).toBe(library);
  });
});

describe.runIf(native.available())('@flint/native optimizer steps', () => {
  it('sgdStep: every option, bit for bit against float32 steps in JS, in place', () => {
    const f = Math.fround;
    const n = 1031;
    for (const o of [
      { lr: 0.1 },
      { lr: 0.01, momentum: 0.9 },
      { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4 },
      { lr: 0.03, momentum: 0.8, nesterov: true, maximize: true, weightDecay: 0.02 },
      { lr: 0.2, weightDecay: 0.5, maximize: true },
    ]) {
      const p = values(n, 1);
      const g = values(n, 2);
      const buf = values(n, 3);
      const [wp, wb] = [Float32Array.from(p), Float32Array.from(buf)];
      const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = o as native.SgdStepOptions;
      for (let i = 0; i < n; i++) {
        let d = maximize ? -g[i]! : g[i]!;
        if (weightDecay !== 0) d = f(d + f(wp[i]! * f(weightDecay)));
        if (momentum !== 0) {
          const keep = 1 - dampening;
          const b = f(f(wb[i]! * f(momentum)) + (keep === 1 ? d : f(d * f(keep))));
          wb[i] = b;
          d = nesterov ? f(d + f(b * f(momentum))) : b;
        }
        wp[i] = f(wp[i]! + f(d * f(-lr)));
      }
      native.sgdStep(p, g, momentum === 0 ? null : buf, o);
      expect(p, JSON.stringify(o)).toEqual(wp);
      if (momentum !== 0) expect(buf).toEqual(wb);
    }
    expect(() => native.sgdStep(new Float32Array(4), new Float32Array(3), null, { lr: 0.1 })).toThrow(/sgdStep\(\): g holds/);
    expect(() => native.sgdStep(new Float32Array(4), new Float32Array(4), null, { lr: 0.1, momentum: 0.9 })).toThrow('sgdStep(): buf must be a Float32Array when momentum is not 0');
    expect(() => native.sgdStep(new Float32Array(4), new Float32Array(4), null, { lr: Number.NaN })).toThrow('sgdStep(): lr must be a finite number (got NaN)');
  });
});

describe.runIf(native.available())('@flint/native scatterAdd', () => {
  it('adds every value at its index in order over zeros, and checks every index before writing', () => {
    const out = Float32Array.from([9, 9, 9, 9]);
    native.scatterAdd(out, Int32Array.from([3, 0, 3, 3]), Float32Array.from([1, 2, 0.5, -4]));
    expect(out).toEqual(Float32Array.from([2, 0, 0, -2.5]));
    const kept = Float32Array.from([7, 7]);
    expect(() => native.scatterAdd(kept, Int32Array.from([0, 2]), Float32Array.from([1, 1]))).toThrow('scatterAdd(): index 2 at position 1 is outside [0, 2)');
    expect(kept).toEqual(Float32Array.from([7, 7]));
    expect(() => native.scatterAdd(kept, Int32Array.from([0, 1]), Float32Array.from([1]))).toThrow(/scatterAdd\(\): src holds/);
  });
});

describe.runIf(native.available())('@flint/native Adam steps', () => {
  it('adamStep: Adam, AdamW, amsgrad and maximize, bit for bit against float32 steps in JS', () => {
    const f = Math.fround;
    const n = 517;
    for (const o of [
      { lr: 0.01, step: 1 },
      { lr: 0.02, betas: [0.8, 0.99] as [number, number], weightDecay: 0.1, step: 3, maximize: true },
      { lr: 0.01, weightDecay: 0.05, eps: 1e-6, step: 7, decoupled: true },
    ]) {
      for (const amsgrad of [false, true]) {
        const p = values(n, 1);
        const g = values(n, 2);
        const m = values(n, 3).map((x) => x / 10);
        const v = values(n, 4).map((x) => x * x);
        const mx = values(n, 5).map((x) => x * x);
        const w = [p, m, v, mx].map((a) => Float32Array.from(a));
        const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, step, decoupled = false, maximize = false } = o as native.AdamStepOptions;
        for (let i = 0; i < n; i++) {
          let d = maximize ? -g[i]! : g[i]!;
          if (!decoupled && weightDecay !== 0) d = f(d + f(w[0]![i]! * f(weightDecay)));
          if (decoupled) w[0]![i] = f(w[0]![i]! * f(1 - lr * weightDecay));
          const mi = f(f(w[1]![i]! * f(betas[0])) + f(d * f(1 - betas[0])));
          const vi = f(f(w[2]![i]! * f(betas[1])) + f(f(d * d) * f(1 - betas[1])));
          w[1]![i] = mi;
          w[2]![i] = vi;
          let second = vi;
          if (amsgrad) second = w[3]![i] = Math.max(w[3]![i]!, vi);
          const denom = f(f(f(Math.sqrt(second)) / f(Math.sqrt(1 - betas[1] ** step))) + f(eps));
          w[0]![i] = f(w[0]![i]! + f(f(mi / denom) * f(-(lr / (1 - betas[0] ** step)))));
        }
        native.adamStep(p, g, m, v, amsgrad ? mx : null, o);
        expect([p, m, v, ...(amsgrad ? [mx] : [])], `${JSON.stringify(o)} amsgrad ${amsgrad}`).toEqual(w.slice(0, amsgrad ? 4 : 3));
      }
    }
    expect(() => native.adamStep(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(1), null, { step: 1 })).toThrow(/adamStep\(\): expAvgSq holds/);
    expect(() => native.adamStep(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2), null, { step: 0 })).toThrow('adamStep(): step must be an integer >= 1 (got 0)');
  });
});

describe.runIf(native.available())('@flint/native under a sampling profiler', () => {
  // oneDNN 2.x's JIT sgemm corrupts the heap when a signal arrives on its thread mid-product;
  // V8's profiler sends one every 50 us here. The addon blocks signals around such kernels.
  it('survives node --cpu-prof across the products and convolutions of a training step, on each library', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-native-prof-'));
    try {
      const script = join(dir, 'products.ts');
      writeFileSync(
        script,
        `import * as native from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
native.setNumThreads(1);
const shapes = [[128, 10, 256, false, true], [784, 256, 128, true, false], [256, 10, 128, true, false], [64, 84, 120, false, true], [1000, 10, 1000, false, false]];
let sum = 0;
for (const library of ${JSON.stringify(LIBRARIES)}) {
  native.setGemmLibrary(library);
  for (const [m, n, k, transA, transB] of shapes) {
    const a = new Float32Array(m * k).fill(0.5), b = new Float32Array(k * n).fill(0.25), c = new Float32Array(m * n);
    for (let i = 0; i < 400; i++) native.sgemm(m, n, k, a, b, c, { transA, transB });
    sum += c[0];
  }
}
const geometry = { batch: 16, inHeight: 14, inWidth: 14, inChannels: 6, outHeight: 10, outWidth: 10, outChannels: 16, kernelHeight: 5, kernelWidth: 5,
  strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, dilationHeight: 1, dilationWidth: 1, groups: 1 };
const x = new Float32Array(16 * 6 * 14 * 14).fill(0.5), w = new Float32Array(16 * 6 * 25).fill(0.25), y = new Float32Array(16 * 16 * 100);
const dx = new Float32Array(x.length), dw = new Float32Array(w.length);
for (const library of ${JSON.stringify(LIBRARIES)}) {
  native.setGemmLibrary(library);
  for (let i = 0; i < 150; i++) {
    native.conv2dNchw(x, w, y, geometry);
    native.conv2dNchwBackpropInput(y, w, dx, geometry);
    native.conv2dNchwBackpropFilter(x, y, dw, geometry);
  }
  sum += y[0] + dx[0] + dw[0];
}
console.log('done', sum);
`,
      );
      const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir, '--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).not.toMatch(/corrupted|invalid pointer|free\(\)/);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('done');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.skipIf(native.available())('@flint/native without OpenBLAS', () => {
  it('says why it is unavailable and how to enable it, and every kernel refuses to run', () => {
    expect(native.unavailableReason()).toMatch(/apt-get install libopenblas-dev/);
    expect(() => native.sgemm(1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1))).toThrow(/sgemm\(\): @flint\/native is unavailable/);
    expect(() => native.getNumThreads()).toThrow(/unavailable/);
  });
});

describe('@flint/native status', () => {
  it('available() and unavailableReason() agree', () => {
    expect(native.available()).toBe(native.unavailableReason() === null);
  });
});
