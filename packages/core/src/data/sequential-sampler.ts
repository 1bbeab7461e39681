/**
 * `SequentialSampler`: 0, 1, 2, ... in order.
 * @module
 */
import { Sampler } from './sampler.js';
import { lengthOf } from './util.js';

/**
 * The indices `0 .. len(dataSource) - 1` in order (`torch.utils.data.SequentialSampler`); the
 * loader's sampler when `shuffle` is false.
 *
 * @example
 * ```ts
 * [...new SequentialSampler(ds)]; // [0, 1, ..., ds.len() - 1]
 * ```
 */
export class SequentialSampler extends Sampler {
  constructor(readonly dataSource: { len(): number }) {
    super();
    lengthOf('SequentialSampler', 'dataSource', dataSource);
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.len();
    for (let i = 0; i < n; i++) yield i;
  }

  len(): number {
    return this.dataSource.len();
  }
}
