import { describe, expect, it } from 'vitest';
import { ArgumentError, FlintError } from '../../errors.js';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type SchedulableOptimizer,
} from './index.js';

function sgd(): SchedulableOptimizer {
  return { paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.01, momentum: 0.9 }] };
}

/** Expects `fn` to throw an ArgumentError whose message matches every pattern. */
function expectArgumentError(fn: () => unknown, ...patterns: RegExp[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(ArgumentError.isInstance(error), `expected an ArgumentError, got ${String(error)}`).toBe(true);
  for (const p of patterns) expect((error as Error).message).toMatch(p);
}

describe('LRScheduler', () => {
  it('sets initialLr on the groups and baseLrs from it, and takes the initial step', () => {
    const opt = sgd();
    const sched = new LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.01]);
    expect(sched.baseLrs).toEqual([0.1, 0.01]);
    expect(sched.lastEpoch).toBe(0);
    expect(sched.getLastLr()).toEqual([0.05, 0.005]);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.05, 0.005]);
  });

  it('keeps an existing initialLr (a second scheduler on the same optimizer)', () => {
    const opt = sgd();
    new ConstantLR(opt, { factor: 0.5 });
    const second = new ExponentialLR(opt, { gamma: 0.9 });
    expect(second.baseLrs).toEqual([0.1, 0.01]);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
  });

  it('getLastLr returns a copy', () => {
    const sched = new StepLR(sgd(), { stepSize: 2 });
    sched.getLastLr()[0] = 42;
    expect(sched.getLastLr()).toEqual([0.1, 0.01]);
  });

  it('step(epoch) jumps with the closed form', () => {
    const opt = sgd();
    const sched = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
    sched.step(7);
    expect(sched.lastEpoch).toBe(7);
    expect(sched.getLastLr()).toEqual([0.1 * 0.5 ** 2, 0.01 * 0.5 ** 2]);
    sched.step();
    expect(sched.lastEpoch).toBe(8);
  });

  it('a subclass implements getLr and calls initialStep', () => {
    class HalvingLR extends LRScheduler {
      constructor(opt: SchedulableOptimizer) {
        super(opt);
        this.initialStep();
      }
      override getLr(): number[] {
        return this.baseLrs.map((lr) => lr * 0.5 ** this.lastEpoch);
      }
    }
    const sched = new HalvingLR(sgd());
    sched.step();
    sched.step();
    expect(sched.getLastLr()).toEqual([0.025, 0.0025]);
    class NoGetLr extends LRScheduler {}
    expect(() => new NoGetLr(sgd()).initialStep()).toThrow(/NoGetLr\.getLr\(\): not implemented/);
  });

  it('stateDict is plain data with camelCase keys, lambdas as null, and a copy', () => {
    const sched = new LambdaLR(sgd(), [(e) => 0.9 ** e, (e) => 1 / (e + 1)]);
    sched.step();
    const sd = sched.stateDict();
    expect(sd).toEqual({ baseLrs: [0.1, 0.01], lastEpoch: 1, _stepCount: 2, _lastLr: sched.getLastLr(), lrLambdas: [null, null] });
    (sd.baseLrs as number[])[0] = 7;
    expect(sched.baseLrs[0]).toBe(0.1);
  });

  it('loadStateDict keeps the lambdas and restores the rest', () => {
    const a = new LambdaLR(sgd(), (e) => 0.9 ** e);
    for (let i = 0; i < 5; i++) a.step();
    const fn = (e: number) => 0.9 ** e;
    const b = new LambdaLR(sgd(), fn);
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())) as Record<string, unknown>);
    expect(b.lrLambdas[0]).toBe(fn);
    expect(b.lastEpoch).toBe(5);
    b.step();
    expect(b.getLastLr()[0]).toBeCloseTo(0.1 * 0.9 ** 6, 15);
  });

  it('loadStateDict refuses another scheduler state, non-objects and nested mismatches', () => {
    const step = new StepLR(sgd(), { stepSize: 3 });
    const cosine = new CosineAnnealingLR(sgd(), { tMax: 10 });
    expectArgumentError(() => step.loadStateDict(cosine.stateDict()), /StepLR\.loadStateDict\(\)/, /unexpected keys 'tMax', 'etaMin'/);
    expectArgumentError(() => step.loadStateDict(null as never), /stateDict must be an object/, /got null/);
    const opt = sgd();
    const chained = new ChainedScheduler([new StepLR(opt, { stepSize: 3 }), new ExponentialLR(opt, { gamma: 0.9 })]);
    const sd = chained.stateDict();
    expect((sd._schedulers as unknown[]).length).toBe(2);
    expectArgumentError(() => chained.loadStateDict({ ...sd, _schedulers: (sd._schedulers as unknown[]).slice(1) }), /must hold 2 scheduler states/);
  });
});

describe('particular schedulers', () => {
  it('OneCycleLR refuses to step past totalSteps, as PyTorch', () => {
    const sched = new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10 });
    for (let i = 0; i < 10; i++) sched.step();
    let error: unknown;
    try {
      sched.step();
    } catch (e) {
      error = e;
    }
    expect(FlintError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('OneCycleLR.step(): tried to step 12 times; the specified number of total steps is 10');
  });

  it('OneCycleLR sets the PyTorch group keys and cycles beta1 of Adam-like groups', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 1, betas: [0.9, 0.999] }] };
    new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    const g = opt.paramGroups[0]!;
    expect(g.initialLr).toBeCloseTo(0.004, 15);
    expect(g.maxLr).toBe(0.1);
    expect(g.minLr).toBeCloseTo(0.004 / 1e4, 18);
    expect(g.betas).toEqual([0.95, 0.999]);
    expect([g.maxMomentum, g.baseMomentum]).toEqual([0.95, 0.85]);
    expect(g.momentum).toBeUndefined();
  });

  it('CyclicLR sets the groups to baseLr and baseMomentum, then cycles', () => {
    const opt = sgd();
    const sched = new CyclicLR(opt, { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 2 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.001, 0.9], [0.001, 0.9]]);
    sched.step();
    sched.step();
    expect(sched.getLastLr()[0]).toBeCloseTo(0.01, 15);
    expect(sched.getLastLr()[1]).toBeCloseTo(0.01, 15);
    expect(opt.paramGroups[0]!.momentum).toBeCloseTo(0.8, 15);
  });

  it('ReduceLROnPlateau takes metrics with item(), and a JSON state dict with best = Infinity', () => {
    const sched = new ReduceLROnPlateau(sgd(), { patience: 0 });
    expect(sched.getLastLr()).toEqual([0.1, 0.01]);
    const sd = JSON.parse(JSON.stringify(sched.stateDict())) as Record<string, unknown>;
    expect(sd.best).toBeNull();
    const fresh = new ReduceLROnPlateau(sgd(), { patience: 0 });
    fresh.loadStateDict(sd);
    expect(fresh.best).toBe(Infinity);
    fresh.step({ item: () => 1 });
    expect(fresh.best).toBe(1);
    fresh.step(2);
    expect(fresh.getLastLr()).toEqual([0.1 * 0.1, 0.01 * 0.1]);
    expectArgumentError(() => fresh.step('low' as never), /ReduceLROnPlateau\.step\(\): metric must be a number or have item\(\) \(got "low"\)/);
  });

  it('SequentialLR switches at the milestone and ChainedScheduler multiplies', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const seq = new SequentialLR(opt, [new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })], { milestones: [2] });
    const seen = [seq.getLastLr()[0]];
    for (let i = 0; i < 3; i++) {
      seq.step();
      seen.push(seq.getLastLr()[0]);
    }
    expect(seen.map((v) => Number(v!.toFixed(12)))).toEqual([0.1, 0.1, 1, 0.9]); // PyTorch 1.13's own run
    const opt2: SchedulableOptimizer = { paramGroups: [{ lr: 1 }] };
    const chained = new ChainedScheduler([new ConstantLR(opt2, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt2, { gamma: 0.9 })]);
    const got = [chained.getLastLr()[0]];
    for (let i = 0; i < 3; i++) {
      chained.step();
      got.push(chained.getLastLr()[0]);
    }
    expect(got.map((v) => Number(v!.toFixed(12)))).toEqual([0.1, 0.09, 0.81, 0.729]); // PyTorch 1.13's own run
  });
});

describe('argument errors', () => {
  it('name the scheduler, the argument, the expectation and the value', () => {
    const cases: [() => unknown, ...RegExp[]][] = [
      [() => new StepLR({} as never, { stepSize: 1 }), /^StepLR\(\): optimizer must be an optimizer with a non-empty paramGroups array \(got Object\)$/],
      [() => new StepLR({ paramGroups: [{ lr: '0.1' }] } as never, { stepSize: 1 }), /StepLR\(\): optimizer\.paramGroups\[0\]\.lr must be a number \(got "0\.1"\)/],
      [() => new StepLR(sgd(), {} as never), /^StepLR\(\): stepSize must be a positive integer \(got undefined\)$/],
      [() => new StepLR(sgd(), { stepSize: 2.5 }), /StepLR\(\): stepSize must be a positive integer \(got 2\.5\)/],
      [() => new StepLR(sgd(), { stepSize: 3, lastEpoch: -2 }), /StepLR\(\): lastEpoch must be an integer >= -1 \(got -2\)/],
      [() => new StepLR(sgd(), { stepSize: 3, lastEpoch: 5 }), /StepLR\(\): optimizer\.paramGroups\[0\]\.initialLr must be a number when resuming with lastEpoch=5 \(got undefined\)/],
      [() => new MultiStepLR(sgd(), { milestones: 30 as never }), /MultiStepLR\(\): milestones must be an array of epoch indices \(got 30\)/],
      [() => new MultiStepLR(sgd(), { milestones: [10, 1.5] }), /MultiStepLR\(\): milestones\[1\] must be an integer \(got 1\.5\)/],
      [() => new LambdaLR(sgd(), [(e) => e]), /LambdaLR\(\): lrLambda must be a function or one function per param group, 2 \(got 1 functions\)/],
      [() => new MultiplicativeLR(sgd(), 0.95 as never), /MultiplicativeLR\(\): lrLambda must be a function \(got 0\.95\)/],
      [() => new ConstantLR(sgd(), { factor: 1.5 }), /ConstantLR\(\): factor must be a number in \[0, 1\] \(got 1\.5\)/],
      [() => new LinearLR(sgd(), { startFactor: -0.1 }), /LinearLR\(\): startFactor must be a number in \[0, 1\] \(got -0\.1\)/],
      [() => new LinearLR(sgd(), { endFactor: 2 }), /LinearLR\(\): endFactor must be a number in \[0, 1\] \(got 2\)/],
      [() => new ExponentialLR(sgd(), {} as never), /ExponentialLR\(\): gamma must be a finite number \(got undefined\)/],
      [() => new PolynomialLR(sgd(), { totalIters: 0 }), /PolynomialLR\(\): totalIters must be a positive integer \(got 0\)/],
      [() => new CosineAnnealingLR(sgd(), { tMax: 0 }), /CosineAnnealingLR\(\): tMax must be a positive number \(got 0\)/],
      [() => new CosineAnnealingWarmRestarts(sgd(), { t0: 0 }), /CosineAnnealingWarmRestarts\(\): t0 must be a positive integer \(got 0\)/],
      [() => new CosineAnnealingWarmRestarts(sgd(), { t0: 5, tMult: 1.5 }), /CosineAnnealingWarmRestarts\(\): tMult must be a positive integer \(got 1\.5\)/],
      [() => new CosineAnnealingWarmRestarts(sgd(), { t0: 5 }).step(-1), /CosineAnnealingWarmRestarts\.step\(\): epoch must be a number >= 0 \(got -1\)/],
      [() => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: 'sawtooth' as never }), /CyclicLR\(\): mode must be one of 'triangular', 'triangular2', 'exp_range' \(got "sawtooth"\)/],
      [() => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: [0.1, 0.2, 0.3] }), /CyclicLR\(\): maxLr must have one value per param group, 2 \(got 3 values\)/],
      [() => new CyclicLR({ paramGroups: [{ lr: 0.1 }] }, { baseLr: 0.01, maxLr: 0.1 }), /CyclicLR\(\): cycleMomentum needs an optimizer with momentum, but paramGroups\[0\]\.momentum is undefined; pass cycleMomentum: false/],
      [() => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), /CyclicLR\(\): stepSizeUp must be a positive number \(got 0\)/],
      [() => new OneCycleLR(sgd(), { maxLr: 0.1 }), /OneCycleLR\(\): give either totalSteps, or epochs and stepsPerEpoch \(got none of them\)/],
      [() => new OneCycleLR(sgd(), { maxLr: 0.1, epochs: 3 }), /OneCycleLR\(\): stepsPerEpoch must be a positive integer \(got undefined\)/],
      [() => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: -5 }), /OneCycleLR\(\): totalSteps must be a positive integer \(got -5\)/],
      [() => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), /OneCycleLR\(\): pctStart must be a number in \[0, 1\] \(got 1\.5\)/],
      [() => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' as never }), /OneCycleLR\(\): annealStrategy must be one of 'cos', 'linear' \(got "exp"\)/],
      [() => new OneCycleLR({ paramGroups: [{ lr: 0.1 }] }, { maxLr: 0.1, totalSteps: 10 }), /OneCycleLR\(\): cycleMomentum needs an optimizer with momentum or betas/],
      [() => new ReduceLROnPlateau(sgd(), { factor: 1 }), /ReduceLROnPlateau\(\): factor must be < 1\.0 \(got 1\)/],
      [() => new ReduceLROnPlateau(sgd(), { mode: 'avg' as never }), /ReduceLROnPlateau\(\): mode must be one of 'min', 'max' \(got "avg"\)/],
      [() => new ReduceLROnPlateau(sgd(), { thresholdMode: 'pct' as never }), /ReduceLROnPlateau\(\): thresholdMode must be one of 'rel', 'abs' \(got "pct"\)/],
      [() => new ReduceLROnPlateau(sgd(), { minLr: [0.001] }), /ReduceLROnPlateau\(\): minLr must have one value per param group, 2 \(got 1 values\)/],
      [() => new ReduceLROnPlateau(sgd(), { patience: -1 }), /ReduceLROnPlateau\(\): patience must be an integer >= 0 \(got -1\)/],
      [() => new SequentialLR(sgd(), [], { milestones: [] }), /SequentialLR\(\): schedulers must be a non-empty array of schedulers \(got \[\]\)/],
      [() => new ChainedScheduler([]), /ChainedScheduler\(\): schedulers must be a non-empty array of schedulers \(got \[\]\)/],
    ];
    for (const [fn, ...patterns] of cases) expectArgumentError(fn, ...patterns);
  });

  it('SequentialLR and ChainedScheduler check their schedulers', () => {
    const opt = sgd();
    const other = sgd();
    const a = new ConstantLR(opt);
    const b = new ExponentialLR(opt, { gamma: 0.9 });
    expectArgumentError(() => new SequentialLR(opt, [a, b], { milestones: [] }), /SequentialLR\(\): milestones must have one entry fewer than schedulers, 1 \(got 0 milestones for 2 schedulers\)/);
    expectArgumentError(() => new SequentialLR(other, [a, b], { milestones: [3] }), /SequentialLR\(\): all schedulers must belong to the optimizer passed in, but schedulers\[0\]/);
    expectArgumentError(() => new SequentialLR(opt, [a, 'b' as never], { milestones: [3] }), /SequentialLR\(\): schedulers\[1\] must be an LRScheduler \(got "b"\)/);
    expectArgumentError(() => new ChainedScheduler([a, new ExponentialLR(other, { gamma: 0.9 })]), /ChainedScheduler\(\): all schedulers must belong to one optimizer, but schedulers\[0\] and schedulers\[1\]/);
  });
});
