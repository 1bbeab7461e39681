import { describe, expect, it } from 'vitest';
import { AutogradError, DTypeError, ShapeError, memory, randn, scope, tensor, type Tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import * as F from './activation.js';

const kink = (fn: (x: Tensor) => Tensor) => ({ fn, gradcheck: false });

runGolden('nn_basic_activation', {
  relu: (x) => F.relu(x),
  relu_kink: kink((x) => F.relu(x)),
  relu6: (x) => F.relu6(x),
  relu6_kinks: kink((x) => F.relu6(x)),
  leaky_relu: (x) => F.leakyRelu(x),
  leaky_relu_slope: (x) => F.leakyRelu(x, 0.2),
  leaky_relu_kink: kink((x) => F.leakyRelu(x, 0.3)),
  prelu_shared: (x, w) => F.prelu(x, w),
  prelu_channels: (x, w) => F.prelu(x, w),
  prelu_2d: (x, w) => F.prelu(x, w),
  prelu_1d: (x, w) => F.prelu(x, w),
  prelu_kink: { fn: (x, w) => F.prelu(x, w), gradcheck: false },
  elu: (x) => F.elu(x),
  elu_alpha: (x) => F.elu(x, 0.5),
  elu_kink: kink((x) => F.elu(x, 2)),
  elu_large: (x) => F.elu(x),
  selu: (x) => F.selu(x),
  gelu: (x) => F.gelu(x),
  gelu_tanh: (x) => F.gelu(x, { approximate: 'tanh' }),
  gelu_extreme: (x) => F.gelu(x),
  silu: (x) => F.silu(x),
  mish: (x) => F.mish(x),
  sigmoid: (x) => F.sigmoid(x),
  tanh: (x) => F.tanh(x),
  hardtanh: (x) => F.hardtanh(x),
  hardtanh_range: (x) => F.hardtanh(x, -2, 3),
  hardtanh_kinks: kink((x) => F.hardtanh(x)),
  hardswish: (x) => F.hardswish(x),
  hardswish_kinks: kink((x) => F.hardswish(x)),
  hardsigmoid: (x) => F.hardsigmoid(x),
  hardsigmoid_kinks: kink((x) => F.hardsigmoid(x)),
  softplus: (x) => F.softplus(x),
  softplus_beta_threshold: (x) => F.softplus(x, { beta: 2, threshold: 5 }),
  softplus_extreme: (x) => F.softplus(x),
  softsign: (x) => F.softsign(x),
  softsign_kink: (x) => F.softsign(x),
  softmax_dim1: (x) => F.softmax(x, 1),
  softmax_dim0: (x) => F.softmax(x, 0),
  softmax_3d_middle: (x) => F.softmax(x, 1),
  softmax_last: (x) => F.softmax(x, -1),
  softmax_large: { fn: (x) => F.softmax(x, 1), gradcheck: false },
  softmax_neg_inf: { fn: (x) => F.softmax(x, 1), gradcheck: false },
  softmax_0d: (x) => F.softmax(x, 0),
  log_softmax_dim1: (x) => F.logSoftmax(x, 1),
  log_softmax_dim0: (x) => F.logSoftmax(x, 0),
  log_softmax_3d_middle: (x) => F.logSoftmax(x, 1),
  log_softmax_large: { fn: (x) => F.logSoftmax(x, 1), gradcheck: false },
});

describe('nn.functional activations', () => {
  it('run in place when asked, following PyTorch rules, and keep autograd right', () => {
    const x = tensor([-1, 0.5, 2]);
    const y = F.relu(x, { inplace: true });
    expect(y).toBe(x);
    expect(x.tolist()).toEqual([0, 0.5, 2]);
    const leaf = tensor([-1, 2], { requiresGrad: true });
    expect(() => F.elu(leaf, 1, { inplace: true })).toThrow(AutogradError);
    // In place on a non-leaf: the gradient flows through both ops as out of place.
    const a = tensor([-1, 0.5, 3], { requiresGrad: true });
    const h = a.mul(2);
    F.leakyRelu(h, 0.1, { inplace: true });
    F.hardtanh(h, -1, 4, { inplace: true });
    h.sum().backward();
    assertClose(a.grad!, [0.2, 2, 0]);
  });

  it('refuse non-float inputs and bad options with the function named', () => {
    const ints = tensor([1, 2], { dtype: 'int32' });
    expect(() => F.gelu(ints)).toThrow(DTypeError);
    expect(() => F.gelu(ints)).toThrow(/gelu\(\): input must be a float32 tensor \(got dtype int32\)/);
    expect(() => F.softmax(randn([2, 3]), undefined as never)).toThrow(/softmax\(\): dim is required/);
    expect(() => F.logSoftmax(randn([2, 3]), 2)).toThrow(ShapeError);
    expect(() => F.hardtanh(randn([2]), 1, -1)).toThrow(/minVal \(1\) must not be greater than maxVal \(-1\)/);
    expect(() => F.gelu(randn([2]), { approximate: 'fast' as never })).toThrow(/approximate must be 'none' or 'tanh' \(got "fast"\)/);
    expect(() => F.prelu(randn([2, 3]), tensor([0.1, 0.2]))).toThrow(/weight.numel\(\) \(2\) must be 1 or the number of channels, input.shape\[1\] \(3\)/);
    expect(() => F.leakyRelu(randn([2]), NaN)).toThrow(/negativeSlope must be a finite number/);
  });

  it('softmax rows sum to one and logSoftmax equals its log, along any dim', () => {
    const x = randn([3, 4, 5]).mul(20);
    for (const dim of [0, 1, 2, -1]) {
      assertClose(F.softmax(x, dim).sum(dim), tensor(1).expand(...F.softmax(x, dim).sum(dim).shape), { atol: 1e-5 });
      // Compared where softmax is a normal float: below exp(-80) GPUs may flush it to zero.
      assertClose(F.logSoftmax(x, dim).clamp(-80), F.softmax(x, dim).log().clamp(-80), { atol: 1e-4, rtol: 1e-4 });
    }
    assertClose(F.softmax(randn([0, 3]), 1), randn([0, 3]));
  });

  it('logSoftmax takes the same values and gradients on small inputs (one host pass) as on large ones (kernels)', async () => {
    const { HOST_MAX } = await import('./softmax.js');
    const cols = HOST_MAX / 2 + 7;
    const rows = randn([3, cols]).mul(5);
    // Row 1 holds NaN, row 2 only -inf then a +inf: both whole-NaN rows either way.
    const values = rows.tolist() as number[][];
    values[1]![5] = NaN;
    values[2] = values[2]!.map((_, i) => (i === 3 ? Infinity : -Infinity));
    const big = tensor(values, { requiresGrad: true }); // 3 * cols > HOST_MAX: kernels
    const g = randn([3, cols]);
    const yBig = F.logSoftmax(big, 1);
    yBig.mul(g).sum().backward();
    for (let r = 0; r < 3; r++) {
      const small = tensor([values[r]!], { requiresGrad: true }); // cols <= HOST_MAX: host pass
      const y = F.logSoftmax(small, 1);
      y.mul(g.narrow(0, r, 1)).sum().backward();
      assertClose(y, yBig.narrow(0, r, 1), { atol: 1e-5, rtol: 1e-5, equalNan: true });
      assertClose(small.grad!, big.grad!.narrow(0, r, 1), { atol: 1e-5, rtol: 1e-5, equalNan: true });
    }
    expect(Number.isNaN(yBig.narrow(0, 1, 1).sum().item())).toBe(true);
  });

  it('logSoftmax on the host pass still has a second derivative', async () => {
    const { grad } = await import('../../autograd/engine.js');
    const x = tensor([[0.5, -1, 2], [0, 0, 1]], { requiresGrad: true });
    const w = tensor([[1, 2, 3], [-1, 0.5, 2]]);
    const [gx] = grad(F.logSoftmax(x, 1).mul(w).sum(), [x], { createGraph: true });
    gx!.pow(2).sum().backward();
    // d/dx of sum((w - s * sum(w))^2) with s = softmax(x): checked against the kernel formula.
    const xs = tensor(x.tolist() as number[][], { requiresGrad: true });
    const s = F.softmax(xs, 1);
    w.sub(s.mul(w.sum(1, { keepdim: true }))).pow(2).sum().backward();
    assertClose(x.grad!, xs.grad!, { atol: 1e-5 });
  });

  it('free their intermediates', () => {
    const x = randn([4, 6], { requiresGrad: true });
    const w = tensor([0.1]);
    expectNoLeak(() => {
      scope(() => {
        for (const f of [F.relu6, F.leakyRelu, F.elu, F.selu, F.gelu, F.silu, F.mish, F.hardswish, F.hardsigmoid, F.softplus, F.softsign]) {
          f(x).sum().backward();
        }
        F.prelu(x, w).sum().backward();
        F.softmax(x, 1).sum().backward();
        F.logSoftmax(x, 0).sum().backward();
        x.grad = null;
      });
    });
    x.dispose();
    // Outside any scope, the composite functions leave only their result behind.
    const z = randn([4, 6]);
    for (const f of [(t: Tensor) => F.softsign(t), (t: Tensor) => F.prelu(t, w), (t: Tensor) => F.leakyRelu(t)]) {
      const before = memory().numTensors;
      const y = f(z);
      expect(memory().numTensors).toBe(before + 1);
      y.dispose();
    }
  });
});
