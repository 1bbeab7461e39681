/**
 * Runs golden fixtures written by tools/fixtures/*.py against Flint, once per backend: outputs,
 * gradients for the recorded upstream gradient, second-order gradients where recorded, and a
 * numerical gradcheck. Every fixture case needs a Flint function and every function a case.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { assertClose, gradcheck } from '../src/testing/index.js';

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
  grad2Weights?: Encoded[];
  grad2?: (Encoded | null)[];
}

/** What a golden function may return. */
export type GoldenResult = Tensor | readonly Tensor[] | { values: Tensor; indices: Tensor };

/** One Flint function for a fixture case, with optional tolerances. */
export interface GoldenEntry {
  fn: (...xs: Tensor[]) => GoldenResult;
  /** Run the numerical gradcheck (default true when the case has gradients). */
  gradcheck?: boolean;
  rtol?: number;
  atol?: number;
}

/** The backends every op suite runs on. */
export const BACKENDS = ['wasm', 'cpu'] as const;

/** Decodes a fixture tensor. */
export function decode(e: Encoded, requiresGrad = false): Tensor {
  const values = e.data.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
  const flat = flint.tensor(values.length === 0 ? [] : (values as number[]), { dtype: e.dtype });
  const t = flat.reshape(e.shape);
  if (t !== flat) flat.dispose();
  return requiresGrad ? t.requiresGrad_() : t;
}

function outputsOf(r: GoldenResult): Tensor[] {
  if (r instanceof flint.Tensor) return [r];
  if (Array.isArray(r)) return [...(r as readonly Tensor[])];
  const vi = r as { values: Tensor; indices: Tensor };
  return [vi.values, vi.indices];
}

/** Loads `packages/core/fixtures/<name>.json`. */
export function loadFixture(name: string): Case[] {
  const url = new URL(`../fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { cases: Case[] }).cases;
}

/** Declares the tests of one fixture file against `table`, once per backend. */
export function runGolden(fixture: string, table: Record<string, GoldenEntry['fn'] | GoldenEntry>, defaults: { rtol?: number; atol?: number } = {}): void {
  const cases = loadFixture(fixture);
  const names = new Set(cases.map((c) => c.name));
  it(`${fixture}: every Flint function has a fixture case`, () => {
    expect(Object.keys(table).filter((k) => !names.has(k))).toEqual([]);
  });
  for (const backendName of BACKENDS) {
    describe(`${fixture} [${backendName}]`, () => {
      beforeAll(async () => {
        await flint.setBackend(backendName);
      });
      for (const c of cases) {
        it(c.name, () => {
          const raw = table[c.name];
          if (raw === undefined) throw new Error(`fixture case '${c.name}' has no Flint function in the table`);
          const entry: GoldenEntry = typeof raw === 'function' ? { fn: raw } : raw;
          const tol = { rtol: entry.rtol ?? defaults.rtol ?? 1e-4, atol: entry.atol ?? defaults.atol ?? 1e-4 };
          flint.scope(() => {
            const hasGrads = c.grads !== undefined;
            const xs = c.inputs.map((e, i) => decode(e, hasGrads && c.grads![i] !== null));
            const outs = outputsOf(entry.fn(...xs));
            expect(outs.length).toBe(c.outputs.length);
            outs.forEach((o, i) => {
              expect(o.dtype, `${c.name}: dtype of output ${i}`).toBe(c.outputs[i]!.dtype);
              assertClose(o, decode(c.outputs[i]!), { ...tol, equalNan: true, message: `${c.name}: output ${i}` });
            });
            if (!hasGrads) return;
            const diff = xs.filter((_, i) => c.grads![i] !== null);
            const createGraph = c.grad2 !== undefined;
            const grads = flint.autograd.grad([outs[0]!], diff, {
              gradOutputs: [decode(c.gradOutput!)],
              createGraph,
              allowUnused: true,
            });
            let k = 0;
            c.grads!.forEach((e, i) => {
              if (e === null) return;
              const g = grads[k++] ?? flint.zerosLike(xs[i]!);
              assertClose(g, decode(e), { ...tol, message: `${c.name}: gradient of input ${i}` });
            });
            if (createGraph) {
              const vs = c.grad2Weights!.map((e) => decode(e));
              const terms = grads
                .map((g, j) => (g !== null && g.requiresGrad ? g.mul(vs[j]!).sum() : null))
                .filter((t): t is Tensor => t !== null);
              const second = terms.length === 0 ? diff.map(() => null) : flint.autograd.grad([terms.reduce((a, b) => a.add(b))], diff, { allowUnused: true });
              let m = 0;
              c.grad2!.forEach((e, i) => {
                if (e === null) return;
                const g = second[m++] ?? flint.zerosLike(xs[i]!);
                assertClose(g, decode(e), { ...tol, message: `${c.name}: second-order gradient of input ${i}` });
              });
            }
            if (entry.gradcheck !== false) {
              gradcheck((...ys) => outputsOf(entry.fn(...ys))[0]!, xs, { atol: 2e-2, rtol: 2e-2 });
            }
          });
        });
      }
    });
  }
}
