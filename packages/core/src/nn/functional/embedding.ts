/**
 * `F.embedding` and `F.one_hot`. An embedding looks rows up with one gather; its backward adds
 * the gradient rows back with one scatter, skipping `paddingIdx` and dividing by the index
 * counts with `scaleGradByFreq`, as PyTorch does. The gather and the scatter are each other's
 * backward, so gradients of any order flow.
 * @module
 */
import { apply, wrap } from '../../autograd/function.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { scope } from '../../memory/scope.js';
import { useDevice } from '../../kernels/backend.js';
import { tf } from '../../kernels/tf.js';
import { fromTypedArray } from '../../tensor/create.js';
import type { Device, Tensor } from '../../tensor/tensor.js';
import { add, div, mul, where } from '../../ops/arith.js';
import { gt } from '../../ops/compare.js';
import { indexSelect } from '../../ops/gather.js';
import { norm } from '../../ops/reduce.js';
import { boundIndex } from '../../ops/take.js';
import { checkTensor } from '../../ops/util.js';
import { checkFloat } from './activation.js';

/** Options of {@link embedding}. @example `embedding(idx, w, { paddingIdx: 0, maxNorm: 1 })` */
export interface EmbeddingOptions {
  /** Rows at this index get no gradient (negative counts from the end); default none. */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are rescaled to it, in place; default none. */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients are not supported; must be false. */
  sparse?: boolean;
}

/** A private copy of an int32 tensor for a node to own. */
function ownCopy(t: Tensor): Tensor {
  return wrap(tf.clone(t._handle));
}

/**
 * `g2d[n] * scale[n]` added into row `idx[n]` of a `[rows, dim]` zero tensor. Its backward is
 * {@link gatherRows} with the same scale.
 */
function scatterRows(g: Tensor, idx: Tensor, scale: Tensor | null, rows: number): Tensor {
  const hg = g._handle;
  const i = ownCopy(idx);
  const s = scale === null ? null : ownCopy(scale);
  const hi = i._handle;
  const hs = s?._handle;
  const dim = g.shape[1]!;
  const owned = s === null ? [i] : [i, s];
  return apply({
    name: 'embedding_dense_backward',
    nodeName: 'EmbeddingDenseBackwardBackward0',
    inputs: [g],
    temps: owned,
    forward: () => {
      if (hi.size === 0 || rows === 0 || dim === 0) return tf.zeros([rows, dim]);
      return tf.scatterND(tf.reshape(hi, [-1, 1]), hs === undefined ? hg : tf.mul(hg, hs), [rows, dim]);
    },
    save: owned,
    backward: (gg, [si, ss]) => [gatherRows(gg, si!, ss ?? null, ss ?? null)],
  });
}

/**
 * Rows `w[idx[n]]` (times `scale[n]`), shaped `[idx.numel(), dim]`. Its backward scatters the
 * gradient rows back, each times `gradScale[n]`: the true adjoint when `gradScale` is `scale`,
 * PyTorch's embedding gradient (zero for padding, divided by counts) otherwise.
 */
function gatherRows(w: Tensor, idx: Tensor, scale: Tensor | null, gradScale: Tensor | null): Tensor {
  const hw = w._handle;
  const i = ownCopy(idx);
  const gs = gradScale === null ? null : ownCopy(gradScale);
  const hi = i._handle;
  const hs = scale?._handle;
  const [rows, dim] = w.shape as [number, number];
  const owned = gs === null ? [i] : [i, gs];
  return apply({
    name: 'embedding',
    nodeName: 'EmbeddingBackward0',
    inputs: [w],
    temps: owned,
    forward: () => {
      if (hi.size === 0 || dim === 0) return tf.zeros([hi.size, dim]);
      const picked = tf.gather(hw, hi, 0);
      return hs === undefined ? picked : tf.mul(picked, hs);
    },
    save: owned,
    backward: (g, [si, ss]) => [scatterRows(g, si!, ss ?? null, rows)],
  });
}

/** The per-lookup gradient scale on `device`: 0 at padding, `1 / count` with `scaleGradByFreq`; null when all ones. */
function gradScaleOf(ids: Int32Array, paddingIdx: number | null, byFreq: boolean, device: Device): Tensor | null {
  if (paddingIdx === null && !byFreq) return null;
  const counts = new Map<number, number>();
  if (byFreq) for (const v of ids) counts.set(v, (counts.get(v) ?? 0) + 1);
  const s = new Float32Array(ids.length);
  for (let n = 0; n < ids.length; n++) {
    const v = ids[n]!;
    s[n] = v === paddingIdx ? 0 : byFreq ? 1 / counts.get(v)! : 1;
  }
  return fromTypedArray(s, [ids.length, 1], 'float32', device);
}

/** Rescales, in place and outside autograd, the rows of `weight` at `ids` whose norm exceeds `maxNorm`. */
function renorm(weight: Tensor, ids: Int32Array, maxNorm: number, normType: number): void {
  const unique = Int32Array.from(new Set(ids)).sort();
  if (unique.length === 0) return;
  noGrad(() =>
    scope(() => {
      const at = fromTypedArray(unique, [unique.length], 'int32', weight.device);
      const rows = indexSelect(weight, 0, at);
      const n = norm(rows, normType, 1, { keepdim: true });
      const factor = where(gt(n, maxNorm), div(maxNorm, add(n, 1e-7)), 1);
      weight.indexPut_([at], mul(rows, factor));
    }),
  );
}

/**
 * Looks up rows of `weight` (`[numEmbeddings, embeddingDim]`) at the int32 `input` indices
 * (`F.embedding`); the result is `[...input.shape, embeddingDim]`. Rows at `paddingIdx` get a
 * zero gradient; `maxNorm` renormalises the looked-up rows of `weight` in place first.
 *
 * @example
 * ```ts
 * const w = randn([10, 3], { requiresGrad: true });
 * const idx = tensor([[1, 2], [0, 9]], { dtype: 'int32' });
 * embedding(idx, w, { paddingIdx: 0 }).shape; // [2, 2, 3]
 * ```
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkTensor('embedding', 'input', input);
  if (input.dtype !== 'int32') {
    throw new DTypeError(`embedding(): input must be an int32 tensor of indices (got dtype ${input.dtype}); convert it with .int()`);
  }
  checkFloat('embedding', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`embedding(): weight must be 2-D [numEmbeddings, embeddingDim] (got shape [${weight.shape.join(', ')}])`);
  if (options.sparse === true) {
    throw new ArgumentError('embedding(): sparse gradients are not supported by Flint; use sparse: false (dense gradients)');
  }
  const [rows, dim] = weight.shape as [number, number];
  const paddingIdx = normalizePaddingIdx('embedding', options.paddingIdx, rows);
  const flat = input.reshape(-1);
  let idx: Tensor;
  try {
    idx = boundIndex('embedding', flat, rows, 0, false);
  } finally {
    flat.dispose();
  }
  try {
    const ids = idx.dataSync() as Int32Array;
    const maxNorm = options.maxNorm;
    if (maxNorm !== undefined && maxNorm !== null) {
      if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new ArgumentError(`embedding(): maxNorm must be a number >= 0 (got ${describe(maxNorm)})`);
      renorm(weight, ids, maxNorm, options.normType ?? 2);
    }
    const gradScale = gradScaleOf(ids, paddingIdx, options.scaleGradByFreq === true, weight.device);
    const rowsOut = gatherRows(weight, idx, null, gradScale);
    gradScale?.dispose();
    const out = rowsOut.reshape([...input.shape, dim]);
    if (out !== rowsOut && !out.requiresGrad) rowsOut.dispose();
    return out;
  } finally {
    idx.dispose();
  }
}

/**
 * `paddingIdx` checked against the number of rows, negatives wrapped; null when absent. @internal
 * @example `normalizePaddingIdx('Embedding', -1, 10); // 9`
 */
export function normalizePaddingIdx(fn: string, paddingIdx: number | null | undefined, rows: number): number | null {
  if (paddingIdx === undefined || paddingIdx === null) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new ArgumentError(`${fn}(): paddingIdx must be an integer in [${-rows}, ${rows - 1}] for ${rows} embeddings (got ${describe(paddingIdx)})`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

/**
 * One-hot encoding of int32 class indices (`F.one_hot`): the result is int32 with shape
 * `[...input.shape, numClasses]`; `numClasses = -1` uses `max(input) + 1`.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], { dtype: 'int32' })).tolist();    // [[1, 0, 0], [0, 0, 1]]
 * oneHot(tensor([1], { dtype: 'int32' }), 4).tolist();    // [[0, 1, 0, 0]]
 * ```
 */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  checkTensor('oneHot', 'input', input);
  if (input.dtype !== 'int32') {
    throw new DTypeError(`oneHot(): input must be an int32 tensor of class indices (got dtype ${input.dtype}); convert it with .int()`);
  }
  if (!Number.isInteger(numClasses) || numClasses < -1) {
    throw new ArgumentError(`oneHot(): numClasses must be -1 or an integer >= 0 (got ${describe(numClasses)})`);
  }
  const h = input._handle;
  const values = h.dataSync() as Int32Array;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (numClasses === -1) {
    if (values.length === 0) throw new ShapeError('oneHot(): can not infer the number of classes from an empty tensor; pass numClasses');
    numClasses = max + 1;
  }
  if (min < 0) throw new ArgumentError(`oneHot(): class values must be non-negative (got ${min})`);
  if (max >= numClasses) throw new ArgumentError(`oneHot(): class values must be smaller than numClasses (${numClasses}) (got ${max})`);
  const shape = [...input.shape, numClasses];
  // The result goes to the input's device, also for a 0-d input (whose handle joins any device).
  useDevice(input.device);
  return wrap(
    tf.tidy(() => (values.length === 0 || numClasses === 0 ? tf.zeros(shape, 'int32') : tf.reshape(tf.oneHot(tf.reshape(h, [-1]), numClasses), shape))),
  );
}
