/**
 * Runs module fixtures (written by tools/fixtures/core_rnn.py) against Flint, once per backend:
 * the Flint module must have PyTorch's state-dict keys in PyTorch's order, load PyTorch's state
 * dict by name, and reproduce every output, the input gradients and the parameter gradients of
 * `sum_i(output_i * upstream_i)`. Every fixture case of the group needs an entry and every entry
 * a case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../src/index.js';
import type { Tensor } from '../src/index.js';
import type { AnyModule } from '../src/nn/module.js';
import { assertClose } from '../src/testing/index.js';
import { BACKENDS, decode } from './golden.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Encoded = Parameters<typeof decode>[0];

/** One recorded module run. */
export interface ModuleCase {
  name: string;
  group: string;
  stateDict: Record<string, Encoded>;
  inputs: Record<string, Encoded>;
  outputs: (Encoded | null)[];
  gradOutputs: (Encoded | null)[];
  grads: Record<string, Encoded>;
  paramGrads: Record<string, Encoded>;
}

/** How Flint runs one case: build the module (if any), then run it on the decoded inputs. */
export interface ModuleEntry {
  make?: () => AnyModule;
  run: (module: AnyModule | null, inputs: Record<string, Tensor>) => readonly (Tensor | null)[];
  rtol?: number;
  atol?: number;
}

/** The cases of `packages/core/fixtures/<fixture>.json` in `groups`. */
export function loadModuleCases(fixture: string, groups: readonly string[]): ModuleCase[] {
  const url = new URL(`../fixtures/${fixture}.json`, import.meta.url);
  const all = (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { cases: ModuleCase[] }).cases;
  return all.filter((c) => groups.includes(c.group));
}

/** Declares the golden tests of the fixture groups against `table`, once per backend. */
export function runModuleGolden(fixture: string, groups: readonly string[], table: Record<string, ModuleEntry>): void {
  const cases = loadModuleCases(fixture, groups);
  it(`${fixture} [${groups.join(', ')}]: the table and the fixture name the same cases`, () => {
    expect(Object.keys(table).sort()).toEqual(cases.map((c) => c.name).sort());
  });
  for (const backendName of BACKENDS) {
    describe(`${fixture} [${groups.join(', ')}] [${backendName}]`, () => {
      beforeAll(async () => {
        await flint.setBackend(backendName);
      });
      for (const c of cases) {
        it(c.name, () => {
          const entry = table[c.name];
          if (entry === undefined) throw new Error(`fixture case '${c.name}' has no entry in the table`);
          const tol = { rtol: entry.rtol ?? 1e-4, atol: entry.atol ?? 1e-4 };
          const module = entry.make?.() ?? null;
          try {
            flint.scope(() => check(c, entry, module, tol));
          } finally {
            module?.dispose();
          }
        });
      }
    });
  }
}

function check(c: ModuleCase, entry: ModuleEntry, module: AnyModule | null, tol: { rtol: number; atol: number }): void {
  if (module !== null) {
    expect(Object.keys(module.stateDict()), `${c.name}: state-dict keys`).toEqual(Object.keys(c.stateDict));
    module.loadStateDict(Object.fromEntries(Object.entries(c.stateDict).map(([k, e]) => [k, decode(e)])));
    module.eval();
  }
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, e]) => [k, decode(e, k in c.grads)]));
  const outs = entry.run(module, inputs);
  expect(outs.length, `${c.name}: number of outputs`).toBe(c.outputs.length);
  const terms: Tensor[] = [];
  outs.forEach((o, i) => {
    const want = c.outputs[i]!;
    if (want === null) return expect(o, `${c.name}: output ${i} should be null`).toBeNull();
    expect(o, `${c.name}: output ${i}`).not.toBeNull();
    assertClose(o!, decode(want), { ...tol, message: `${c.name}: output ${i}` });
    const g = c.gradOutputs[i];
    if (g != null) terms.push(o!.mul(decode(g)).sum());
  });
  if (terms.length === 0) return;
  terms.reduce((a, b) => a.add(b)).backward();
  for (const [k, e] of Object.entries(c.grads)) {
    const g = inputs[k]!.grad;
    assertClose(g ?? flint.zerosLike(inputs[k]!), decode(e), { ...tol, message: `${c.name}: gradient of input '${k}'` });
  }
  if (module === null) return;
  const params = Object.fromEntries(module.namedParameters());
  expect(Object.keys(params).sort(), `${c.name}: parameters with gradients`).toEqual(Object.keys(c.paramGrads).sort());
  for (const [k, e] of Object.entries(c.paramGrads)) {
    assertClose(params[k]!.grad ?? flint.zerosLike(params[k]!), decode(e), { ...tol, message: `${c.name}: gradient of parameter '${k}'` });
  }
}
