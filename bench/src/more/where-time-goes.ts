/**
 * Where a Flint training step spends its time: a few steps under `@flint/profiler`'s `profile()`,
 * with the forward, backward and optimizer phases as `recordFunction` ranges, summarized and
 * tabled with `keyAverages().table()`.
 */
import { performance } from 'node:perf_hooks';
import * as flint from '@flint/core';
import { profile, recordFunction } from '@flint/profiler';
import type { TrainCase } from './train-step.js';

export interface Breakdown {
  steps: number;
  /** Wall time of one step under the profiler, ms. */
  stepMs: number;
  /** Per-step ms of each phase (the range's total) and of the JS between ops in it. */
  phases: { name: string; ms: number; glueMs: number }[];
  /** Per-step ms inside op kernels (op self time), in backward-node bookkeeping, and elsewhere. */
  opsMs: number;
  nodesMs: number;
  /** The top ops by self time: name, per-step ms, share of the step, calls per step. */
  top: { name: string; ms: number; share: number; calls: number }[];
  /** `keyAverages().table()` sorted by self CPU time. */
  table: string;
}

/** Profiles `steps` steps of `make()` on `backend` after `warmup` unprofiled ones. */
export async function whereTimeGoes(backend: flint.BackendName, make: () => TrainCase, steps: number, warmup: number, rows: number): Promise<Breakdown> {
  await flint.setBackend(backend);
  const c = make();
  for (let i = 0; i < warmup; i++) c.step();
  let wall = 0;
  const prof = profile(() => {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) c.step(recordFunction);
    wall = performance.now() - t0;
  });
  c.dispose();
  const avg = prof.keyAverages();
  const perStep = (us: number) => us / 1000 / steps;
  const stepMs = wall / steps;
  const phases = ['forward', 'backward', 'optimizer'].map((name) => {
    const row = avg.get(name);
    return { name, ms: perStep(row?.cpuTimeTotal ?? 0), glueMs: perStep(row?.selfCpuTimeTotal ?? 0) };
  });
  const rowsOf = (kind: string) => [...avg].filter((r) => r.kind === kind);
  const sum = (rs: { selfCpuTimeTotal: number }[]) => rs.reduce((s, r) => s + r.selfCpuTimeTotal, 0);
  const ops = rowsOf('op').sort((a, b) => b.selfCpuTimeTotal - a.selfCpuTimeTotal);
  return {
    steps,
    stepMs,
    phases,
    opsMs: perStep(sum(ops)),
    nodesMs: perStep(sum(rowsOf('backward'))),
    top: ops.slice(0, 6).map((r) => ({ name: r.key, ms: perStep(r.selfCpuTimeTotal), share: perStep(r.selfCpuTimeTotal) / stepMs, calls: r.count / steps })),
    table: avg.table({ sortBy: 'selfCpuTimeTotal', rowLimit: rows }),
  };
}
