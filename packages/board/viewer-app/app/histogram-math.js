// @ts-check
/**
 * Histogram arithmetic: every step's `[left, right, count]` buckets are re-binned onto one set
 * of equal-width bins over the range of all steps (as TensorBoard does; TensorFlow's default
 * buckets are exponentially spaced), and round tick values for the axis.
 * @module
 */

/**
 * Re-bins buckets onto `k` equal bins over [lo, hi]; a bucket's count is spread over the bins
 * it overlaps in proportion to the overlap (a zero-width bucket goes to the bin holding it).
 * @example
 * rebin([[0, 1, 2], [1, 2, 4]], 0, 2, 2) // Float64Array [2, 4]
 * @param {[number, number, number][]} buckets
 * @param {number} lo
 * @param {number} hi
 * @param {number} k
 * @returns {Float64Array}
 */
export function rebin(buckets, lo, hi, k) {
  const out = new Float64Array(k);
  const width = (hi - lo) / k;
  if (!(width > 0)) {
    out[0] = buckets.reduce((a, b) => a + b[2], 0);
    return out;
  }
  for (const [l, r, c] of buckets) {
    if (!(c > 0)) continue;
    if (!(r > l)) {
      out[Math.min(k - 1, Math.max(0, Math.floor((l - lo) / width)))] += c;
      continue;
    }
    const first = Math.max(0, Math.floor((l - lo) / width));
    const last = Math.min(k - 1, Math.floor((r - lo) / width));
    for (let b = first; b <= last; b++) {
      const bl = lo + b * width;
      const overlap = Math.min(r, bl + width) - Math.max(l, bl);
      if (overlap > 0) out[b] += (c * overlap) / (r - l);
    }
  }
  return out;
}

/**
 * "Nice" tick values covering [lo, hi].
 * @param {number} lo @param {number} hi @param {number} n
 * @returns {number[]}
 */
export function ticks(lo, hi, n) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
