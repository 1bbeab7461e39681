/**
 * The same cases written with raw TensorFlow.js calls: the baseline that measures what Flint adds
 * on top of the kernels it runs. The MLP step has a hand-derived backward with the same math as
 * Flint's graph, written the way an expert would for the wasm backend (explicit transposes
 * before matMul, no transposeA/transposeB flags), inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { elementwiseData, matmulData, mlpData, MLP, type Array2 } from './data.js';

function fromArray(a: Array2): tf.Tensor {
  return tf.tensor(a.values, a.shape, 'float32');
}

/** The parameters of the MLP. */
export interface TfMlp {
  w1: tf.Tensor;
  b1: tf.Tensor;
  w2: tf.Tensor;
  b2: tf.Tensor;
}

/** One training step, forward and hand-written backward; replaces the parameters. Returns the loss. */
export function mlpStep(p: TfMlp, x: tf.Tensor, onehot: tf.Tensor, lr: number): number {
  const batch = x.shape[0]!;
  const [loss, w1, b1, w2, b2] = tf.tidy(() => {
    // forward
    const h = tf.relu(tf.add(tf.matMul(x, p.w1), p.b1));
    const logits = tf.add(tf.matMul(h, p.w2), p.b2);
    const logp = tf.sub(logits, tf.logSumExp(logits, 1, true));
    const loss = tf.div(tf.neg(tf.sum(tf.mul(logp, onehot))), batch);
    // backward: d loss / d logp = -onehot / B; through log_softmax: g - softmax * sum(g, 1)
    const dlogp = tf.div(tf.neg(onehot), batch);
    const dlogits = tf.sub(dlogp, tf.mul(tf.exp(logp), tf.sum(dlogp, 1, true)));
    const dw2 = tf.matMul(tf.transpose(h), dlogits);
    const db2 = tf.sum(dlogits, 0);
    const dz1 = tf.mul(tf.matMul(dlogits, tf.transpose(p.w2)), tf.step(h));
    const dw1 = tf.matMul(tf.transpose(x), dz1);
    const db1 = tf.sum(dz1, 0);
    // SGD
    return [
      loss,
      tf.sub(p.w1, tf.mul(dw1, lr)),
      tf.sub(p.b1, tf.mul(db1, lr)),
      tf.sub(p.w2, tf.mul(dw2, lr)),
      tf.sub(p.b2, tf.mul(db2, lr)),
    ];
  });
  tf.dispose([p.w1, p.b1, p.w2, p.b2]);
  Object.assign(p, { w1, b1, w2, b2 });
  const value = loss!.dataSync()[0]!;
  loss!.dispose();
  return value;
}

/** One case on the active backend: an iteration, and what frees its inputs afterwards. */
export interface Made {
  iter: () => unknown;
  dispose: () => void;
}

/** The MLP's inputs and parameters on the active backend, and one training step. */
export function makeMlp(): Made & { params: TfMlp } {
  const d = mlpData();
  const params: TfMlp = { w1: fromArray(d.w1), b1: fromArray(d.b1), w2: fromArray(d.w2), b2: fromArray(d.b2) };
  const x = fromArray(d.x);
  const onehot = fromArray(d.onehot);
  return {
    params,
    iter: () => mlpStep(params, x, onehot, MLP.lr),
    dispose: () => tf.dispose([x, onehot, ...Object.values(params)]),
  };
}

/** `a @ b` for two 1024 x 1024 matrices, read back. */
export function makeMatmul(): Made {
  const [a, b] = matmulData().map(fromArray) as [tf.Tensor, tf.Tensor];
  return {
    iter: () => tf.tidy(() => void tf.matMul(a, b).dataSync()),
    dispose: () => tf.dispose([a, b]),
  };
}

/** `((x * y + z).relu() * 0.5).exp()` on 1M elements, read back. */
export function makeElementwise(): Made {
  const [x, y, z] = elementwiseData().map(fromArray) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return {
    iter: () => tf.tidy(() => void tf.exp(tf.mul(tf.relu(tf.add(tf.mul(x, y), z)), 0.5)).dataSync()),
    dispose: () => tf.dispose([x, y, z]),
  };
}
