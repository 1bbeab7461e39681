/**
 * `TensorDataset`: samples are rows of tensors that share their first dimension.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { fromTypedArray } from '../tensor/create.js';
import { Dataset } from './dataset.js';
import { checkIndex } from './util.js';
import type { WorkerDescriptor } from './worker-descriptor.js';

/**
 * A dataset of tensors indexed along their first dimension (`torch.utils.data.TensorDataset`):
 * sample `i` is `[t0[i], t1[i], ...]`. Workers receive the tensors' data as transferred buffers.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(randn([100, 3]), randint(0, 2, [100]));
 * const [x, y] = ds.getItem(0); // x.shape [3], y.shape []
 * ds.len(); // 100
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, in the order given. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new ArgumentError('TensorDataset(): expected at least one Tensor (got none)');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ArgumentError(`TensorDataset(): tensors[${i}] must be a Tensor (got ${describe(t)})`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset(): tensors[${i}] must have at least one dimension (got a 0-d tensor)`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new ShapeError(
          `TensorDataset(): every tensor must have the same size in dimension 0: tensors[0] has ${n} but tensors[${i}] has ${t.shape[0]} (shape [${t.shape.join(', ')}])`,
        );
      }
    });
    this.tensors = tensors;
  }

  /** Host copies of the tensors' values, read once (per version) for fast row access. */
  private readonly host: ({ version: number; data: Float32Array | Int32Array | Uint8Array } | undefined)[] = [];

  /** The rows `index` of every tensor. */
  getItem(index: number): Tensor[] {
    const i = checkIndex('TensorDataset.getItem', index, this.len());
    return this.tensors.map((t, k) => {
      // A tensor that records gradients keeps going through `index` so the graph stays intact.
      if (t.requiresGrad) return t.index(i);
      // Slicing one row out of a large tensor costs a copy of the whole tensor on some backends;
      // copying the row out of a host copy costs only the row.
      let h = this.host[k];
      if (h === undefined || h.version !== t._version) {
        h = { version: t._version, data: t.dataSync() };
        this.host[k] = h;
      }
      const shape = t.shape.slice(1);
      const size = shape.reduce((a, b) => a * b, 1);
      return fromTypedArray(h.data.slice(i * size, (i + 1) * size), shape, t.dtype);
    });
  }

  len(): number {
    return this.tensors[0]!.shape[0]!;
  }

  workerDescriptor(): WorkerDescriptor {
    return { module: import.meta.url, exportName: 'TensorDataset', args: this.tensors };
  }
}
