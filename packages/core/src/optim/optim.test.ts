import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../index.js';
import { ArgumentError, Tensor } from '../index.js';
import { StateDictError } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { assertClose, expectNoLeak } from '../testing/index.js';
import { BACKENDS, decode } from '../../test/golden.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, Optimizer, RAdam, RMSprop, SGD, type OptimizerStateDict } from './optimizers.js';

// ---- the fixture --------------------------------------------------------------------------------
type Encoded = Parameters<typeof decode>[0];
type Options = Record<string, unknown>;
interface OptimCase {
  name: string;
  optimizer: string;
  options: Options;
  groups?: [Options, Options];
  trajectory: { step: number; loss: number; W: Encoded; b: Encoded }[];
  state: Record<string, Record<string, Encoded | number | null>>;
  paramGroups: Options[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/optim.json', import.meta.url)), 'utf8')) as {
  steps: number;
  problem: { x: Encoded; y: Encoded; W: Encoded; b: Encoded };
  cases: OptimCase[];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const CLASSES: Record<string, new (params: any, options?: any) => AnyOptimizer> = { SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam };
const TOL = { rtol: 1e-5, atol: 1e-6 };

/** Parameters and optimizers the tests made; `scoped` frees them with the test's tensors. */
const owned: { dispose(): void }[] = [];

/** A test body run in a scope, after which every parameter and optimizer it made is freed. */
function scoped(fn: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await flint.scope(fn);
    } finally {
      for (const o of owned.splice(0)) {
        if (o instanceof Tensor) o.grad = null;
        o.dispose();
      }
    }
  };
}

/** The fixture's problem: W [3, 4] and b [4] from fixed values, loss = mean((tanh(x W + b) - y)^2). */
function problem(): { x: Tensor; y: Tensor; W: Parameter; b: Parameter; loss: () => Tensor } {
  const p = fixture.problem;
  const x = decode(p.x);
  const y = decode(p.y);
  const param = (e: Encoded): Parameter => {
    const t = decode(e);
    const out = new Parameter(t);
    t.dispose();
    owned.push(out);
    return out;
  };
  const W = param(p.W);
  const b = param(p.b);
  return { x, y, W, b, loss: () => x.matmul(W).add(b).tanh().sub(y).pow(2).mean() };
}

function build(c: OptimCase, W: Tensor, b: Tensor): AnyOptimizer {
  const params = c.groups ? [{ params: [W], ...c.groups[0] }, { params: [b], ...c.groups[1] }] : [W, b];
  const opt = new CLASSES[c.optimizer]!(params, c.options);
  owned.push(opt);
  return opt;
}

/** One training step as users write it, inside a scope. */
function trainStep(opt: AnyOptimizer, loss: () => Tensor): number {
  return flint.scope(() => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    opt.step();
    return l.item();
  });
}

function isEncoded(v: unknown): v is Encoded {
  return typeof v === 'object' && v !== null && 'shape' in v;
}

function maxAbs(e: Encoded): number {
  return e.data.reduce<number>((m, v) => Math.max(m, Math.abs(Number(v))), 0);
}

function checkState(c: OptimCase, sd: OptimizerStateDict): void {
  expect(sd.paramGroups).toEqual(c.paramGroups);
  expect(Object.keys(sd.state).sort()).toEqual(Object.keys(c.state).sort());
  for (const [i, expected] of Object.entries(c.state)) {
    const got = sd.state[Number(i)]!;
    expect(Object.keys(got).sort(), `${c.name}: state[${i}] keys`).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      const g = got[k];
      // A state tensor may sum terms that cancel (RMSprop's momentum of g / sqrt(v)): its error is
      // measured against its largest element.
      if (isEncoded(v)) assertClose(g as Tensor, decode(v), { rtol: TOL.rtol, atol: Math.max(TOL.atol, TOL.rtol * maxAbs(v)), message: `${c.name}: state[${i}].${k}` });
      else if (v === null) expect(g, `${c.name}: state[${i}].${k}`).toBeNull();
      else expect(Math.abs((g as number) - v), `${c.name}: state[${i}].${k} = ${String(g)}, expected ${v}`).toBeLessThanOrEqual(1e-6 * Math.abs(v));
    }
  }
}

// ---- golden trajectories, once per backend ------------------------------------------------------
it('every optimizer has fixture cases, and every case an optimizer', () => {
  expect([...new Set(fixture.cases.map((c) => c.optimizer))].sort()).toEqual(Object.keys(CLASSES).sort());
});

for (const backendName of BACKENDS) {
  describe(`optimizers against PyTorch [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });
    for (const c of fixture.cases) {
      it(`${c.name}: 20 steps and the final state dict`, scoped(() => {
        const { W, b, loss } = problem();
        const opt = build(c, W, b);
        const records = new Map(c.trajectory.map((r) => [r.step, r]));
        for (let step = 1; step <= fixture.steps; step++) {
          const l = trainStep(opt, loss);
          const r = records.get(step);
          if (r === undefined) continue;
          expect(Math.abs(l - r.loss), `${c.name}: loss at step ${step}`).toBeLessThanOrEqual(1e-5 * Math.abs(r.loss) + 1e-6);
          assertClose(W, decode(r.W), { ...TOL, message: `${c.name}: W after step ${step}` });
          assertClose(b, decode(r.b), { ...TOL, message: `${c.name}: b after step ${step}` });
        }
        checkState(c, opt.stateDict());
        opt.dispose();
        W.dispose();
        b.dispose();
      }));

      it(`${c.name}: a fresh optimizer loaded from the state dict after 10 steps continues the trajectory`, scoped(() => {
        const first = problem();
        const opt = build(c, first.W, first.b);
        for (let step = 1; step <= 10; step++) trainStep(opt, first.loss);
        // A second model with the same values, and an optimizer built with other options: the
        // state dict must bring the state and the options.
        const second = problem();
        flint.noGrad(() => {
          second.W.copy_(first.W);
          second.b.copy_(first.b);
        });
        const c2 = { ...c, options: { ...c.options, lr: 123 }, groups: c.groups && ([{}, {}] as [Options, Options]) };
        const resumed = build(c2, second.W, second.b);
        resumed.loadStateDict(opt.stateDict());
        opt.dispose();
        for (let step = 11; step <= fixture.steps; step++) trainStep(resumed, second.loss);
        const last = c.trajectory[c.trajectory.length - 1]!;
        assertClose(second.W, decode(last.W), { ...TOL, message: `${c.name}: W after resuming` });
        assertClose(second.b, decode(last.b), { ...TOL, message: `${c.name}: b after resuming` });
        checkState(c, resumed.stateDict());
      }));
    }
  });
}

// ---- behaviour ----------------------------------------------------------------------------------
describe('Optimizer', () => {
  beforeAll(async () => {
    await flint.setBackend('wasm');
  });

  it('stateDict numbers parameters across groups and holds the optimizer own state tensors', scoped(() => {
    const { W, b, loss } = problem();
    const unused = new Parameter(flint.zeros([2]));
    const opt = new Adam([{ params: [W] }, { params: [unused, b], lr: 0.1, name: 'bias' }], { amsgrad: true });
    trainStep(opt, loss);
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1, 2]]);
    expect(sd.paramGroups[1]).toEqual({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, name: 'bias', params: [1, 2] });
    // The unused parameter got no gradient, so no state, as in PyTorch.
    expect(Object.keys(sd.state).sort()).toEqual(['0', '2']);
    expect(sd.state[0]!.step).toBe(1);
    expect(sd.state[0]!.expAvg).toBe(opt.state.get(W)!.expAvg);
    expect((sd.state[2]!.maxExpAvgSq as Tensor).shape).toEqual([4]);
    // The groups in the state dict are copies: changing them leaves the optimizer alone.
    (sd.paramGroups[0]!.betas as number[])[0] = 0;
    expect(opt.paramGroups[0]!.betas).toEqual([0.9, 0.999]);
    expect(JSON.parse(JSON.stringify(sd.paramGroups))).toEqual(sd.paramGroups);
  }));

  it('loadStateDict copies the tensors in, frees the old state, and keeps extra group keys', scoped(() => {
    const a = problem();
    const opt = new SGD([a.W, a.b], { lr: 0.1, momentum: 0.9 });
    trainStep(opt, a.loss);
    const b = problem();
    const other = new SGD([b.W, b.b], { lr: 0.5, momentum: 0.5 });
    trainStep(other, b.loss);
    const old = other.state.get(b.W)!.momentumBuffer as Tensor;
    const sd = opt.stateDict();
    sd.paramGroups[0]!.initialLr = 0.1;
    other.loadStateDict(sd);
    expect(old.isDisposed).toBe(true);
    const loaded = other.state.get(b.W)!.momentumBuffer as Tensor;
    expect(loaded).not.toBe(opt.state.get(a.W)!.momentumBuffer);
    assertClose(loaded, opt.state.get(a.W)!.momentumBuffer as Tensor, { rtol: 0, atol: 0 });
    expect(other.paramGroups[0]!.lr).toBe(0.1);
    expect(other.paramGroups[0]!.momentum).toBe(0.9);
    expect(other.paramGroups[0]!.initialLr).toBe(0.1);
    expect(other.paramGroups[0]!.params).toEqual([b.W, b.b]);
    // Loaded state survives scopes, and the source can go away.
    opt.dispose();
    flint.scope(() => trainStep(other, b.loss));
    expect(loaded.isDisposed).toBe(false);
  }));

  it('loadStateDict reads 0-d tensors (PyTorch step) as numbers and refuses mismatched groups', scoped(() => {
    const { W, b, loss } = problem();
    const opt = new Adam([W, b]);
    trainStep(opt, loss);
    const sd = opt.stateDict();
    sd.state[0] = { ...sd.state[0]!, step: flint.tensor(1) };
    opt.loadStateDict(sd);
    expect(opt.state.get(W)!.step).toBe(1);

    const two = new Adam([{ params: [W] }, { params: [b] }]);
    expect(() => two.loadStateDict(opt.stateDict())).toThrow(StateDictError);
    expect(() => two.loadStateDict(opt.stateDict())).toThrow('Adam.loadStateDict(): stateDict.paramGroups has 1 group(s), but the optimizer has 2');
    const small = new Adam([W]);
    expect(() => small.loadStateDict(opt.stateDict())).toThrow(
      "Adam.loadStateDict(): stateDict.paramGroups[0] has 2 parameter(s), but the optimizer's group 0 has 1",
    );
    const bad = opt.stateDict();
    bad.state[5] = {};
    expect(() => opt.loadStateDict(bad)).toThrow('Adam.loadStateDict(): stateDict.state has an entry for parameter 5, but stateDict.paramGroups number only 2 parameter(s)');
    const badLr = opt.stateDict();
    badLr.paramGroups[0]!.lr = -1;
    expect(() => opt.loadStateDict(badLr)).toThrow('Adam.loadStateDict(): stateDict.paramGroups[0].lr must be >= 0 (got -1)');
    expect(() => opt.loadStateDict(null as never)).toThrow(/stateDict must be an object/);
    // A failed load leaves the optimizer as it was.
    expect(opt.state.get(W)!.step).toBe(1);
    expect((opt.state.get(W)!.expAvg as Tensor).isDisposed).toBe(false);
  }));

  it('addParamGroup adds a group with the defaults filled in, trained with its own options', scoped(() => {
    const { W, b, loss } = problem();
    const opt = new SGD([W], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: b, lr: 0 });
    expect(opt.paramGroups[1]).toEqual({ lr: 0, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [b] });
    const before = b.tolist();
    const w0 = W.tolist();
    trainStep(opt, loss);
    expect(b.tolist()).toEqual(before);
    expect(W.tolist()).not.toEqual(w0);
    expect(() => opt.addParamGroup({ params: [W] })).toThrow('SGD.addParamGroup(): some parameters appear in more than one parameter group');
    expect(() => opt.addParamGroup({ params: [flint.zeros([1])], lr: -2 })).toThrow('SGD.addParamGroup(): lr must be >= 0 (got -2)');
    expect(() => opt.addParamGroup({ params: [1 as unknown as Tensor] })).toThrow('SGD.addParamGroup(): optimizers can only optimize Tensors, but params[0] is 1');
  }));

  it('zeroGrad frees the gradients by default, or zeroes them in place', scoped(() => {
    const { W, b, loss } = problem();
    const opt = new SGD([W, b], { lr: 0.1 });
    loss().backward();
    const g = W.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(W.grad).toBe(g);
    expect(g.abs().sum().item()).toBe(0);
    expect(b.grad!.abs().sum().item()).toBe(0);
    opt.zeroGrad();
    expect(W.grad).toBeNull();
    expect(b.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
    // Parameters without a gradient are left alone by step().
    const w0 = W.tolist();
    opt.step();
    expect(W.tolist()).toEqual(w0);
  }));

  it('step(closure) evaluates the loss with grad mode on, updates from it, and returns it', scoped(async () => {
    const { W, b, loss } = problem();
    const opt = new SGD([W, b], { lr: 0.1 });
    const ref = problem();
    const refOpt = new SGD([ref.W, ref.b], { lr: 0.1 });
    trainStep(refOpt, ref.loss);
    let calls = 0;
    const l = flint.noGrad(() =>
      opt.step(() => {
        calls++;
        opt.zeroGrad();
        const v = loss();
        v.backward();
        return v;
      }),
    );
    expect(calls).toBe(1);
    expect(l).toBeInstanceOf(Tensor);
    assertClose(W, ref.W, { rtol: 0, atol: 0 });
    const before = W.tolist();
    const out = opt.step(async () => {
      await new Promise((r) => setTimeout(r, 1));
      opt.zeroGrad();
      const v = loss();
      v.backward();
      return v.item();
    });
    expect(W.tolist()).toEqual(before); // the update waits for the closure
    expect(typeof (await out)).toBe('number');
    expect(W.tolist()).not.toEqual(before);
    expect(opt.step()).toBeUndefined();
    expect(() => opt.step(1 as unknown as () => number)).toThrow('SGD.step(): closure must be a function returning the loss (got 1)');
  }));

  it('validates options as PyTorch does, with messages naming the optimizer and the option', scoped(() => {
    const { W, b } = problem();
    expect(() => new SGD([W], { lr: -1 })).toThrow(ArgumentError);
    expect(() => new SGD([W], { lr: -1 })).toThrow('SGD(): lr must be >= 0 (got -1)');
    expect(() => new SGD([W], {})).toThrow('SGD(): lr is required: give it in the options or in every parameter group');
    expect(() => new SGD([W], { lr: 0.1, momentum: -0.5 })).toThrow('SGD(): momentum must be >= 0 (got -0.5)');
    expect(() => new SGD([W], { lr: 0.1, weightDecay: -1 })).toThrow('SGD(): weightDecay must be >= 0 (got -1)');
    expect(() => new SGD([W], { lr: 0.1, nesterov: true })).toThrow('SGD(): nesterov requires momentum > 0 and dampening 0 (got momentum 0, dampening 0)');
    expect(() => new SGD([W], { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/nesterov requires momentum > 0 and dampening 0/);
    expect(() => new SGD([{ params: [W] }, { params: [b], lr: -1 }], { lr: 0.1 })).toThrow('SGD(): paramGroups[1].lr must be >= 0 (got -1)');
    expect(() => new SGD([{ params: [W], lr: 0.1 }, { params: [b] }])).toThrow('SGD(): paramGroups[1].lr is required');
    expect(() => new SGD([W], { lr: 0.1, weight_decay: 0.1 } as never)).toThrow("SGD(): unknown option 'weight_decay'; Flint spells it weightDecay");
    expect(() => new Adam([W], { betas: [1, 0.9] })).toThrow('Adam(): betas[0] must be in [0, 1) (got 1)');
    expect(() => new Adam([W], { betas: [0.9, -0.1] })).toThrow('Adam(): betas[1] must be in [0, 1) (got -0.1)');
    expect(() => new AdamW([W], { eps: -1 })).toThrow('AdamW(): eps must be >= 0 (got -1)');
    expect(() => new RMSprop([W], { alpha: -1 })).toThrow('RMSprop(): alpha must be >= 0 (got -1)');
    expect(() => new Adagrad([W], { lrDecay: -1 })).toThrow('Adagrad(): lrDecay must be >= 0 (got -1)');
    expect(() => new Adagrad([W], { initialAccumulatorValue: -1 })).toThrow('Adagrad(): initialAccumulatorValue must be >= 0 (got -1)');
    expect(() => new Adadelta([W], { rho: 1.5 })).toThrow('Adadelta(): rho must be in [0, 1] (got 1.5)');
    expect(() => new Adamax([W], { weightDecay: -1 })).toThrow('Adamax(): weightDecay must be >= 0 (got -1)');
    expect(() => new NAdam([W], { momentumDecay: -1 })).toThrow('NAdam(): momentumDecay must be >= 0 (got -1)');
    expect(() => new RAdam([W], { lr: Number.NaN })).toThrow('RAdam(): lr must be >= 0 (got NaN)');
    expect(() => new Adam([W], { amsgrad: 1 as unknown as boolean })).toThrow('Adam(): amsgrad must be true or false (got 1)');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD(): got an empty parameter list');
    expect(() => new SGD(W as unknown as Tensor[], { lr: 0.1 })).toThrow(/not a single Tensor; wrap it in an array/);
    expect(() => new SGD(5 as unknown as Tensor[], { lr: 0.1 })).toThrow(/params must be an iterable of Tensors/);
    expect(() => new SGD([W, W], { lr: 0.1 })).toThrow('SGD(): params[1] repeats params[0]; give each parameter once');
    const nonLeaf = W.mul(2);
    expect(() => new SGD([nonLeaf], { lr: 0.1 })).toThrow('SGD(): params[0] is not a leaf tensor');
  }));

  it('takes a generator of parameters (model.parameters()) and groups with a single tensor', scoped(() => {
    const { W, b } = problem();
    function* params(): Generator<Parameter> {
      yield W;
      yield b;
    }
    expect(new SGD(params(), { lr: 0.1 }).paramGroups[0]!.params).toEqual([W, b]);
    expect(new SGD([{ params: W }, { params: new Set([b]) }], { lr: 0.1 }).paramGroups.map((g) => g.params)).toEqual([[W], [b]]);
  }));

  it('Adagrad makes the state of every parameter up front, as PyTorch does', scoped(() => {
    const { W, b } = problem();
    const opt = new Adagrad([W], { initialAccumulatorValue: 0.5 });
    opt.addParamGroup({ params: [b], initialAccumulatorValue: 0.25 });
    const sd = opt.stateDict();
    expect(sd.state[0]!.step).toBe(0);
    expect((sd.state[0]!.sum as Tensor).tolist()).toEqual(flint.full([3, 4], 0.5).tolist());
    expect((sd.state[1]!.sum as Tensor).tolist()).toEqual([0.25, 0.25, 0.25, 0.25]);
  }));

  it('dispose frees the state tensors', scoped(() => {
    const { W, b, loss } = problem();
    const opt = new Adam([W, b]);
    trainStep(opt, loss);
    const t = opt.state.get(W)!.expAvg as Tensor;
    const before = flint.memory().numTensors;
    opt.dispose();
    expect(t.isDisposed).toBe(true);
    expect(flint.memory().numTensors).toBe(before - 4);
    expect(opt.state.size).toBe(0);
  }));

  it('makes, saves, loads and frees its state without leaving tensors behind, outside any scope', () => {
    const { x, y, W, b, loss } = problem();
    const other = problem();
    expectNoLeak(() => {
      const opt = new Adagrad([W, b], { initialAccumulatorValue: 0.1 });
      const grads = flint.scope(() => {
        loss().backward();
        return null;
      });
      expect(grads).toBeNull();
      opt.step();
      opt.step(() => flint.scope(() => loss().item()));
      const resumed = new Adagrad([other.W, other.b]);
      resumed.loadStateDict(opt.stateDict());
      resumed.step();
      opt.zeroGrad();
      opt.dispose();
      resumed.dispose();
    });
    for (const t of [x, y, W, b, other.x, other.y, other.W, other.b]) t.dispose();
  });

  it('prints its groups as PyTorch does', scoped(() => {
    const { W } = problem();
    expect(new SGD([W], { lr: 0.1 }).toString()).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: false\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n)',
    );
  }));
});

describe('optimizers keep a flat tensor count in a scoped training loop', () => {
  beforeAll(async () => {
    await flint.setBackend('wasm');
  });
  const configs: [string, (W: Tensor, b: Tensor) => AnyOptimizer][] = [
    ['SGD', (W, b) => new SGD([W, b], { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['Adam', (W, b) => new Adam([W, b], { lr: 0.01, amsgrad: true, weightDecay: 0.01 })],
    ['AdamW', (W, b) => new AdamW([W, b], { lr: 0.01, amsgrad: true })],
    ['RMSprop', (W, b) => new RMSprop([W, b], { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01 })],
    ['Adagrad', (W, b) => new Adagrad([W, b], { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, maximize: true })],
    ['Adadelta', (W, b) => new Adadelta([W, b], { weightDecay: 0.01 })],
    ['Adamax', (W, b) => new Adamax([W, b], { weightDecay: 0.01 })],
    ['NAdam', (W, b) => new NAdam([W, b], { weightDecay: 0.01 })],
    ['RAdam', (W, b) => new RAdam([W, b], { weightDecay: 0.01 })],
  ];
  it('covers every optimizer', scoped(() => {
    expect(configs.map(([n]) => n).sort()).toEqual(Object.keys(CLASSES).sort());
  }));
  for (const [name, make] of configs) {
    it(`${name}: 200 steps`, scoped(() => {
      const { x, y, W, b, loss } = problem();
      const opt = make(W, b);
      const counts: number[] = [];
      const bytes: number[] = [];
      for (let step = 0; step < 200; step++) {
        flint.scope(() => {
          opt.zeroGrad();
          loss().backward();
          opt.step();
        });
        if (step >= 1) {
          counts.push(flint.memory().numTensors);
          bytes.push(flint.memory().numBytes);
        }
      }
      expect(new Set(counts).size, `${name}: tensor counts ${[...new Set(counts)].join(', ')}`).toBe(1);
      expect(new Set(bytes).size).toBe(1);
      // What stays alive: the problem's tensors, the parameters and their gradients, the state.
      const stateTensors = [...opt.state.values()].flatMap((s) => Object.values(s)).filter((v) => v instanceof Tensor).length;
      opt.dispose();
      opt.zeroGrad();
      const after = flint.memory().numTensors;
      expect(counts[0]! - after).toBe(stateTensors + 2);
      for (const t of [x, y, W, b]) t.dispose();
    }));
  }
});
