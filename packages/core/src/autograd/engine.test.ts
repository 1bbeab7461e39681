import { describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { AutogradError, autograd, noGrad, enableGrad, inferenceMode, isGradEnabled, isInferenceModeEnabled, scope, tensor } from '../index.js';
import { assertClose } from '../testing/index.js';

describe('backward', () => {
  it('accumulates into .grad across calls and through a diamond', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const a = x.mul(2);
    const b = x.pow(2);
    a.add(b).sum().backward(); // d/dx (2x + x^2) = 2 + 2x
    assertClose(x.grad!, [4, 6, 8]);
    const g = x.grad!;
    x.mul(3).sum().backward();
    assertClose(x.grad!, [7, 9, 11]);
    expect(x.grad).toBe(g); // accumulated in place, as PyTorch does
  });

  it('takes a gradient for non-scalar outputs and refuses to guess one', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x);
    expect(() => y.backward()).toThrow(/implicitly only for scalar outputs.*\[2\]/);
    y.backward(tensor([1, 10]));
    assertClose(x.grad!, [2, 40]);
  });

  it('checks the gradient shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1, 2, 3]))).toThrow(/gradient 0 has shape \[3\] but the output has shape \[2\]/);
  });

  it('refuses to walk a freed graph twice, unless retainGraph', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/second time.*retainGraph/);
    const z = x.mul(x).sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    assertClose(x.grad!, [4 + 4 + 4]);
  });

  it('needs a tensor that requires grad', () => {
    expect(() => tensor([1]).sum().backward()).toThrow(/does not require grad/);
    const x = tensor([1], { requiresGrad: true });
    expect(() => x.gt(0).backward()).toThrow(/dtype is bool/);
  });

  it('allows backward from a leaf', () => {
    const x = tensor(3, { requiresGrad: true });
    x.backward();
    assertClose(x.grad!, 1);
  });

  it('names nodes as PyTorch does and links them', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).sum();
    expect(y.gradFn!.name).toBe('SumBackward0');
    const next = y.gradFn!.nextFunctions[0] as flint.Node;
    expect(next.name).toBe('MulBackward0');
    expect(next.nextFunctions[0]).toBe(x);
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(tensor([1]).mul(2).isLeaf).toBe(true);
  });
});

describe('grad mode', () => {
  it('noGrad stops recording, enableGrad restores it', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const z = noGrad(() => enableGrad(() => x.mul(2)));
    expect(z.requiresGrad).toBe(true);
    expect(isGradEnabled()).toBe(true);
  });

  it('keeps the mode across awaits of an async callback', async () => {
    const x = tensor([1], { requiresGrad: true });
    const seen = await noGrad(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return [isGradEnabled(), x.mul(2).requiresGrad];
    });
    expect(seen).toEqual([false, false]);
    expect(isGradEnabled()).toBe(true);
  });

  it('inferenceMode records nothing and says so', () => {
    const x = tensor([1], { requiresGrad: true });
    inferenceMode(() => {
      expect(isInferenceModeEnabled()).toBe(true);
      expect(x.mul(3).requiresGrad).toBe(false);
    });
    expect(isInferenceModeEnabled()).toBe(false);
  });
});

describe('leaves, detach, requiresGrad', () => {
  it('refuses in-place changes of a leaf that requires grad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow(/leaf tensor that requires grad.*noGrad/);
    noGrad(() => w.sub_(1));
    assertClose(w, [0, 1]);
  });

  it('only float tensors require grad, only leaves change the flag', () => {
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/only float32/);
    const x = tensor([1], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => {
      y.requiresGrad = false;
    }).toThrow(/only leaf tensors/);
  });

  it('detach cuts the graph and shares values', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    assertClose(d, [2, 4]);
  });
});

describe('hooks and retainGrad', () => {
  it('retains the gradient of a non-leaf on request', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.mul(y).sum().backward();
    assertClose(y.grad!, [6, 12]);
    assertClose(x.grad!, [18, 36]);
    const z = x.mul(3);
    z.sum().backward();
    expect(z.grad).toBeNull();
  });

  it('hooks see and may replace gradients, and can be removed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    const h = x.registerHook((g) => {
      seen.push(g.tolist() as number[]);
      return g.mul(10);
    });
    const y = x.mul(2);
    y.registerHook((g) => g.add(1));
    y.sum().backward(); // dy = 1 + 1 = 2, dx = 4, hook x10 -> 40
    expect(seen).toEqual([[4, 4]]);
    assertClose(x.grad!, [40, 40]);
    h.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    assertClose(x.grad!, [2, 2]);
  });
});

describe('autograd.grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    const [gx] = autograd.grad(x.mul(w).sum(), [x]);
    assertClose(gx!, [3, 4]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('computes higher derivatives with createGraph', () => {
    const x = tensor([2, -1], { requiresGrad: true });
    const y = x.pow(3).sum();
    const [d1] = autograd.grad(y, x, { createGraph: true });
    assertClose(d1!, [12, 3]);
    const [d2] = autograd.grad(d1!.sum(), x, { createGraph: true });
    assertClose(d2!, [12, -6]);
    const [d3] = autograd.grad(d2!.sum(), x);
    assertClose(d3!, [6, 6]);
  });

  it('double backward through matmul and a reduction into .grad', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = tensor([[0.5, -1], [2, 1]], { requiresGrad: true });
    const out = a.matmul(b).pow(2).mean();
    const [ga] = autograd.grad(out, [a], { createGraph: true });
    ga!.pow(2).sum().backward();
    expect(b.grad).not.toBeNull();
    expect(a.grad).not.toBeNull();
  });

  it('reports unused inputs unless allowUnused', () => {
    const x = tensor([1], { requiresGrad: true });
    const unused = tensor([1], { requiresGrad: true });
    expect(() => autograd.grad(x.mul(2).sum(), [x, unused], { retainGraph: true })).toThrow(/inputs\[1\] was not used/);
    const r = autograd.grad(x.mul(2).sum(), [x, unused], { allowUnused: true });
    expect(r[1]).toBeNull();
  });

  it('takes gradOutputs for non-scalar outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const [g] = autograd.grad(x.mul(x), x, { gradOutputs: [tensor([1, 0.5])] });
    assertClose(g!, [2, 2]);
  });

  it('autograd.backward runs several roots', () => {
    const x = tensor([1], { requiresGrad: true });
    autograd.backward([x.mul(2).sum(), x.mul(5).sum()]);
    assertClose(x.grad!, [7]);
  });
});

describe('version counter', () => {
  it('detects in-place changes of saved tensors', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const z = y.mul(y);
    y.add_(1);
    expect(() => z.sum().backward()).toThrow(/modified by an in-place operation/);
  });

  it('an in-place op on a non-leaf joins the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.add_(1);
    y.mul_(3);
    y.sum().backward();
    assertClose(x.grad!, [6, 6]);
  });

  it('in-place ops whose backward needs their output still work', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const y = x.mul(1);
    y.sigmoid_();
    y.sum().backward();
    const s = [0.5, 1 / (1 + Math.exp(-1))];
    assertClose(x.grad!, s.map((v) => v * (1 - v)));
  });
});

describe('graphs and scopes', () => {
  it('a graph returned from a scope stays usable', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const loss = scope(() => x.mul(x).mul(x).sum());
    loss.backward();
    assertClose(x.grad!, [3, 12]);
  });

  it('a saved tensor freed by hand gives a clear error', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2);
    const y = h.mul(h).sum();
    h.dispose();
    expect(() => y.backward()).toThrow(/freed before backward\(\) ran/);
  });
});
