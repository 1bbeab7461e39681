/**
 * Random numbers from a counter-based generator (Philox 4x32-10, the one PyTorch uses on GPUs):
 * the whole state is a seed and an offset, so it can be saved and restored exactly.
 * @module
 */
import { ArgumentError, describe } from '../errors.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32. */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const hilo = aHi * bLo;
  const lohi = aLo * bHi;
  const hihi = aHi * bHi;
  const mid = (lolo >>> 16) + (hilo & 0xffff) + (lohi & 0xffff);
  return (hihi + (hilo >>> 16) + (lohi >>> 16) + (mid >>> 16)) >>> 0;
}

/** One Philox4x32-10 block: 4 uint32 from counter (c0..c3) and key (k0, k1). */
function philox(out: Uint32Array, at: number, c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void {
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}

/** The full state of a {@link Generator}: restoring it replays the same numbers. */
export interface GeneratorState {
  /** The seed (an integer in [0, 2^53)). */
  seed: number;
  /** How many 128-bit blocks have been drawn since seeding. */
  offset: number;
}

function checkSeed(fn: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError(`${fn}(): seed must be an integer in [0, 2^53) (got ${describe(seed)})`);
  }
  return seed;
}

/**
 * A source of random numbers (`torch.Generator`). Every random op takes an optional
 * `generator`; without one it uses the default generator that {@link manualSeed} seeds.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(42);
 * const a = rand([3], { generator: g });
 * ```
 */
export class Generator {
  private seed = 0;
  private offset = 0;

  constructor(seed?: number) {
    this.manualSeed(seed ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) >>> 0);
  }

  /** Seeds the generator and rewinds it (`Generator.manual_seed`). Returns `this`. */
  manualSeed(seed: number): this {
    this.seed = checkSeed('manualSeed', seed);
    this.offset = 0;
    return this;
  }

  /** The seed last set (`Generator.initial_seed`). */
  initialSeed(): number {
    return this.seed;
  }

  /** A copy of the state (`Generator.get_state`). */
  getState(): GeneratorState {
    return { seed: this.seed, offset: this.offset };
  }

  /** Restores a state from {@link getState}. */
  setState(state: GeneratorState): this {
    if (typeof state !== 'object' || state === null) {
      throw new ArgumentError(`setState(): state must be { seed, offset } (got ${describe(state)})`);
    }
    this.seed = checkSeed('setState', state.seed);
    if (!Number.isSafeInteger(state.offset) || state.offset < 0) {
      throw new ArgumentError(`setState(): state.offset must be an integer >= 0 (got ${describe(state.offset)})`);
    }
    this.offset = state.offset;
    return this;
  }

  /** `n` uniformly distributed uint32 values. @internal */
  nextUint32(n: number): Uint32Array {
    const blocks = Math.ceil(n / 4);
    const out = new Uint32Array(blocks * 4);
    const k0 = this.seed >>> 0;
    const k1 = Math.floor(this.seed / 0x100000000) >>> 0;
    let off = this.offset;
    for (let b = 0; b < blocks; b++, off++) {
      philox(out, b * 4, off >>> 0, Math.floor(off / 0x100000000) >>> 0, 0, 0, k0, k1);
    }
    this.offset = off;
    return n === out.length ? out : out.subarray(0, n);
  }

  /** `n` floats uniform in [0, 1). @internal */
  uniform(n: number): Float32Array {
    const u = this.nextUint32(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (u[i]! >>> 8) * 5.960464477539063e-8;
    return out;
  }

  /** `n` floats from the standard normal distribution (Box-Muller). @internal */
  normal(n: number): Float32Array {
    const m = n + (n & 1);
    const u = this.nextUint32(m);
    const out = new Float32Array(m);
    for (let i = 0; i < m; i += 2) {
      const u1 = ((u[i]! >>> 8) + 1) * 5.960464477539063e-8;
      const u2 = (u[i + 1]! >>> 8) * 5.960464477539063e-8;
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return n === m ? out : out.subarray(0, n);
  }
}

/** The generator random ops use when none is given. */
export const defaultGenerator = new Generator(0x5eed);

/**
 * Seeds the default generator (`torch.manual_seed`). Same seed, same backend: the same numbers.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const a = randn([2]);
 * manualSeed(0);
 * randn([2]).tolist(); // equals a.tolist()
 * ```
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * The default generator's state, to restore later with {@link setRngState} (`torch.get_rng_state`).
 *
 * @example
 * ```ts
 * const s = getRngState(); const a = rand([2]); setRngState(s); // rand([2]) equals a again
 * ```
 */
export function getRngState(): GeneratorState {
  return defaultGenerator.getState();
}

/**
 * Restores the default generator's state (`torch.set_rng_state`).
 *
 * @example
 * ```ts
 * setRngState(checkpoint.rngState);
 * ```
 */
export function setRngState(state: GeneratorState): void {
  defaultGenerator.setState(state);
}
