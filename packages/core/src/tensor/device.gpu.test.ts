/**
 * GPU tensors: `to()`, creation on a device, device-mixing errors, `module.to()`, memory per
 * device, and the usual training loop moved to the GPU. On a machine without a GPU these run on
 * Dawn's software adapter (FLINT_WEBGPU_SOFTWARE=1, set here before core loads); when no adapter
 * at all can be created they are skipped, and the reason is in the suite's name.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

process.env.FLINT_WEBGPU_SOFTWARE ??= '1';
const flint = await import('../index.js');
const { gpu, setDefaultDevice, getDefaultDevice } = await import('../device.js');
const { DeviceError, nn, optim, data } = flint;
type Tensor = InstanceType<typeof flint.Tensor>;

const available = gpu.isAvailable();
const suite = available ? `GPU tensors on ${gpu.deviceName()}` : `GPU tensors (skipped: no WebGPU adapter could be created: ${gpu.deviceName()})`;

describe.skipIf(!available)(suite, () => {
  it('to(), cuda() and cpu() copy across devices and keep values, dtype and shape', () => {
    flint.scope(() => {
      const x = flint.tensor([[1.5, -2], [3, 4]]);
      const g = x.to('gpu');
      expect(x.device).toBe('cpu');
      expect(g.device).toBe('gpu');
      expect(g.shape).toEqual([2, 2]);
      expect(g.tolist()).toEqual([[1.5, -2], [3, 4]]);
      expect(x.cuda().device).toBe('gpu');
      expect(x.to('cuda:0').device).toBe('gpu');
      expect(g.cpu().device).toBe('cpu');
      expect(g.to('gpu')).toBe(g);
      expect(x.to('cpu')).toBe(x);
      const i = x.to({ dtype: 'int32', device: 'gpu' });
      expect([i.dtype, i.device]).toEqual(['int32', 'gpu']);
      expect(i.tolist()).toEqual([[1, -2], [3, 4]]);
      const b = flint.tensor([true, false]).to('gpu');
      expect(b.tolist()).toEqual([true, false]);
      expect(String(g)).toContain("device='gpu'");
    });
  });

  it('ops on GPU tensors give GPU tensors with the CPU values', () => {
    flint.scope(() => {
      flint.manualSeed(1);
      const a = flint.randn([17, 33]);
      const b = flint.randn([33, 5]);
      const out = a.to('gpu').matmul(b.to('gpu')).relu().sum(1);
      const ref = a.matmul(b).relu().sum(1);
      expect(out.device).toBe('gpu');
      flint.testing.assertClose(out.cpu(), ref, { rtol: 1e-4, atol: 1e-4 });
      expect(ref.device).toBe('cpu');
      // A comparison, an int op and a reduction with indices.
      const m = out.gt(0);
      expect(m.device).toBe('gpu');
      expect(m.tolist()).toEqual(ref.gt(0).tolist());
      expect(out.max(0).indices.item()).toBe(ref.max(0).indices.item());
    });
  });

  it('an op on tensors of two devices fails naming the op and both devices; CPU scalars join GPU ops', () => {
    flint.scope(() => {
      const g = flint.ones([2, 2], { device: 'gpu' });
      const c = flint.ones([2, 2]);
      expect(() => g.add(c)).toThrow(DeviceError);
      expect(() => g.add(c)).toThrow(/^add\(\): expected all tensors to be on the same device, but found at least two devices, 'gpu' and 'cpu'/);
      expect(() => c.matmul(g)).toThrow(/matmul\(\).*'cpu' and 'gpu'/);
      const s = flint.tensor(3);
      const r = g.mul(s);
      expect(r.device).toBe('gpu');
      expect(r.tolist()).toEqual([[3, 3], [3, 3]]);
      expect(g.add(2).device).toBe('gpu');
    });
  });

  it('ops with several tensor inputs outside autograd refuse a device mix, naming the op', () => {
    flint.scope(() => {
      const g = flint.tensor([[1, 2], [3, 4]], { device: 'gpu' });
      const c = flint.tensor([[1, 2], [3, 4]]);
      const idx = flint.tensor([[1, 0], [0, 1]], { dtype: 'int32' });
      const idx1 = flint.tensor([1, 0], { dtype: 'int32' });
      const mask = flint.tensor([[true, false], [false, true]]);
      const mixes: [string, () => unknown][] = [
        ['where', () => flint.where(mask, g, g)],
        ['where', () => flint.where(mask.to('gpu'), g, c)],
        ['indexSelect', () => g.indexSelect(0, idx1)],
        ['gather', () => g.gather(1, idx)],
        ['scatter', () => g.scatter(1, idx, 0)],
        ['scatter', () => c.scatter(1, idx, g)],
        ['scatterAdd', () => c.scatterAdd(1, idx, g)],
        ['scatterAdd', () => g.scatterAdd(1, idx.to('gpu'), c)],
        ['maskedFill', () => g.maskedFill(mask, 0)],
        ['cat', () => flint.cat([g, c])],
        ['cat', () => flint.cat([c, flint.zeros([0], { device: 'gpu' })])],
        ['stack', () => flint.stack([c, g])],
        ['indexPut', () => flint.indexPut(g, [0], flint.tensor([5, 6]))],
        ['eq', () => g.eq(c)],
      ];
      for (const [name, f] of mixes) {
        expect(f, name).toThrow(DeviceError);
        expect(f, name).toThrow(new RegExp(`^${name}\\(\\): expected all tensors to be on the same device, but found at least two devices, '(gpu' and 'cpu|cpu' and 'gpu)'`));
      }
      // Index tensors may sit on the CPU for a GPU tensor, as in PyTorch, but not the other way round.
      expect(() => c.index(idx1.to('gpu'))).toThrow(/^index\(\): indices should be either on 'cpu' or on the same device as the indexed tensor \('cpu'\), but found an index on 'gpu'/);
      expect(() => flint.indexPut(c, [mask.to('gpu')], 0)).toThrow(/^indexPut\(\): indices should be either on 'cpu'/);
      // 0-d tensors join either device.
      const s = flint.tensor(9);
      expect(g.maskedFill(mask.to('gpu'), s).tolist()).toEqual([[9, 2], [3, 9]]);
      expect(flint.where(flint.tensor(true), g, s).device).toBe('gpu');
      expect(flint.indexPut(g, [1], s).tolist()).toEqual([[1, 2], [9, 9]]);
    });
  });

  it('those ops on GPU tensors stay on the GPU and match the CPU, gradients included', () => {
    flint.scope(() => {
      flint.manualSeed(3);
      const x = flint.randn([3, 4]);
      const idx = flint.tensor([[2, 0, 1, 1], [0, 0, 2, 1]], { dtype: 'int32' });
      const idx1 = flint.tensor([2, 0], { dtype: 'int32' });
      const mask = x.gt(0);
      const src = flint.randn([2, 4]);
      const run = (d: 'cpu' | 'gpu'): [Tensor[], Tensor] => {
        const xd = x.to(d).detach().requiresGrad_();
        const [i, i1, m, sd] = [idx.to(d), idx1.to(d), mask.to(d), src.to(d)];
        const outs = [
          flint.where(m, xd, xd.mul(-1)),
          xd.indexSelect(0, i1),
          xd.gather(0, i),
          xd.scatter(0, i, sd),
          xd.scatterAdd(0, i, sd),
          xd.maskedFill(m, -2),
          flint.cat([xd, sd]),
          flint.stack([xd, xd.mul(2)], 1),
          flint.indexPut(xd, [i1], 7),
          xd.index(m),
          xd.index(i1.cpu()),
          flint.maximum(xd, sd.sum(0)),
          xd.pow(flint.tensor([2, 0, 1, 3]).to(d)),
          flint.zerosLike(xd).add(flint.fullLike(xd, 2)),
        ];
        const total = outs.map((o) => o.sum()).reduce((a, b) => a.add(b));
        total.backward();
        return [outs, xd.grad!];
      };
      const [refs, gradRef] = run('cpu');
      const [outs, grad] = run('gpu');
      outs.forEach((o, k) => {
        expect(o.device, `output ${k}`).toBe('gpu');
        flint.testing.assertClose(o.cpu(), refs[k]!, { rtol: 1e-4, atol: 1e-5 });
      });
      expect(grad.device).toBe('gpu');
      flint.testing.assertClose(grad.cpu(), gradRef, { rtol: 1e-4, atol: 1e-5 });
    });
  });

  it('internal fills follow their input, not the backend that ran last', () => {
    flint.scope(() => {
      const g = flint.ones([2], { device: 'gpu' });
      const c = flint.ones([3]);
      c.add(1); // the CPU ran last
      const z = g.zero_();
      expect(z.device).toBe('gpu');
      expect(g.tolist()).toEqual([0, 0]);
      g.add(1); // the GPU ran last
      expect(c.fill_(4).tolist()).toEqual([4, 4, 4]);
      expect(c.device).toBe('cpu');
      expect(flint.fullLike(c, 2, { device: 'gpu' }).device).toBe('gpu');
      g.add(1);
      expect(flint.prod(flint.zeros([0, 2]), 0).device).toBe('cpu');
      // The seed gradient of backward() lands on the output's device.
      const w = flint.tensor([1, 2], { device: 'gpu', requiresGrad: true });
      const y = w.mul(3).sum();
      c.add(1);
      y.backward();
      expect(w.grad!.device).toBe('gpu');
      expect(w.grad!.tolist()).toEqual([3, 3]);
    });
  });

  it('creation functions take { device }, *Like functions follow their input, and the default device can change', () => {
    flint.scope(() => {
      for (const t of [
        flint.zeros([2], { device: 'gpu' }),
        flint.full([2], 7, { device: 'cuda' }),
        flint.randn([3], { device: 'gpu' }),
        flint.randint(0, 5, [3], { device: 'gpu' }),
        flint.arange(4, { device: 'gpu' }),
        flint.eye(2, { device: 'gpu' }),
        flint.tensor([1, 2], { device: 'gpu' }),
      ]) {
        expect(t.device).toBe('gpu');
      }
      const g = flint.tensor([1, 2], { device: 'gpu' });
      expect(flint.zerosLike(g).device).toBe('gpu');
      expect(flint.randnLike(g).device).toBe('gpu');
      expect(flint.zerosLike(g, { device: 'cpu' }).device).toBe('cpu');
      expect(flint.zeros([1]).device).toBe('cpu');
      const prev = setDefaultDevice('gpu');
      try {
        expect(getDefaultDevice()).toBe('gpu');
        expect(flint.zeros([1]).device).toBe('gpu');
      } finally {
        setDefaultDevice(prev);
      }
      expect(flint.zeros([1]).device).toBe('cpu');
    });
  });

  it('gradients flow back through to() to the source device', () => {
    flint.scope(() => {
      const w = flint.tensor([[1, 2], [3, 4]], { requiresGrad: true });
      const y = w.to('gpu').pow(2).mul(flint.tensor([[1, 10], [100, 1000]]).to('gpu')).sum();
      expect(y.gradFn?.name).toBe('SumBackward0');
      y.backward();
      expect(w.grad!.device).toBe('cpu');
      expect(w.grad!.tolist()).toEqual([[2, 40], [600, 8000]]);
      const v = flint.tensor([1, 2], { device: 'gpu', requiresGrad: true });
      v.mul(v).sum().backward();
      expect(v.grad!.device).toBe('gpu');
      expect(v.grad!.tolist()).toEqual([2, 4]);
    });
  });

  it('module.to() moves parameters and buffers in place, gradients follow, and the optimizer keeps working', () => {
    flint.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.Linear(3, 2));
    const params = [...model.parameters()];
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    flint.scope(() => model(flint.randn([5, 4])).sum().backward());
    const before = params.map((p) => p.tolist());
    expect(model.to('gpu')).toBe(model);
    const after = [...model.parameters()];
    after.forEach((p, i) => {
      expect(p).toBe(params[i]);
      expect(p.device).toBe('gpu');
      expect(p.tolist()).toEqual(before[i]);
      expect(p.grad!.device).toBe('gpu');
    });
    for (const b of model.buffers()) expect(b.device).toBe('gpu');
    opt.step();
    flint.scope(() => {
      const out = model(flint.randn([5, 4]).to('gpu'));
      expect(out.device).toBe('gpu');
    });
    // A state dict from the CPU loads into the GPU model without moving it.
    const sd = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.cpu()]));
    model.loadStateDict(sd);
    for (const p of model.parameters()) expect(p.device).toBe('gpu');
    for (const v of Object.values(sd)) v.dispose();
    model.cpu();
    for (const p of model.parameters()) expect(p.device).toBe('cpu');
    for (const b of model.buffers()) expect(b.device).toBe('cpu');
    model.dispose();
    opt.zeroGrad();
  });

  it('memory() counts tensors per device, and scopes free GPU tensors', () => {
    const before = flint.memory().devices.gpu;
    const kept = flint.scope(() => {
      const x = flint.randn([64, 64], { device: 'gpu' });
      const y = x.matmul(x).relu();
      expect(flint.memory().devices.gpu.numTensors).toBeGreaterThanOrEqual(before.numTensors + 2);
      return y.sum();
    });
    expect(flint.memory().devices.gpu.numTensors).toBe(before.numTensors + 1);
    expect(flint.memory().devices.gpu.numBytes).toBe(before.numBytes + 4);
    kept.dispose();
    expect(flint.memory().devices.gpu).toEqual(before);
  });

  it("the usual training loop runs unchanged with .to('gpu') and follows the CPU run", () => {
    function train(device: 'cpu' | 'gpu'): number[] {
      flint.manualSeed(0);
      const xs = flint.randn([64, 10]);
      const ys = xs.sum(1).gt(0).to('int32');
      const loader = new data.DataLoader(new data.TensorDataset(xs, ys), { batchSize: 16, shuffle: true, generator: new flint.Generator(1) });
      const model = new nn.Sequential(new nn.Linear(10, 32), new nn.ReLU(), new nn.Dropout(0.1), new nn.Linear(32, 2)).to(device);
      const criterion = new nn.CrossEntropyLoss();
      const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const losses: number[] = [];
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const [x, y] of loader as Iterable<[Tensor, Tensor]>) {
          const xd = x.to(device);
          const yd = y.to(device);
          optimizer.zeroGrad();
          const loss = criterion(model(xd), yd);
          loss.backward();
          optimizer.step();
          losses.push(loss.item());
        }
      }
      for (const p of model.parameters()) expect(p.device).toBe(device);
      optimizer.dispose();
      model.dispose();
      xs.dispose();
      ys.dispose();
      return losses;
    }
    const cpu = train('cpu');
    const before = flint.memory().devices.gpu.numTensors;
    const onGpu = train('gpu');
    expect(onGpu.length).toBe(12);
    onGpu.forEach((l, i) => expect(l).toBeCloseTo(cpu[i]!, 3));
    expect(onGpu[onGpu.length - 1]!).toBeLessThan(onGpu[0]!);
    expect(flint.memory().devices.gpu.numTensors).toBe(before);
  });

  /** The same call on CPU inputs and on their GPU copies: the GPU result stays there and matches. */
  function same(run: (dev: 'cpu' | 'gpu') => Tensor | Tensor[], tol = 1e-5): void {
    flint.scope(() => {
      const cpu = [run('cpu')].flat();
      const gpuOut = [run('gpu')].flat();
      expect(gpuOut.length).toBe(cpu.length);
      gpuOut.forEach((g, i) => {
        expect(g.device).toBe('gpu');
        flint.testing.assertClose(g.cpu(), cpu[i]!, { rtol: tol, atol: tol, equalNan: true });
      });
    });
  }

  it('functional calls outside modules keep GPU inputs on the GPU and match the CPU', () => {
    const F = nn.functional;
    expect(getDefaultDevice()).toBe('cpu');
    flint.manualSeed(3);
    const logits = flint.randn([6, 5]);
    const target = flint.tensor([0, 4, -100, 2, 2, 1], { dtype: 'int32' });
    const weight = flint.tensor([1, 2, 0.5, 1, 3]);
    const x4 = flint.randn([2, 3, 7, 6]);
    const seq = flint.randn([5, 3, 4]);
    const at = (t: Tensor, d: 'cpu' | 'gpu'): Tensor => t.to(d);
    // Losses whose class weights, targets and smoothing rows are made on the host.
    same((d) => {
      const l = at(logits, d).detach().requiresGrad_();
      const loss = F.crossEntropy(l, at(target, d), { weight: at(weight, d), labelSmoothing: 0.1 });
      loss.backward();
      return [loss, l.grad!];
    });
    same((d) => F.nllLoss(F.logSoftmax(at(logits, d), 1), at(target, d).clamp(0), { reduction: 'none' }));
    same((d) => F.multilabelMarginLoss(at(logits, d), flint.tensor([[3, 0, -1, 1, 1], [1, 2, 4, -1, 0], [0, -1, 0, 0, 0], [4, 3, 2, 1, 0], [2, -1, 0, 0, 0], [1, 0, -1, 0, 0]], { dtype: 'int32', device: d })));
    same((d) => {
      const lp = F.logSoftmax(flint.randn([6, 2, 4], { generator: new flint.Generator(5) }).to(d), 2).detach().requiresGrad_();
      const loss = F.ctcLoss(lp, flint.tensor([[1, 2], [3, 3]], { dtype: 'int32', device: d }), [6, 5], [2, 2]);
      loss.backward();
      return [loss, lp.grad!];
    }, 1e-4);
    // Dropout masks from the same seed; attention masks; padding rows of zero attention.
    same((d) => F.dropout(at(x4, d), { p: 0.3, generator: new flint.Generator(7) }));
    same((d) => F.scaledDotProductAttention(at(seq, d), at(seq, d), at(seq, d), { isCausal: true }), 1e-4);
    same((d) => F.scaledDotProductAttention(at(seq, d), at(seq, d), at(seq, d), { attnMask: flint.tensor([true, false, true], { device: d }) }), 1e-4);
    // Embeddings: gradient scales, renormalised rows, bag offsets, one-hot codes.
    same((d) => {
      const w = flint.randn([6, 3], { generator: new flint.Generator(2) }).to(d).requiresGrad_();
      const y = F.embedding(flint.tensor([[1, 2, 1], [0, 5, 2]], { dtype: 'int32', device: d }), w, { paddingIdx: 2, scaleGradByFreq: true });
      y.pow(2).sum().backward();
      return [y, w.grad!];
    });
    same((d) => {
      const w = flint.randn([6, 3], { generator: new flint.Generator(2) }).mul(3).to(d);
      F.embedding(flint.tensor([1, 4], { dtype: 'int32', device: d }), w, { maxNorm: 1 });
      return w;
    }, 1e-4);
    same((d) => F.embeddingBag(flint.tensor([1, 2, 4, 5, 4, 3], { dtype: 'int32', device: d }), flint.randn([6, 3], { generator: new flint.Generator(4) }).to(d), { offsets: flint.tensor([0, 2, 2], { dtype: 'int32', device: d }), mode: 'mean' }));
    same((d) => F.oneHot(flint.tensor(3, { dtype: 'int32', device: d }), 5));
    // Resampling and pooling constants (index and scale tensors).
    same((d) => F.interpolate(at(x4, d), { size: [5, 9], mode: 'nearest' }));
    same((d) => F.adaptiveAvgPool2d(at(x4, d), [4, 5]));
    same((d) => F.avgPool2d(at(x4, d), 3, { stride: 2, padding: 1, countIncludePad: false }));
    // Cells with GRU's folded biases, and packed sequences sorted by length.
    same((d) => {
      const g = new flint.Generator(9);
      return F.gruCell(flint.randn([3, 4], { generator: g }).to(d), flint.randn([3, 2], { generator: g }).to(d), flint.randn([6, 4], { generator: g }).to(d), flint.randn([6, 2], { generator: g }).to(d), flint.randn([6], { generator: g }).to(d), flint.randn([6], { generator: g }).to(d));
    }, 1e-4);
    flint.scope(() => {
      const packed = nn.utils.packPaddedSequence(seq.to('gpu'), [2, 5, 3], { enforceSorted: false });
      expect(packed.data.device).toBe('gpu');
      const [padded, lengths] = nn.utils.padPackedSequence(packed, { batchFirst: true });
      expect(padded.device).toBe('gpu');
      expect(lengths.device).toBe('cpu');
      expect(lengths.tolist()).toEqual([2, 5, 3]);
      const ref = nn.utils.padPackedSequence(nn.utils.packPaddedSequence(seq, [2, 5, 3], { enforceSorted: false }), { batchFirst: true })[0];
      flint.testing.assertClose(padded.cpu(), ref);
    });
    // Targets and weights read on the host must still sit on the input's device, as in PyTorch.
    flint.scope(() => {
      const g = logits.to('gpu');
      expect(() => F.crossEntropy(g, target)).toThrow(DeviceError);
      expect(() => F.crossEntropy(g, target)).toThrow(/^crossEntropy\(\): expected all tensors to be on the same device, but found at least two devices, 'gpu' \(input\) and 'cpu' \(target\)/);
      expect(() => F.nllLoss(g, target.to('gpu'), { weight })).toThrow(/^nllLoss\(\): .*'gpu' \(input\) and 'cpu' \(weight\)/);
    });
    for (const t of [logits, target, weight, x4, seq]) t.dispose();
  });

  it('pooling on the GPU gives the CPU results, indices and gradients; average pooling stays on the GPU', () => {
    const F = nn.functional;
    flint.manualSeed(4);
    // Ties (ones) and NaNs decide winners: the first maximum wins, the last NaN wins.
    const values = Array.from(flint.randn([2, 3, 7, 6]).dataSync(), (v, i) => (i % 17 === 0 ? NaN : i % 5 === 0 ? 1 : v));
    const x = flint.tensor(values).reshape([2, 3, 7, 6]);
    const smooth = flint.randn([2, 3, 7, 6]);
    const reads = vi.spyOn(flint.Tensor.prototype, 'dataSync');
    try {
      for (const pool of [
        (t: Tensor) => F.maxPool2d(t, 3, { stride: 2, padding: 1, returnIndices: true }),
        (t: Tensor) => F.maxPool2d(t, 2, { dilation: 2, ceilMode: true, returnIndices: true }),
        (t: Tensor) => F.adaptiveMaxPool2d(t, [4, 5], { returnIndices: true }),
        (t: Tensor) => F.maxPool1d(t.reshape([6, 7, 6]), 3, { returnIndices: true }),
      ]) {
        flint.scope(() => {
          const [yc, ic] = pool(x);
          reads.mockClear();
          // Max pooling scans its windows on the host: on an H100 that round trip cost far less
          // than a window-gathering scan on the device (bench/RESULTS.md, GPU).
          const [yg, ig] = pool(x.to('gpu'));
          expect([yg.device, ig.device]).toEqual(['gpu', 'gpu']);
          expect(yg.tolist()).toEqual(yc.tolist());
          expect(ig.tolist()).toEqual(ic.tolist());
        });
      }
      for (const [pool, staysOnDevice] of [
        [(t: Tensor) => F.maxPool2d(t, 3, { stride: 2, padding: 1 }), false],
        [(t: Tensor) => F.adaptiveMaxPool2d(t, [4, 5]), false],
        [(t: Tensor) => F.avgPool2d(t, 3, { stride: 2, padding: 1, countIncludePad: false }), true],
        [(t: Tensor) => F.avgPool2d(t, 3, { stride: 2, ceilMode: true }), true],
        [(t: Tensor) => F.adaptiveAvgPool2d(t, 1), true],
      ] as const) {
        flint.scope(() => {
          const a = smooth.clone().requiresGrad_();
          const w = flint.randn(pool(smooth).shape);
          pool(a).mul(w).sum().backward();
          const b = smooth.to('gpu').requiresGrad_();
          const wg = w.to('gpu');
          reads.mockClear();
          pool(b).mul(wg).sum().backward();
          if (staysOnDevice) expect(reads).not.toHaveBeenCalled();
          expect(b.grad!.device).toBe('gpu');
          flint.testing.assertClose(b.grad!.cpu(), a.grad!, { rtol: 1e-5, atol: 1e-6 });
        });
      }
    } finally {
      reads.mockRestore();
      x.dispose();
      smooth.dispose();
    }
  });

  it('comparisons check devices like other ops; CPU scalars join GPU comparisons', () => {
    flint.scope(() => {
      const g = flint.tensor([1, 2, 3], { device: 'gpu' });
      const c = flint.tensor([3, 2, 1]);
      expect(() => g.gt(c)).toThrow(DeviceError);
      expect(() => g.eq(c)).toThrow(/^eq\(\): expected all tensors to be on the same device, but found at least two devices, 'gpu' and 'cpu'/);
      expect(() => c.logicalAnd(g)).toThrow(/^logicalAnd\(\): .*'cpu' and 'gpu'/);
      const s = g.ge(flint.tensor(2));
      expect([s.device, s.tolist()]).toEqual(['gpu', [false, true, true]]);
      const s2 = flint.tensor(2).lt(g);
      expect([s2.device, s2.tolist()]).toEqual(['gpu', [false, false, true]]);
      const n = flint.isnan(flint.tensor(NaN, { device: 'gpu' }));
      expect([n.device, n.tolist()]).toEqual(['gpu', true]);
      expect(g.ne(2).device).toBe('gpu');
    });
  });

  it('optimizers keep their state on the parameters\' device and step on the GPU as on the CPU', () => {
    const make: [string, (ps: Tensor[]) => InstanceType<typeof optim.Optimizer>][] = [
      ['SGD', (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
      ['Adam', (ps) => new optim.Adam(ps, { lr: 0.05, amsgrad: true })],
      ['AdamW', (ps) => new optim.AdamW(ps, { lr: 0.05 })],
      ['RMSprop', (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true })],
      ['Adagrad', (ps) => new optim.Adagrad(ps, { lr: 0.1, initialAccumulatorValue: 0.1 })],
    ];
    for (const [name, factory] of make) {
      const run = (device: 'cpu' | 'gpu'): number[][] => {
        flint.manualSeed(11);
        const w = flint.randn([4, 3]).to(device).detach().requiresGrad_();
        const data = flint.randn([5, 4]);
        const opt = factory([w]);
        for (let i = 0; i < 3; i++) {
          opt.zeroGrad();
          flint.scope(() => data.to(device).matmul(w).tanh().pow(2).sum().backward());
          // Leave the CPU as the backend last used, so that state made now must name its device.
          flint.scope(() => flint.ones([2]).add(1));
          opt.step();
        }
        for (const v of Object.values(opt.state.get(w) ?? {})) if (v instanceof flint.Tensor) expect(v.device, name).toBe(device);
        const out = w.tolist() as number[][];
        opt.dispose();
        w.dispose();
        data.dispose();
        return out;
      };
      const cpu = run('cpu');
      const onGpu = run('gpu');
      onGpu.flat().forEach((v, i) => expect(v, name).toBeCloseTo(cpu.flat()[i]!, 5));
    }
  });

  it('an optimizer state dict saved from the CPU loads onto GPU parameters', () => {
    flint.manualSeed(12);
    const cpuW = flint.randn([3, 2], { requiresGrad: true });
    const cpuOpt = new optim.Adam([cpuW], { lr: 0.1 });
    flint.scope(() => cpuW.pow(2).sum().backward());
    cpuOpt.step();
    const gpuW = cpuW.detach().to('gpu').requiresGrad_();
    const gpuOpt = new optim.Adam([gpuW], { lr: 0.1 });
    gpuOpt.loadStateDict(cpuOpt.stateDict());
    const state = gpuOpt.state.get(gpuW) as Record<string, unknown>;
    expect((state.expAvg as Tensor).device).toBe('gpu');
    expect((state.expAvgSq as Tensor).device).toBe('gpu');
    for (const [w, opt] of [[cpuW, cpuOpt], [gpuW, gpuOpt]] as const) {
      opt.zeroGrad();
      flint.scope(() => w.pow(2).sum().backward());
      opt.step();
    }
    flint.testing.assertClose(gpuW.cpu(), cpuW, { rtol: 1e-5, atol: 1e-6 });
    cpuOpt.dispose();
    gpuOpt.dispose();
    cpuW.dispose();
    gpuW.dispose();
  });

  it("load() and loadSync() put tensors on the device asked for ({ device: 'gpu' }, 'cuda', the default device)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-gpu-load-'));
    try {
      const path = join(dir, 'ckpt.safetensors');
      const w = flint.tensor([[1.5, -2], [3, 4]]);
      const i = flint.tensor([7, 8], { dtype: 'int32' });
      flint.saveSync({ w, nested: { i }, epoch: 3 }, path);
      const a = await flint.load(path, { device: 'gpu' });
      expect([a.w.device, a.nested.i.device, a.epoch]).toEqual(['gpu', 'gpu', 3]);
      expect(a.w.tolist()).toEqual([[1.5, -2], [3, 4]]);
      expect([a.nested.i.dtype, a.nested.i.tolist()]).toEqual(['int32', [7, 8]]);
      const b = flint.loadSync(path, { device: 'cuda:0' });
      expect(b.w.device).toBe('gpu');
      expect(flint.loadSync(path).w.device).toBe('cpu');
      expect(flint.loadSync(path, { device: 'cpu' }).w.device).toBe('cpu');
      const prev = setDefaultDevice('gpu');
      try {
        expect(flint.loadSync(path).w.device).toBe('gpu');
      } finally {
        setDefaultDevice(prev);
      }
      // A model saved on the GPU loads back on the CPU.
      const g = flint.tensor([5, 6], { device: 'gpu' });
      flint.saveSync({ g }, path);
      const c = flint.loadSync(path, { device: 'cpu' });
      expect([c.g.device, c.g.tolist()]).toEqual(['cpu', [5, 6]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('without a GPU', () => {
  it('gpu.isAvailable() is false and asking for the GPU is a clear DeviceError', () => {
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    const code = `import * as flint from ${JSON.stringify(entry)};
      const out = [flint.gpu.isAvailable(), flint.gpu.deviceCount(), flint.gpu.deviceName()];
      for (const f of [() => flint.zeros([1], { device: 'gpu' }), () => flint.ones([1]).to('gpu'), () => flint.ones([1]).cuda()]) {
        try { f(); out.push('no error'); } catch (e) { out.push(flint.DeviceError.isInstance(e) ? e.message : 'other error'); }
      }
      console.log(JSON.stringify(out));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FLINT_GPU: '0' },
    });
    const [avail, count, name, ...errors] = JSON.parse(out.trim().split('\n').pop()!) as [boolean, number, string, ...string[]];
    expect([avail, count]).toEqual([false, 0]);
    expect(name).toMatch(/FLINT_GPU=0/);
    expect(errors[0]).toMatch(/^zeros\(\): device 'gpu' is not available \(gpu\.isAvailable\(\) is false\): FLINT_GPU=0/);
    expect(errors[1]).toMatch(/^to\(\): device 'gpu' is not available/);
    expect(errors[2]).toMatch(/^to\(\): device 'gpu' is not available/);
  });
});
