/**
 * Replays tools/fixtures/core_lr_scheduler.py: every case builds the same scheduler on a stand-in
 * optimizer, steps it as PyTorch did and compares each group's lr (and momentum or betas) after
 * every step, then resumes a second run from a JSON round trip of its stateDict halfway.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as lrScheduler from './index.js';
import type { LRScheduler, LrLambda, ParamGroup, ScaleFn, SchedulableOptimizer } from './index.js';

interface Trace {
  lr: number[][];
  momentum?: number[][];
  betas?: number[][][];
}
interface Spec {
  name?: string;
  scheduler: string;
  options: Record<string, unknown>;
  lrLambda?: string | string[];
  schedulers?: Spec[];
}
interface Case extends Spec {
  name: string;
  optimizer: { type: 'sgd' | 'adam'; groups: ParamGroup[] };
  metrics?: number[];
  epochs?: number[];
  steps: number;
  trace: Trace;
  resumeAt: number;
  resumed: Trace;
}

const url = new URL('../../../fixtures/lr_scheduler.json', import.meta.url);
const CASES = (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { cases: Case[] }).cases;

// The same functions, by name, as in the fixture script.
const LAMBDAS: Record<string, LrLambda> = {
  pow095: (e) => 0.95 ** e,
  step30: (e) => Math.floor(e / 30),
  warmup10: (e) => Math.min(1.0, (e + 1) / 10),
  const095: () => 0.95,
  slowDecay: (e) => 1 - 0.002 * e,
};
const SCALE_FNS: Record<string, ScaleFn> = {
  halfPow: (x) => 0.5 ** x,
  inverse: (x) => 1 / (1 + 0.1 * x),
};

type AnyScheduler = LRScheduler | lrScheduler.ReduceLROnPlateau;
type Ctor = new (opt: SchedulableOptimizer, options: never) => AnyScheduler;

function build(spec: Spec, opt: SchedulableOptimizer): AnyScheduler {
  const options = { ...spec.options };
  switch (spec.scheduler) {
    case 'LambdaLR':
    case 'MultiplicativeLR': {
      const fns = Array.isArray(spec.lrLambda) ? spec.lrLambda.map((n) => LAMBDAS[n]!) : LAMBDAS[spec.lrLambda!]!;
      return new lrScheduler[spec.scheduler](opt, fns, options);
    }
    case 'SequentialLR':
      return new lrScheduler.SequentialLR(opt, spec.schedulers!.map((s) => build(s, opt) as LRScheduler), options as never);
    case 'ChainedScheduler':
      return new lrScheduler.ChainedScheduler(spec.schedulers!.map((s) => build(s, opt) as LRScheduler));
    default: {
      if (typeof options.scaleFn === 'string') options.scaleFn = SCALE_FNS[options.scaleFn];
      const Cls = (lrScheduler as unknown as Record<string, Ctor>)[spec.scheduler];
      if (Cls === undefined) throw new Error(`no scheduler ${spec.scheduler}`);
      return new Cls(opt, options as never);
    }
  }
}

function makeOptimizer(c: Case): SchedulableOptimizer {
  return { paramGroups: structuredClone(c.optimizer.groups) };
}

function drive(c: Case, sched: AnyScheduler, i: number): void {
  if (sched instanceof lrScheduler.ReduceLROnPlateau) sched.step(c.metrics![i]!);
  else if (c.epochs) sched.step(c.epochs[i]);
  else sched.step();
}

function record(opt: SchedulableOptimizer, sched: AnyScheduler, trace: Required<Trace>): void {
  const lrs = opt.paramGroups.map((g) => g.lr);
  expect(sched.getLastLr()).toEqual(lrs);
  trace.lr.push(lrs);
  trace.momentum.push(opt.paramGroups.map((g) => g.momentum as number));
  trace.betas.push(opt.paramGroups.map((g) => g.betas as number[]));
}

function newTrace(): Required<Trace> {
  return { lr: [], momentum: [], betas: [] };
}

/** Throws naming the first entry (step, group) whose relative difference exceeds `rtol`. */
function expectClose(actual: unknown[], expected: unknown[], what: string, rtol = 1e-10): void {
  expect(actual.length, `${what}: number of steps`).toBe(expected.length);
  const flat = (rows: unknown[]) => rows.map((r) => (r as unknown[]).flat() as number[]);
  const a = flat(actual);
  const e = flat(expected);
  e.forEach((row, step) => {
    row.forEach((want, j) => {
      const got = a[step]![j]!;
      if (!(Math.abs(got - want) <= rtol * Math.max(Math.abs(got), Math.abs(want)))) {
        throw new Error(`${what}: at step ${step}, entry ${j}: got ${got}, PyTorch ${want}`);
      }
    });
  });
}

/** Momentum and betas as PyTorch recorded them, or unchanged from the start when not recorded. */
function expectMomentum(c: Case, actual: Required<Trace>, expected: Trace, what: string): void {
  const sgd = c.optimizer.type === 'sgd';
  const key = sgd ? 'momentum' : 'betas';
  const want = expected[key] ?? actual.lr.map(() => c.optimizer.groups.map((g) => g[key]));
  expectClose(actual[key], want as unknown[], `${what} ${key}`);
}

describe('lrScheduler golden values from PyTorch', () => {
  it('every scheduler has fixture cases', () => {
    const covered = new Set(CASES.flatMap((c) => [c.scheduler, ...(c.schedulers ?? []).map((s) => s.scheduler)]));
    const classes = Object.keys(lrScheduler).filter((k) => k !== 'LRScheduler');
    expect(classes.filter((k) => !covered.has(k))).toEqual([]);
    expect(classes.length).toBe(15);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const opt = makeOptimizer(c);
      const sched = build(c, opt);
      const trace = newTrace();
      record(opt, sched, trace);
      for (let i = 0; i < c.steps; i++) {
        drive(c, sched, i);
        record(opt, sched, trace);
      }
      expectClose(trace.lr, c.trace.lr, c.name);
      expectMomentum(c, trace, c.trace, c.name);
    });

    it(`${c.name} resumed from stateDict at step ${c.resumeAt}`, () => {
      const opt1 = makeOptimizer(c);
      const sched1 = build(c, opt1);
      for (let i = 0; i < c.resumeAt; i++) drive(c, sched1, i);
      const saved = JSON.parse(JSON.stringify({ groups: opt1.paramGroups, scheduler: sched1.stateDict() })) as {
        groups: ParamGroup[];
        scheduler: Record<string, unknown>;
      };

      const opt2 = makeOptimizer(c);
      const sched2 = build(c, opt2);
      opt2.paramGroups = saved.groups; // what an optimizer's loadStateDict does
      sched2.loadStateDict(saved.scheduler);
      const trace = newTrace();
      for (let i = c.resumeAt; i < c.steps; i++) {
        drive(c, sched2, i);
        record(opt2, sched2, trace);
      }
      expectClose(trace.lr, c.resumed.lr, `${c.name} (resumed)`);
      expectMomentum(c, trace, c.resumed, `${c.name} (resumed)`);
    });
  }
});
