import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { autograd, BackendError, getNumThreads, manualSeed, matmul, native, nn, noGrad, optim, randn, setBackend, setNumThreads, tensor, type Tensor } from '../index.js';
import { nativeConvActive, nativeMatMulActive, nativeMaxPoolScan, withStockKernels } from './native.js';
import { tf } from './tf.js';

type Make = () => tf.Tensor;
type Result = { shape: number[]; values: Float32Array };

/** Deterministic values in [-1.5, 1.5] with no pattern that would hide an indexing error. */
function input(shape: number[], seed = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, (_, i) => ((((i + seed * 131) * 7919) % 61) - 30) / 20);
  return tf.tensor(v, shape, 'float32');
}

async function run(backendName: 'cpu' | 'wasm', stock: boolean, f: Make): Promise<Result> {
  await setBackend(backendName);
  const go = (): Result =>
    tf.tidy(() => {
      const t = f();
      return { shape: t.shape, values: t.dataSync() as Float32Array };
    });
  return stock ? withStockKernels(go) : go();
}

function expectClose(got: Result, want: Result, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.values.length; i++) {
    const err = Math.abs(got.values[i]! - want.values[i]!) / (1 + Math.abs(want.values[i]!));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  expect(worst, `${what}: largest relative error`).toBeLessThan(2e-5);
}

/**
 * Runs `f` with the kernels in place (native ones when active) on wasm and cpu, and with the stock
 * kernels on wasm; every result must match the cpu backend's stock kernels.
 */
async function expectSameAsStock(f: Make, stockWasmWrong = false): Promise<void> {
  const reference = await run('cpu', true, f);
  expectClose(await run('cpu', false, f), reference, 'cpu');
  // The stock wasm kernel gets some cases wrong (stockWasmWrong); the native one must not.
  if (!stockWasmWrong || active) expectClose(await run('wasm', false, f), reference, 'wasm');
  if (!stockWasmWrong) expectClose(await run('wasm', true, f), reference, 'wasm (stock kernels)');
}

const active = native().active;

/** A Flint tensor with the values of a tfjs tensor (which it frees). */
function fromTf(t: tf.Tensor): Tensor {
  const out = tensor(Array.from(t.dataSync())).reshape(t.shape);
  t.dispose();
  return out;
}

describe('native kernels', () => {
  afterAll(async () => {
    await setBackend('wasm');
  });

  it('reports whether they are active and why not', () => {
    const info = native();
    expect(info.active).toBe(info.reason === null);
    if (info.active) {
      expect(info.available).toBe(true);
      expect(info.kernels).toEqual(
        expect.arrayContaining([
          'BatchMatMul', '_FusedMatMul', 'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Transpose',
          'FlintConv2DNchw', 'FlintConv2DNchwBackpropInput', 'FlintConv2DNchwBackpropFilter',
        ]),
      );
      expect(nativeConvActive()).toBe(true);
      expect(nativeMatMulActive()).toBe(true);
      expect(withStockKernels(() => [nativeConvActive(), nativeMatMulActive()])).toEqual([false, false]);
      expect(info.blas).toMatch(/OpenBLAS/);
      expect(info.numThreads).toBeGreaterThanOrEqual(1);
    } else {
      expect(info.reason).toMatch(/FLINT_NATIVE|not installed|unavailable|failed/);
      expect(info.kernels).toEqual([]);
      expect(info.numThreads).toBe(1);
      expect(nativeConvActive()).toBe(false);
    }
  });

  it('SGD steps in place give the bits of the ops path, and leave tensors that share storage alone', () => {
    // The same gradients each way; only the optimizer's step runs with or without native kernels.
    const run = (opts: Partial<optim.SGDOptions>, stock: boolean) => {
      manualSeed(3);
      const params = [randn([37, 5], { requiresGrad: true }), randn([5], { requiresGrad: true })];
      const opt = new optim.SGD(params, { lr: 0.05, ...opts });
      for (let i = 0; i < 4; i++) {
        for (const q of params) q.grad = randn(q.shape);
        if (stock) withStockKernels(() => opt.step());
        else opt.step();
      }
      return params.map((q) => q.tolist());
    };
    for (const opts of [{}, { momentum: 0.9 }, { momentum: 0.8, dampening: 0.2, weightDecay: 0.01 }, { momentum: 0.9, nesterov: true, maximize: true }]) {
      expect(run(opts, false), JSON.stringify(opts)).toEqual(run(opts, true));
    }
    // Adam and AdamW (amsgrad, L2 or decoupled decay, maximize) the same way.
    const runAdam = (make: (ps: Tensor[]) => optim.Optimizer, stock: boolean) => {
      manualSeed(4);
      const params = [randn([37, 5], { requiresGrad: true }), randn([5], { requiresGrad: true })];
      const opt = make(params);
      for (let i = 0; i < 4; i++) {
        for (const q of params) q.grad = randn(q.shape);
        if (stock) withStockKernels(() => opt.step());
        else opt.step();
      }
      return params.map((q) => q.tolist());
    };
    const adams: [string, (ps: Tensor[]) => optim.Optimizer][] = [
      ['Adam', (ps) => new optim.Adam(ps, { lr: 0.01 })],
      ['Adam amsgrad, L2, maximize', (ps) => new optim.Adam(ps, { lr: 0.02, betas: [0.8, 0.99], weightDecay: 0.1, amsgrad: true, maximize: true })],
      ['AdamW', (ps) => new optim.AdamW(ps, { lr: 0.01, weightDecay: 0.05, eps: 1e-6 })],
    ];
    for (const [name, make] of adams) expect(runAdam(make, false), name).toEqual(runAdam(make, true));
    // A tensor sharing the parameter's storage (detach shares it) keeps the old values.
    const p = tensor([1, 2, 3], { requiresGrad: true });
    p.grad = tensor([1, 1, 1]);
    const opt = new optim.SGD([p], { lr: 0.5 });
    const shared = p.detach();
    opt.step();
    expect(shared.tolist()).toEqual([1, 2, 3]);
    expect(p.tolist()).toEqual([0.5, 1.5, 2.5]);
    shared.dispose();
    opt.step();
    expect(p.tolist()).toEqual([0, 1, 2]);
  });

  it('FLINT_NATIVE=0 turns them off in a new process', () => {
    const pkg = fileURLToPath(new URL('../..', import.meta.url));
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import * as flint from ${JSON.stringify(entry)}; const n = flint.native(); console.log(JSON.stringify([n.active, n.reason]));`],
      { cwd: pkg, encoding: 'utf8', env: { ...process.env, FLINT_NATIVE: '0' } },
    );
    expect(JSON.parse(out.trim())).toEqual([false, 'turned off by FLINT_NATIVE=0']);
  });

  it('setNumThreads sets the thread count when active and checks its argument', () => {
    expect(() => setNumThreads(0)).toThrow(BackendError);
    expect(() => setNumThreads(1.5)).toThrow(/setNumThreads\(\): n must be a positive integer \(got 1.5\)/);
    const before = getNumThreads();
    setNumThreads(1);
    expect(getNumThreads()).toBe(active ? 1 : 1);
    setNumThreads(2);
    expect(getNumThreads()).toBe(active ? 2 : 1);
    setNumThreads(before);
  });

  describe('matmul', () => {
    const cases: [string, number[], number[], boolean, boolean][] = [
      ['[7, 5] x [5, 3]', [7, 5], [5, 3], false, false],
      ['transposeA', [5, 7], [5, 3], true, false],
      ['transposeB', [7, 5], [3, 5], false, true],
      ['both transposed', [5, 7], [3, 5], true, true],
      ['batched', [4, 7, 5], [4, 5, 3], false, false],
      ['batched, transposeB', [4, 7, 5], [4, 3, 5], false, true],
      ['batched, transposeA', [4, 5, 7], [4, 5, 3], true, false],
      ['one left matrix against a batch', [1, 7, 5], [4, 5, 3], false, false],
      ['a batch against one right matrix', [2, 3, 7, 5], [5, 3], false, false],
      ['two batch dimensions', [2, 3, 7, 5], [2, 3, 5, 6], false, false],
      ['one row, one column', [1, 64], [64, 1], false, false],
      ['MLP-sized', [128, 784], [256, 784], false, true],
    ];
    for (const [name, sa, sb, ta, tb] of cases) {
      it(name, async () => {
        await expectSameAsStock(() => tf.matMul(input(sa), input(sb, 1), ta, tb));
      });
    }

    it('an empty inner dimension gives zeros', async () => {
      await expectSameAsStock(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4])));
    });

    it('with a fused bias and activations', async () => {
      for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
        await expectSameAsStock(() => tf.fused.matMul({ a: input([6, 5]), b: input([5, 4], 1), bias: input([4], 2), activation, leakyreluAlpha: 0.3 }));
      }
      // tfjs's wasm kernel adds the bias wrongly to a transposed operand's product of several rows.
      await expectSameAsStock(() => tf.fused.matMul({ a: input([3, 6, 5]), b: input([3, 4, 5], 1), transposeB: true, bias: input([4], 2), activation: 'relu' }), true);
      // prelu is left to the stock kernel
      await expectSameAsStock(() => tf.fused.matMul({ a: input([6, 5]), b: input([5, 4], 1), activation: 'prelu', preluActivationWeights: input([4], 3) }));
    });
  });

  describe('conv2d', () => {
    type Conv = { x: number[]; f: number[]; strides: [number, number]; pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]; dilations: [number, number] };
    const cases: [string, Conv][] = [
      ['3x3, same', { x: [2, 7, 6, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same', dilations: [1, 1] }],
      ['5x5, valid, one input channel', { x: [3, 12, 12, 1], f: [5, 5, 1, 6], strides: [1, 1], pad: 'valid', dilations: [1, 1] }],
      ['stride 2, same', { x: [2, 9, 8, 3], f: [3, 3, 3, 5], strides: [2, 2], pad: 'same', dilations: [1, 1] }],
      ['stride (2, 1), explicit padding', { x: [2, 9, 8, 3], f: [3, 2, 3, 5], strides: [2, 1], pad: [[0, 0], [2, 1], [0, 3], [0, 0]], dilations: [1, 1] }],
      ['dilation 2', { x: [2, 10, 9, 2], f: [3, 3, 2, 4], strides: [1, 1], pad: 'valid', dilations: [2, 2] }],
      ['1x1', { x: [2, 5, 5, 8], f: [1, 1, 8, 3], strides: [1, 1], pad: 'valid', dilations: [1, 1] }],
      ['1x1, stride 2', { x: [2, 6, 6, 8], f: [1, 1, 8, 3], strides: [2, 2], pad: 'valid', dilations: [1, 1] }],
      // Padded by up to (k - 1) * dilation with fewer output than input channels: run as a transposed convolution.
      ['full padding, fewer output channels', { x: [2, 6, 5, 8], f: [3, 3, 8, 2], strides: [1, 1], pad: [[0, 0], [2, 2], [2, 1], [0, 0]], dilations: [1, 1] }],
      ['full padding, dilation 2', { x: [2, 6, 7, 8], f: [3, 2, 8, 3], strides: [1, 1], pad: [[0, 0], [4, 3], [1, 2], [0, 0]], dilations: [2, 2] }],
      ['7x7 stride 2 on a wide input', { x: [1, 20, 20, 3], f: [7, 7, 3, 8], strides: [2, 2], pad: [[0, 0], [3, 3], [3, 3], [0, 0]], dilations: [1, 1] }],
    ];
    for (const [name, c] of cases) {
      it(`${name}: forward and both gradients`, async () => {
        await expectSameAsStock(() => tf.conv2d(input(c.x) as tf.Tensor4D, input(c.f, 1) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations));
        const y = tf.tidy(() => tf.conv2d(tf.zeros<tf.Rank>(c.x) as tf.Tensor4D, tf.zeros<tf.Rank>(c.f) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations));
        const yShape = y.shape;
        y.dispose();
        // tfjs's gradient kernels take no dilation; they are checked without one.
        if (c.dilations[0] === 1 && c.dilations[1] === 1) {
          await expectSameAsStock(() =>
            tf.engine().runKernel('Conv2DBackpropInput', { dy: input(yShape, 2), filter: input(c.f, 1) }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x } as never) as tf.Tensor,
          );
          await expectSameAsStock(() =>
            tf.engine().runKernel('Conv2DBackpropFilter', { x: input(c.x), dy: input(yShape, 2) }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f } as never) as tf.Tensor,
          );
        }
      });
    }

    it('with a fused bias and activations', async () => {
      for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
        await expectSameAsStock(() =>
          tf.fused.conv2d({ x: input([2, 6, 6, 3]) as tf.Tensor4D, filter: input([3, 3, 3, 4], 1) as tf.Tensor4D, strides: 1, pad: 'same', bias: input([4], 2), activation, leakyreluAlpha: 0.3 }),
        );
      }
    });
  });

  describe('max pooling scan', () => {
    for (const backendName of ['wasm', 'cpu'] as const) {
      it(`reads the ${backendName} backend's data in place and finds PyTorch's winners`, async () => {
        await setBackend(backendName);
        const [n, c, h, w] = [2, 3, 9, 8];
        const data = input([n, c, h, w]).dataSync() as Float32Array;
        data[10] = Number.NaN;
        const x = tf.tensor(data, [n, c, h, w], 'float32');
        // 3x3 windows, stride 2, padding 1 (cut at the edges).
        const win = (size: number, out: number) => ({
          start: Int32Array.from({ length: out }, (_, i) => Math.max(0, 2 * i - 1)),
          end: Int32Array.from({ length: out }, (_, i) => Math.min(size, 2 * i + 2)),
          step: 1,
        });
        const rows = win(h, 5);
        const cols = win(w, 4);
        const got = nativeMaxPoolScan(x, rows, cols);
        expect(withStockKernels(() => nativeMaxPoolScan(x, rows, cols))).toBeNull();
        x.dispose();
        if (!active) {
          expect(got).toBeNull();
          return;
        }
        let o = 0;
        for (let p = 0; p < n * c; p++)
          for (let i = 0; i < 5; i++)
            for (let j = 0; j < 4; j++, o++) {
              let best = -Infinity;
              let at = -1;
              for (let r = rows.start[i]!; r < rows.end[i]!; r++)
                for (let q = cols.start[j]!; q < cols.end[j]!; q++) {
                  const k = p * h * w + r * w + q;
                  if (data[k]! > best || Number.isNaN(data[k]!)) [best, at] = [data[k]!, k];
                }
              expect([got!.values[o], got!.where[o]]).toEqual([best, at]);
            }
        expect(got!.values[1]).toBeNaN();
      });
    }
  });

  describe('transpose', () => {
    const cases: [number[], number[]][] = [
      [[64, 6, 14, 14], [0, 2, 3, 1]],
      [[64, 14, 14, 6], [0, 3, 1, 2]],
      [[6, 14, 14, 64], [3, 0, 1, 2]],
      [[128, 784], [1, 0]],
      [[3, 1, 40, 50], [2, 0, 3, 1]],
      [[8, 16, 64], [1, 0, 2]],
    ];
    for (const [shape, perm] of cases) {
      it(`[${shape}] by [${perm}], float32 and int32`, async () => {
        await expectSameAsStock(() => tf.transpose(input(shape), perm));
        await expectSameAsStock(() => tf.cast(tf.transpose(tf.cast(tf.mul(input(shape), 20), 'int32'), perm), 'float32'));
      });
    }
  });

  describe('through Flint modules (forward and gradients, native against the stock kernels)', () => {
    /** The module's output and every gradient, computed with the native or the stock kernels. */
    async function outputs(make: () => nn.Module & { forward(x: Tensor): Tensor }, xShape: number[], stock: boolean): Promise<Float32Array[]> {
      await setBackend('wasm');
      const go = (): Float32Array[] => {
        const m = make();
        try {
          noGrad(() => [...m.parameters()].forEach((p, i) => p.copy_(fromTf(input(p.shape, i + 1)))));
          const x = fromTf(input(xShape)).requiresGrad_();
          const y = m.forward(x);
          y.mul(y).sum().backward();
          return [y, x.grad!, ...[...m.parameters()].map((p) => p.grad!)].map((t) => Float32Array.from(t.dataSync()));
        } finally {
          m.dispose();
        }
      };
      return stock ? withStockKernels(go) : go();
    }

    async function expectModuleSame(make: () => nn.Module & { forward(x: Tensor): Tensor }, xShape: number[]): Promise<void> {
      const got = await outputs(make, xShape, false);
      const want = await outputs(make, xShape, true);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expectClose({ shape: [got[i]!.length], values: got[i]! }, { shape: [want[i]!.length], values: want[i]! }, `output ${i}`);
    }

    const configs: [string, { inC: number; outC: number; k: number; stride?: number; padding?: number; dilation?: number; groups?: number }][] = [
      ['plain', { inC: 3, outC: 4, k: 3, padding: 1 }],
      ['stride 2', { inC: 3, outC: 4, k: 3, stride: 2, padding: 1 }],
      ['dilation 2', { inC: 2, outC: 3, k: 3, dilation: 2 }],
      ['stride 2 and dilation 2', { inC: 2, outC: 3, k: 3, stride: 2, dilation: 2, padding: 2 }],
      ['groups 2', { inC: 4, outC: 6, k: 3, padding: 1, groups: 2 }],
      ['depthwise', { inC: 3, outC: 6, k: 3, padding: 1, groups: 3 }],
      ['1x1', { inC: 5, outC: 3, k: 1 }],
      ['padding wider than the kernel', { inC: 2, outC: 3, k: 2, padding: 3 }],
    ];
    for (const [name, c] of configs) {
      it(`Conv2d ${name}`, async () => {
        const make = () => new nn.Conv2d(c.inC, c.outC, c.k, { stride: c.stride ?? 1, padding: c.padding ?? 0, dilation: c.dilation ?? 1, groups: c.groups ?? 1 });
        await expectModuleSame(make, [2, c.inC, 9, 8]);
      });
    }

    it('ConvTranspose2d with a bias, stride, output padding and groups', async () => {
      await expectModuleSame(() => new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [2, 4, 5, 6]);
      await expectModuleSame(() => new nn.ConvTranspose2d(3, 2, 4, { stride: 3, dilation: 2 }), [2, 3, 4, 4]);
    });

    it('Conv1d', async () => {
      await expectModuleSame(() => new nn.Conv1d(3, 5, 3, { stride: 2, padding: 1 }), [2, 3, 17]);
    });

    it('Linear with a bias, 2-D and batched input', async () => {
      await expectModuleSame(() => new nn.Linear(20, 7), [9, 20]);
      await expectModuleSame(() => new nn.Linear(20, 7), [3, 4, 20]);
      await expectModuleSame(() => new nn.Linear(20, 7), [2, 20]);
    });

    /** matmul's output, both gradients and both second-order gradients, native or stock. */
    async function matmulGrads(sa: number[], sb: number[], stock: boolean): Promise<Float32Array[]> {
      await setBackend('wasm');
      const go = (): Float32Array[] => {
        const a = fromTf(input(sa, 1)).requiresGrad_();
        const b = fromTf(input(sb, 2)).requiresGrad_();
        const y = matmul(a, b);
        const [ga, gb] = autograd.grad([y.mul(y).sum()], [a, b], { createGraph: true });
        const [gga, ggb] = autograd.grad([ga!.sum().add(gb!.mul(gb!).sum())], [a, b]);
        return [y, ga!, gb!, gga!, ggb!].map((t) => Float32Array.from(t.dataSync()));
      };
      return stock ? withStockKernels(go) : go();
    }

    const products: [number[], number[]][] = [
      [[7, 5], [5, 3]],
      [[4, 7, 5], [4, 5, 3]],
      [[7, 5], [2, 3, 5, 6]],
      [[2, 1, 6, 5], [3, 5, 4]],
      [[5], [3, 5, 2]],
    ];
    for (const [sa, sb] of products) {
      it(`matmul [${sa}] x [${sb}]: gradients of first and second order (transposed operands read in place)`, async () => {
        const got = await matmulGrads(sa, sb, false);
        const want = await matmulGrads(sa, sb, true);
        for (let i = 0; i < want.length; i++) expectClose({ shape: [got[i]!.length], values: got[i]! }, { shape: [want[i]!.length], values: want[i]! }, `output ${i}`);
      });
    }
  });
});
