/**
 * Runs golden fixtures written by tools/fixtures/vision_*.py against @flint/vision, once per
 * backend. Every fixture case needs a function in the table and every function a case.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import type { Tensor } from '@flint/core';

/** A tensor as the fixtures store it. */
export interface Encoded {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | string)[];
}

/** One fixture case. */
export interface Case {
  name: string;
  inputs: Encoded[];
  outputs: Encoded[];
  [extra: string]: unknown;
}

/** A table entry: the Flint call, and optionally its own tolerance. */
export interface GoldenEntry {
  fn: (...xs: Tensor[]) => Tensor | readonly Tensor[];
  /** Absolute tolerance (default from runGolden). */
  atol?: number;
  /** Largest share of elements allowed to differ by more than atol (default 0). */
  mismatch?: number;
}

/** The backends every tensor-producing suite runs on. */
export const BACKENDS = ['wasm', 'cpu'] as const;

/** Decodes a fixture tensor. */
export function decode(e: Encoded): Tensor {
  const values = e.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v)) as number[];
  const flat = flint.tensor(e.dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values), { dtype: e.dtype });
  const t = flat.reshape(e.shape);
  if (t !== flat) flat.dispose();
  return t;
}

/** Loads `packages/vision/fixtures/<name>.json`. */
export function loadFixture(name: string): Case[] {
  const url = new URL(`../fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { cases: Case[] }).cases;
}

/** Compares a Flint tensor with an encoded expectation: same shape and dtype, values within atol. */
export function expectMatches(actual: Tensor, expected: Encoded, atol: number, mismatch = 0, label = ''): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const a = actual.dataSync();
  const e = expected.data.map(Number);
  let bad = 0;
  let worst = 0;
  let where = -1;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i]! - e[i]!);
    if (!(d <= atol)) {
      bad++;
      if (!(d <= worst)) {
        worst = d;
        where = i;
      }
    }
  }
  const allowed = Math.floor(mismatch * e.length);
  expect(bad, `${label}: ${bad} of ${e.length} values differ by more than ${atol} (worst ${worst} at ${where}: got ${a[where]}, expected ${e[where]})`).toBeLessThanOrEqual(allowed);
}

/** Declares the tests of one fixture file against `table`, once per backend. */
export function runGolden(fixture: string, table: Record<string, GoldenEntry['fn'] | GoldenEntry>, defaults: { atol: number }): void {
  const cases = loadFixture(fixture);
  const names = new Set(cases.map((c) => c.name));
  it(`${fixture}: every function has a fixture case and every case a function`, () => {
    expect(Object.keys(table).filter((k) => !names.has(k))).toEqual([]);
    expect(cases.map((c) => c.name).filter((n) => !(n in table))).toEqual([]);
  });
  for (const backendName of BACKENDS) {
    describe(`${fixture} [${backendName}]`, () => {
      beforeAll(async () => {
        await flint.setBackend(backendName);
      });
      for (const c of cases) {
        const raw = table[c.name];
        if (raw === undefined) continue;
        const entry: GoldenEntry = typeof raw === 'function' ? { fn: raw } : raw;
        it(c.name, () => {
          flint.scope(() => {
            const inputs = c.inputs.map(decode);
            const out = entry.fn(...inputs);
            const outs = Array.isArray(out) ? (out as readonly Tensor[]) : [out as Tensor];
            expect(outs.length, `${c.name}: number of outputs`).toBe(c.outputs.length);
            outs.forEach((o, i) => expectMatches(o, c.outputs[i]!, entry.atol ?? defaults.atol, entry.mismatch ?? 0, `${c.name} output ${i}`));
          });
        });
      }
    });
  }
}
