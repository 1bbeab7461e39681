/**
 * GPU tensors: `to()`, creation on a device, device-mixing errors, `module.to()`, memory per
 * device, and the usual training loop moved to the GPU. On a machine without a GPU these run on
 * Dawn's software adapter (FLINT_WEBGPU_SOFTWARE=1, set here before core loads); when no adapter
 * at all can be created they are skipped, and the reason is in the suite's name.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
