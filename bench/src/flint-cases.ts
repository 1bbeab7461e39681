/**
 * The benchmark cases written with Flint, as a user would write them. Each `make*` builds the
 * inputs on the active backend and returns one iteration; every iteration runs in `flint.scope()`
 * and reads its result back, so nothing is left pending and memory stays flat.
 */
import * as flint from '@flint/core';
import type { Tensor } from '@flint/core';
import { elementwiseData, matmulData, mlpData, MLP, type Array2 } from './data.js';

function fromArray(a: Array2, requiresGrad = false): Tensor {
  const t = flint.scope(() => flint.tensor(a.values).reshape(a.shape));
  return requiresGrad ? t.requiresGrad_() : t;
}

/** The parameters of the MLP. */
export interface FlintMlp {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
}

/** `log_softmax(logits, dim=1)` written out: `x - logsumexp(x, 1)`. */
export function logSoftmax(logits: Tensor): Tensor {
  return logits.sub(logits.logsumexp(1, { keepdim: true }));
}

/**
 * One training step: forward, cross-entropy from logSoftmax (the NLL part as
 * `-(logp * onehot).sum() / B`), backward, and plain SGD under noGrad. Returns the loss.
 */
export function mlpStep(p: FlintMlp, x: Tensor, onehot: Tensor, lr: number): number {
  return flint.scope(() => {
    const h = x.matmul(p.w1).add(p.b1).relu();
    const logits = h.matmul(p.w2).add(p.b2);
    const loss = logSoftmax(logits).mul(onehot).sum().neg().div(x.shape[0]!);
    loss.backward();
    flint.noGrad(() => {
      for (const w of [p.w1, p.b1, p.w2, p.b2]) {
        w.sub_(w.grad!.mul(lr));
        w.grad = null;
      }
    });
    return loss.item();
  });
}

/** One case on the active backend: an iteration, and what frees its inputs afterwards. */
export interface Made {
  iter: () => unknown;
  dispose: () => void;
}

/** The MLP's inputs and parameters on the active backend, and one training step. */
export function makeMlp(): Made & { params: FlintMlp } {
  const d = mlpData();
  const params: FlintMlp = { w1: fromArray(d.w1, true), b1: fromArray(d.b1, true), w2: fromArray(d.w2, true), b2: fromArray(d.b2, true) };
  const x = fromArray(d.x);
  const onehot = fromArray(d.onehot);
  return {
    params,
    iter: () => mlpStep(params, x, onehot, MLP.lr),
    dispose: () => [x, onehot, ...Object.values(params)].forEach((t) => t.dispose()),
  };
}

/** `a @ b` for two 1024 x 1024 matrices, read back. */
export function makeMatmul(): Made {
  const [a, b] = matmulData().map((d) => fromArray(d)) as [Tensor, Tensor];
  return {
    iter: () => flint.scope(() => a.matmul(b).dataSync()),
    dispose: () => [a, b].forEach((t) => t.dispose()),
  };
}

/** `((x * y + z).relu() * 0.5).exp()` on 1M elements, read back. */
export function makeElementwise(): Made {
  const [x, y, z] = elementwiseData().map((d) => fromArray(d)) as [Tensor, Tensor, Tensor];
  return {
    iter: () => flint.scope(() => x.mul(y).add(z).relu().mul(0.5).exp().dataSync()),
    dispose: () => [x, y, z].forEach((t) => t.dispose()),
  };
}
