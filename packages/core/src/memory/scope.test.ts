import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DisposedError, memory, noGrad, ones, randn, scope, tensor, zeros, manualSeed } from '../index.js';
import { beginScope, keep } from './scope.js';
import { expectNoLeak, assertClose } from '../testing/index.js';
import type { Tensor } from '../index.js';

describe('scope', () => {
  it('frees what it made except what it returns', () => {
    const before = memory().numTensors;
    const kept = scope(() => {
      const a = ones([3]);
      const b = a.add(1);
      return { result: b.mul(2), list: [a.sub(1)] };
    });
    expect(memory().numTensors).toBe(before + 2);
    assertClose(kept.result, [4, 4, 4]);
    assertClose(kept.list[0]!, [0, 0, 0]);
    kept.result.dispose();
    kept.list[0]!.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('moves returned tensors to the enclosing scope', () => {
    const before = memory().numTensors;
    scope(() => {
      const inner = scope(() => ones([2]).mul(3));
      expect(inner.isDisposed).toBe(false);
      expect(memory().numTensors).toBe(before + 1);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('frees on throw and leaves tensors made outside alone', () => {
    const outside = ones([2]);
    const before = memory().numTensors;
    expect(() =>
      scope(() => {
        outside.add(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memory().numTensors).toBe(before);
    expect(outside.isDisposed).toBe(false);
    outside.dispose();
  });

  it('works with async functions across awaits', async () => {
    const live = (): number => memory().numTensors + memory().numCollected;
    const before = live();
    const r = await scope(async () => {
      const a = ones([4]);
      await new Promise((res) => setTimeout(res, 2));
      const b = a.mul(5);
      await Promise.resolve();
      return b.sum();
    });
    expect(r.item()).toBe(20);
    expect(live()).toBe(before + 1);
    r.dispose();
    expect(live()).toBe(before);
  });

  it('keeps what a returned graph still needs', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const before = memory().numTensors;
    const loss = scope(() => x.mul(2).exp().sum());
    expect(memory().numTensors).toBeGreaterThan(before + 1);
    scope(() => loss.backward());
    assertClose(x.grad!, [2, 4, 6].map((v) => 2 * Math.exp(v)), { rtol: 1e-5 });
    x.grad = null;
    x.dispose();
  });
});

describe('dispose', () => {
  it('is idempotent and makes later use a clear error', () => {
    const a = ones([2, 2]);
    a.dispose();
    a.dispose();
    expect(a.isDisposed).toBe(true);
    expect(() => a.add(1)).toThrow(DisposedError);
    expect(() => a.add(1)).toThrow(/used after its memory was freed/);
    expect(a.toString()).toMatch(/freed/);
  });

  it('Symbol.dispose frees the tensor', () => {
    const before = memory().numTensors;
    const a = zeros([8]);
    a[Symbol.dispose]();
    expect(memory().numTensors).toBe(before);
  });

  it('setting .grad frees the old gradient', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.mul(w).sum().backward();
    const g = w.grad!;
    w.grad = null;
    expect(g.isDisposed).toBe(true);
    w.dispose();
  });
});

describe('backward and memory', () => {
  it('frees tensors owned by the graph when backward releases it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectNoLeak(() =>
      scope(() => {
        const y = x.pow(3).sum();
        y.backward();
        x.grad = null;
      }),
    );
    x.dispose();
  });

  it('memory() counts tensors and bytes per device', () => {
    const m0 = memory();
    const a = zeros([10, 10]);
    const m1 = memory();
    expect(m1.numTensors - m0.numTensors).toBe(1);
    expect(m1.numBytes - m0.numBytes).toBe(400);
    expect(m1.devices.cpu.numBytes - m0.devices.cpu.numBytes).toBe(400);
    a.dispose();
    expect(memory().numBytes).toBe(m0.numBytes);
  });

  it('expectNoLeak fails when a tensor is left alive', () => {
    let leaked: Tensor | undefined;
    expect(() =>
      expectNoLeak(() => {
        leaked = ones([1]);
      }),
    ).toThrow(/1 Flint tensors/);
    leaked!.dispose();
  });
});

describe('a 1000-step training loop', () => {
  it('keeps the tensor and byte counts flat', () => {
    manualSeed(0);
    // A small MLP trained on a fixed regression target, written as the plain PyTorch loop:
    // forward, loss, backward, SGD step, zero the gradients.
    const x = randn([32, 8]);
    const target = x.sum(1, { keepdim: true }).mul(0.5).tanh();
    const w1 = randn([8, 16]).mul(0.3).requiresGrad_();
    const b1 = zeros([16], { requiresGrad: true });
    const w2 = randn([16, 1]).mul(0.3).requiresGrad_();
    const b2 = zeros([1], { requiresGrad: true });
    const params = [w1, b1, w2, b2];
    const lr = 0.1;
    const counts: number[] = [];
    const bytes: number[] = [];
    const backendCounts: number[] = [];
    const losses: number[] = [];
    for (let step = 0; step < 1000; step++) {
      scope(() => {
        const hidden = x.matmul(w1).add(b1).relu();
        const out = hidden.matmul(w2).add(b2);
        const loss = out.sub(target).pow(2).mean();
        loss.backward();
        noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad!.mul(lr));
            p.grad = null;
          }
        });
        if (step % 100 === 0 || step === 999) losses.push(loss.item());
      });
      if (step >= 10) {
        const m = memory();
        counts.push(m.numTensors);
        bytes.push(m.numBytes);
        backendCounts.push(m.backend.numTensors);
      }
    }
    expect(new Set(counts).size).toBe(1);
    expect(new Set(bytes).size).toBe(1);
    expect(new Set(backendCounts).size).toBe(1);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.2);
    for (const t of [x, target, ...params]) t.dispose();
  });

  it('keeps counts flat when gradients are zeroed in place instead of freed', () => {
    const w = randn([4, 4], { requiresGrad: true });
    const x = randn([2, 4]);
    const counts: number[] = [];
    for (let step = 0; step < 50; step++) {
      scope(() => {
        x.matmul(w).pow(2).sum().backward();
        noGrad(() => {
          w.sub_(w.grad!.mul(0.01));
          w.grad!.zero_();
        });
      });
      counts.push(memory().numTensors);
    }
    expect(new Set(counts.slice(2)).size).toBe(1);
    w.grad = null;
    w.dispose();
    x.dispose();
  });
});

describe('the garbage-collector safety net', () => {
  it('frees dropped tensors, and warns once when many are dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-gc-'));
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    const script = join(dir, 'gc.mts');
    writeFileSync(
      script,
      `import { ones, memory } from ${JSON.stringify(entry)};
      const warnings: string[] = [];
      let earlyWarnings = -1;
      process.on('warning', (w) => warnings.push(w.message));
      for (let i = 0; i < 20; i++) ones([100]);
      for (let i = 0; i < 5; i++) { (globalThis as any).gc(); await new Promise((r) => setTimeout(r, 20)); }
      earlyWarnings = warnings.length;
      for (let i = 0; i < 1500; i++) ones([100]);
      for (let i = 0; i < 5; i++) { (globalThis as any).gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log(JSON.stringify({ collected: memory().numCollected, live: memory().numTensors, warnings: warnings.filter((w) => w.includes('garbage-collected')).length, early: earlyWarnings }));`,
    );
    const pkg = fileURLToPath(new URL('../..', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.early).toBe(0); // a few dropped set-up tensors do not warn
    expect(r.collected).toBeGreaterThan(1400);
    expect(r.live).toBeLessThan(20);
    expect(r.warnings).toBe(1);
  });
});

describe('beginScope and keep', () => {
  it('a loop scope frees each iteration, inner scopes nest inside it, keep() saves a tensor', () => {
    const before = memory().numTensors;
    let kept: Tensor | undefined;
    for (let i = 0; i < 3; i++) {
      const s = beginScope();
      const a = ones([2]).mul(i);
      const inner = scope(() => a.add(1));
      expect(inner.isDisposed).toBe(false);
      if (i === 1) kept = keep(a.mul(10));
      s.end();
      expect(a.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(true);
    }
    expect(kept!.tolist()).toEqual([10, 10]);
    expect(memory().numTensors).toBe(before + 1);
    kept!.dispose();
  });

  it('an explicit scope inside the loop body wins over the loop scope, and the loop scope over an outer scope', () => {
    const before = memory().numTensors;
    scope(() => {
      const s = beginScope();
      const t = ones([1]);
      s.end();
      expect(t.isDisposed).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });
});

