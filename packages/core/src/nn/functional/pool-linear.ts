/**
 * Separable linear resampling: a matrix applied along one dimension of a tensor. Adaptive average
 * pooling and linear / bilinear interpolation are one such matrix per spatial dimension (each row
 * holds the weights of one output element), so their forward, backward and double backward are
 * matrix products.
 * @internal
 * @module
 */
import { fromTypedArray } from '../../tensor/create.js';
import { mm } from '../../ops/matmul.js';
import { reshape, transpose } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropTemps } from './conv-args.js';

/**
 * `y[..., i, ...] = sum_j weights[i][j] * x[..., j, ...]` along dimension `dim` of `x`, with the
 * weights given row by row as an `[out, in]` matrix.
 *
 * @example
 * ```ts
 * // the mean of pairs along the last dimension: [N, C, 4] -> [N, C, 2]
 * alongDim(x, 2, Float32Array.of(0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5), 2);
 * ```
 */
export function alongDim(x: Tensor, dim: number, weights: Float32Array, out: number): Tensor {
  const rank = x.ndim;
  const size = x.shape[dim]!;
  // The transposed matrix [in, out], so that x (moved last and flattened) multiplies it on the left.
  const mt = new Float32Array(size * out);
  for (let i = 0; i < out; i++) for (let j = 0; j < size; j++) mt[j * out + i] = weights[i * size + j]!;
  const temps: Tensor[] = [];
  const keep = (t: Tensor): Tensor => {
    temps.push(t);
    return t;
  };
  const m = keep(fromTypedArray(mt, [size, out], 'float32', x.device));
  const last = dim === rank - 1;
  const moved = last ? x : keep(transpose(x, dim, rank - 1));
  const lead = moved.shape.slice(0, -1);
  const flat = keep(reshape(moved, [-1, size]));
  const y = keep(reshape(keep(mm(flat, m)), [...lead, out]));
  return dropTemps(last ? y : transpose(y, dim, rank - 1), temps);
}
