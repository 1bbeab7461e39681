/**
 * Runs `W` warm-up steps and then `N` steps of one MLP implementation and exits: the program that
 * `instructions.ts` runs under valgrind. `IMPL` is `flint` or `tfjs`.
 */
import * as flint from '@flint/core';
import * as flintCases from './flint-cases.js';
import * as tfCases from './tfjs-cases.js';

await flint.setBackend('wasm');
const m = process.env.IMPL === 'tfjs' ? tfCases.makeMlp() : flintCases.makeMlp();
const steps = Number(process.env.W ?? 100) + Number(process.env.N ?? 0);
for (let i = 0; i < steps; i++) m.iter();
m.dispose();
