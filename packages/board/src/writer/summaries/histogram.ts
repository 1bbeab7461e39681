/**
 * Histograms as PyTorch's `add_histogram` makes them: numpy-style counting over bin edges (the
 * default 'tensorflow' edges, explicit edges, or a bin count), optional `maxBins` merging, trimmed
 * to the non-empty range with one empty bucket on the left.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { HistogramData } from '../../format/event-proto.js';

let tfBins: number[] | undefined;

/**
 * PyTorch's default 'tensorflow' bin edges: 1e-12 times powers of 1.1 below 1e20, mirrored, and 0
 * (1549 edges).
 *
 * @example
 * ```ts
 * tensorflowBins().length; // 1549
 * ```
 */
export function tensorflowBins(): readonly number[] {
  if (!tfBins) {
    const pos: number[] = [];
    for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
    tfBins = [...pos.map((v) => -v).reverse(), 0, ...pos];
  }
  return tfBins;
}

/** What `bins` may be: 'tensorflow', a bin count, or increasing edges. */
export type Bins = 'tensorflow' | number | ArrayLike<number>;

/** numpy.histogram's counts over `edges` (the last bin closed; values outside are not counted). */
export function countInEdges(values: ArrayLike<number>, edges: ArrayLike<number>): number[] {
  const nb = edges.length - 1;
  const counts = new Array<number>(nb).fill(0);
  const first = edges[0]!;
  const last = edges[nb]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= first && v <= last)) continue;
    let lo = 0;
    let hi = nb; // find the last edge index with edges[idx] <= v
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[Math.min(lo, nb - 1)]!++;
  }
  return counts;
}

/** numpy.histogram(values, bins=n): n equal bins over [min, max] (±0.5 when they are equal). */
export function countUniform(values: ArrayLike<number>, n: number): { counts: number[]; edges: number[] } {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < first) first = v;
    if (v > last) last = v;
  }
  if (first === last) (first -= 0.5), (last += 0.5);
  const step = (last - first) / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => (step === 0 ? ((i / n) * (last - first)) : i * step) + first);
  edges[n] = last;
  const counts = new Array<number>(n).fill(0);
  const norm = n / (last - first);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= first && v <= last)) continue;
    let idx = Math.trunc((v - first) * norm);
    if (idx === n) idx -= 1;
    if (v < edges[idx]!) idx -= 1;
    else if (idx !== n - 1 && v >= edges[idx + 1]!) idx += 1;
    counts[idx]!++;
  }
  return { counts, edges };
}

/**
 * Builds the HistogramProto PyTorch's `make_histogram` builds.
 *
 * @example
 * ```ts
 * makeHistogram('addHistogram', [0.1, 0.2, 0.2, 5], 'tensorflow').bucket; // counts, trimmed
 * ```
 */
export function makeHistogram(fn: string, values: ArrayLike<number>, bins: Bins, maxBins?: number): HistogramData {
  if (values.length === 0) throw new ShapeError(`${fn}(): values has no element; a histogram needs at least one value`);
  let counts: number[];
  let limits: number[];
  if (bins === 'tensorflow') {
    limits = [...tensorflowBins()];
    counts = countInEdges(values, limits);
  } else if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new ArgumentError(`${fn}(): bins must be 'tensorflow', a positive integer or increasing edges (got ${bins})`);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) throw new ArgumentError(`${fn}(): with bins=${bins} every value must be finite, since the range comes from min and max (got ${values[i]} at index ${i}); pass explicit edges instead`);
    }
    ({ counts, edges: limits } = countUniform(values, bins));
  } else if (typeof bins === 'object' && bins !== null && typeof bins.length === 'number') {
    limits = Array.from(bins, Number);
    if (limits.length < 2 || limits.some((e, i) => !Number.isFinite(e) || (i > 0 && e < limits[i - 1]!))) {
      throw new ArgumentError(`${fn}(): bins as edges must be at least two finite, increasing numbers (got ${describe(bins)})`);
    }
    counts = countInEdges(values, limits);
  } else {
    throw new ArgumentError(`${fn}(): bins must be 'tensorflow', a positive integer or an array of edges (got ${describe(bins)})`);
  }

  if (maxBins !== undefined && counts.length > maxBins) {
    if (!Number.isInteger(maxBins) || maxBins < 1) throw new ArgumentError(`${fn}(): maxBins must be a positive integer (got ${maxBins})`);
    const sub = Math.floor(counts.length / maxBins);
    const rem = counts.length % sub;
    const padded = rem !== 0 ? [...counts, ...new Array<number>(sub - rem).fill(0)] : counts;
    const merged: number[] = [];
    for (let i = 0; i < padded.length; i += sub) merged.push(padded.slice(i, i + sub).reduce((a, b) => a + b, 0));
    const newLimits: number[] = [];
    for (let i = 0; i < limits.length - 1; i += sub) newLimits.push(limits[i]!);
    newLimits.length = merged.length;
    newLimits.push(limits[limits.length - 1]!);
    counts = merged;
    limits = newLimits;
  }

  // Trim to the non-empty range, keeping one empty bucket on the left for the leftmost edge.
  let start = counts.findIndex((c) => c > 0);
  if (start < 0) start = counts.length;
  let end = -1;
  for (let i = counts.length - 1; i >= 0; i--) if (counts[i]! > 0) ((end = i), (i = -1));
  end = end < 0 ? 1 : end + 1;
  const outCounts = start > 0 ? counts.slice(start - 1, end) : [0, ...counts.slice(0, end)];
  const outLimits = limits.slice(start, end + 1);
  if (outCounts.length === 0 || outLimits.length === 0 || !counts.some((c) => c > 0)) {
    throw new ArgumentError(`${fn}(): no value falls inside the bins (${values.length} values, edges ${limits[0]} to ${limits[limits.length - 1]}); the histogram would be empty`);
  }

  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) (min = NaN), (max = NaN);
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    sum += v;
    sumSquares += v * v;
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit: outLimits, bucket: outCounts };
}

/**
 * Checks the arguments of `addHistogramRaw` and builds its HistogramProto.
 *
 * @example
 * ```ts
 * histogramRaw('addHistogramRaw', 0, 2, 3, 3, 5, [1, 2], [1, 2]);
 * ```
 */
export function histogramRaw(fn: string, min: number, max: number, num: number, sum: number, sumSquares: number, bucketLimits: ArrayLike<number>, bucketCounts: ArrayLike<number>): HistogramData {
  for (const [name, v] of [['min', min], ['max', max], ['num', num], ['sum', sum], ['sumSquares', sumSquares]] as const) {
    if (typeof v !== 'number') throw new ArgumentError(`${fn}(): ${name} must be a number (got ${describe(v)})`);
  }
  const limits = Array.from(bucketLimits, Number);
  const counts = Array.from(bucketCounts, Number);
  if (limits.length !== counts.length) {
    throw new ShapeError(`${fn}(): bucketLimits and bucketCounts must have the same length (got ${limits.length} and ${counts.length})`);
  }
  if (limits.length === 0) throw new ShapeError(`${fn}(): bucketLimits is empty; a histogram needs at least one bucket`);
  return { min, max, num, sum, sumSquares, bucketLimit: limits, bucket: counts };
}
