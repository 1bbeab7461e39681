// @ts-check
/**
 * PCA by power iteration with deflation, for the Embeddings dashboard: never forms the D×D
 * covariance, so 10,000 points of dimension 784 project in well under a second.
 * @module
 */

/**
 * Projects `n` rows of dimension `d` (row-major) onto their first `k` principal components.
 * Deterministic (a fixed start vector); each component's sign makes its largest loading positive.
 * @example
 * const { coords, variance } = pca(new Float32Array([0, 0, 1, 1, 2, 2]), 3, 2, 1);
 * // coords ≈ [-1.414, 0, 1.414], variance ≈ [1] (fraction explained)
 * @param {ArrayLike<number>} data
 * @param {number} n
 * @param {number} d
 * @param {number} [k]
 * @returns {{ coords: Float64Array, variance: number[], components: Float64Array[] }}
 */
export function pca(data, n, d, k = 2) {
  k = Math.min(k, d);
  const x = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] - mean[j];
      x[i * d + j] = v;
      total += v * v;
    }
  }
  const xv = new Float64Array(n);
  /** @type {Float64Array[]} */
  const components = [];
  const variance = [];
  for (let c = 0; c < k; c++) {
    let v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = 1 + ((j * 7919 + c * 104729) % 97) / 97; // fixed, not orthogonal to anything likely
    let lambda = 0;
    for (let iter = 0; iter < 200; iter++) {
      for (const u of components) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += u[j] * v[j];
        for (let j = 0; j < d; j++) v[j] -= dot * u[j];
      }
      // w = X^T (X v)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[i * d + j] * v[j];
        xv[i] = s;
      }
      const w = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const s = xv[i];
        if (s !== 0) for (let j = 0; j < d; j++) w[j] += x[i * d + j] * s;
      }
      for (const u of components) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += u[j] * w[j];
        for (let j = 0; j < d; j++) w[j] -= dot * u[j];
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += w[j] * w[j];
      norm = Math.sqrt(norm);
      if (norm === 0) break;
      let change = 0;
      for (let j = 0; j < d; j++) {
        const nv = w[j] / norm;
        change += Math.abs(nv - v[j]);
        w[j] = nv;
      }
      v = w;
      const done = Math.abs(norm - lambda) <= 1e-10 * norm && change < 1e-9 * d;
      lambda = norm;
      if (done) break;
    }
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(big)) big = v[j];
    if (big < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    components.push(v);
    variance.push(total > 0 ? lambda / total : 0);
  }
  const coords = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j] * components[c][j];
      coords[i * k + c] = s;
    }
  }
  return { coords, variance, components };
}
