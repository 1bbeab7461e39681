/** A program that runs a few ops and then throws: flint-profile must still write its partial results. */
import * as flint from '@flint/core';

const w = flint.randn([3, 3], { requiresGrad: true });
w.matmul(w).sum().backward();
throw new Error('fails.ts: deliberate failure after one backward');
