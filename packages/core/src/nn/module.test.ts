import { describe, expect, it } from 'vitest';
import { ones, randn, tensor, zeros, memory, scope, type Tensor } from '../index.js';
import { assertClose } from '../testing/index.js';
import { Module, StateDictError } from './module.js';
import { Parameter } from './parameter.js';

class Affine extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
  ) {
    super();
    this.weight = new Parameter(randn([outFeatures, inFeatures]));
    this.bias = bias ? new Parameter(zeros([outFeatures])) : null;
  }
  forward(x: Tensor): Tensor {
    const y = x.matmul(this.weight.t());
    return this.bias ? y.add(this.bias) : y;
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

class Norm extends Module {
  declare runningMean: Tensor;
  constructor() {
    super();
    this.registerBuffer('runningMean', zeros([2]));
    this.registerBuffer('scratch', ones([1]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return x.sub(this.runningMean);
  }
}

class Net extends Module {
  fc1 = new Affine(3, 2);
  norm = new Norm();
  head = new Affine(2, 1, false);
  forward(x: Tensor): Tensor {
    return this.head(this.norm(this.fc1(x).relu()));
  }
}

describe('Module', () => {
  it('is callable and finds parameters, buffers and children in field order', () => {
    const net = new Net();
    expect(typeof net).toBe('function');
    const out = net(randn([4, 3]));
    expect(out.shape).toEqual([4, 1]);
    expect([...net.namedParameters()].map(([k]) => k)).toEqual(['fc1.weight', 'fc1.bias', 'head.weight']);
    expect([...net.namedBuffers()].map(([k]) => k)).toEqual(['norm.runningMean', 'norm.scratch']);
    expect([...net.namedChildren()].map(([k]) => k)).toEqual(['fc1', 'norm', 'head']);
    expect([...net.namedModules()].map(([k]) => k)).toEqual(['', 'fc1', 'norm', 'head']);
    expect(net.countParameters()).toBe(6 + 2 + 2);
  });

  it('names state-dict keys as PyTorch does and loads them back', () => {
    const a = new Net();
    const b = new Net();
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(['fc1.weight', 'fc1.bias', 'norm.runningMean', 'head.weight']);
    const w = b.fc1.weight;
    const r = b.loadStateDict(sd);
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.fc1.weight).toBe(w); // loaded in place: optimizers keep their references
    assertClose(b.fc1.weight, a.fc1.weight);
  });

  it('reports missing, unexpected and mis-shaped keys by name', () => {
    const net = new Net();
    const sd = { ...net.stateDict() };
    delete sd['head.weight'];
    sd['extra.weight'] = ones([1]);
    expect(() => net.loadStateDict(sd)).toThrow(StateDictError);
    expect(() => net.loadStateDict(sd)).toThrow(/missing keys: 'head.weight'[\s\S]*unexpected keys: 'extra.weight'/);
    expect(net.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['head.weight'], unexpectedKeys: ['extra.weight'] });
    expect(() => net.loadStateDict({ ...net.stateDict(), 'fc1.bias': ones([5]) })).toThrow(
      /size mismatch for 'fc1.bias': the checkpoint has shape \[5\], the module has \[2\]/,
    );
  });

  it('prints like PyTorch', () => {
    expect(new Net().toString()).toBe(
      'Net(\n  (fc1): Affine(inFeatures=3, outFeatures=2, bias=true)\n  (norm): Norm()\n  (head): Affine(inFeatures=2, outFeatures=1, bias=false)\n)',
    );
  });

  it('switches train and eval mode recursively', () => {
    const net = new Net();
    net.eval();
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.norm.training).toBe(true);
  });

  it('runs forward hooks, which may replace inputs and outputs', () => {
    const net = new Affine(2, 2);
    const calls: string[] = [];
    const pre = net.registerForwardPreHook((_m, args) => {
      calls.push('pre');
      return [(args[0] as Tensor).mul(0)];
    });
    net.registerForwardHook((_m, _args, out) => {
      calls.push('post');
      return (out as Tensor).add(1);
    });
    assertClose(net(ones([1, 2])), [[1, 1]]);
    pre.remove();
    net(ones([1, 2]));
    expect(calls).toEqual(['pre', 'post', 'post']);
  });

  it('zeroGrad, requiresGrad_ and buffers assigned as fields', () => {
    const net = new Net();
    net(randn([2, 3])).sum().backward();
    expect(net.fc1.weight.grad).not.toBeNull();
    net.zeroGrad({ setToNone: false });
    assertClose(net.fc1.weight.grad!, zeros([2, 3]));
    net.zeroGrad();
    expect(net.fc1.weight.grad).toBeNull();
    net.requiresGrad_(false);
    expect([...net.parameters()].every((p) => !p.requiresGrad)).toBe(true);
    const old = net.norm.runningMean;
    net.norm.runningMean = tensor([1, 2]);
    expect(old.isDisposed).toBe(true);
    expect(net.stateDict()['norm.runningMean']!.tolist()).toEqual([1, 2]);
  });

  it('parameters survive scopes and dispose frees them', () => {
    const before = memory().numTensors;
    const net = scope(() => {
      const n = new Net();
      n(randn([2, 3])).sum().backward();
      return n;
    });
    expect(net.fc1.weight.isDisposed).toBe(false);
    expect(net.fc1.weight.grad!.isDisposed).toBe(false);
    net.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects bad registrations clearly', () => {
    const net = new Net();
    expect(() => net.registerParameter('w', ones([1]) as never)).toThrow(/must be a Parameter or null.*new Parameter/);
    expect(() => net.registerModule('a.b', null)).toThrow(/without '\.'/);
  });
});
