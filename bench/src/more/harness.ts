/**
 * The sampling loop of `bench:more`: contenders are warmed up, then take one sample per round in
 * a shuffled order; a sample runs enough iterations for about `sampleMs` and reports the mean
 * time of one. Medians over rounds are what the tables show. The same rules as `src/run.ts`.
 */
import { performance } from 'node:perf_hooks';
import * as flint from '@flint/core';

/** One contender's version of one case: a sample of `inner` iterations returns ms per iteration. */
export interface Sampler {
  sample: (inner: number) => Promise<number>;
  dispose: () => void | Promise<void>;
}

/** A contender of one case, and how to set it up. */
export interface Contender {
  name: string;
  make: () => Promise<Sampler>;
}

/** What one contender measured. */
export interface Measured {
  contender: string;
  inner: number;
  samples: number[];
  median: number;
}

export interface RoundOptions {
  rounds: number;
  sampleMs: number;
  /** Contenders whose iteration takes longer than this get only `slowRounds` rounds. */
  slowMs: number;
  slowRounds: number;
}

/** Collects JS garbage before a sample, so that no contender pays for another's (needs --expose-gc). */
export const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A Flint iteration (synchronous or not), run with `backend` active, after a GC. */
export function flintSampler(
  backend: flint.BackendName,
  make: () => Promise<{ iter: () => unknown; dispose: () => void | Promise<void> }> | { iter: () => unknown; dispose: () => void | Promise<void> },
): () => Promise<Sampler> {
  return async () => {
    await flint.setBackend(backend);
    const { iter, dispose } = await make();
    return {
      sample: async (inner) => {
        if (flint.backend() !== backend) await flint.setBackend(backend);
        collectGarbage();
        const t0 = performance.now();
        for (let i = 0; i < inner; i++) await iter();
        return (performance.now() - t0) / inner;
      },
      dispose,
    };
  };
}

/**
 * Warms a sampler up and picks how many iterations one sample runs: one iteration to warm up,
 * then (unless that one was already slow) more single iterations for about 300 ms.
 */
async function calibrate({ sample }: Sampler, o: RoundOptions): Promise<{ inner: number; perIter: number }> {
  let perIter = await sample(1);
  let spent = perIter;
  while (spent < 300 && perIter < o.slowMs) {
    perIter = await sample(1);
    spent += perIter;
  }
  return { inner: Math.max(1, Math.round(o.sampleMs / perIter)), perIter };
}

/** The contenders in a fresh (fixed pseudo-random) order each round. */
function shuffled<T>(xs: readonly T[], round: number): T[] {
  const out = [...xs];
  let seed = (round + 1) * 0x9e3779b9;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs the contenders of one case in interleaved rounds; prints a dot per round to stderr. */
export async function runRounds(contenders: readonly Contender[], o: RoundOptions): Promise<Measured[]> {
  const made: (Sampler & { name: string; inner: number; rounds: number; samples: number[] })[] = [];
  try {
    for (const c of contenders) {
      const sampler = await c.make();
      made.push({ ...sampler, name: c.name, inner: 0, rounds: 0, samples: [] });
      const { inner, perIter } = await calibrate(sampler, o);
      Object.assign(made[made.length - 1]!, { inner, rounds: perIter > o.slowMs ? Math.min(o.slowRounds, o.rounds) : o.rounds });
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const s of shuffled(made, r)) {
        if (s.samples.length < s.rounds) s.samples.push(await s.sample(s.inner));
      }
      process.stderr.write('.');
    }
    process.stderr.write('\n');
  } finally {
    for (const s of made) await s.dispose();
  }
  return made.map((s) => ({ contender: s.name, inner: s.inner, samples: s.samples, median: median(s.samples) }));
}

/**
 * The median over rounds of `a`'s sample divided by `base`'s sample of the same round: both were
 * taken under the same load, so each round's ratio cancels most of the drift between rounds.
 */
export function pairedRatio(a: Measured, base: Measured): number {
  const n = Math.min(a.samples.length, base.samples.length);
  return median(Array.from({ length: n }, (_, i) => a.samples[i]! / base.samples[i]!));
}
