/**
 * Faster paths for a few wasm kernels that tfjs runs many times slower than they need to for
 * shapes that training uses all the time. Each wraps the stock kernel, takes only the cases it is
 * faster at, and hands every other case to the stock kernel. The results are the same numbers:
 * transposes and tiles move data, reductions reduce the same values in the same order, and the
 * comparisons compare. Measured on the project's machines (wasm, Node 20; bench/ has the setup):
 *
 * - Transpose `[R, C] -> [C, R]`: the stock 2-D loop writes with a stride of R floats; when R is a
 *   multiple of 128 those writes keep hitting the same few cache sets and run 5-20x slower
 *   (`[128, 784]`: 300-420 us; `[1024, 1024]`: 10 ms). The same permutation asked as a 3-D one
 *   (`[R, C/f, f]`, or `[R/32, 32, C]` for odd C) runs tfjs's 3-D loop, which walks the output in
 *   order: 50-60 us and 0.5 ms. Batched `[L, R, C] -> [L, C, R]` is treated the same way.
 * - Sum, Mean, Max, Min, Prod over leading axes (the bias gradient `[B, N] -> [N]`): the stock
 *   kernel transposes the reduced axes to the end with that slow loop first; here the transpose
 *   takes the path above, then the stock kernel reduces (140-170 us -> about 50 us).
 * - Tile (behind `broadcastTo`/`expand`): the stock kernel computes every element's source index
 *   (60-120 us for 1280 floats); here runs are copied with `fill`, `set` and `copyWithin`.
 * - Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual with equal shapes or a one-element
 *   operand: the stock kernels go through a generic broadcasting loop that allocates per element
 *   (about 5 ns an element); here a plain loop.
 * - Identity (`clone`, and the three clones inside every `tf.where`): the stock kernel copies the
 *   data; here the copy shares it and counts a reference, as the stock Reshape and the cpu
 *   backend's Identity do (tfjs data is never written in place).
 * - GatherV2 (`indexSelect`, `take`, `gather`, embeddings): the stock kernel copies element by
 *   element through generic strides (6400 rows of 64 floats: 11-30 ms). Every axis and
 *   `batchDims` reduces to `batch x outer x indices` row copies of `inner` elements; here each row
 *   (each run of consecutive indices) is one `copyWithin` on the heap, short rows a plain loop.
 *   Out-of-range indices throw the stock kernel's error. (The stock kernel is also wrong with
 *   `batchDims` > 0: wrong numbers for `[3, 5, 4]` gathered with `[3, 6]` indices on axis 1, a
 *   wasm memory fault for `[32, 100, 64]`; here those match the cpu backend.)
 * - Slice (`narrow`, `split`, `chunk`, indexing, the gate slices of LSTM/GRU): the stock kernel
 *   first copies the whole input out of the heap (`readSync`), then the part it wants. Here the
 *   part is copied on the heap directly: one copy when the slice is one contiguous block (slices
 *   along the leading dimensions), else one per contiguous row block.
 * @internal
 * @module
 */
import { tf } from './tf.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
type KernelArgs = { inputs: Record<string, TensorInfo>; attrs?: Record<string, unknown>; backend: unknown };
type Kernel = (args: KernelArgs) => TensorInfo;
/** The public surface of tfjs's wasm backend that its own JS kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

/**
 * The 3-D (or batched 4-D) view under which tfjs's transpose is fast, for a transpose that swaps
 * the last two dimensions of `[R, C]` or `[L, R, C]` (size-1 dimensions aside) with R a multiple
 * of 128; `null` otherwise.
 */
export function transposeView(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } | null {
  // The dimensions that are not 1, in input order and in output order (as tfjs's kernel drops them).
  const dims: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1) dims.push(i);
    if (shape[perm[i]!] !== 1) order.push(perm[i]!);
  }
  const n = dims.length;
  if (n < 2 || n > 3) return null;
  // Leading dimensions stay, the last two swap.
  for (let i = 0; i < n - 2; i++) if (order[i] !== dims[i]) return null;
  if (order[n - 2] !== dims[n - 1] || order[n - 1] !== dims[n - 2]) return null;
  const r = shape[dims[n - 2]!]!;
  const c = shape[dims[n - 1]!]!;
  if (r === 0 || r % 128 !== 0 || c < 32) return null;
  const lead = n === 3 ? [shape[dims[0]!]!] : [];
  const l = lead.length === 0 ? [] : [0];
  const k = lead.length;
  if (c % 2 === 0) {
    const f = c % 4 === 0 ? 4 : 2;
    return { shape: [...lead, r, c / f, f], perm: [...l, k + 1, k + 2, k] };
  }
  return { shape: [...lead, r / 32, 32, c], perm: [...l, k + 2, k, k + 1] };
}

function permuted(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((d) => shape[d]!);
}

function wrapTranspose(stock: Kernel): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    const perm = args.attrs!.perm as number[];
    const view = transposeView(x.shape, perm);
    if (view === null || x.dtype === 'string') return stock(args);
    const out = stock({ ...args, inputs: { x: { dataId: x.dataId, shape: view.shape, dtype: x.dtype } }, attrs: { perm: view.perm } });
    out.shape = permuted(x.shape, perm);
    return out;
  };
}

function normAxes(axis: unknown, rank: number): number[] {
  const list = axis === undefined || axis === null ? Array.from({ length: rank }, (_, i) => i) : typeof axis === 'number' ? [axis] : (axis as number[]);
  return list.map((a) => (a < 0 ? a + rank : a));
}

/** A reduction over axes that are not innermost: transposes them to the end on the fast path first. */
function wrapReduce(stock: Kernel, transpose: Kernel, axisKey: 'axis' | 'reductionIndices'): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    const rank = x.shape.length;
    const axes = normAxes(args.attrs![axisKey], rank);
    const perm = tf.backend_util.getAxesPermutation(axes, rank);
    if (perm === null || transposeView(x.shape, perm) === null) return stock(args);
    const backend = args.backend as WasmBackend;
    const t = transpose({ inputs: { x }, attrs: { perm }, backend });
    try {
      const inner = tf.backend_util.getInnerMostAxes(axes.length, rank);
      const out = stock({ ...args, inputs: { x: t }, attrs: { ...args.attrs, [axisKey]: inner, keepDims: false } });
      if (args.attrs!.keepDims === true) out.shape = tf.backend_util.expandShapeToKeepDim(out.shape, axes);
      return out;
    } finally {
      backend.disposeData(t.dataId);
    }
  };
}

function tile(args: KernelArgs): TensorInfo {
  const x = args.inputs.x!;
  const reps = args.attrs!.reps as number[];
  const backend = args.backend as WasmBackend;
  const inShape = x.shape;
  const outShape = inShape.map((s, i) => s * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  const size = outShape.reduce((a, b) => a * b, 1);
  if (size === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = inShape.length;
  if (rank === 0) {
    dst[0] = src[0]!;
    return out;
  }
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outStride[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1]! * inShape[d + 1]!;
    outStride[d] = outStride[d + 1]! * outShape[d + 1]!;
  }
  // Writes the tile of x's sub-block at dimension d (from srcOff) into dst at dstOff.
  const fillBlock = (d: number, srcOff: number, dstOff: number): void => {
    const n = inShape[d]!;
    if (d === rank - 1) {
      if (n === 1) dst.fill(src[srcOff]!, dstOff, dstOff + reps[d]!);
      else {
        dst.set(src.subarray(srcOff, srcOff + n), dstOff);
        for (let r = 1; r < reps[d]!; r++) dst.copyWithin(dstOff + r * n, dstOff, dstOff + n);
      }
      return;
    }
    for (let i = 0; i < n; i++) fillBlock(d + 1, srcOff + i * inStride[d]!, dstOff + i * outStride[d]!);
    const block = n * outStride[d]!;
    for (let r = 1; r < reps[d]!; r++) dst.copyWithin(dstOff + r * block, dstOff, dstOff + block);
  };
  fillBlock(0, 0, 0);
  return out;
}

type Full = (a: ArrayLike<number>, b: ArrayLike<number>, out: Uint8Array, n: number) => void;
type WithScalar = (a: ArrayLike<number>, y: number, out: Uint8Array, n: number) => void;
// Per comparison: a loop over two full operands and one against a one-element right operand (a
// one-element left operand uses the mirrored comparison). Written out one by one so that each
// compiles on its own; `+(a > b)` compiles without a branch, where `? 1 : 0` mispredicts on
// mixed-sign data and runs 4x slower.
const COMPARISONS: Record<string, { full: Full; scalar: WithScalar; mirror: string }> = {
  Greater: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! > b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! > y); },
    mirror: 'Less',
  },
  GreaterEqual: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! >= b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! >= y); },
    mirror: 'LessEqual',
  },
  Less: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! < b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! < y); },
    mirror: 'Greater',
  },
  LessEqual: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! <= b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! <= y); },
    mirror: 'GreaterEqual',
  },
  Equal: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! === b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! === y); },
    mirror: 'Equal',
  },
  NotEqual: {
    full: (a, b, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! !== b[i]!); },
    scalar: (a, y, o, n) => { for (let i = 0; i < n; i++) o[i] = +(a[i]! !== y); },
    mirror: 'NotEqual',
  },
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function numel(shape: readonly number[]): number {
  return shape.reduce((p, s) => p * s, 1);
}

function wrapCompare(name: string, stock: Kernel): Kernel {
  const { full, scalar, mirror } = COMPARISONS[name]!;
  const mirrored = COMPARISONS[mirror]!.scalar;
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const na = numel(a.shape);
    const nb = numel(b.shape);
    const equal = sameShape(a.shape, b.shape);
    if (a.dtype === 'string' || a.dtype !== b.dtype || (!equal && nb !== 1 && na !== 1)) return stock(args);
    const shape = equal ? a.shape : tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput(shape, 'bool');
    const n = numel(shape);
    if (n === 0) return out;
    const va = backend.typedArrayFromHeap(a);
    const vb = backend.typedArrayFromHeap(b);
    const vo = backend.typedArrayFromHeap(out) as Uint8Array;
    // One operand has all n elements and the other n or 1 (the cases let through above).
    if (na === n && nb === n) full(va, vb, vo, n);
    else if (na === n) scalar(va, vb[0]!, vo, n);
    else mirrored(vb, va[0]!, vo, n);
    return out;
  };
}

function wrapIdentity(stock: Kernel): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    if (x.dtype === 'string') return stock(args);
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

type Words = Int32Array | Uint8Array;

/**
 * The whole heap as elements of `view`'s width (bytes for bool, 32-bit words for float32 and
 * int32: copies move bits, so NaN payloads survive), and where `view` starts in it.
 */
function heapOf(view: Float32Array | Int32Array | Uint8Array): { words: Words; at: number } {
  if (view.BYTES_PER_ELEMENT === 1) return { words: new Uint8Array(view.buffer), at: view.byteOffset };
  return { words: new Int32Array(view.buffer), at: view.byteOffset >> 2 };
}

/** Below this many elements a plain loop copies faster than a `copyWithin` call. */
const SHORT = 16;

/** Copies `n` elements of the heap from `from` to `to` (the ranges do not overlap). */
function move(w: Words, to: number, from: number, n: number): void {
  if (n < SHORT) for (let j = 0; j < n; j++) w[to + j] = w[from + j]!;
  else w.copyWithin(to, from, from + n);
}

function wrapGather(stock: Kernel): Kernel {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    if (x.dtype === 'string' || indices.dtype !== 'int32') return stock(args);
    const backend = args.backend as WasmBackend;
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, x.shape)[0]!;
    const size = x.shape[axis]!;
    // The stock kernel's bounds check and message.
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i]!;
      if (v < 0 || v >= size) tf.util.assert(false, () => `GatherV2: the index value ${v} is not in [0, ${size - 1}]`);
    }
    const batchDims = (args.attrs!.batchDims as number | null | undefined) ?? 0;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as tf.Tensor, indices as tf.Tensor, axis, batchDims);
    const out = backend.makeOutput(info.outputShape, x.dtype);
    if (numel(info.outputShape) === 0) return out;
    // Views taken after makeOutput: a heap that grew leaves older views detached.
    const { words: w, at: x0 } = heapOf(backend.typedArrayFromHeap(x));
    const o0 = heapOf(backend.typedArrayFromHeap(out)).at;
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    const { batchSize, outerSize, dimSize, sliceSize: inner } = info;
    const n = idx.length / batchSize;
    let to = o0;
    for (let b = 0; b < batchSize; b++) {
      const i0 = b * n;
      for (let o = 0; o < outerSize; o++) {
        const from = x0 + (b * outerSize + o) * dimSize * inner;
        if (inner === 1) {
          for (let i = 0; i < n; i++) w[to + i] = w[from + idx[i0 + i]!]!;
          to += n;
        } else if (inner < SHORT) {
          for (let i = 0; i < n; i++, to += inner) move(w, to, from + idx[i0 + i]! * inner, inner);
        } else {
          // A run of consecutive indices is one contiguous block.
          for (let i = 0; i < n; ) {
            const first = idx[i0 + i]!;
            let run = 1;
            while (i + run < n && idx[i0 + i + run] === first + run) run++;
            w.copyWithin(to, from + first * inner, from + (first + run) * inner);
            to += run * inner;
            i += run;
          }
        }
      }
    }
    return out;
  };
}

function wrapSlice(stock: Kernel): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    const shape = x.shape;
    const rank = shape.length;
    if (x.dtype === 'string') return stock(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs!.begin as number[], args.attrs!.size as number[]);
    if (begin.some((b, d) => b < 0 || b + size[d]! > shape[d]!)) return stock(args);
    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput(size, x.dtype);
    if (numel(size) === 0) return out;
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const strides = tf.util.computeStrides(shape);
    let from = 0;
    for (let d = 0; d < rank - 1; d++) from += begin[d]! * strides[d]!;
    from += rank === 0 ? 0 : begin[rank - 1]!;
    // Dimensions after k are taken whole, so each index of dimensions 0..k-1 picks one block.
    let k = Math.max(rank - 1, 0);
    while (k > 0 && size[k] === shape[k]) k--;
    const block = rank === 0 ? 1 : size[k]! * (k === rank - 1 ? 1 : strides[k]!);
    // Leading dimensions of size 1 move the start only: then the whole slice is one block.
    let first = 0;
    while (first < k && size[first] === 1) first++;
    if (first === k) {
      dst.set(src.subarray(from, from + block));
      return out;
    }
    const { words: w, at: x0 } = heapOf(src);
    let to = heapOf(dst).at;
    const copy = (d: number, at: number): void => {
      const stride = strides[d]!;
      const n = size[d]!;
      if (d === k - 1) {
        for (let i = 0; i < n; i++, to += block) move(w, to, at + i * stride, block);
        return;
      }
      for (let i = 0; i < n; i++) copy(d + 1, at + i * stride);
    };
    copy(first, x0 + from);
    return out;
  };
}

const REDUCTIONS: Record<string, 'axis' | 'reductionIndices'> = {
  Sum: 'axis',
  Mean: 'axis',
  Max: 'reductionIndices',
  Min: 'axis',
  Prod: 'axis',
};

/**
 * Puts the faster paths in front of `backendName`'s stock kernels (the wasm backend). Returns the
 * names of the kernels it wrapped. Calling it again does nothing.
 */
export function registerFastKernels(backendName: string): string[] {
  const done: string[] = [];
  const replace = (name: string, make: (stock: tf.KernelConfig) => Kernel): void => {
    const stock = tf.getKernel(name, backendName);
    if (stock === undefined || (stock as { flintFast?: boolean }).flintFast) return;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...stock, kernelFunc: make(stock) as unknown as tf.KernelFunc, flintFast: true } as tf.KernelConfig);
    done.push(name);
  };
  const stockTranspose = tf.getKernel('Transpose', backendName);
  if (stockTranspose === undefined) return done;
  const fastTranspose = wrapTranspose(stockTranspose.kernelFunc as unknown as Kernel);
  replace('Transpose', () => fastTranspose);
  for (const [name, key] of Object.entries(REDUCTIONS)) {
    replace(name, (stock) => wrapReduce(stock.kernelFunc as unknown as Kernel, fastTranspose, key));
  }
  replace('Tile', () => tile);
  replace('Identity', (stock) => wrapIdentity(stock.kernelFunc as unknown as Kernel));
  replace('GatherV2', (stock) => wrapGather(stock.kernelFunc as unknown as Kernel));
  replace('Slice', (stock) => wrapSlice(stock.kernelFunc as unknown as Kernel));
  for (const name of Object.keys(COMPARISONS)) replace(name, (stock) => wrapCompare(name, stock.kernelFunc as unknown as Kernel));
  return done;
}
