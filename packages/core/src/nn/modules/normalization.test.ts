import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, ones, randn, scope, tensor, zeros, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { batchNorm, groupNorm, layerNorm } from '../functional/normalization.js';
import { Module } from '../module.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, BatchNormBase, GroupNorm, LayerNorm } from './normalization.js';

// Modules made by golden functions own parameters that their outputs' graphs read after the
// function returns; they are freed when the file is done.
const made: Module[] = [];
afterAll(() => {
  for (const m of made) m.dispose();
});

/** Three training steps, then eval on the first batch: [out, evalOut, running_mean?, running_var?, num_batches_tracked?]. */
function steps(make: () => BatchNormBase) {
  return (x1: Tensor, x2: Tensor, x3: Tensor): Tensor[] => {
    const m = make();
    made.push(m);
    m.train();
    m(x1);
    m(x2);
    const out = m(x3);
    m.eval();
    const outs = [out, m(x1)];
    if (m.runningMean !== null) outs.push(m.runningMean.clone(), m.runningVar!.clone(), m.numBatchesTracked!.clone());
    return outs;
  };
}

runGolden('norm_modules', {
  bn1d_steps: steps(() => new BatchNorm1d(3)),
  bn1d_steps_3d: steps(() => new BatchNorm1d(2, { momentum: 0.2 })),
  bn2d_steps: steps(() => new BatchNorm2d(3)),
  bn2d_cumulative: steps(() => new BatchNorm2d(2, { momentum: null })),
  bn2d_no_affine: steps(() => new BatchNorm2d(2, { affine: false, eps: 1e-3 })),
  bn2d_no_tracking: steps(() => new BatchNorm2d(2, { trackRunningStats: false })),
  bn2d_load_state_dict: (w, b, rm, rv, nbt, x) => {
    const m = new BatchNorm2d(3);
    made.push(m);
    m.loadStateDict({ weight: w!, bias: b!, running_mean: rm!, running_var: rv!, num_batches_tracked: nbt! });
    m.eval();
    return m(x!);
  },
});

describe('BatchNorm', () => {
  it("names its state the way PyTorch does", () => {
    const bn = new BatchNorm2d(3);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect([...bn.namedParameters()].map(([k]) => k)).toEqual(['weight', 'bias']);
    expect([...bn.namedBuffers()].map(([k]) => k)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    class Net extends Module {
      bn1 = new BatchNorm1d(4);
      forward(x: Tensor): Tensor {
        return this.bn1(x);
      }
    }
    expect(Object.keys(new Net().stateDict())).toEqual(['bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked']);
    expect(Object.keys(new BatchNorm1d(2, { affine: false }).stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new BatchNorm1d(2, { trackRunningStats: false }).stateDict())).toEqual(['weight', 'bias']);
  });

  it('keeps int32 num_batches_tracked and camelCase views of its buffers', () => {
    const bn = new BatchNorm1d(2);
    expect(bn.numBatchesTracked).toBe(bn.num_batches_tracked);
    expect(bn.runningMean).toBe(bn.running_mean);
    expect(bn.runningVar).toBe(bn.running_var);
    expect(bn.num_batches_tracked!.dtype).toBe('int32');
    const rm = bn.runningMean!;
    bn(randn([4, 2]));
    bn(randn([4, 2]));
    expect(bn.num_batches_tracked!.item()).toBe(2);
    expect(bn.runningMean).toBe(rm); // updated in place
    bn.eval();
    const before = rm.tolist();
    bn(randn([4, 2]));
    expect(bn.num_batches_tracked!.item()).toBe(2);
    expect(rm.tolist()).toEqual(before);
    bn.resetRunningStats();
    assertClose(bn.runningVar!, [1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it('equals the functional form in both modes', () => {
    const bn = new BatchNorm2d(2, { momentum: 0.3 });
    const x = randn([3, 2, 2, 2]);
    const rm = zeros([2]);
    const rv = ones([2]);
    assertClose(bn(x), batchNorm(x, rm, rv, { training: true, momentum: 0.3, weight: ones([2]), bias: zeros([2]) }));
    assertClose(bn.runningMean!, rm);
    assertClose(bn.runningVar!, rv);
    bn.eval();
    assertClose(bn(x), batchNorm(x, rm, rv));
  });

  it('trains: gradients reach weight and bias, running stats carry no graph', () => {
    const bn = new BatchNorm1d(3);
    const x = randn([5, 3], { requiresGrad: true });
    bn(x).mul(randn([5, 3])).sum().backward();
    expect(bn.weight!.grad!.shape).toEqual([3]);
    expect(bn.bias!.grad!.shape).toEqual([3]);
    expect(x.grad!.shape).toEqual([5, 3]);
    expect(bn.runningMean!.requiresGrad).toBe(false);
    expect(bn.runningMean!.gradFn).toBeNull();
  });

  it('does not leak across training steps', () => {
    const bn = new BatchNorm2d(2);
    const x = randn([2, 2, 3, 3]);
    bn(x).sum().backward(); // the first step makes the gradients
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) scope(() => bn(x).sum().backward());
    });
  });

  it('checks the input rank and channels', () => {
    expect(() => new BatchNorm1d(3)(randn([2, 3, 4, 5]))).toThrow(/BatchNorm1d\(\): expected 2D or 3D input \(got 4D input of shape \[2, 3, 4, 5\]\)/);
    expect(() => new BatchNorm2d(3)(randn([2, 3]))).toThrow(/BatchNorm2d\(\): expected 4D input \(got 2D input/);
    expect(() => new BatchNorm3d(3)(randn([2, 3, 1, 1]))).toThrow(ShapeError);
    expect(() => new BatchNorm2d(3)(randn([2, 4, 1, 1]))).toThrow(/BatchNorm2d\(3\): expected input with 3 channels at dimension 1 \(got shape \[2, 4, 1, 1\]\)/);
    expect(() => new BatchNorm1d(0)).toThrow(ArgumentError);
    expect(() => new BatchNorm1d(2, { momentum: 'x' as never })).toThrow(/momentum must be a number or null/);
    expect(new BatchNorm3d(2)(randn([2, 2, 1, 2, 2])).shape).toEqual([2, 2, 1, 2, 2]);
  });

  it('prints like PyTorch', () => {
    expect(new BatchNorm2d(3).toString()).toBe('BatchNorm2d(3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)');
    expect(new BatchNorm1d(3, { momentum: null }).toString()).toContain('momentum=null');
  });
});

describe('LayerNorm and GroupNorm', () => {
  it('equal their functional forms and learn elementwise or per-channel parameters', () => {
    const ln = new LayerNorm([3, 4]);
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.weight!.shape).toEqual([3, 4]);
    const x = randn([2, 3, 4]);
    assertClose(ln(x), layerNorm(x, [3, 4]));
    expect([...new LayerNorm(4, { elementwiseAffine: false }).parameters()]).toEqual([]);

    const gn = new GroupNorm(2, 4);
    expect(Object.keys(gn.stateDict())).toEqual(['weight', 'bias']);
    const y = randn([2, 4, 3]);
    noisy(gn.weight!);
    assertClose(gn(y), groupNorm(y, 2, { weight: gn.weight, bias: gn.bias }));
    expect([...new GroupNorm(2, 4, { affine: false }).parameters()]).toEqual([]);
  });

  it('validate their arguments', () => {
    expect(() => new GroupNorm(3, 4)).toThrow(/GroupNorm\(\): numChannels must be divisible by numGroups \(got numChannels 4 and numGroups 3\)/);
    expect(() => new LayerNorm([])).toThrow(ArgumentError);
    expect(() => new LayerNorm(4)(randn([2, 3]))).toThrow(/layerNorm\(\): given normalizedShape \[4\]/);
    expect(new LayerNorm([2, 3]).toString()).toBe('LayerNorm([2, 3], eps=0.00001, elementwiseAffine=true)');
    expect(new GroupNorm(2, 4).toString()).toBe('GroupNorm(2, 4, eps=0.00001, affine=true)');
  });
});

/** Fills a parameter with values other than its ones, so that the comparison means something. */
function noisy(p: Tensor): void {
  p.requiresGrad = false;
  p.copy_(tensor([0.5, -1, 2, 1.5]));
  p.requiresGrad = true;
}
