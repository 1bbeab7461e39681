/**
 * Runs the golden fixtures written by tools/fixtures/audio_*.py against @flint/audio, once per
 * backend: outputs, and gradients for the recorded upstream gradient where the case has them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import type { Tensor } from '@flint/core';

interface Encoded {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | string)[];
}
interface Case {
  name: string;
  inputs: Encoded[];
  outputs: Encoded[];
  gradOutput?: Encoded;
  grads?: (Encoded | null)[];
}

/** One function per fixture case, with optional tolerances. */
export interface GoldenEntry {
  fn: (...xs: Tensor[]) => Tensor | readonly Tensor[];
  rtol?: number;
  atol?: number;
  /** Check gradients when the case has them (default true). */
  grads?: boolean;
}

export const BACKENDS = ['wasm', 'cpu'] as const;

/** Decodes a fixture tensor. */
export function decode(e: Encoded, requiresGrad = false): Tensor {
  const values = e.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
  const flat = flint.tensor(values as number[], { dtype: e.dtype });
  const t = flat.reshape(e.shape);
  if (t !== flat) flat.dispose();
  return requiresGrad ? t.requiresGrad_() : t;
}

/** Loads `packages/audio/fixtures/<name>.json`. */
export function loadFixture<T = { cases: Case[] }>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}.json`, import.meta.url)), 'utf8')) as T;
}

/** Declares one test per fixture case and backend; every case needs an entry and vice versa. */
export function runGolden(fixture: string, table: Record<string, GoldenEntry['fn'] | GoldenEntry>, defaults: { rtol?: number; atol?: number } = {}): void {
  const cases = loadFixture(fixture).cases;
  it(`${fixture}: the table and the fixture name the same cases`, () => {
    const names = cases.map((c) => c.name);
    expect(Object.keys(table).filter((k) => !names.includes(k))).toEqual([]);
    expect(names.filter((k) => !(k in table))).toEqual([]);
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
          const tol = { rtol: entry.rtol ?? defaults.rtol ?? 1e-4, atol: entry.atol ?? defaults.atol ?? 1e-4 };
          flint.scope(() => {
            const withGrads = c.grads !== undefined && entry.grads !== false;
            const xs = c.inputs.map((e, i) => decode(e, withGrads && c.grads![i] !== null));
            const r = entry.fn(...xs);
            const outs = r instanceof flint.Tensor ? [r] : [...r];
            expect(outs.length).toBe(c.outputs.length);
            outs.forEach((o, i) => {
              expect(o.shape, `${c.name}: shape of output ${i}`).toEqual(c.outputs[i]!.shape);
              expect(o.dtype, `${c.name}: dtype of output ${i}`).toBe(c.outputs[i]!.dtype);
              flint.testing.assertClose(o, decode(c.outputs[i]!), { ...tol, message: `${c.name}: output ${i}` });
            });
            if (!withGrads) return;
            const diff = xs.filter((_, i) => c.grads![i] !== null);
            const grads = flint.autograd.grad([outs[0]!], diff, { gradOutputs: [decode(c.gradOutput!)], allowUnused: true });
            let k = 0;
            c.grads!.forEach((e, i) => {
              if (e === null) return;
              const g = grads[k++] ?? flint.zerosLike(xs[i]!);
              flint.testing.assertClose(g, decode(e), { ...tol, message: `${c.name}: gradient of input ${i}` });
            });
          });
        });
      }
    });
  }
}
