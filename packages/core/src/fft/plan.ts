/**
 * Host-side FFT: an in-place mixed-radix Cooley-Tukey transform (radix 4, 2, 3, 5 and any other
 * small prime) for lengths whose prime factors are all small, and Bluestein's chirp-z algorithm
 * (over a power-of-two transform) for lengths with a large prime factor. Plans are cached per
 * length. Arithmetic is in float64; the ops round to float32 at the end.
 * @internal
 * @module
 */

/** The largest prime factor handled by a direct butterfly; larger ones go through Bluestein. */
const MAX_DIRECT_PRIME = 31;

/** A reusable transform of one length. */
export interface FftPlan {
  readonly n: number;
  /**
   * Transforms `re`/`im` (length `n`, starting at `offset`) in place: `sign = -1` is the forward
   * DFT `X_k = sum_t x_t e^{-2 pi i k t / n}`, `sign = +1` the unscaled inverse.
   */
  run(re: Float64Array, im: Float64Array, sign: 1 | -1, offset?: number): void;
}

function factorize(n: number): number[] {
  const out: number[] = [];
  let m = n;
  while (m % 4 === 0) {
    out.push(4);
    m /= 4;
  }
  while (m % 2 === 0) {
    out.push(2);
    m /= 2;
  }
  for (let p = 3; p * p <= m; p += 2) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  if (m > 1) out.push(m);
  return out;
}

const SIN60 = Math.sqrt(3) / 2;
const C72 = Math.cos((2 * Math.PI) / 5);
const C144 = Math.cos((4 * Math.PI) / 5);
const S72 = Math.sin((2 * Math.PI) / 5);
const S144 = Math.sin((4 * Math.PI) / 5);

/** One pass of the transform: radix `p` joining `p` transforms of length `m`. */
interface Stage {
  p: number;
  m: number;
  /** Twiddles W_{p m}^{r k} for r in 1..p-1, k in 0..m-1, at (r - 1) * m + k. */
  twRe: Float64Array;
  twIm: Float64Array;
  /** The p x p DFT matrix W_p^{r q} (generic radices only). */
  dftRe: Float64Array;
  dftIm: Float64Array;
}

/** Mixed-radix decimation in time: a digit-reversal permutation, then one pass per factor. */
class CooleyTukey implements FftPlan {
  private readonly perm: Int32Array;
  private readonly stages: Stage[] = [];
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private readonly tRe: Float64Array;
  private readonly tIm: Float64Array;

  constructor(readonly n: number, factors: number[]) {
    this.perm = new Int32Array(n);
    const fill = (inOff: number, stride: number, size: number, outOff: number, level: number): void => {
      if (size === 1) {
        this.perm[outOff] = inOff;
        return;
      }
      const p = factors[level]!;
      const m = size / p;
      for (let r = 0; r < p; r++) fill(inOff + r * stride, stride * p, m, outOff + r * m, level + 1);
    };
    fill(0, 1, n, 0, 0);
    // Stages run from the innermost factor outwards; `size` is the length of the transforms built.
    let size = 1;
    for (let level = factors.length - 1; level >= 0; level--) {
      const p = factors[level]!;
      const m = size;
      size *= p;
      const twRe = new Float64Array((p - 1) * m);
      const twIm = new Float64Array((p - 1) * m);
      for (let r = 1; r < p; r++) {
        for (let k = 0; k < m; k++) {
          const a = (-2 * Math.PI * ((r * k) % size)) / size;
          twRe[(r - 1) * m + k] = Math.cos(a);
          twIm[(r - 1) * m + k] = Math.sin(a);
        }
      }
      const dftRe = new Float64Array(p * p);
      const dftIm = new Float64Array(p * p);
      for (let r = 0; r < p; r++) {
        for (let q = 0; q < p; q++) {
          const a = (-2 * Math.PI * ((r * q) % p)) / p;
          dftRe[r * p + q] = Math.cos(a);
          dftIm[r * p + q] = Math.sin(a);
        }
      }
      this.stages.push({ p, m, twRe, twIm, dftRe, dftIm });
    }
    this.bufRe = new Float64Array(n);
    this.bufIm = new Float64Array(n);
    const maxP = Math.max(...factors, 1);
    this.tRe = new Float64Array(maxP);
    this.tIm = new Float64Array(maxP);
  }

  run(re: Float64Array, im: Float64Array, sign: 1 | -1, offset = 0): void {
    const { n, perm, bufRe, bufIm, tRe, tIm } = this;
    for (let i = 0; i < n; i++) {
      bufRe[i] = re[offset + perm[i]!]!;
      bufIm[i] = im[offset + perm[i]!]!;
    }
    // The tables hold the forward (e^{-i...}) factors; the inverse conjugates them (s = -sign).
    const s = -sign;
    for (const { p, m, twRe, twIm, dftRe, dftIm } of this.stages) {
      const size = p * m;
      for (let b = 0; b < n; b += size) {
        if (p === 2) {
          for (let k = 0; k < m; k++) {
            const i0 = b + k;
            const i1 = i0 + m;
            const c = twRe[k]!;
            const d = s * twIm[k]!;
            const xr = bufRe[i1]!;
            const xi = bufIm[i1]!;
            const yr = xr * c - xi * d;
            const yi = xr * d + xi * c;
            const ar = bufRe[i0]!;
            const ai = bufIm[i0]!;
            bufRe[i0] = ar + yr;
            bufIm[i0] = ai + yi;
            bufRe[i1] = ar - yr;
            bufIm[i1] = ai - yi;
          }
        } else if (p === 4) {
          for (let k = 0; k < m; k++) {
            const i0 = b + k;
            const i1 = i0 + m;
            const i2 = i1 + m;
            const i3 = i2 + m;
            const t0r = bufRe[i0]!;
            const t0i = bufIm[i0]!;
            let c = twRe[k]!;
            let d = s * twIm[k]!;
            const t1r = bufRe[i1]! * c - bufIm[i1]! * d;
            const t1i = bufRe[i1]! * d + bufIm[i1]! * c;
            c = twRe[m + k]!;
            d = s * twIm[m + k]!;
            const t2r = bufRe[i2]! * c - bufIm[i2]! * d;
            const t2i = bufRe[i2]! * d + bufIm[i2]! * c;
            c = twRe[2 * m + k]!;
            d = s * twIm[2 * m + k]!;
            const t3r = bufRe[i3]! * c - bufIm[i3]! * d;
            const t3i = bufRe[i3]! * d + bufIm[i3]! * c;
            const a0r = t0r + t2r;
            const a0i = t0i + t2i;
            const a1r = t0r - t2r;
            const a1i = t0i - t2i;
            const b0r = t1r + t3r;
            const b0i = t1i + t3i;
            // (t1 - t3) times -i (forward) or +i (inverse).
            const dr = t1r - t3r;
            const di = t1i - t3i;
            const b1r = -sign * di;
            const b1i = sign * dr;
            bufRe[i0] = a0r + b0r;
            bufIm[i0] = a0i + b0i;
            bufRe[i1] = a1r + b1r;
            bufIm[i1] = a1i + b1i;
            bufRe[i2] = a0r - b0r;
            bufIm[i2] = a0i - b0i;
            bufRe[i3] = a1r - b1r;
            bufIm[i3] = a1i - b1i;
          }
        } else {
          for (let k = 0; k < m; k++) {
            tRe[0] = bufRe[b + k]!;
            tIm[0] = bufIm[b + k]!;
            for (let r = 1; r < p; r++) {
              const idx = b + r * m + k;
              const c = twRe[(r - 1) * m + k]!;
              const d = s * twIm[(r - 1) * m + k]!;
              const xr = bufRe[idx]!;
              const xi = bufIm[idx]!;
              tRe[r] = xr * c - xi * d;
              tIm[r] = xr * d + xi * c;
            }
            if (p === 3) {
              // X0 = t0 + a, X1,2 = t0 - a/2 -/+ i sign (sqrt(3)/2) (t1 - t2) (sign: -1 forward).
              const ar = tRe[1]! + tRe[2]!;
              const ai = tIm[1]! + tIm[2]!;
              const br = SIN60 * (tRe[1]! - tRe[2]!);
              const bi = SIN60 * (tIm[1]! - tIm[2]!);
              const rr = tRe[0]! - ar / 2;
              const ri = tIm[0]! - ai / 2;
              bufRe[b + k] = tRe[0]! + ar;
              bufIm[b + k] = tIm[0]! + ai;
              bufRe[b + m + k] = rr - sign * bi;
              bufIm[b + m + k] = ri + sign * br;
              bufRe[b + 2 * m + k] = rr + sign * bi;
              bufIm[b + 2 * m + k] = ri - sign * br;
              continue;
            }
            if (p === 5) {
              const a1r = tRe[1]! + tRe[4]!;
              const a1i = tIm[1]! + tIm[4]!;
              const b1r = tRe[1]! - tRe[4]!;
              const b1i = tIm[1]! - tIm[4]!;
              const a2r = tRe[2]! + tRe[3]!;
              const a2i = tIm[2]! + tIm[3]!;
              const b2r = tRe[2]! - tRe[3]!;
              const b2i = tIm[2]! - tIm[3]!;
              const r1r = tRe[0]! + C72 * a1r + C144 * a2r;
              const r1i = tIm[0]! + C72 * a1i + C144 * a2i;
              const r2r = tRe[0]! + C144 * a1r + C72 * a2r;
              const r2i = tIm[0]! + C144 * a1i + C72 * a2i;
              const m1r = S72 * b1r + S144 * b2r;
              const m1i = S72 * b1i + S144 * b2i;
              const m2r = S144 * b1r - S72 * b2r;
              const m2i = S144 * b1i - S72 * b2i;
              bufRe[b + k] = tRe[0]! + a1r + a2r;
              bufIm[b + k] = tIm[0]! + a1i + a2i;
              // X1 = r1 + sign i m1, X4 = r1 - sign i m1, X2 = r2 + sign i m2, X3 = r2 - sign i m2.
              bufRe[b + m + k] = r1r - sign * m1i;
              bufIm[b + m + k] = r1i + sign * m1r;
              bufRe[b + 4 * m + k] = r1r + sign * m1i;
              bufIm[b + 4 * m + k] = r1i - sign * m1r;
              bufRe[b + 2 * m + k] = r2r - sign * m2i;
              bufIm[b + 2 * m + k] = r2i + sign * m2r;
              bufRe[b + 3 * m + k] = r2r + sign * m2i;
              bufIm[b + 3 * m + k] = r2i - sign * m2r;
              continue;
            }
            for (let q = 0; q < p; q++) {
              let sr = 0;
              let si = 0;
              for (let r = 0; r < p; r++) {
                const c = dftRe[r * p + q]!;
                const d = s * dftIm[r * p + q]!;
                sr += tRe[r]! * c - tIm[r]! * d;
                si += tRe[r]! * d + tIm[r]! * c;
              }
              bufRe[b + q * m + k] = sr;
              bufIm[b + q * m + k] = si;
            }
          }
        }
      }
    }
    for (let i = 0; i < n; i++) {
      re[offset + i] = bufRe[i]!;
      im[offset + i] = bufIm[i]!;
    }
  }
}

/** Bluestein: a length-n DFT as a circular convolution of power-of-two length. */
class Bluestein implements FftPlan {
  private readonly inner: FftPlan;
  private readonly m: number;
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;
  private readonly aRe: Float64Array;
  private readonly aIm: Float64Array;

  constructor(readonly n: number) {
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.inner = getPlan(m);
    // w_k = e^{-i pi k^2 / n}, with k^2 reduced mod 2n for accuracy.
    this.wRe = new Float64Array(n);
    this.wIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const a = (Math.PI * ((k * k) % (2 * n))) / n;
      this.wRe[k] = Math.cos(a);
      this.wIm[k] = -Math.sin(a);
    }
    // b = conj(w) laid out circularly, transformed once.
    this.bRe = new Float64Array(m);
    this.bIm = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      this.bRe[k] = this.wRe[k]!;
      this.bIm[k] = -this.wIm[k]!;
      if (k > 0) {
        this.bRe[m - k] = this.wRe[k]!;
        this.bIm[m - k] = -this.wIm[k]!;
      }
    }
    this.inner.run(this.bRe, this.bIm, -1);
    this.aRe = new Float64Array(m);
    this.aIm = new Float64Array(m);
  }

  run(re: Float64Array, im: Float64Array, sign: 1 | -1, offset = 0): void {
    const { n, m, wRe, bRe, bIm, aRe, aIm } = this;
    // The inverse is the forward transform with conjugated input and output.
    const wIm = this.wIm;
    aRe.fill(0);
    aIm.fill(0);
    for (let k = 0; k < n; k++) {
      const xr = re[offset + k]!;
      const xi = -sign * im[offset + k]!; // conj for the inverse
      aRe[k] = xr * wRe[k]! - xi * wIm[k]!;
      aIm[k] = xr * wIm[k]! + xi * wRe[k]!;
    }
    this.inner.run(aRe, aIm, -1);
    for (let k = 0; k < m; k++) {
      const xr = aRe[k]!;
      const xi = aIm[k]!;
      aRe[k] = xr * bRe[k]! - xi * bIm[k]!;
      aIm[k] = xr * bIm[k]! + xi * bRe[k]!;
    }
    this.inner.run(aRe, aIm, 1);
    for (let k = 0; k < n; k++) {
      const cr = aRe[k]! / m;
      const ci = aIm[k]! / m;
      const yr = cr * wRe[k]! - ci * wIm[k]!;
      const yi = cr * wIm[k]! + ci * wRe[k]!;
      re[offset + k] = yr;
      im[offset + k] = -sign * yi; // conj back for the inverse
    }
  }
}

const plans = new Map<number, FftPlan>();

/** The cached plan for length `n` (>= 1). @internal */
export function getPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (plan === undefined) {
    const factors = factorize(n);
    plan = factors.some((p) => p > MAX_DIRECT_PRIME) ? new Bluestein(n) : new CooleyTukey(n, factors);
    plans.set(n, plan);
  }
  return plan;
}

/**
 * Complex transforms of `rows` rows of length `n` stored as interleaved (re, im) pairs, the
 * layout of a flint complex tensor `[..., n, 2]`. Returns a new interleaved array, scaled.
 * @internal
 */
export function complexRows(x: ArrayLike<number>, rows: number, n: number, sign: 1 | -1, scale: number): Float32Array {
  const out = new Float32Array(rows * n * 2);
  if (n === 0) return out;
  const plan = getPlan(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n * 2;
    for (let i = 0; i < n; i++) {
      re[i] = x[base + 2 * i]!;
      im[i] = x[base + 2 * i + 1]!;
    }
    plan.run(re, im, sign);
    for (let i = 0; i < n; i++) {
      out[base + 2 * i] = re[i]! * scale;
      out[base + 2 * i + 1] = im[i]! * scale;
    }
  }
  return out;
}

/**
 * One-sided transforms of `rows` real rows of length `n`: `[rows, n] -> [rows, n/2+1, 2]`,
 * scaled. Two real rows share one complex transform.
 * @internal
 */
export function realRows(x: ArrayLike<number>, rows: number, n: number, scale: number): Float32Array {
  const m = Math.floor(n / 2) + 1;
  const out = new Float32Array(rows * m * 2);
  if (n === 0) return out;
  const plan = getPlan(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let r = 0; r < rows; r += 2) {
    const two = r + 1 < rows;
    const a = r * n;
    const b = (r + 1) * n;
    for (let i = 0; i < n; i++) {
      re[i] = x[a + i]!;
      im[i] = two ? x[b + i]! : 0;
    }
    plan.run(re, im, -1);
    // Z = X + iY with X, Y Hermitian: X_k = (Z_k + conj Z_{n-k}) / 2, Y_k = (Z_k - conj Z_{n-k}) / 2i.
    const oa = r * m * 2;
    const ob = (r + 1) * m * 2;
    for (let k = 0; k < m; k++) {
      const j = k === 0 ? 0 : n - k;
      const zr = re[k]!;
      const zi = im[k]!;
      const wr = re[j]!;
      const wi = -im[j]!;
      out[oa + 2 * k] = ((zr + wr) / 2) * scale;
      out[oa + 2 * k + 1] = ((zi + wi) / 2) * scale;
      if (two) {
        out[ob + 2 * k] = ((zi - wi) / 2) * scale;
        out[ob + 2 * k + 1] = (-(zr - wr) / 2) * scale;
      }
    }
  }
  return out;
}

/**
 * Inverse one-sided transforms: `[rows, n/2+1, 2] -> [rows, n]` real, scaled. The imaginary
 * parts of bin 0 (and of bin n/2 for even n) are ignored, as in PyTorch. Two rows share one
 * complex transform.
 * @internal
 */
export function inverseRealRows(x: ArrayLike<number>, rows: number, n: number, scale: number): Float32Array {
  const m = Math.floor(n / 2) + 1;
  const out = new Float32Array(rows * n);
  if (n === 0) return out;
  const plan = getPlan(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // Hermitian extension H of a row: H_k = X_k for k < m, conj(X_{n-k}) above; the imaginary
  // parts of bin 0 and of the Nyquist bin are dropped. Two rows share one transform: Z = H_a + i H_b.
  const nyq = n % 2 === 0 ? n / 2 : -1;
  for (let r = 0; r < rows; r += 2) {
    const two = r + 1 < rows;
    for (let k = 0; k < n; k++) {
      const kk = k < m ? k : n - k;
      const flip = k >= m ? -1 : 1;
      const keepIm = kk === 0 || kk === nyq ? 0 : flip;
      const oa = (r * m + kk) * 2;
      const ar = x[oa]!;
      const ai = x[oa + 1]! * keepIm;
      if (two) {
        const ob = ((r + 1) * m + kk) * 2;
        const br = x[ob]!;
        const bi = x[ob + 1]! * keepIm;
        re[k] = ar - bi;
        im[k] = ai + br;
      } else {
        re[k] = ar;
        im[k] = ai;
      }
    }
    plan.run(re, im, 1);
    for (let t = 0; t < n; t++) {
      out[r * n + t] = re[t]! * scale;
      if (two) out[(r + 1) * n + t] = im[t]! * scale;
    }
  }
  return out;
}
