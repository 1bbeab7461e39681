/**
 * The inputs every contender starts from, as plain typed arrays drawn from a fixed seed, so that
 * Flint and raw tfjs run on identical numbers (and the check in `check.ts` can compare them).
 */

/** Sizes of the MLP benchmark: 784-256-10 at batch 128, as in the issue. */
export const MLP = { batch: 128, inputs: 784, hidden: 256, classes: 10, lr: 0.01 } as const;
/** Size of the matmul benchmark (n x n times n x n). */
export const MATMUL_N = 1024;
/** Elements of the elementwise benchmark. */
export const ELEMENTWISE_N = 1 << 20;

/** A small deterministic generator (mulberry32) with a Box-Muller normal draw. */
function normals(seed: number, n: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a) * scale;
    if (i + 1 < n) out[i + 1] = r * Math.sin(a) * scale;
  }
  return out;
}

/** Values and shape of one input. */
export interface Array2 {
  values: Float32Array;
  shape: number[];
}

/** The MLP's batch, one-hot targets and initial parameters (weights stored `[in, out]`). */
export function mlpData(): { x: Array2; onehot: Array2; w1: Array2; b1: Array2; w2: Array2; b2: Array2 } {
  const { batch, inputs, hidden, classes } = MLP;
  const onehot = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) onehot[i * classes + ((i * 7 + 3) % classes)] = 1;
  return {
    x: { values: normals(1, batch * inputs), shape: [batch, inputs] },
    onehot: { values: onehot, shape: [batch, classes] },
    w1: { values: normals(2, inputs * hidden, 1 / Math.sqrt(inputs)), shape: [inputs, hidden] },
    b1: { values: new Float32Array(hidden), shape: [hidden] },
    w2: { values: normals(3, hidden * classes, 1 / Math.sqrt(hidden)), shape: [hidden, classes] },
    b2: { values: new Float32Array(classes), shape: [classes] },
  };
}

/** Two n x n matrices. */
export function matmulData(): [Array2, Array2] {
  const n = MATMUL_N;
  return [
    { values: normals(4, n * n), shape: [n, n] },
    { values: normals(5, n * n), shape: [n, n] },
  ];
}

/** Three vectors of ELEMENTWISE_N values. */
export function elementwiseData(): [Array2, Array2, Array2] {
  const n = ELEMENTWISE_N;
  return [6, 7, 8].map((seed) => ({ values: normals(seed, n), shape: [n] })) as [Array2, Array2, Array2];
}
