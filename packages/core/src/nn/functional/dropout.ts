/**
 * `F.dropout` and `F.dropout2d`. Masks are drawn from Flint's generators (the default one, or
 * `generator`), so the same seed gives the same masks; they keep each element (or channel) with
 * probability `1 - p` and scale it by `1 / (1 - p)`, as PyTorch does. The mask is saved by the
 * node and freed with the graph.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { defaultGenerator, type Generator } from '../../random/generator.js';
import { fromTypedArray } from '../../tensor/create.js';
import type { Device, Tensor } from '../../tensor/tensor.js';
import { mul } from '../../ops/arith.js';
import { checkFloat, maybeInplace } from './activation.js';

/** Options of {@link dropout} and {@link dropout2d}. @example `dropout(x, { p: 0.1, training: model.training })` */
export interface DropoutOptions {
  /** The probability of zeroing an element (a channel for dropout2d); default 0.5. */
  p?: number;
  /** Apply dropout (default true); when false the input is returned as it is. */
  training?: boolean;
  /** Write the result into the input (default false). */
  inplace?: boolean;
  /** The generator to draw the mask from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Checks a dropout probability; returns it. @internal @example `checkP('Dropout', 0.5)` */
export function checkP(fn: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ArgumentError(`${fn}(): p must be a probability in [0, 1] (got ${describe(p)})`);
  }
  return p;
}

/** A float mask of `shape` on `device`: `1 / (1 - p)` with probability `1 - p`, else 0. */
function keepMask(shape: readonly number[], p: number, generator: Generator | undefined, device: Device): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = (generator ?? defaultGenerator).uniform(n);
  const q = 1 - p;
  const scale = 1 / q;
  for (let i = 0; i < n; i++) u[i] = u[i]! < q ? scale : 0;
  return fromTypedArray(u, shape, 'float32', device);
}

function masked(fn: string, x: Tensor, maskShape: readonly number[], options: DropoutOptions): Tensor {
  const p = checkP(fn, options.p ?? 0.5);
  if (options.training === false || p === 0 || x.numel() === 0) return x;
  const hx = x._handle;
  if (p === 1) return maybeInplace(fn, x, options.inplace, () => mul(x, 0));
  return maybeInplace(fn, x, options.inplace, () => {
    const m = keepMask(maskShape, p, options.generator, x.device);
    const hm = m._handle;
    return apply({
      name: fn,
      nodeName: 'MulBackward0',
      inputs: [x],
      forward: () => tf.mul(hx, hm),
      temps: [m],
      save: [m],
      backward: (g, [mask]) => [mul(g, mask!)],
    });
  });
}

/**
 * Zeroes each element with probability `p` and scales the rest by `1 / (1 - p)` (`F.dropout`).
 * With `training: false`, `p = 0` or an empty input, returns `x` itself.
 *
 * @example
 * ```ts
 * const y = dropout(ones([4, 4]), { p: 0.25 }); // zeros and 1.3333s
 * dropout(x, { training: model.training });
 * ```
 */
export function dropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  checkFloat('dropout', x);
  return masked('dropout', x, x.shape, options);
}

/**
 * Zeroes whole channels: each `x[n, c]` is zeroed with probability `p`, the rest scaled by
 * `1 / (1 - p)` (`F.dropout2d`). For `[N, C, H, W]` input; as in PyTorch 1.13 a 3-D input is
 * read as `[N, C, L]` (channel-wise 1-D dropout), not as an unbatched `[C, H, W]`.
 *
 * @example
 * ```ts
 * const y = dropout2d(randn([8, 16, 5, 5]), { p: 0.2 });
 * ```
 */
export function dropout2d(x: Tensor, options: DropoutOptions = {}): Tensor {
  checkFloat('dropout2d', x);
  if (x.ndim < 2) throw new ShapeError(`dropout2d(): input must have at least 2 dimensions [N, C, ...] (got shape [${x.shape.join(', ')}])`);
  const maskShape = x.shape.map((s, i) => (i < 2 ? s : 1));
  return masked('dropout2d', x, maskShape, options);
}
