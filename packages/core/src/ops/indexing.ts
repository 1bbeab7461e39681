/**
 * Python-style indexing: `x.index(0, ':', '1:3')` is `x[0, :, 1:3]`, and `indexPut` is the value
 * behind `x[...] = v`. Basic indices (numbers, slices, `'...'`, `null`) become one slice of `x`;
 * strided slices and advanced indices (int32 tensors, number arrays, bool masks) then become one
 * gather of flat positions, following PyTorch's rules for where the advanced dimensions go.
 * @module
 */
import { wrap } from '../autograd/function.js';
import { ArgumentError, DTypeError, DeviceError, ShapeError, describe } from '../errors.js';
import { active, useDevice } from '../kernels/backend.js';
import { tf } from '../kernels/tf.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { sameDevice } from './device.js';
import { expand, reshape } from './shape.js';
import { sliceRange } from './slice-pad.js';
import { allPositions, boundIndex, positions, put, stridesOf, take, type PositionPart } from './take.js';
import { broadcastShapes, checkTensor, sameShape } from './util.js';

/** A slice `start:stop:step` (Python's `slice`); missing ends run to the edge. */
export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

/** One entry of an index: a number, a slice (object or `'a:b:c'` string), `'...'`, `null` (new axis), an int or bool tensor, or a number array. */
export type Index = number | string | Slice | null | Tensor | readonly number[];

/**
 * A slice object, as Python's `slice(start, stop, step)`.
 *
 * @example
 * ```ts
 * x.index(slice(1, 3));          // x[1:3]
 * x.index(slice(null, null, 2)); // x[::2]
 * ```
 */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/** A dimension of the result before advanced indexing: a basic one (sliced or new) or an advanced one. */
type Slot =
  | { kind: 'basic'; src: number | null; len: number; step: number }
  | { kind: 'adv'; src: number | null; idx: Tensor };

/** What an index expression does to a tensor of a given shape. */
interface Plan {
  begin: number[];
  size: number[];
  slots: Slot[];
  temps: Tensor[];
}

const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Reads a slice string or object into `{ start, stop, step }`, or throws naming the position. */
function readSlice(fn: string, p: number, v: string | Slice): { start: number | null; stop: number | null; step: number } {
  let parts: (number | null | undefined)[];
  if (typeof v === 'string') {
    const m = SLICE_RE.exec(v);
    if (m === null) {
      throw new ArgumentError(`${fn}(): position ${p}: can't read the index string ${JSON.stringify(v)}; expected a slice such as ':', '1:3', '::2', '-3:' or '...'`);
    }
    parts = [m[1], m[2], m[3]].map((s) => (s === undefined ? null : Number(s)));
  } else {
    const extra = Object.keys(v).filter((k) => k !== 'start' && k !== 'stop' && k !== 'step');
    if (extra.length > 0) {
      throw new ArgumentError(`${fn}(): position ${p}: a slice object has only start, stop and step (got key ${JSON.stringify(extra[0])}); make one with slice()`);
    }
    parts = [v.start, v.stop, v.step];
    if (parts.some((s) => s !== null && s !== undefined && !Number.isInteger(s))) {
      throw new ArgumentError(`${fn}(): position ${p}: slice start, stop and step must be integers or null (got start ${describe(v.start)}, stop ${describe(v.stop)}, step ${describe(v.step)})`);
    }
  }
  const step = parts[2] ?? 1;
  if (step <= 0) throw new ArgumentError(`${fn}(): position ${p}: slice step must be greater than zero (got ${step}); use flip() to reverse`);
  return { start: parts[0] ?? null, stop: parts[1] ?? null, step };
}

/** Python's clamping of a slice bound into `[0, n]`. */
function clampBound(v: number | null, n: number, fallback: number): number {
  if (v === null) return fallback;
  if (v < 0) return Math.max(0, v + n);
  return Math.min(v, n);
}

/** Coordinates of the true entries of a bool mask: one 1-D int32 tensor per mask dimension. */
function nonzero(mask: Tensor): Tensor[] {
  const data = mask._handle.dataSync() as Uint8Array;
  const shape = mask.shape;
  const strides = stridesOf(shape);
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) count++;
  const coords = shape.map(() => new Int32Array(count));
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    if (!data[i]) continue;
    shape.forEach((_, d) => (coords[d]![k] = Math.floor(i / strides[d]!) % shape[d]!));
    k++;
  }
  return coords.map((c) => wrap(tf.tensor1d(c, 'int32')));
}

/** How many dimensions of the input an entry consumes. */
function consumes(v: Index): number {
  if (v === null || v === '...') return 0;
  if (v instanceof Tensor && v.dtype === 'bool') return v.ndim;
  return 1;
}

/** Reads an index expression against `shape` (validating everything) into a {@link Plan}. */
function makePlan(fn: string, shape: readonly number[], indices: readonly Index[]): Plan {
  const rank = shape.length;
  const ellipses = indices.filter((v) => v === '...').length;
  if (ellipses > 1) throw new ArgumentError(`${fn}(): an index can have only one '...' (got ${ellipses})`);
  const used = indices.reduce((a: number, v) => a + consumes(v), 0);
  if (used > rank) {
    throw new ShapeError(`${fn}(): too many indices for a tensor of dimension ${rank}: the index uses ${used} dimensions but the shape is ${fmt(shape)}`);
  }
  const plan: Plan = { begin: shape.map(() => 0), size: [...shape], slots: [], temps: [] };
  let xd = 0;
  const full = (): void => {
    plan.slots.push({ kind: 'basic', src: xd, len: shape[xd]!, step: 1 });
    xd++;
  };
  const advanced = (p: number, t: Tensor): void => {
    const idx = boundIndex(fn, t, shape[xd]!, xd, true, `position ${p}: `);
    plan.temps.push(idx);
    plan.slots.push({ kind: 'adv', src: xd, idx });
    xd++;
  };
  try {
    indices.forEach((v, p) => {
      if (v === '...') {
        for (let k = 0; k < rank - used; k++) full();
      } else if (v === null) {
        plan.slots.push({ kind: 'basic', src: null, len: 1, step: 1 });
      } else if (typeof v === 'number') {
        const n = shape[xd]!;
        if (!Number.isInteger(v)) throw new ArgumentError(`${fn}(): position ${p}: a number index must be an integer (got ${v})`);
        if (v < -n || v >= n) {
          throw new ShapeError(`${fn}(): position ${p}: index ${v} is out of bounds for dimension ${xd} with size ${n} (valid indices: ${-n} to ${n - 1})`);
        }
        plan.begin[xd] = v < 0 ? v + n : v;
        plan.size[xd] = 1;
        xd++;
      } else if (typeof v === 'string' || (typeof v === 'object' && !(v instanceof Tensor) && !Array.isArray(v))) {
        const s = readSlice(fn, p, v as string | Slice);
        const n = shape[xd]!;
        const start = clampBound(s.start, n, 0);
        const stop = clampBound(s.stop, n, n);
        const len = stop > start ? Math.ceil((stop - start) / s.step) : 0;
        plan.begin[xd] = len === 0 ? 0 : start;
        plan.size[xd] = len === 0 ? 0 : (len - 1) * s.step + 1;
        plan.slots.push({ kind: 'basic', src: xd, len, step: s.step });
        xd++;
      } else if (Array.isArray(v)) {
        if (v.some((e) => !Number.isInteger(e))) {
          throw new ArgumentError(`${fn}(): position ${p}: an array index must hold integers (got ${describe(v)})`);
        }
        const t = wrap(tf.tensor1d(v as number[], 'int32'));
        plan.temps.push(t);
        advanced(p, t);
      } else if (v instanceof Tensor) {
        if (v.dtype === 'int32') advanced(p, v);
        else if (v.dtype === 'bool') {
          mask(fn, p, v, shape, xd, plan);
          xd += v.ndim;
        } else throw new DTypeError(`${fn}(): position ${p}: a tensor index must be int32 or bool (got dtype ${v.dtype}); convert it with .int()`);
      } else {
        throw new ArgumentError(
          `${fn}(): position ${p}: unsupported index ${describe(v)}; expected a number, a slice string like '1:3', '...', null, slice(), an int32 or bool tensor, or an array of integers`,
        );
      }
    });
  } catch (e) {
    for (const t of plan.temps) t.dispose();
    throw e;
  }
  while (xd < rank) full();
  return plan;
}

/** Adds the slots of a bool mask at input dimension `xd` (one advanced index per mask dimension). */
function mask(fn: string, p: number, m: Tensor, shape: readonly number[], xd: number, plan: Plan): void {
  if (m.ndim === 0) {
    const idx = wrap(m.item() ? tf.zeros([1], 'int32') : tf.zeros([0], 'int32'));
    plan.temps.push(idx);
    plan.slots.push({ kind: 'adv', src: null, idx });
    return;
  }
  const covered = shape.slice(xd, xd + m.ndim);
  if (!sameShape(m.shape, covered)) {
    throw new ShapeError(`${fn}(): position ${p}: the mask of shape ${fmt(m.shape)} must match the indexed dimensions ${xd}..${xd + m.ndim - 1} of shape ${fmt(shape)}, which are ${fmt(covered)}`);
  }
  nonzero(m).forEach((idx, j) => {
    plan.temps.push(idx);
    plan.slots.push({ kind: 'adv', src: xd + j, idx });
  });
}

/** The broadcast shape of the advanced indices, or a ShapeError listing their shapes. */
function broadcastIndices(fn: string, slots: readonly Slot[], adv: readonly number[]): number[] {
  const shapes = adv.map((k) => (slots[k] as { idx: Tensor }).idx.shape);
  let out: number[] = [];
  for (const shape of shapes) {
    const b = broadcastShapesOrNull(out, shape);
    if (b === null) throw new ShapeError(`${fn}(): the index tensors can't be broadcast together (shapes ${shapes.map(fmt).join(', ')})`);
    out = b;
  }
  return out;
}

/**
 * The flat positions (in the sliced tensor of shape `sliced`) that a plan with strided or
 * advanced slots reads, laid out as the result: advanced dimensions replace the advanced slots
 * when these are adjacent and go first otherwise, as in PyTorch.
 */
function gatherPositions(slots: readonly Slot[], adv: readonly number[], bshape: readonly number[], sliced: readonly number[]): Tensor {
  const adjacent = adv.length > 0 && adv[adv.length - 1]! - adv[0]! === adv.length - 1;
  const strides = stridesOf(sliced);
  const outShape: number[] = [];
  const parts: PositionPart[] = [];
  let bAt = 0;
  const placeB = (): void => {
    bAt = outShape.length;
    outShape.push(...bshape);
  };
  if (adv.length > 0 && !adjacent) placeB();
  slots.forEach((s, k) => {
    if (s.kind === 'basic') {
      if (s.src !== null) parts.push({ at: outShape.length, scale: strides[s.src]! * s.step, range: s.len });
      outShape.push(s.len);
    } else if (adjacent && k === adv[0]) {
      placeB();
    }
  });
  for (const k of adv) {
    const s = slots[k] as { src: number | null; idx: Tensor };
    if (s.src !== null) parts.push({ at: bAt + bshape.length - s.idx.ndim, scale: strides[s.src]!, h: s.idx._handle });
  }
  return positions(outShape, parts);
}

/** Applies a plan to `x` (whose shape it was made for): one slice, then a reshape or one gather. */
function run(fn: string, x: Tensor, plan: Plan): Tensor {
  const { begin, size, slots } = plan;
  const adv = slots.flatMap((s, k) => (s.kind === 'adv' ? [k] : []));
  const strided = slots.some((s) => s.kind === 'basic' && s.step > 1 && s.len > 1);
  const bshape = broadcastIndices(fn, slots, adv);
  const whole = begin.every((b) => b === 0) && sameShape(size, x.shape);
  const y = whole ? x : sliceRange(x, begin, size);
  try {
    if (adv.length === 0 && !strided) return reshape(y, slots.map((s) => (s.kind === 'basic' ? s.len : 0)));
    const pos = gatherPositions(slots, adv, bshape, y.shape);
    try {
      return take(y, pos, 'IndexBackward0');
    } finally {
      pos.dispose();
    }
  } finally {
    if (y !== x) y.dispose();
  }
}

/**
 * `x[indices]`, Python's indexing (see `Tensor.index`): numbers pick (negative counts from the
 * end) and remove the dimension; slice strings (`':'`, `'1:3'`, `'::2'`, `'-3:'`) or
 * {@link slice} objects cut; `'...'` stands for the remaining dimensions; `null` inserts a
 * dimension of size 1; int32 tensors and number arrays gather (advanced indexing, broadcast
 * together; placed where they stand when adjacent, else first); a bool tensor selects where it
 * is true. Gradients flow back to `x`.
 *
 * @example
 * ```ts
 * const x = arange(24).reshape(2, 3, 4);
 * x.index(0, ':', '1:3').shape;        // [3, 2]     x[0, :, 1:3]
 * x.index('...', -1).shape;            // [2, 3]     x[..., -1]
 * x.index([1, 0], null).shape;         // [2, 1, 3, 4]
 * x.index(x.gt(20)).tolist();          // [21, 22, 23]
 * ```
 */
export function index(x: Tensor, ...indices: Index[]): Tensor {
  checkTensor('index', 'input', x);
  checkIndexDevices('index', x, indices);
  const plan = makePlan('index', x.shape, indices);
  try {
    return run('index', x, plan);
  } finally {
    for (const t of plan.temps) t.dispose();
  }
}

/**
 * A copy of `x` with `x[indices] = value` applied: the value behind `x.indexPut_(indices, value)`
 * (`torch.index_put` without accumulation). `value` (a number or a tensor, cast to `x`'s dtype)
 * broadcasts to the shape of `x[indices]`. Gradients flow to `x` (zero where overwritten) and to
 * `value`. When an index repeats, which value lands is unspecified, as in PyTorch.
 *
 * @example
 * ```ts
 * const x = zeros([2, 3]);
 * indexPut(x, [0, '1:'], 5).tolist();                      // [[0, 5, 5], [0, 0, 0]]
 * x.indexPut_([x.lt(1)], tensor(2)).sum().item();          // 12
 * ```
 */
export function indexPut(x: Tensor, indices: readonly Index[], value: TensorLike): Tensor {
  checkTensor('indexPut', 'input', x);
  if (!Array.isArray(indices)) throw new ArgumentError(`indexPut(): indices must be an array of index entries (got ${describe(indices)})`);
  checkIndexDevices('indexPut', x, indices);
  if (value instanceof Tensor) sameDevice('indexPut', [x, value]);
  const plan = makePlan('indexPut', x.shape, indices);
  const temps: Tensor[] = [...plan.temps];
  try {
    const all = allPositions(x.shape);
    temps.push(all);
    const pos = run('indexPut', all, plan);
    temps.push(pos);
    let v: Tensor;
    if (value instanceof Tensor) {
      v = cast(value, x.dtype);
      if (v !== value) temps.push(v);
      // A 0-d value from the other device is spread over the indexed places: bring it over first.
      if (v._device !== x._device) {
        v = v.to(x._device);
        temps.push(v);
      }
      let lead = 0;
      while (v.ndim - lead > pos.ndim && v.shape[lead] === 1) lead++;
      if (lead > 0) {
        v = reshape(v, v.shape.slice(lead));
        temps.push(v);
      }
      const b = v.ndim <= pos.ndim ? broadcastShapesOrNull(v.shape, pos.shape) : null;
      if (b === null || !sameShape(b, pos.shape)) {
        throw new ShapeError(`indexPut(): shape mismatch: value of shape ${fmt(value.shape)} can't be broadcast to the indexed shape ${fmt(pos.shape)}`);
      }
      if (!sameShape(v.shape, pos.shape)) {
        v = expand(v, pos.shape);
        temps.push(v);
      }
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      v = wrap(tf.fill(pos.shape, Number(value), x.dtype));
      temps.push(v);
    } else {
      throw new ArgumentError(`indexPut(): value must be a Tensor or a number (got ${describe(value)})`);
    }
    return put(x, pos, v, 'IndexPutBackward0');
  } finally {
    for (const t of temps) t.dispose();
  }
}

/**
 * Index tensors may sit on the CPU or on `x`'s device, as in PyTorch; the op then runs on `x`'s
 * device. One comparison per index tensor when all are on the active device.
 */
function checkIndexDevices(fn: string, x: Tensor, indices: readonly Index[]): void {
  const device = x._device;
  for (const v of indices) {
    if (v instanceof Tensor && v._device !== device && v._device !== 'cpu') {
      throw new DeviceError(
        `${fn}(): indices should be either on 'cpu' or on the same device as the indexed tensor ('${device}'), but found an index on '${v._device}'. ` +
          `Move it first, e.g. with .to('${device}')`,
      );
    }
  }
  if (device !== active.device) useDevice(device);
}

function broadcastShapesOrNull(a: readonly number[], b: readonly number[]): number[] | null {
  try {
    return broadcastShapes('indexPut', a, b);
  } catch {
    return null;
  }
}
