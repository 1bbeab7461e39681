// @ts-check
/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average,
 * `last = last * w + (1 - w) * y; out = last / (1 - w^n)` with n counting the finite points so
 * far. Non-finite values pass through (and do not count); a constant series is left as it is.
 * @module
 */

/**
 * Smooths `ys` with weight `w` in [0, 1).
 * @example
 * smooth([1, 2, 3], 0.5) // [1, 1.6666666666666667, 2.428571428571429]
 * @param {ArrayLike<number>} ys
 * @param {number} w
 * @returns {number[]}
 */
export function smooth(ys, w) {
  const out = Array.from(ys);
  if (!(w > 0) || out.length === 0) return out;
  const first = out[0];
  if (out.every((y) => y === first)) return out;
  let last = 0;
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const y = out[i];
    if (!Number.isFinite(y)) continue;
    last = last * w + (1 - w) * y;
    n++;
    out[i] = w === 1 ? last : last / (1 - w ** n);
  }
  return out;
}
