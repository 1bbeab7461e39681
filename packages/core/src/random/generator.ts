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

/**
 * A non-deterministic seed in [0, 2^53): 53 bits from the platform's cryptographic random source
 * (`crypto.getRandomValues`, as PyTorch reads `std::random_device`), or from the clock and
 * `Math.random` where there is none.
 */
function nondeterministicSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  if (typeof c?.getRandomValues !== 'function') {
    const lo = (Date.now() ^ Math.floor(Math.random() * 0x100000000)) >>> 0;
    return Math.floor(Math.random() * 0x200000) * 0x100000000 + lo;
  }
  const words = c.getRandomValues(new Uint32Array(2));
  return (words[1]! & 0x1fffff) * 0x100000000 + words[0]!;
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
  /** The seed: Philox's key. */
  private key = 0;
  private offset = 0;

  /** @param seed the seed (an integer in [0, 2^53)); without one, a non-deterministic seed. */
  constructor(seed?: number) {
    this.manualSeed(seed ?? nondeterministicSeed());
  }

  /** Seeds the generator and rewinds it (`Generator.manual_seed`). Returns `this`. */
  manualSeed(seed: number): this {
    this.key = checkSeed('manualSeed', seed);
    this.offset = 0;
    return this;
  }

  /**
   * Seeds the generator with a non-deterministic seed and rewinds it (`Generator.seed`).
   * Returns the seed, so that the run can be repeated with {@link manualSeed}.
   *
   * @example
   * ```ts
   * const g = new Generator();
   * const s = g.seed();
   * const a = rand([2], { generator: g });
   * g.manualSeed(s); // rand([2], { generator: g }) equals a again
   * ```
   */
  seed(): number {
    return this.manualSeed(nondeterministicSeed()).initialSeed();
  }

  /** The seed last set (`Generator.initial_seed`). */
  initialSeed(): number {
    return this.key;
  }

  /** A copy of the state (`Generator.get_state`). */
  getState(): GeneratorState {
    return { seed: this.key, offset: this.offset };
  }

  /** Restores a state from {@link getState}. */
  setState(state: GeneratorState): this {
    if (typeof state !== 'object' || state === null) {
      throw new ArgumentError(`setState(): state must be { seed, offset } (got ${describe(state)})`);
    }
    this.key = checkSeed('setState', state.seed);
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
    const k0 = this.key >>> 0;
    const k1 = Math.floor(this.key / 0x100000000) >>> 0;
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
 * Seeds the default generator with a non-deterministic seed and returns it (`torch.seed`): for
 * runs that differ each time but can still be repeated, by logging the seed and passing it to
 * {@link manualSeed} later.
 *
 * @example
 * ```ts
 * const s = seed();
 * console.log(`seed ${s}`); // rerun this exact run with manualSeed(s)
 * ```
 */
export function seed(): number {
  return defaultGenerator.seed();
}

/**
 * The seed the default generator was last seeded with (`torch.initial_seed`), by
 * {@link manualSeed}, {@link seed} or a restored state; drawing numbers does not change it.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * randn([3]);
 * initialSeed(); // 42
 * ```
 */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
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
