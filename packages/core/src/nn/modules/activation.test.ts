import { describe, expect, it } from 'vitest';
import { ArgumentError, randn, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import * as F from '../functional/activation.js';
import type { AnyModule } from '../module.js';
import * as A from './activation.js';
/** Each layer with the function it must equal (their print() text is checked in container.test.ts). */
const layers: Record<string, [AnyModule, ((x: Tensor) => Tensor) | null]> = {
  ReLU: [new A.ReLU(), (x) => F.relu(x)],
  ReLU_inplace: [new A.ReLU({ inplace: true }), null],
  ReLU6: [new A.ReLU6(), (x) => F.relu6(x)],
  LeakyReLU: [new A.LeakyReLU(), (x) => F.leakyRelu(x, 0.01)],
  LeakyReLU_args: [new A.LeakyReLU(0.2, { inplace: true }), null],
  PReLU: [new A.PReLU(), (x) => F.prelu(x, tensor([0.25]))],
  PReLU_8: [new A.PReLU(8, 0.1), null],
  ELU: [new A.ELU(), (x) => F.elu(x)],
  ELU_args: [new A.ELU(0.5, { inplace: true }), null],
  SELU: [new A.SELU(), (x) => F.selu(x)],
  GELU: [new A.GELU(), (x) => F.gelu(x)],
  GELU_tanh: [new A.GELU({ approximate: 'tanh' }), (x) => F.gelu(x, { approximate: 'tanh' })],
  SiLU: [new A.SiLU(), (x) => F.silu(x)],
  Mish: [new A.Mish(), (x) => F.mish(x)],
  Sigmoid: [new A.Sigmoid(), (x) => x.sigmoid()],
  Tanh: [new A.Tanh(), (x) => x.tanh()],
  Hardtanh: [new A.Hardtanh(), (x) => F.hardtanh(x)],
  Hardtanh_args: [new A.Hardtanh(-2, 3.5), (x) => F.hardtanh(x, -2, 3.5)],
  Hardswish: [new A.Hardswish(), (x) => F.hardswish(x)],
  Hardsigmoid: [new A.Hardsigmoid(), (x) => F.hardsigmoid(x)],
  Softplus: [new A.Softplus(), (x) => F.softplus(x)],
  Softplus_args: [new A.Softplus(2, 10), (x) => F.softplus(x, { beta: 2, threshold: 10 })],
  Softsign: [new A.Softsign(), (x) => F.softsign(x)],
  Softmax: [new A.Softmax(1), (x) => F.softmax(x, 1)],
  LogSoftmax: [new A.LogSoftmax(-1), (x) => F.logSoftmax(x, -1)],
};

describe('activation layers', () => {
  it('compute their functional form', () => {
    const x = randn([3, 8]).mul(4);
    for (const [name, [m, f]] of Object.entries(layers)) {
      if (f === null) continue;
      assertClose(m(x) as Tensor, f(x), { message: name });
    }
  });

  it('run in place when built with inplace: true', () => {
    const x = tensor([-2, 0.5, 3]);
    expect(new A.ReLU({ inplace: true })(x)).toBe(x);
    expect(x.tolist()).toEqual([0, 0.5, 3]);
    const y = tensor([-2, 4]);
    new A.LeakyReLU(0.5, { inplace: true })(y);
    expect(y.tolist()).toEqual([-1, 4]);
  });

  it('PReLU learns one slope per channel', () => {
    const act = new A.PReLU(3, 0.5);
    expect(act.weight.tolist()).toEqual([0.5, 0.5, 0.5]);
    expect(Object.keys(act.stateDict())).toEqual(['weight']);
    const x = tensor([[[-1, 2], [-2, -4], [3, -6]]]);
    assertClose(act(x), [[[-0.5, 2], [-1, -2], [3, -3]]]);
    act(x).sum().backward();
    assertClose(act.weight.grad!, [-1, -6, -6]);
  });

  it('refuse bad options naming the class', () => {
    expect(() => new A.Softmax(undefined as never)).toThrow(/Softmax\(\): dim must be an integer \(got undefined\)/);
    expect(() => new A.Hardtanh(1, -1)).toThrow(/Hardtanh\(\): maxVal \(-1\) must be greater than minVal \(1\)/);
    expect(() => new A.GELU({ approximate: 'erf' as never })).toThrow(ArgumentError);
    expect(() => new A.PReLU(0)).toThrow(/PReLU\(\): numParameters must be an integer >= 1/);
    expect(() => new A.LeakyReLU(NaN)).toThrow(/LeakyReLU\(\): negativeSlope must be a finite number/);
  });

  it('formatFloat writes numbers as Python prints floats', () => {
    expect([1, 0.01, 1e-5, -2, 0.5, 1e20, Infinity, 0].map(A.formatFloat)).toEqual(['1.0', '0.01', '1e-05', '-2.0', '0.5', '1e+20', 'inf', '0.0']);
  });
});
