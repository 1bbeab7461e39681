/**
 * Connectionist temporal classification loss (`F.ctc_loss`), re-exported by `loss.ts`. The
 * forward (alpha) and backward (beta) recursions run in JS over the log-probabilities in double
 * precision, as PyTorch's CPU kernel runs them; the gradient is PyTorch's, which is the gradient
 * with respect to the logits when `logProbs` came from `logSoftmax` (so a model trained through
 * `logSoftmax` gets exact gradients). It is not differentiable twice, as in PyTorch.
 * @module
 */
import { apply } from '../../autograd/function.js';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../errors.js';
import { tf } from '../../kernels/tf.js';
import { fromTypedArray } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkFloat, checkReduction, fmt, type ReductionOptions } from './loss-util.js';

/** Options of {@link ctcLoss}. */
export interface CtcLossOptions extends ReductionOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** Replace infinite losses (impossible alignments) and their gradients by zero (default false). */
  zeroInfinity?: boolean;
}

/** Lengths given as a tensor, an array or (unbatched) a number. */
export type Lengths = Tensor | readonly number[] | number;

function readLengths(fn: string, arg: string, v: unknown, n: number, max: number, maxName: string): number[] {
  let values: number[];
  if (typeof v === 'number') values = [v];
  else if (Array.isArray(v)) values = [...(v as number[])];
  else if (v instanceof Tensor) {
    if (v.dtype !== 'int32') throw new DTypeError(`${fn}(): ${arg} must be int32 (got ${v.dtype} ${fmt(v.shape)})`);
    if (v.ndim > 1) throw new ShapeError(`${fn}(): ${arg} must be 0-D or 1-D (got shape ${fmt(v.shape)})`);
    values = Array.from(v.dataSync() as Int32Array);
  } else throw new ArgumentError(`${fn}(): ${arg} must be an int32 Tensor, an array or a number (got ${describe(v)})`);
  if (values.length !== n) throw new ShapeError(`${fn}(): ${arg} must hold one length per batch element (${n}) (got ${values.length})`);
  for (const x of values) {
    if (!Number.isInteger(x) || x < 0) throw new ArgumentError(`${fn}(): ${arg} must hold integers >= 0 (got ${x})`);
    if (x > max) throw new ShapeError(`${fn}(): ${arg} holds ${x}, more than ${maxName} (${max})`);
  }
  return values;
}

function lse(a: number, b: number, c = -Infinity): number {
  const m = Math.max(a, b, c);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** One batch element: its input length, its labels, and where its log-probabilities start. */
interface Sequence {
  length: number;
  labels: number[];
  batch: number;
}

/** The layout of the flat log-probabilities `[T, N, C]`. */
interface Layout {
  lp: Float32Array;
  n: number;
  c: number;
  blank: number;
}

/** `alpha[t][s]` in log space over the extended labels (blank, l1, blank, l2, ..., blank). */
function alphas(seq: Sequence, { lp, n, c, blank }: Layout): Float64Array[] {
  const at = (t: number, k: number): number => lp[(t * n + seq.batch) * c + k]!;
  const s = 2 * seq.labels.length + 1;
  const label = (i: number): number => (i % 2 === 0 ? blank : seq.labels[(i - 1) / 2]!);
  const out: Float64Array[] = [];
  for (let t = 0; t < seq.length; t++) {
    const a = new Float64Array(s).fill(-Infinity);
    if (t === 0) {
      a[0] = at(0, blank);
      if (s > 1) a[1] = at(0, label(1));
    } else {
      const p = out[t - 1]!;
      for (let i = 0; i < s; i++) {
        const l = label(i);
        const skip = i > 1 && l !== blank && l !== label(i - 2) ? p[i - 2]! : -Infinity;
        a[i] = at(t, l) + lse(p[i]!, i > 0 ? p[i - 1]! : -Infinity, skip);
      }
    }
    out.push(a);
  }
  return out;
}

/** The negative log likelihood of one sequence from its alphas. */
function nllOf(seq: Sequence, a: Float64Array[]): number {
  if (seq.length === 0) return seq.labels.length === 0 ? 0 : Infinity;
  const last = a[seq.length - 1]!;
  const s = last.length;
  return -lse(last[s - 1]!, s > 1 ? last[s - 2]! : -Infinity);
}

/** PyTorch's gradient for one sequence, written into `grad` (`[T, N, C]`, zero beyond its length). */
function gradient(seq: Sequence, layout: Layout, zeroInfinity: boolean, grad: Float32Array): void {
  const { lp, n, c, blank } = layout;
  const a = alphas(seq, layout);
  const nll = nllOf(seq, a);
  if (seq.length === 0 || (zeroInfinity && nll === Infinity)) return;
  const at = (t: number, k: number): number => lp[(t * n + seq.batch) * c + k]!;
  const s = 2 * seq.labels.length + 1;
  const label = (i: number): number => (i % 2 === 0 ? blank : seq.labels[(i - 1) / 2]!);
  let next = new Float64Array(s).fill(-Infinity);
  for (let t = seq.length - 1; t >= 0; t--) {
    const b = new Float64Array(s).fill(-Infinity);
    for (let i = 0; i < s; i++) {
      if (t === seq.length - 1) {
        if (i >= s - 2) b[i] = at(t, label(i));
        continue;
      }
      const l = label(i);
      const skip = i < s - 2 && label(i + 2) !== l ? next[i + 2]! : -Infinity;
      b[i] = at(t, l) + lse(next[i]!, i < s - 1 ? next[i + 1]! : -Infinity, skip);
    }
    // log of the summed alpha * beta per class, then PyTorch's exp(lp) - exp(lcab + nll - lp).
    const lcab = new Float64Array(c).fill(-Infinity);
    const at_ = a[t]!;
    for (let i = 0; i < s; i++) {
      const l = label(i);
      lcab[l] = lse(lcab[l]!, at_[i]! + b[i]!);
    }
    for (let k = 0; k < c; k++) {
      const v = at(t, k);
      grad[(t * n + seq.batch) * c + k] = Math.exp(v) - Math.exp(lcab[k]! + nll - v);
    }
    next = b;
  }
}

/**
 * The CTC loss of `logProbs` (`[T, N, C]` log-probabilities over C classes including `blank`, or
 * `[T, C]` unbatched) against `targets`: int32 `[N, S]` padded, or 1-D with the sequences
 * concatenated (`[S]` unbatched). `inputLengths` and `targetLengths` give each sequence's lengths.
 * `'mean'` divides each loss by its target length before averaging, as PyTorch does.
 *
 * @example
 * ```ts
 * const logProbs = logSoftmax(randn([50, 16, 20], { requiresGrad: true }), 2); // T, N, C
 * const targets = randint(1, 20, [16, 30]);
 * const loss = ctcLoss(logProbs, targets, new Array(16).fill(50), new Array(16).fill(30));
 * loss.backward();
 * ```
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths, options: CtcLossOptions = {}): Tensor {
  const fn = 'ctcLoss';
  const r = checkReduction(fn, options.reduction);
  const zeroInfinity = options.zeroInfinity ?? false;
  if (typeof zeroInfinity !== 'boolean') throw new ArgumentError(`${fn}(): zeroInfinity must be a boolean (got ${describe(zeroInfinity)})`);
  checkFloat(fn, 'logProbs', logProbs);
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) throw new ShapeError(`${fn}(): logProbs must be [T, N, C] or [T, C] (got shape ${fmt(logProbs.shape)})`);
  const unbatched = logProbs.ndim === 2;
  const t = logProbs.shape[0]!;
  const n = unbatched ? 1 : logProbs.shape[1]!;
  const c = logProbs.shape[logProbs.ndim - 1]!;
  const blank = options.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= c) throw new ArgumentError(`${fn}(): blank must be a class index in [0, ${c - 1}] (got ${describe(blank)})`);
  if (!(targets instanceof Tensor) || targets.dtype !== 'int32') {
    throw new DTypeError(`${fn}(): targets must be an int32 tensor (got ${targets instanceof Tensor ? `${targets.dtype} ${fmt(targets.shape)}` : describe(targets)})`);
  }
  const inLens = readLengths(fn, 'inputLengths', inputLengths, n, t, 'the input length T');
  const padded = !unbatched && targets.ndim === 2;
  if (!padded && targets.ndim !== 1) throw new ShapeError(`${fn}(): targets must be [N, S] padded or 1-D concatenated (got shape ${fmt(targets.shape)})`);
  if (padded && targets.shape[0] !== n) throw new ShapeError(`${fn}(): padded targets must have ${n} rows, one per batch element (got shape ${fmt(targets.shape)})`);
  const maxTarget = padded ? targets.shape[1]! : targets.shape[0]!;
  const tgtLens = readLengths(fn, 'targetLengths', targetLengths, n, maxTarget, padded ? 'the padded target length' : 'the targets');
  const flat = targets.dataSync() as Int32Array;
  if (!padded && tgtLens.reduce((a, b) => a + b, 0) > flat.length) {
    throw new ShapeError(`${fn}(): targetLengths add up to ${tgtLens.reduce((a, b) => a + b, 0)}, more than the ${flat.length} concatenated targets`);
  }
  let offset = 0;
  const seqs: Sequence[] = inLens.map((length, b) => {
    const start = padded ? b * maxTarget : offset;
    offset += tgtLens[b]!;
    const labels = Array.from(flat.subarray(start, start + tgtLens[b]!));
    for (const l of labels) if (l < 0 || l >= c) throw new ShapeError(`${fn}(): targets hold class ${l}, outside [0, ${c - 1}]`);
    return { length, labels, batch: b };
  });
  const layout: Layout = { lp: Float32Array.from(logProbs.dataSync() as Float32Array), n, c, blank };
  const losses = seqs.map((seq) => {
    const nll = nllOf(seq, alphas(seq, layout));
    return zeroInfinity && nll === Infinity ? 0 : nll;
  });
  let value: number | number[];
  if (r === 'none') value = losses;
  else if (r === 'sum') value = losses.reduce((a, b) => a + b, 0);
  else value = losses.reduce((a, l, b) => a + l / Math.max(tgtLens[b]!, 1), 0) / n;
  const outShape = r !== 'none' || unbatched ? [] : [n];
  // How much of the output's gradient reaches each sequence: [1, N, 1] (or a scalar).
  const scale = new Float32Array(n).map((_, b) => (r === 'mean' ? 1 / (n * Math.max(tgtLens[b]!, 1)) : 1));
  const shape = logProbs.shape;
  return apply({
    name: 'ctc_loss',
    nodeName: 'CtcLossBackward0',
    inputs: [logProbs],
    forward: () => tf.tensor(typeof value === 'number' ? value : Float32Array.from(value), outShape, 'float32'),
    save: [logProbs],
    backward: (g, [lpT]) => {
      const grad = new Float32Array(lpT!.numel());
      const saved: Layout = { ...layout, lp: lpT!.dataSync() as Float32Array };
      for (const seq of seqs) gradient(seq, saved, zeroInfinity, grad);
      const base = fromTypedArray(grad, shape, 'float32', lpT!.device);
      const perSeq = unbatched ? g : g.reshape(r === 'none' ? [1, n, 1] : []);
      return [base.mul(r === 'mean' ? perSeq.mul(fromTypedArray(scale, unbatched ? [] : [1, n, 1], 'float32', lpT!.device)) : perSeq)];
    },
  });
}
