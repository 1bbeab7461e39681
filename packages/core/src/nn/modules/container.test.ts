import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError, ones, randn, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { BACKENDS, decode } from '../../../test/golden.js';
import { Module, type AnyModule } from '../module.js';
import { Parameter } from '../parameter.js';
import * as A from './activation.js';
import { GELU, ReLU, SiLU, Softmax, Tanh } from './activation.js';
import { ModuleDict, ModuleList, ParameterList, Sequential } from './container.js';
import { Dropout, Dropout2d } from './dropout.js';
import { Flatten, Unflatten } from './flatten.js';
import { Identity, Bilinear, Linear } from './linear.js';
import { PReLU } from './activation.js';
import { Embedding } from './sparse.js';

type Encoded = Parameters<typeof decode>[0];
interface ModulesFixture {
  model: { stateDict: [string, Encoded][]; inputs: Encoded[]; outputs: Encoded[] };
  reprs: Record<string, string>;
}
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../fixtures/nn_basic_modules.json', import.meta.url)), 'utf8'),
) as ModulesFixture;

/**
 * PyTorch's print() text in Flint's spelling: camelCase option names, JS literals, arrays for
 * tuples, dtypes without `torch.`. The one rule that maps every repr in the fixture.
 */
function flintRepr(py: string): string {
  return py
    .replace(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=/g, (_, k: string) => `${k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}=`)
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    .replace(/=\(([^()]*?),?\)/g, '=[$1]')
    .replace(/torch\.float32/g, 'float32');
}

/** The model of tools/fixtures/core_nn_basic.py, written the Flint way. */
class Net extends Module<[Tensor], Tensor[]> {
  embed = new Embedding(12, 6, { paddingIdx: 0 });
  features = new Sequential(new Linear(6, 8), new ReLU(), new Dropout(0.25), new Linear(8, 8), new GELU());
  blocks = new ModuleList([new Sequential(new Linear(8, 8), new Tanh()), new Sequential({ fc: new Linear(8, 8), act: new SiLU() })]);
  prelu = new PReLU(8);
  heads = new ModuleDict({ cls: new Linear(8, 4), pair: new Bilinear(8, 8, 3) });
  scales = new ParameterList([randn([4]), randn([3])]);
  forward(tokens: Tensor): Tensor[] {
    let x = this.features(this.embed(tokens).mean(1));
    for (const block of this.blocks) x = x.add(block(x));
    x = this.prelu(x);
    return [this.heads.get('cls')!(x).mul(this.scales.at(0)), this.heads.get('pair')!(x, x).mul(this.scales.at(1))];
  }
}

describe('containers: a PyTorch-made state dict', () => {
  for (const backendName of BACKENDS) {
    describe(backendName, () => {
      beforeAll(async () => {
        await flint.setBackend(backendName);
      });

      it('has the same keys in the same order, loads by name and reproduces the output', () => {
        flint.scope(() => {
          const net = new Net();
          const keys = fixture.model.stateDict.map(([k]) => k);
          expect(Object.keys(net.stateDict())).toEqual(keys);
          expect(keys).toContain('features.3.weight');
          expect(keys).toContain('blocks.1.fc.bias');
          expect(keys).toContain('heads.pair.weight');
          expect(keys).toContain('scales.1');
          const sd = Object.fromEntries(fixture.model.stateDict.map(([k, e]) => [k, decode(e)]));
          expect(net.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
          net.eval();
          const outs = net(decode(fixture.model.inputs[0]!));
          fixture.model.outputs.forEach((e, i) => assertClose(outs[i]!, decode(e), { atol: 1e-5, rtol: 1e-4, message: `output ${i}` }));
          // In training mode dropout is active: the output changes.
          net.train();
          const trained = net(decode(fixture.model.inputs[0]!));
          expect(trained[0]!.sub(outs[0]!).abs().max().item()).toBeGreaterThan(0);
          net.dispose();
        });
      });
    });
  }

  it('prints like PyTorch', () => {
    const net = new Net();
    expect(net.toString()).toBe(flintRepr(fixture.reprs['Net']!));
    expect(net.toString()).toContain('\n  (blocks): ModuleList(\n    (0): Sequential(\n      (0): Linear(inFeatures=8, outFeatures=8, bias=true)');
    net.dispose();
  });
});

describe('Sequential', () => {
  it('runs its modules in order and names them 0, 1, ...', () => {
    const seq = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    expect(seq.length).toBe(3);
    expect(seq(randn([5, 3])).shape).toEqual([5, 2]);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(seq.at(-1)).toBe([...seq][2]);
    expect(() => seq.at(3)).toThrow(/Sequential.at\(\): index 3 is out of range for a Sequential of length 3/);
  });

  it('takes named modules from an object or a Map, in order', () => {
    const fc = new Linear(2, 2);
    const seq = new Sequential({ fc, act: new Tanh() });
    expect(seq.get('fc')).toBe(fc);
    expect(Object.keys(seq.stateDict())).toEqual(['fc.weight', 'fc.bias']);
    const fromMap = new Sequential(new Map([['z', new Identity()], ['a', new Linear(2, 2)]]));
    expect([...fromMap.namedChildren()].map(([k]) => k)).toEqual(['z', 'a']);
    expect(() => new Sequential({ 'a.b': new Identity() })).toThrow(/non-empty string without '\.'/);
    expect(() => new Sequential(ones([2]) as never)).toThrow(ArgumentError);
  });

  it('appends, inserts, replaces and slices as PyTorch does', () => {
    const a = new Linear(2, 2);
    const b = new Tanh();
    const c = new ReLU();
    const seq = new Sequential(a).append(b);
    seq.insert(1, c);
    expect([...seq]).toEqual([a, c, b]);
    expect([...seq.namedChildren()].map(([k]) => k)).toEqual(['0', '1', '2']);
    seq.set(-1, new Identity());
    expect(seq.at(2)).toBeInstanceOf(Identity);
    const tail = seq.slice(1);
    expect([...tail.namedChildren()].map(([k]) => k)).toEqual(['1', '2']); // keys kept, as seq[1:]
    expect(tail.at(0)).toBe(c);
    // A classic: replace the head of a model, then train.
    const x = randn([4, 2], { requiresGrad: true });
    seq(x).sum().backward();
    expect(a.weight.grad).not.toBeNull();
    expect(() => seq.insert(5, new Identity())).toThrow(ShapeError);
  });

  it('prints an empty Sequential and named ones like PyTorch', () => {
    expect(new Sequential().toString()).toBe(flintRepr(fixture.reprs['Sequential_empty']!));
    expect(new Sequential({ conv: new Linear(2, 2), act: new ReLU() }).toString()).toBe(flintRepr(fixture.reprs['Sequential_named']!));
  });
});

describe('ModuleList', () => {
  it('holds modules by position, iterates, inserts and extends', () => {
    const l = new ModuleList([new Linear(2, 2)]);
    l.append(new Tanh()).extend([new ReLU(), new Identity()]);
    expect(l.length).toBe(4);
    l.insert(0, new Softmax(0));
    expect([...l].map((m) => m.constructor.name)).toEqual(['Softmax', 'Linear', 'Tanh', 'ReLU', 'Identity']);
    expect(Object.keys(l.stateDict())).toEqual(['1.weight', '1.bias']);
    expect(l.slice(1, 3).length).toBe(2);
    expect([...l.slice(1, 3).namedChildren()].map(([k]) => k)).toEqual(['0', '1']);
    expect(() => (l as unknown as () => void)()).toThrow(/ModuleList is not callable/);
    expect(new ModuleList([new Linear(2, 2), new Sequential(new Tanh(), new Dropout(0.3))]).toString()).toBe(flintRepr(fixture.reprs['ModuleList']!));
  });
});

describe('ModuleDict', () => {
  it('works like a Map and any key is allowed, even a method name', () => {
    const d = new ModuleDict({ a: new Linear(2, 2) });
    d.set('train', new Linear(2, 3));
    expect(d.has('train')).toBe(true);
    expect(d.size).toBe(2);
    expect([...d.keys()]).toEqual(['a', 'train']);
    d.train(false); // still the method
    expect(d.get('train')!.training).toBe(false);
    expect(Object.keys(d.stateDict())).toEqual(['a.weight', 'a.bias', 'train.weight', 'train.bias']);
    expect([...d].map(([k]) => k)).toEqual(['a', 'train']);
    expect(d.delete('a')).toBe(true);
    expect([...d.values()].length).toBe(1);
    expect(() => d.set('', new Identity())).toThrow(/non-empty string/);
    expect(new ModuleDict({ a: new Identity(), b: new Softmax(0) }).toString()).toBe(flintRepr(fixture.reprs['ModuleDict']!));
    expect(new ModuleDict([['x', new Identity()]] as const).get('x')).toBeInstanceOf(Identity);
  });
});

describe('ParameterList', () => {
  it('owns its parameters under 0, 1, ... and makes tensors Parameters', () => {
    const p = new ParameterList([ones([3])]);
    p.append(new Parameter(ones([2, 4])));
    expect(p.at(0)).toBeInstanceOf(Parameter);
    expect(p.at(0).requiresGrad).toBe(true);
    expect(Object.keys(p.stateDict())).toEqual(['0', '1']);
    expect([...p].length).toBe(2);
    expect(p.countParameters()).toBe(11);
    p.set(0, tensor([5]));
    expect(p.at(0).tolist()).toEqual([5]);
    expect(() => p.append(3 as never)).toThrow(/expected a Tensor or Parameter/);
  });

  it('prints like PyTorch', () => {
    expect(new ParameterList().toString()).toBe(flintRepr(fixture.reprs['ParameterList_empty']!));
    expect(new ParameterList([ones([3])]).toString()).toBe(flintRepr(fixture.reprs['ParameterList_1']!));
    expect(new ParameterList([ones([3]), ones([2, 4])]).toString()).toBe(flintRepr(fixture.reprs['ParameterList_2']!));
  });
});

describe('every layer prints like PyTorch', () => {
  const layers: Record<string, () => AnyModule> = {
    ReLU: () => new A.ReLU(),
    ReLU_inplace: () => new A.ReLU({ inplace: true }),
    ReLU6: () => new A.ReLU6(),
    LeakyReLU: () => new A.LeakyReLU(),
    LeakyReLU_args: () => new A.LeakyReLU(0.2, { inplace: true }),
    PReLU: () => new A.PReLU(),
    PReLU_8: () => new A.PReLU(8, 0.1),
    ELU: () => new A.ELU(),
    ELU_args: () => new A.ELU(0.5, { inplace: true }),
    SELU: () => new A.SELU(),
    GELU: () => new A.GELU(),
    GELU_tanh: () => new A.GELU({ approximate: 'tanh' }),
    SiLU: () => new A.SiLU(),
    Mish: () => new A.Mish(),
    Sigmoid: () => new A.Sigmoid(),
    Tanh: () => new A.Tanh(),
    Hardtanh: () => new A.Hardtanh(),
    Hardtanh_args: () => new A.Hardtanh(-2, 3.5),
    Hardswish: () => new A.Hardswish(),
    Hardsigmoid: () => new A.Hardsigmoid(),
    Softplus: () => new A.Softplus(),
    Softplus_args: () => new A.Softplus(2, 10),
    Softsign: () => new A.Softsign(),
    Softmax: () => new A.Softmax(1),
    LogSoftmax: () => new A.LogSoftmax(-1),
    Identity: () => new Identity(),
    Linear: () => new Linear(4, 3),
    Linear_nobias: () => new Linear(4, 3, { bias: false }),
    Bilinear: () => new Bilinear(5, 3, 2),
    Flatten: () => new Flatten(),
    Flatten_args: () => new Flatten(0, 2),
    Unflatten: () => new Unflatten(1, [2, 5]),
    Dropout: () => new Dropout(),
    Dropout_args: () => new Dropout(0.1, { inplace: true }),
    Dropout2d: () => new Dropout2d(0.2),
    Embedding: () => new Embedding(10, 3),
    Embedding_args: () => new Embedding(10, 3, { paddingIdx: -1, maxNorm: 1, normType: 1, scaleGradByFreq: true }),
  };
  it('covers every class in the fixture', () => {
    const containers = ['Sequential_empty', 'Sequential_named', 'ModuleList', 'ModuleDict', 'ParameterList_empty', 'ParameterList_1', 'ParameterList_2', 'Net'];
    expect(Object.keys(fixture.reprs).filter((k) => !(k in layers) && !containers.includes(k))).toEqual([]);
  });
  for (const [name, make] of Object.entries(layers)) {
    it(name, () => {
      const m = make();
      expect(m.toString()).toBe(flintRepr(fixture.reprs[name]!));
      m.dispose();
    });
  }
});
